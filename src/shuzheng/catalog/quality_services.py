"""Data quality of the catalog (issue 11, point 4): the declared checks of a resource, edited
by its provider unit's staff and the catalog office, and their runs by the worker over a
distribution's actual data (CSV in UTF-8 or GB18030, Excel, JSON, a database table).

Every change is one transaction with an audit event. A run is queued here
(:func:`queue_run`, the "运行检查" button, the API, the scheduler) and done by the worker
(:func:`run_quality_job`), which streams the data through ``catalog.quality`` and keeps a
``QualityRun`` with one ``QualityResult`` per check and the failing rows as a CSV file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import has_perm
from shuzheng.audit.services import record_change
from shuzheng.catalog import grading, quality
from shuzheng.catalog.choices import CheckKind, DistributionKind, JobState, UpdateFrequency
from shuzheng.catalog.models import (
    DataField,
    DataResource,
    Distribution,
    QualityCheck,
    QualityResult,
    QualityRun,
)
from shuzheng.catalog.services import CatalogError

RUN_TASK = "shuzheng.catalog.tasks.run_quality_check"
#: The formats read as CSV, Excel and JSON (a distribution's format or its file's suffix).
CSV_FORMATS = frozenset({"csv", "txt"})
EXCEL_FORMATS = frozenset({"xlsx", "xlsm"})
JSON_FORMATS = frozenset({"json"})
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
#: How often a resource's checks run by themselves, by its update frequency (更新周期):
#: once per period, and at least weekly for data updated more often than daily.
SCHEDULE = {
    UpdateFrequency.REALTIME: dt.timedelta(days=1),
    UpdateFrequency.DAILY: dt.timedelta(days=1),
    UpdateFrequency.WEEKLY: dt.timedelta(days=7),
    UpdateFrequency.MONTHLY: dt.timedelta(days=30),
    UpdateFrequency.QUARTERLY: dt.timedelta(days=91),
    UpdateFrequency.HALF_YEARLY: dt.timedelta(days=182),
    UpdateFrequency.YEARLY: dt.timedelta(days=365),
}


def may_manage_checks(user, resource: DataResource) -> bool:
    """The provider unit's staff and the catalog office define and run a resource's checks."""
    return has_perm(user, "manage_catalog", resource.provider_id) or has_perm(
        user, "review_catalog"
    )


def may_see_rows(user, resource: DataResource) -> bool:
    """Failing rows are the data itself: the provider's staff see them; others who read the
    entry only as ``grading.rows_visible_to_reader`` allows (general data, never core or
    important data, which reach others only through a grant)."""
    if has_perm(user, "manage_catalog", resource.provider_id):
        return True
    return has_perm(user, "review_catalog") and grading.rows_visible_to_reader(resource.grade)


def _ensure(actor, resource) -> None:
    if actor is not None and not may_manage_checks(actor, resource):
        raise PermissionDenied("not this unit's resource")


@dataclass
class CheckInput:
    """A check as the form and the API give it; parameters by kind (see ``QualityCheck``)."""

    kind: str
    column: str = ""
    pattern: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    reference: str = ""
    reference_column: str = ""
    weight: int = 1
    enabled: bool = True
    extra: dict = field(default_factory=dict)


def _columns(resource: DataResource) -> dict[str, DataField]:
    return {item.column or item.name: item for item in resource.fields.all()}


def validate_check(resource: DataResource, data: CheckInput) -> tuple[dict, DataField | None]:
    """The check's parameters and information item, or a ``CatalogError`` naming each field."""
    errors: dict[str, str] = {}
    if data.kind not in CheckKind.values:
        raise CatalogError({"kind": _("Choose a kind of check.")})
    columns = _columns(resource)
    column = (data.column or "").strip()
    if not column:
        errors["column"] = _("Give the column the check reads.")
    item = columns.get(column)
    params: dict = {}
    if data.kind == CheckKind.FORMAT:
        if data.pattern:
            try:
                re.compile(data.pattern)
            except re.error as error:
                errors["pattern"] = _(
                    "The pattern is not a valid regular expression: %(error)s"
                ) % {"error": error}
            params["pattern"] = data.pattern
        elif item is not None and item.data_type in quality.TYPE_TESTS:
            params["data_type"] = item.data_type
        else:
            errors["pattern"] = _(
                "Give a pattern, or choose a column whose information item has a checkable "
                "data type (integer, decimal, money, date, date and time, boolean)."
            )
    elif data.kind == CheckKind.RANGE:
        if data.minimum is None and data.maximum is None:
            errors["minimum"] = _("Give a minimum, a maximum or both.")
        elif data.minimum is not None and data.maximum is not None and data.minimum > data.maximum:
            errors["maximum"] = _("The maximum is below the minimum.")
        if data.minimum is not None:
            params["min"] = str(data.minimum)
        if data.maximum is not None:
            params["max"] = str(data.maximum)
    elif data.kind in (CheckKind.REFERENCE, CheckKind.CROSS_SOURCE):
        code = (data.reference or "").strip()
        other = DataResource.objects.filter(code=code).first() if code else None
        if other is None:
            errors["reference"] = _("No catalog entry has the code %(code)s.") % {
                "code": code or "—"
            }
        elif data.kind == CheckKind.CROSS_SOURCE and other.pk == resource.pk:
            errors["reference"] = _("The authoritative source must be another resource.")
        ref_column = (data.reference_column or "").strip()
        if not ref_column:
            errors["reference_column"] = (
                _("Give the referenced column.")
                if data.kind == CheckKind.REFERENCE
                else _("Give the key column both resources share.")
            )
        if data.kind == CheckKind.REFERENCE:
            params.update(resource=code, column=ref_column)
        else:
            params.update(source=code, key=ref_column)
    elif data.kind == CheckKind.FRESHNESS and resource.update_frequency not in quality.MAX_AGE_DAYS:
        errors["kind"] = _(
            "Freshness is checked against the update frequency, and this resource's "
            "(%(frequency)s) sets no limit."
        ) % {"frequency": UpdateFrequency(resource.update_frequency).label}
    if not 1 <= int(data.weight or 0) <= 100:
        errors["weight"] = _("The weight is a whole number from 1 to 100.")
    if errors:
        raise CatalogError(errors)
    return params, item


def _state(check: QualityCheck) -> dict:
    return {
        "kind": check.kind,
        "column": check.column,
        "parameters": check.parameters,
        "weight": check.weight,
        "enabled": check.enabled,
    }


@transaction.atomic
def create_check(*, actor, resource: DataResource, data: CheckInput) -> QualityCheck:
    _ensure(actor, resource)
    params, item = validate_check(resource, data)
    check = QualityCheck.objects.create(
        resource=resource,
        kind=data.kind,
        field=item,
        column=data.column.strip(),
        parameters=params,
        weight=data.weight,
        enabled=data.enabled,
    )
    record_change(
        actor=actor, action="catalog.create_quality_check", obj=check, after=_state(check)
    )
    return check


@transaction.atomic
def update_check(*, actor, check: QualityCheck, data: CheckInput) -> QualityCheck:
    check = QualityCheck.objects.select_for_update().select_related("resource").get(pk=check.pk)
    _ensure(actor, check.resource)
    params, item = validate_check(check.resource, data)
    before = _state(check)
    check.kind, check.field, check.column = data.kind, item, data.column.strip()
    check.parameters, check.weight, check.enabled = params, data.weight, data.enabled
    check.save()
    record_change(
        actor=actor,
        action="catalog.update_quality_check",
        obj=check,
        before=before,
        after=_state(check),
    )
    return check


@transaction.atomic
def delete_check(*, actor, check: QualityCheck) -> None:
    """Delete a check; its past results stay in their runs (kind and column kept)."""
    _ensure(actor, check.resource)
    record_change(
        actor=actor, action="catalog.delete_quality_check", obj=check, before=_state(check)
    )
    check.delete()


def input_of(check: QualityCheck) -> CheckInput:
    """A kept check as the form's initial values."""
    params = check.parameters or {}
    return CheckInput(
        kind=check.kind,
        column=check.column,
        pattern=params.get("pattern", ""),
        minimum=Decimal(params["min"]) if params.get("min") is not None else None,
        maximum=Decimal(params["max"]) if params.get("max") is not None else None,
        reference=params.get("resource") or params.get("source") or "",
        reference_column=params.get("column") or params.get("key") or "",
        weight=check.weight,
        enabled=check.enabled,
    )


# --- runs ------------------------------------------------------------------------------


def checkable_distribution(resource: DataResource) -> Distribution | None:
    """The distribution a run reads: the first file or table whose format can be read."""
    for distribution in resource.distributions.all():
        if data_format(distribution):
            return distribution
    return None


def data_format(distribution: Distribution) -> str:
    """ "csv", "xlsx", "json" or "table" when the worker can read the distribution, else ""."""
    if distribution.kind == DistributionKind.TABLE:
        return "table" if distribution.table_name else ""
    if distribution.kind != DistributionKind.FILE or not distribution.file:
        return ""
    names = {(distribution.format or "").lower(), Path(distribution.file.name).suffix[1:].lower()}
    for fmt, formats in (("csv", CSV_FORMATS), ("xlsx", EXCEL_FORMATS), ("json", JSON_FORMATS)):
        if names & formats:
            return fmt
    return ""


def queue_run(*, actor, resource: DataResource, distribution: Distribution | None = None):
    """Queue a run of the resource's enabled checks over ``distribution`` (by default the
    first readable one). Refused, naming why, when there is nothing to check or read."""
    _ensure(actor, resource)
    if not resource.quality_checks.filter(enabled=True).exists():
        raise CatalogError({"checks": _("Define at least one enabled check first.")})
    distribution = distribution or checkable_distribution(resource)
    if distribution is None or distribution.resource_id != resource.pk:
        raise CatalogError(
            {
                "distribution": _(
                    "The resource has no distribution the checks can read (a CSV, Excel or "
                    "JSON file, or a database table)."
                )
            }
        )
    if not data_format(distribution):
        raise CatalogError({"distribution": _("The checks cannot read this distribution.")})
    with transaction.atomic():
        run = QualityRun.objects.create(
            resource=resource,
            distribution=distribution,
            requested_at=clock.now(),
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_change(
            actor=actor,
            action="catalog.queue_quality_run",
            obj=run,
            after={"resource": resource.code, "distribution": distribution.title},
        )
        # The database queue: the job is in the same transaction as its run.
        import_string(RUN_TASK).enqueue(run.pk)
    return run


def _text(value) -> str:
    """A cell or JSON value as the checks read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _excel_rows(handle) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise quality.QualityError(_("The file is not a readable Excel workbook.")) from error
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_text(cell).strip() for cell in next(rows, ())]
        for values in rows:
            if all(value is None for value in values):
                continue
            yield dict(zip(header, (_text(value) for value in values), strict=False))
    finally:
        book.close()


def _json_rows(handle) -> list[dict[str, str]]:
    try:
        data = json.load(io.TextIOWrapper(handle, encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise quality.QualityError(_("The file is not valid UTF-8 JSON.")) from error
    if isinstance(data, dict):
        data = next((data[k] for k in ("data", "records", "result", "rows") if k in data), None)
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise quality.QualityError(
            _("The JSON file must hold a list of records (objects), or one under “data”.")
        )
    return [{str(key): _text(value) for key, value in row.items()} for row in data]


def _table_rows(name: str) -> Iterator[dict[str, str]]:
    """A database table's rows; only tables under ``CATALOG_DATA_TABLE_PREFIX`` (the data
    offices load), never the platform's own."""
    prefix = settings.CATALOG_DATA_TABLE_PREFIX
    if not _TABLE.match(name) or not name.startswith(prefix):
        raise quality.QualityError(
            _("Only database tables named %(prefix)s… can be checked.") % {"prefix": prefix}
        )
    if name not in connection.introspection.table_names():
        raise quality.QualityError(
            _("The database table %(name)s does not exist.") % {"name": name}
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608 (checked)
        header = [column[0] for column in cursor.description]
        while batch := cursor.fetchmany(quality.CHUNK_ROWS):
            for values in batch:
                yield dict(zip(header, (_text(value) for value in values), strict=True))


@contextlib.contextmanager
def open_rows(distribution: Distribution):
    """The distribution's rows for ``quality.run_checks`` (CSV streamed, any encoding the
    decoder knows, GB18030 included)."""
    fmt = data_format(distribution)
    if fmt == "table":
        yield _table_rows(distribution.table_name)
        return
    if not fmt:
        raise quality.QualityError(_("The checks cannot read this distribution."))
    with distribution.file.open("rb") as handle:
        if fmt == "csv":
            yield quality.csv_rows(handle)
        elif fmt == "xlsx":
            yield _excel_rows(handle)
        else:
            yield _json_rows(handle)


def _other_distribution(code: str) -> Distribution:
    other = DataResource.objects.filter(code=code).first()
    distribution = checkable_distribution(other) if other else None
    if distribution is None:
        raise quality.QualityError(
            _("The resource %(code)s has no distribution the checks can read.") % {"code": code}
        )
    return distribution


def _reference_values(code: str, column: str) -> set[str]:
    with open_rows(_other_distribution(code)) as rows:
        return {(row.get(column) or "").strip() for row in rows} - {""}


def _source_values(code: str, key: str, column: str) -> dict[str, str]:
    with open_rows(_other_distribution(code)) as rows:
        return {
            (row.get(key) or "").strip(): (row.get(column) or "").strip()
            for row in rows
            if (row.get(key) or "").strip()
        }


def _runnable(check: QualityCheck) -> quality.Check:
    """The check with what it needs from other resources (allowed values, the source's)."""
    params = dict(check.parameters or {})
    if check.kind == CheckKind.REFERENCE:
        params["values"] = _reference_values(params["resource"], params["column"])
    elif check.kind == CheckKind.CROSS_SOURCE:
        params["source"] = _source_values(params["source"], params["key"], check.column)
    return quality.Check(
        kind=check.kind, column=check.column, parameters=params, weight=check.weight, key=check.pk
    )


def _problem(label: str) -> str:
    """``catalog.quality``'s "column: kind" in words: "列：检查类型"."""
    column, _sep, kind = label.rpartition(": ")
    return f"{column}：{CheckKind(kind).label}" if kind in CheckKind.values else label


class _FailingRows:
    """The failing rows, streamed to a CSV (UTF-8 with BOM, so Excel reads it): the row
    number, the failed checks, then the row's own columns."""

    def __init__(self, handle):
        self.handle = handle
        self.writer = None

    def __call__(self, number: int, row, problems: list[str]) -> None:
        if self.writer is None:
            text = io.TextIOWrapper(self.handle, encoding="utf-8-sig", newline="")
            self.text = text
            self.header = list(row.keys())
            self.writer = csv.writer(text)
            self.writer.writerow([_("Row"), _("Failed checks"), *self.header])
        failed = "；".join(_problem(label) for label in problems)
        self.writer.writerow([number, failed, *(row.get(k, "") for k in self.header)])

    def close(self) -> None:
        if self.writer is not None:
            self.text.flush()
            self.text.detach()


def run_quality_job(run_id: int) -> str:
    """In the platform's language (the failing rows' header, a failed run's reason)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run_quality_job(run_id)


def _run_quality_job(run_id: int) -> str:
    """The worker's side of :func:`queue_run`: read the data, run the checks, keep the
    results. A finished run is left alone (a retry); a check that cannot run (a column
    missing, an unreadable file) fails the run with the reason shown on the resource page."""
    run = QualityRun.objects.select_related("resource", "distribution").get(pk=run_id)
    if run.state in (JobState.DONE, JobState.FAILED):
        return run.state
    run.state, run.started_at = JobState.RUNNING, clock.now()
    run.save(update_fields=["state", "started_at"])
    checks = list(run.resource.quality_checks.filter(enabled=True))
    with tempfile.TemporaryFile() as spool:
        failing = _FailingRows(spool)
        try:
            if run.distribution is None:
                raise quality.QualityError(_("The distribution was deleted."))
            runnable = [_runnable(check) for check in checks]
            with open_rows(run.distribution) as rows:
                report = quality.run_checks(
                    rows,
                    runnable,
                    today=clock.today(),
                    update_frequency=run.resource.update_frequency,
                    on_failure=failing,
                )
        except (quality.QualityError, KeyError, OSError, csv.Error) as error:
            failing.close()
            return _fail(run, _worded(error))
        failing.close()
        with transaction.atomic():
            by_id = {check.pk: check for check in checks}
            QualityResult.objects.bulk_create(
                QualityResult(
                    run=run,
                    quality_check=by_id.get(outcome.check.key),
                    kind=outcome.check.kind,
                    column=outcome.check.column,
                    checked=outcome.checked,
                    failed=outcome.failed,
                    examples=_examples(outcome.examples),
                )
                for outcome in report.outcomes
            )
            if report.failing_rows:
                spool.seek(0)
                run.failing_rows.save(f"quality-run-{run.pk}.csv", File(spool), save=False)
            run.rows, run.failing_row_count = report.rows, report.failing_rows
            score = report.score
            run.score = Decimal(str(score)) if score is not None else None
            run.state, run.finished_at = JobState.DONE, clock.now()
            run.save()
            record_change(
                actor=None,
                action="catalog.quality_run",
                obj=run,
                after={"rows": run.rows, "failing_rows": run.failing_row_count, "score": score},
            )
    return run.state


def _examples(examples: list) -> list:
    return [{"row": e["row"], "value": e["value"]} for e in examples]


def _fail(run: QualityRun, message: str) -> str:
    with transaction.atomic():
        run.state, run.error, run.finished_at = JobState.FAILED, message[:2000], clock.now()
        run.save(update_fields=["state", "error", "finished_at"])
        record_change(actor=None, action="catalog.quality_run", obj=run, after={"error": message})
    return run.state


def queue_due_runs(now: dt.datetime | None = None) -> int:
    """The scheduler's job: queue a run for each resource with enabled checks and a readable
    distribution whose last run is older than its update frequency's period (更新周期)."""
    now = now or clock.now()
    queued = 0
    resources = DataResource.objects.filter(quality_checks__enabled=True).distinct()
    for resource in resources.prefetch_related("distributions"):
        every = SCHEDULE.get(resource.update_frequency)
        if every is None:
            continue
        last = resource.quality_runs.order_by("-requested_at").first()
        if last is not None and last.requested_at > now - every:
            continue
        if checkable_distribution(resource) is None:
            continue
        queue_run(actor=None, resource=resource)
        queued += 1
    return queued


_MISSING = "columns missing from the data: "


def _worded(error: Exception) -> str:
    """The reason a run failed, in the visitor's language (``catalog.quality`` is pure and
    words its own errors in English)."""
    text = str(error)
    if isinstance(error, KeyError):
        return _("A check lacks its parameter %(name)s: edit the check.") % {"name": text}
    if text.startswith(_MISSING):
        return _("Columns missing from the data: %(columns)s") % {
            "columns": "、".join(text[len(_MISSING) :].split(", "))
        }
    if isinstance(error, OSError):
        return _("The distribution's file could not be read.")
    if isinstance(error, csv.Error):
        return _("The CSV file could not be read: %(error)s") % {"error": text}
    return text


def record_download(*, actor, run: QualityRun) -> None:
    """The failing rows are the data itself: each download is audited."""
    record_change(
        actor=actor,
        action="catalog.download_failing_rows",
        obj=run,
        after={"resource": run.resource.code, "failing_rows": run.failing_row_count},
    )
