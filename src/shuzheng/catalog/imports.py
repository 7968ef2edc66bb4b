"""Importing and exporting the catalog workbook (issue 11, item 2).

:func:`run_import` reads a workbook (``catalog.workbook``), resolves each resource's provider
through the orgs resolver and its classification, checks what the workbook may change, and
then writes through the catalog's services (``register_resources`` for the new entries, in
bulk; ``update_resource`` for each edit: validated, versioned, audited). The workbook is
checked with a handful of queries whatever its size (units, classifications, existing codes
and their grades read once), never a query per row:

* without ``all_or_nothing`` the valid new resources land in one transaction, each edit in
  its own, and every invalid resource is reported, row by row and column by column;
* with ``all_or_nothing`` nothing lands when any row has a problem, and the valid resources
  are written in one transaction, rolled back whole if the services refuse any of them.

A provider unit's staff import for their unit, the catalog office for any unit
(:func:`may_import`); changing an existing entry stays its provider's.

The page and the API queue an :class:`ImportJob` (:func:`queue_import`) that the worker runs
(:func:`run_import_job`), recording progress on the job for the page's poll. Problems are
stored as codes with parameters (``workbook.Problem``) and worded at display
(:func:`describe`) in the reader's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm, has_perm
from shuzheng.audit.services import record_change
from shuzheng.catalog import services, workbook
from shuzheng.catalog.choices import ImportPhase, JobState
from shuzheng.catalog.models import DataField, DataResource, ImportJob, ResourceCategory
from shuzheng.catalog.samples import category_level
from shuzheng.catalog.workbook import Problem, ResourceRows, WorkbookError
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import get_resolver

logger = logging.getLogger(__name__)

#: The worker's job (``catalog.tasks``), named by path: that module imports this one.
IMPORT_TASK = "shuzheng.catalog.tasks.run_catalog_import"

#: The services' field names → the workbook column a refusal is reported in.
_SERVICE_FIELD_COLUMNS = {
    "title": "title",
    "summary": "summary",
    "code": "code",
    "grade": "grade",
    "grade_reason": "grade",
    "open_type": "open_type",
    "fields": "field_name",
    "state": "code",
}


@dataclass
class ImportReport:
    """What an import did: rows read, resources created / updated, and the problems."""

    rows: int = 0
    resources: int = 0
    created: int = 0
    updated: int = 0
    all_or_nothing: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems if problem.row is not None})

    @property
    def landed(self) -> bool:
        return bool(self.created or self.updated)


#: Marked for extraction: ``describe`` translates them through the ``translate`` it is given.
ROW_AND_COLUMN = gettext_noop("Row %(row)s, column %(column)s (%(header)s): %(message)s")
ROW_ONLY = gettext_noop("Row %(row)s: %(message)s")


def describe(problem: Problem | dict, translate: Callable[[str], str] = gettext) -> str:
    """A problem in the reader's language: "第 12 行，D 列（共享类型）：……" in Chinese,
    "Row 12, column D (共享类型): …" in English."""
    if isinstance(problem, dict):
        problem = Problem.from_dict(problem)
    message = translate(workbook.MESSAGES[problem.code]).format(**problem.params)
    if problem.row is not None and problem.column:
        return translate(ROW_AND_COLUMN) % {
            "row": problem.row,
            "column": problem.column,
            "header": problem.header,
            "message": message,
        }
    if problem.row is not None:
        return translate(ROW_ONLY) % {"row": problem.row, "message": message}
    return message


# --------------------------------------------------------------------------------- import


def run_import(
    handle,
    name: str,
    size: int,
    *,
    actor,
    unit: Unit | None = None,
    all_or_nothing: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Import the workbook in ``handle`` (a binary file of ``size`` bytes) for ``actor``
    (None: an operator's command). ``unit``, when given, is the only provider its rows may
    name. ``progress(phase, done, total)`` is told ``read`` row numbers, then ``write``
    resources."""
    report = ImportReport(all_or_nothing=all_or_nothing)
    tell = progress or (lambda phase, done, total: None)
    try:
        workbook.check_size(size, settings.CATALOG_IMPORT_MAX_MB)
        kind = workbook.detect_kind(name, handle.read(8))
        handle.seek(0)
        rows, estimate = workbook.read_rows(handle, kind)
        sheet = workbook.read_sheet(rows, lambda row: tell("read", row, estimate))
    except WorkbookError as exc:
        report.problems = exc.problems
        return report
    report.rows = sheet.row_count
    report.resources = len(sheet.resources)
    tell("read", estimate, estimate)
    tell("check", 0, len(sheet.resources))
    planner = _Planner(actor, unit)
    plans = planner.plan(sheet.resources)
    problems = [problem for plan in plans for problem in plan.resource.problems]
    if all_or_nothing and problems:
        report.problems = problems
        _record(actor, name, report)
        return report
    valid = [plan for plan in plans if plan.resource.is_valid]
    tell("write", 0, len(valid))
    writer = _Writer(actor, planner.categories, report)
    if all_or_nothing:
        writer.write_all(valid)
    else:
        writer.write_each(valid, tell)
    tell("write", len(valid), len(valid))
    report.problems = sorted(problems + report.problems, key=lambda p: (p.row or 0, p.column or ""))
    _record(actor, name, report)
    return report


def may_import(actor, unit: Unit | None = None) -> bool:
    """Who imports a workbook: a provider unit's staff for their unit (``manage_catalog``),
    the catalog office (``review_catalog``) for any unit; None is an operator's command."""
    if actor is None:
        return True
    return has_perm(actor, "manage_catalog", unit) or has_perm(actor, "review_catalog")


@dataclass
class _Plan:
    resource: ResourceRows
    provider: Unit | None = None
    existing: DataResource | None = None


class _Planner:
    """Checks against the database what the pure reader cannot: the provider's unit, the
    classification, the codes already taken, what the actor may change. A handful of
    queries for the whole workbook: units, categories and existing codes are read once."""

    def __init__(self, actor, unit: Unit | None):
        self.actor = actor
        self.unit = unit
        self.resolver = get_resolver()
        self.units: dict[str, Unit] = {}
        self.categories = {c.code: c for c in ResourceCategory.objects.all()}
        self.allowed: dict[tuple[int, str], bool] = {}
        self._resolved: dict = {}

    def plan(self, resources: list[ResourceRows]) -> list[_Plan]:
        wanted = [r.values["code"] for r in resources if r.values.get("code")]
        existing = {}
        for start in range(0, len(wanted), 500):
            existing |= {
                resource.code: resource
                for resource in DataResource.objects.filter(
                    code__in=wanted[start : start + 500]
                ).select_related("provider")
            }
        grades = self._grades(list(existing.values()))
        unit_codes = set()
        plans = []
        for resource in resources:
            plan = _Plan(resource, existing=existing.get(resource.values.get("code") or ""))
            plans.append(plan)
            unit_codes.update(self._unit_codes(resource))
        self.units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
        for plan in plans:
            self._check(plan, grades)
        return plans

    @staticmethod
    def _grades(resources: list[DataResource]) -> dict[int, dict[str, str]]:
        """Each existing resource's grades: "" its own, then its items' by name."""
        grades = {resource.pk: {"": resource.grade} for resource in resources}
        ids = list(grades)
        for start in range(0, len(ids), 500):
            rows = DataField.objects.filter(resource_id__in=ids[start : start + 500])
            for resource_id, name, grade in rows.values_list("resource_id", "name", "grade"):
                grades[resource_id][name] = grade
        return grades

    def _unit_codes(self, resource: ResourceRows) -> list[str]:
        written = resource.values.get("provider") or ""
        resolution = self._resolve(written) if written else None
        return resolution.unit_codes if resolution and resolution.group is None else []

    def _resolve(self, written: str):
        if written not in self._resolved:
            self._resolved[written] = self.resolver.resolve(written)
        return self._resolved[written]

    def problem(self, resource: ResourceRows, code: str, key: str, **params) -> None:
        resource.problem(code, key, **params)

    def _check(self, plan: _Plan, grades: dict[int, dict[str, str]]) -> None:
        resource = plan.resource
        plan.provider = self._provider(resource)
        self._check_categories(resource)
        if plan.provider is None or not resource.is_valid:
            return
        if plan.existing is not None:
            self._check_update(plan, grades[plan.existing.pk])

    def _may(self, unit: Unit, perm: str = "import") -> bool:
        key = (unit.pk, perm)
        if key not in self.allowed:
            if self.actor is None:
                self.allowed[key] = True
            elif perm == "import":
                self.allowed[key] = may_import(self.actor, unit)
            else:
                self.allowed[key] = has_perm(self.actor, perm, unit)
        return self.allowed[key]

    def _provider(self, resource: ResourceRows) -> Unit | None:
        written = resource.values.get("provider") or ""
        if not written:
            return None
        resolution = self._resolve(written)
        if not resolution.resolved or resolution.group is not None:
            if resolution.candidates:
                candidates = "、".join(
                    self.resolver.units[code].name for code in resolution.candidates
                )
                self.problem(
                    resource, "ambiguous_unit", "provider", value=written, candidates=candidates
                )
            else:
                self.problem(resource, "unknown_unit", "provider", value=written)
            return None
        unit = self.units[resolution.unit_codes[0]]
        if self.unit is not None and unit.pk != self.unit.pk:
            self.problem(resource, "other_unit", "provider", value=written, unit=self.unit.name)
            return None
        if not self._may(unit):
            self.problem(resource, "not_permitted", "provider", unit=unit.name)
            return None
        return unit

    def _check_categories(self, resource: ResourceRows) -> None:
        for key, (code, name) in zip(workbook.CATEGORY_KEYS, resource.categories, strict=False):
            stored = self.categories.get(code)
            if stored is None and not name:
                self.problem(resource, "unknown_category", key, value=code)
            elif stored is not None and name and stored.name != name:
                self.problem(
                    resource, "category_name", key, code=code, name=stored.name, value=name
                )

    def _check_update(self, plan: _Plan, grades: dict[str, str]) -> None:
        """An existing code is an edit: its provider's staff only (as the edit page)."""
        resource, existing = plan.resource, plan.existing
        code = existing.code
        if not self._may(existing.provider, "manage_catalog"):
            self.problem(resource, "code_taken", "code", value=code, unit=existing.provider.name)
            return
        if existing.state not in services.EDITABLE_STATES:
            self.problem(resource, "not_editable", "code", value=code)
            return
        wanted = {"": resource.values["grade"]} | {i.name: i.grade for i in resource.items}
        for item, old in grades.items():
            new = wanted.get(item)
            if new is not None and new != old:
                words = {v: k for k, v in workbook.GRADES.items()}
                self.problem(
                    resource,
                    "grade_change",
                    "grade" if not item else "field_grade",
                    value=f"{code} {item}".strip(),
                    old=words[old],
                    new=words[new],
                )
                return


class _Refused(Exception):
    """Rolls back an all-or-nothing import whose services refused a resource."""


class _Writer:
    """Writes the checked plans: the new resources in one bulk registration
    (``services.register_resources``), the edits one by one through
    ``services.update_resource`` (each a new version)."""

    def __init__(self, actor, categories: dict[str, ResourceCategory], report: ImportReport):
        self.actor = actor
        self.categories = categories
        self.created_categories: list[str] = []
        self.report = report

    def write_all(self, plans: list[_Plan]) -> None:
        """Everything in one transaction, rolled back whole if the services refuse any."""
        try:
            with transaction.atomic():
                refused = self._register([plan for plan in plans if plan.existing is None])
                for plan in plans:
                    if plan.existing is not None:
                        refused += self._update(plan)
                if refused:
                    raise _Refused
        except _Refused:
            self.report.created = self.report.updated = 0

    def write_each(self, plans: list[_Plan], tell) -> None:
        """The new resources in one transaction (a resource the services refuse is reported
        and the others written again without it), each edit in its own."""
        new = [plan for plan in plans if plan.existing is None]
        while new:
            try:
                with transaction.atomic():
                    refused = self._register(new)
                    if refused:
                        raise _Refused
            except _Refused:
                new = [plan for plan in new if plan not in refused]
                self.report.created = 0
                self._forget_created()
            else:
                break
        edits = [plan for plan in plans if plan.existing is not None]
        for done, plan in enumerate(edits, start=1):
            with transaction.atomic():
                self._update(plan)
            if done % 20 == 0:
                tell("write", len(plans) - len(edits) + done, len(plans))

    def _register(self, plans: list[_Plan]) -> list[_Plan]:
        """Register ``plans`` (new resources); the refused plans, with their problems."""
        if not plans:
            return []
        inputs = [_input(plan, self._category(plan.resource)) for plan in plans]
        try:
            services.register_resources(actor=self.actor, inputs=inputs)
        except services.CatalogError as exc:
            refused = []
            for key, message in exc.errors.items():
                chosen = [plans[int(key)]] if key.isdigit() else plans
                for plan in chosen:
                    self.report.problems.append(
                        plan.resource.problem("refused", "code", message=str(message))
                    )
                    refused.append(plan)
            return refused
        self.report.created += len(plans)
        return []

    def _update(self, plan: _Plan) -> list[_Plan]:
        data = _input(plan, self._category(plan.resource))
        try:
            with transaction.atomic():
                services.update_resource(actor=self.actor, resource=plan.existing, data=data)
        except (services.CatalogError, PermissionDenied) as exc:
            self.report.problems.extend(_refusals(plan.resource, exc))
            return [plan]
        self.report.updated += 1
        return []

    def _category(self, resource: ResourceRows) -> ResourceCategory:
        """The deepest classification of the rows, adding the levels the catalog lacks (the
        workbook names them: code and name); created once per import."""
        parent = None
        for code, name in resource.categories:
            category = self.categories.get(code)
            if category is None:
                category = ResourceCategory.objects.create(
                    code=code,
                    name=name,
                    level=category_level(code),
                    parent=parent,
                    slug=f"c{code}",
                )
                record_change(
                    actor=self.actor,
                    action="catalog.add_category",
                    obj=category,
                    after={"code": code, "name": name},
                )
                self.categories[code] = category
                self.created_categories.append(code)
            parent = category
        return parent

    def _forget_created(self) -> None:
        """A rolled-back attempt's new classifications are gone from the database too."""
        for code in self.created_categories:
            self.categories.pop(code, None)
        self.created_categories = []


def _refusals(resource: ResourceRows, exc: Exception) -> list[Problem]:
    if isinstance(exc, PermissionDenied):
        return [resource.problem("not_permitted", "provider", unit=resource.values["provider"])]
    return [
        resource.problem("refused", _SERVICE_FIELD_COLUMNS.get(name, "title"), message=str(text))
        for name, text in exc.errors.items()
    ]


def _input(plan: _Plan, category: ResourceCategory) -> services.ResourceInput:
    values = plan.resource.values
    return services.ResourceInput(
        code=values["code"] or "",
        name=plan.existing.name if plan.existing is not None else "",
        title=values["title"],
        category=category,
        provider=plan.provider,
        summary=values["summary"],
        resource_format=values["resource_format"],
        keywords=values["keywords"],
        domain=plan.existing.domain if plan.existing is not None else "",
        license_id=plan.existing.license_id if plan.existing is not None else "",
        share_type=values["share_type"],
        share_condition=values["share_condition"],
        share_method=values["share_method"],
        open_type=values["open_type"],
        open_condition=values["open_condition"],
        update_frequency=values["update_frequency"],
        published_on=values["published_on"],
        related_codes=values["related_codes"],
        grade=values["grade"],
        fields=[
            services.FieldInput(
                name=item.name,
                data_type=item.data_type,
                length=item.length,
                description=item.description,
                grade=item.grade,
                is_authoritative=item.is_authoritative,
            )
            for item in plan.resource.items
        ],
    )


def _record(actor, name: str, report: ImportReport) -> None:
    record_change(
        actor=actor,
        action="catalog.import",
        object_type="catalog.importjob",
        object_repr=name,
        after={
            "file": name,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "invalid_rows": len(report.invalid_rows),
            "all_or_nothing": report.all_or_nothing,
        },
    )


# ----------------------------------------------------------------------- jobs (worker, page)


def queue_import(upload, *, actor, provider: Unit | None, all_or_nothing: bool) -> ImportJob:
    """Keep an uploaded workbook and queue its import for the worker; the job row, its queue
    row and the audit event commit together. Refuses a file over the size limit before
    anything is kept (WorkbookError)."""
    if provider is None:
        ensure_perm(actor, "review_catalog")
    elif not may_import(actor, provider):
        raise PermissionDenied("manage_catalog for the unit or review_catalog required")
    name = upload.name or "catalog.xlsx"
    workbook.check_size(upload.size, settings.CATALOG_IMPORT_MAX_MB)
    with transaction.atomic():
        job = ImportJob(
            original_name=name[:255],
            provider=provider,
            all_or_nothing=all_or_nothing,
            created_at=clock.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        job.upload.save(Path(name).name, upload, save=False)
        job.save()
        record_change(
            actor=actor,
            action="catalog.queue_import",
            obj=job,
            after={"file": job.original_name, "all_or_nothing": all_or_nothing},
        )
        import_string(IMPORT_TASK).enqueue(job.pk)
    return job


def run_import_job(job_id: int) -> str:
    """The worker's side of :func:`queue_import`: import the kept file as the person who
    uploaded it, telling the job's row the progress, and keep the report. A finished job is
    left alone (a retry after a crash); an unexpected failure marks it failed."""
    job = ImportJob.objects.select_related("created_by", "provider").get(pk=job_id)
    if job.state in (JobState.DONE, JobState.FAILED):
        return job.state
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, phase=ImportPhase.READ)
    try:
        with job.upload.open("rb") as handle:
            report = run_import(
                handle,
                job.original_name,
                job.upload.size,
                actor=job.created_by,
                unit=job.provider,
                all_or_nothing=job.all_or_nothing,
                progress=_job_progress(job),
            )
    except Exception:
        logger.exception("catalog import job %s failed", job_id)
        report = ImportReport(problems=[Problem("internal")])
        state = JobState.FAILED
    else:
        state = JobState.DONE
    ImportJob.objects.filter(pk=job.pk).update(
        state=state,
        phase=ImportPhase.DONE,
        total_rows=report.rows,
        done_rows=report.rows,
        total_resources=report.resources,
        created_resources=report.created,
        updated_resources=report.updated,
        errors=[problem.to_dict() for problem in report.problems],
        finished_at=clock.now(),
    )
    job.upload.delete(save=False)
    return state


def _job_progress(job: ImportJob):
    """Tell the job's row the phase and the counts: every hundred rows read (the reader
    tells no more often), each phase's start and end, every twenty edits. The writes of an
    all-or-nothing import are one transaction, whose progress the poll could not see: it
    is told before and after."""

    def tell(phase: str, done: int, total: int) -> None:
        if phase == "read":
            values = {"done_rows": done, "total_rows": total}
        else:
            values = {"done_resources": done, "total_resources": total}
        ImportJob.objects.filter(pk=job.pk).update(phase=phase, **values)

    return tell


# --------------------------------------------------------------------------------- export


def exportable(user, *, public: bool = False):
    """The resources an export may hold. A public export (``public``, or a visitor not
    signed in) holds only what ``grading.is_open_to_public`` admits: never core or
    important data. The catalog office and an operator's command (``user`` None) export
    every entry; a provider its own entries and the public ones."""
    resources = DataResource.objects.select_related(
        "provider", "category__parent__parent__parent"
    ).order_by("code")
    if public or (user is not None and not getattr(user, "is_authenticated", False)):
        return resources.open_to_public()
    if user is None or has_perm(user, "review_catalog"):
        return resources
    own = resources.filter(provider_id=user.unit_id) if user.unit_id else resources.none()
    return own | resources.open_to_public()


def export_rows(resources):
    """The workbook rows of ``resources`` (a queryset), in the layout's order."""
    for resource in resources.prefetch_related("fields").iterator(chunk_size=500):
        yield from workbook.resource_cells(_as_cells(resource))


def _as_cells(resource: DataResource) -> dict:
    chain = []
    node = resource.category
    while node is not None:
        chain.append((node.code, node.name))
        node = node.parent
    return {
        "categories": list(reversed(chain)),
        "provider": resource.provider.name,
        "published_on": resource.published_on,
        "items": [
            {
                "name": item.name,
                "data_type": item.data_type,
                "length": item.length,
                "description": item.description,
                "grade": item.grade,
                "is_authoritative": item.is_authoritative,
            }
            for item in resource.fields.all()
        ],
        **{key: getattr(resource, key) for key in _EXPORTED_SCALARS},
    }


_EXPORTED_SCALARS = (
    "title",
    "code",
    "summary",
    "resource_format",
    "keywords",
    "grade",
    "share_type",
    "share_condition",
    "share_method",
    "open_type",
    "open_condition",
    "update_frequency",
    "related_codes",
)


def write_xlsx(path_or_handle, rows, *, title: str) -> None:
    """The workbook as .xlsx (openpyxl's write-only mode: rows streamed, not held); the
    sheet is named as the guide's form, the same in every language."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(workbook.SHEET_NAME)
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    headers = []
    for header in workbook.HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        headers.append(cell)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path_or_handle)
