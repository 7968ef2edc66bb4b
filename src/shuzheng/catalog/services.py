"""Every change to the catalog: registering and editing resources (versioned), the
review-and-publish workflow, grade changes with their reasons. Each function is one
transaction and records an audit event; ``actor`` None means a system job (the sample
loader, the CLI import run by an operator).

Rules enforced here for every path (pages, API, import):

* the code follows the guide's layout (``catalog.codes``) and its prefix is the category's;
* 就高从严 (``catalog.grading``): the resource's grade is at least its highest item's, and
  only general data may carry an open type other than 不予开放;
* a grade change — of the resource or of an item — needs a reason;
* provider units own their entries (``manage_catalog`` for the provider), the catalog office
  reviews (``review_catalog``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm, has_perm
from shuzheng.audit.services import change_event, record_change, record_changes
from shuzheng.catalog import codes, grading, indexing, packages
from shuzheng.catalog.choices import DistributionKind, Grade, State
from shuzheng.catalog.models import (
    DataField,
    DataResource,
    Distribution,
    DownloadCount,
    GradeChange,
    ResourceCategory,
    ResourceVersion,
    WorkflowStep,
)
from shuzheng.crypto import sm3_hex

#: Who may edit an entry, by state: a submitted entry waits for the office.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED, State.PUBLISHED, State.WITHDRAWN})
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


class CatalogError(ValueError):
    """Refused input; ``errors`` maps a field name (as the form and the workbook name it)
    to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


@dataclass
class FieldInput:
    name: str
    data_type: str
    column: str = ""
    length: int | None = None
    description: str = ""
    grade: str = Grade.GENERAL
    share_type: str = ""
    is_authoritative: bool = False


@dataclass
class ResourceInput:
    """A resource as a form, the API or a workbook gives it."""

    title: str
    category: ResourceCategory
    provider: object
    summary: str
    share_type: str
    open_type: str
    update_frequency: str
    grade: str = Grade.GENERAL
    code: str = ""
    name: str = ""
    resource_format: str = ""
    keywords: list[str] = field(default_factory=list)
    domain: str = ""
    license_id: str = ""
    share_condition: str = ""
    share_method: str = ""
    open_condition: str = ""
    published_on: object = None
    related_codes: list[str] = field(default_factory=list)
    fields: list[FieldInput] = field(default_factory=list)
    is_sample: bool = False


SCALAR_FIELDS = (
    "code",
    "name",
    "title",
    "summary",
    "resource_format",
    "keywords",
    "domain",
    "license_id",
    "share_type",
    "share_condition",
    "share_method",
    "open_type",
    "open_condition",
    "update_frequency",
    "related_codes",
    "grade",
    "is_sample",
)


def snapshot(resource: DataResource, items=None) -> dict:
    """The resource's catalog fields and items as JSON (a version, an audit event); ``items``
    are its information items when they are at hand (a bulk write), else they are read."""
    data = {name: getattr(resource, name) for name in SCALAR_FIELDS}
    data["category"] = resource.category.code
    data["provider"] = resource.provider.code
    data["published_on"] = resource.published_on.isoformat() if resource.published_on else None
    data["state"] = resource.state
    data["version"] = resource.version
    data["fields"] = [
        {
            "name": item.name,
            "column": item.column,
            "data_type": item.data_type,
            "length": item.length,
            "description": item.description,
            "grade": item.grade,
            "share_type": item.share_type,
            "is_authoritative": item.is_authoritative,
        }
        for item in (resource.fields.all() if items is None else items)
    ]
    return data


def validate(
    data: ResourceInput, resource: DataResource | None = None, *, clashes: bool = True
) -> dict[str, str]:
    """The problems of ``data``, by field: empty when it may be saved. ``clashes`` False
    leaves out the codes and names other resources hold (a bulk write checks them at once)."""
    errors: dict[str, str] = {}
    for name in ("title", "summary"):
        if not (getattr(data, name) or "").strip():
            errors[name] = _("This field is required.")
    if data.code:
        try:
            parsed = codes.parse(data.code)
        except codes.CodeError:
            errors["code"] = _(
                "The code does not follow the guide's layout: class 1 digit (1, 2 or 3), "
                "item 2 digits, category 3 digits, sub-category digits, then / and a "
                "six-digit sequence, e.g. 1010010001/000001."
            )
        else:
            if not parsed.prefix.startswith(data.category.code):
                errors["code"] = _(
                    "The code's classification %(prefix)s is not under the category %(category)s."
                ) % {"prefix": parsed.prefix, "category": data.category.code}
            elif clashes:
                clash = DataResource.objects.filter(code=str(parsed))
                if resource is not None:
                    clash = clash.exclude(pk=resource.pk)
                if clash.exists():
                    errors["code"] = _("Another resource already has the code %(code)s.") % {
                        "code": str(parsed)
                    }
    if data.name:
        if not _NAME.match(data.name):
            errors["name"] = _("Use 2 to 100 lower-case letters, digits, hyphens and underscores.")
        elif clashes:
            clash = DataResource.objects.filter(name=data.name)
            if resource is not None:
                clash = clash.exclude(pk=resource.pk)
            if clash.exists():
                errors["name"] = _("Another resource already has this name.")
    names = [item.name.strip() for item in data.fields]
    if not names:
        errors["fields"] = _("A resource needs at least one information item.")
    elif len(set(names)) != len(names):
        duplicate = next(name for name in names if names.count(name) > 1)
        errors["fields"] = _("The information item %(name)s is listed twice.") % {"name": duplicate}
    elif any(not name for name in names):
        errors["fields"] = _("An information item has no name.")
    needed = grading.grade_problems(data.grade, [item.grade for item in data.fields])
    if needed is not None:
        errors["grade"] = _(
            "The resource's grade must be at least its highest information item's "
            "(%(grade)s): grade up, never down."
        ) % {"grade": Grade(needed).label}
    elif grading.check_open_type(grade=data.grade, open_type=data.open_type) is not None:
        errors["open_type"] = _(
            "Important and core data cannot be opened to the public: choose Not open."
        )
    return errors


def _grade_changes(resource: DataResource, data: ResourceInput) -> list[tuple[str, str, str]]:
    """(item name or "", from, to) for each grade the edit changes."""
    changes = []
    if resource.grade != data.grade:
        changes.append(("", resource.grade, data.grade))
    before = {item.name: item.grade for item in resource.fields.all()}
    for item in data.fields:
        old = before.get(item.name)
        if old is not None and old != item.grade:
            changes.append((item.name, old, item.grade))
    return changes


def _next_code(category: ResourceCategory) -> str:
    prefix = category.code
    used = [
        code.rsplit("/", 1)[1]
        for code in DataResource.objects.filter(code__startswith=f"{prefix}/").values_list(
            "code", flat=True
        )
    ]
    return codes.generate(prefix, used)


def _write_fields(resource: DataResource, fields: list[FieldInput]) -> None:
    resource.fields.all().delete()
    DataField.objects.bulk_create(_field_rows(resource, fields))


def _field_rows(resource: DataResource, fields: list[FieldInput]) -> list[DataField]:
    return [
        DataField(
            resource=resource,
            position=position,
            name=item.name.strip(),
            column=item.column.strip(),
            data_type=item.data_type,
            length=item.length,
            description=item.description,
            grade=item.grade,
            share_type=item.share_type,
            is_authoritative=item.is_authoritative,
        )
        for position, item in enumerate(fields, start=1)
    ]


def _keep_version(resource: DataResource, actor, note: str) -> None:
    """Keep the resource's current version (publishing marks the one it publishes)."""
    ResourceVersion.objects.update_or_create(
        resource=resource,
        number=resource.version,
        defaults={
            "snapshot": snapshot(resource),
            "note": note[:200],
            "created_at": clock.now(),
            "author": _user(actor),
        },
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def register_resource(*, actor, data: ResourceInput) -> DataResource:
    """Register a new entry (a draft) for ``data.provider``; the code is generated under the
    category when none is given."""
    if actor is not None:
        ensure_perm(actor, "manage_catalog", data.provider)
    errors = validate(data)
    if errors:
        raise CatalogError(errors)
    now = clock.now()
    code = str(codes.parse(data.code)) if data.code else _next_code(data.category)
    resource = DataResource(
        category=data.category,
        provider=data.provider,
        published_on=data.published_on,
        created_at=now,
        modified_at=now,
        created_by=_user(actor),
        state=State.DRAFT,
        version=1,
    )
    for name in SCALAR_FIELDS:
        setattr(resource, name, getattr(data, name))
    resource.code = code
    resource.name = data.name or "res-" + code.replace("/", "-")
    resource.save()
    _write_fields(resource, data.fields)
    packages.refresh([resource.pk])
    _keep_version(resource, actor, "registered")
    record_change(actor=actor, action="catalog.register", obj=resource, after=snapshot(resource))
    return resource


@transaction.atomic
def register_resources(*, actor, inputs: list[ResourceInput]) -> list[DataResource]:
    """Register many new entries (drafts) at once, as :func:`register_resource` registers
    one — the same checks, versions and audit events — in one transaction and a few bulk
    inserts: the catalog import's writer. The provider's permission is the caller's to
    check (an import lets the catalog office register for any unit). Refuses the whole
    batch (CatalogError, keyed by the input's index) when any input is refused."""
    errors = {}
    for index, data in enumerate(inputs):
        found = validate(data, clashes=False)
        if found:
            errors[str(index)] = "; ".join(found.values())
    codes_wanted = [str(codes.parse(data.code)) for data in inputs if data.code]
    taken = set(DataResource.objects.filter(code__in=codes_wanted).values_list("code", flat=True))
    for index, data in enumerate(inputs):
        if data.code and str(codes.parse(data.code)) in taken:
            errors.setdefault(
                str(index),
                _("Another resource already has the code %(code)s.") % {"code": data.code},
            )
    if errors:
        raise CatalogError(errors)
    now = clock.now()
    author = _user(actor)
    used: dict[str, list[str]] = {}
    resources = []
    for data in inputs:
        if data.code:
            code = str(codes.parse(data.code))
        else:
            prefix = data.category.code
            if prefix not in used:
                used[prefix] = [
                    value.rsplit("/", 1)[1]
                    for value in DataResource.objects.filter(
                        code__startswith=f"{prefix}/"
                    ).values_list("code", flat=True)
                ]
                used[prefix] += [
                    c.rsplit("/", 1)[1] for c in codes_wanted if c.startswith(prefix + "/")
                ]
            code = codes.generate(prefix, used[prefix])
            used[prefix].append(code.rsplit("/", 1)[1])
        resource = DataResource(
            category=data.category,
            provider=data.provider,
            published_on=data.published_on,
            created_at=now,
            modified_at=now,
            created_by=author,
            state=State.DRAFT,
            version=1,
        )
        for name in SCALAR_FIELDS:
            setattr(resource, name, getattr(data, name))
        resource.code = code
        resource.name = data.name or "res-" + code.replace("/", "-")
        resources.append(resource)
    names = [resource.name for resource in resources]
    clash = set(DataResource.objects.filter(name__in=names).values_list("name", flat=True))
    if clash or len(set(names)) != len(names):
        raise CatalogError({"name": _("Another resource already has this name.")})
    DataResource.objects.bulk_create(resources, batch_size=_BATCH)
    items_of = []
    for resource, data in zip(resources, inputs, strict=True):
        items_of.append(_field_rows(resource, data.fields))
    DataField.objects.bulk_create([i for items in items_of for i in items], batch_size=_BATCH)
    versions, events = [], []
    for resource, items in zip(resources, items_of, strict=True):
        after = snapshot(resource, items)
        versions.append(
            ResourceVersion(
                resource=resource,
                number=resource.version,
                snapshot=after,
                note="registered",
                created_at=now,
                author=author,
            )
        )
        events.append(
            change_event(actor=actor, action="catalog.register", obj=resource, after=after)
        )
    ResourceVersion.objects.bulk_create(versions, batch_size=_BATCH)
    record_changes(events, batch_size=_BATCH)
    packages.refresh(resource.pk for resource in resources)
    return resources


_BATCH = 500


@transaction.atomic
def update_resource(
    *, actor, resource: DataResource, data: ResourceInput, grade_reason: str = ""
) -> DataResource:
    """Edit an entry: a new version. A published entry goes back to draft and is reviewed
    again before the portal shows the change; a grade change needs ``grade_reason``."""
    resource = DataResource.objects.select_for_update().get(pk=resource.pk)
    if actor is not None:
        ensure_perm(actor, "manage_catalog", resource.provider)
        if data.provider != resource.provider:
            ensure_perm(actor, "manage_catalog", data.provider)
    if resource.state not in EDITABLE_STATES:
        raise CatalogError({"state": _("A submitted resource cannot be edited until reviewed.")})
    errors = validate(data, resource)
    changes = _grade_changes(resource, data)
    if changes and not grade_reason.strip():
        errors["grade_reason"] = _("A change of grade needs a reason.")
    if errors:
        raise CatalogError(errors)
    before = snapshot(resource)
    now = clock.now()
    for name in SCALAR_FIELDS:
        if name in ("code", "name") and not getattr(data, name):
            continue
        setattr(resource, name, getattr(data, name))
    if data.code:
        resource.code = str(codes.parse(data.code))
    resource.category = data.category
    resource.provider = data.provider
    resource.published_on = data.published_on
    resource.modified_at = now
    resource.version += 1
    previous_state = resource.state
    if resource.state == State.PUBLISHED:
        resource.state = State.DRAFT
    resource.save()
    _write_fields(resource, data.fields)
    fields_by_name = {item.name: item for item in resource.fields.all()}
    for item_name, old, new in changes:
        GradeChange.objects.create(
            resource=resource,
            field=fields_by_name.get(item_name),
            field_name=item_name,
            from_grade=old,
            to_grade=new,
            reason=grade_reason.strip(),
            at=now,
            actor=_user(actor),
        )
        record_change(
            actor=actor,
            action="catalog.change_grade",
            obj=resource,
            before={"item": item_name, "grade": old},
            after={"item": item_name, "grade": new, "reason": grade_reason.strip()},
        )
    if previous_state != resource.state:
        _step(resource, actor, previous_state, resource.state, _("Edited after publication."))
    _keep_version(resource, actor, "edited")
    record_change(
        actor=actor, action="catalog.update", obj=resource, before=before, after=snapshot(resource)
    )
    packages.refresh([resource.pk])
    indexing.refresh(resource, actor=actor)
    return resource


def _step(resource, actor, from_state, to_state, reason="") -> None:
    WorkflowStep.objects.create(
        resource=resource,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        version=resource.version,
        at=clock.now(),
        actor=_user(actor),
    )


def _transition(resource, actor, *, allowed, to_state, perm, action, reason="", unit=True):
    resource = DataResource.objects.select_for_update().get(pk=resource.pk)
    if actor is not None:
        ensure_perm(actor, perm, resource.provider if unit else None)
    if resource.state not in allowed:
        raise CatalogError(
            {
                "state": _("This step is not possible for a resource that is %(state)s.")
                % {"state": State(resource.state).label}
            }
        )
    from_state = resource.state
    resource.state = to_state
    now = clock.now()
    if to_state == State.SUBMITTED:
        resource.submitted_at = now
    if to_state == State.RETURNED:
        resource.return_reason = reason
    if to_state == State.PUBLISHED:
        resource.return_reason = ""
        resource.first_published_at = resource.first_published_at or now
        resource.published_on = resource.published_on or clock.today()
    resource.save()
    _step(resource, actor, from_state, to_state, reason)
    if to_state == State.PUBLISHED:
        _keep_version(resource, actor, "published")
    record_change(
        actor=actor,
        action=action,
        obj=resource,
        before={"state": from_state},
        after={"state": to_state, "reason": reason} if reason else {"state": to_state},
    )
    packages.refresh([resource.pk])
    indexing.refresh(resource, actor=actor)
    return resource


@transaction.atomic
def submit(*, actor, resource: DataResource) -> DataResource:
    """The provider sends the entry to the catalog office (draft / returned / withdrawn)."""
    return _transition(
        resource,
        actor,
        allowed={State.DRAFT, State.RETURNED, State.WITHDRAWN},
        to_state=State.SUBMITTED,
        perm="manage_catalog",
        action="catalog.submit",
    )


@transaction.atomic
def publish(*, actor, resource: DataResource) -> DataResource:
    """The catalog office accepts a submitted entry: it is published."""
    return _transition(
        resource,
        actor,
        allowed={State.SUBMITTED},
        to_state=State.PUBLISHED,
        perm="review_catalog",
        action="catalog.publish",
        unit=False,
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CatalogError({"reason": _("Give the reason.")})
    return reason


@transaction.atomic
def return_resource(*, actor, resource: DataResource, reason: str) -> DataResource:
    """The catalog office sends a submitted entry back to its provider, saying why."""
    return _transition(
        resource,
        actor,
        allowed={State.SUBMITTED},
        to_state=State.RETURNED,
        perm="review_catalog",
        action="catalog.return",
        reason=_reason(reason),
        unit=False,
    )


@transaction.atomic
def withdraw(*, actor, resource: DataResource, reason: str) -> DataResource:
    """Take a published entry off the catalog (the provider or the office), saying why."""
    reason = _reason(reason)
    if actor is not None and not _is_reviewer(actor):
        return _transition(
            resource,
            actor,
            allowed={State.PUBLISHED, State.SUBMITTED},
            to_state=State.WITHDRAWN,
            perm="manage_catalog",
            action="catalog.withdraw",
            reason=reason,
        )
    return _transition(
        resource,
        actor,
        allowed={State.PUBLISHED, State.SUBMITTED},
        to_state=State.WITHDRAWN,
        perm="review_catalog",
        action="catalog.withdraw",
        reason=reason,
        unit=False,
    )


def _is_reviewer(actor) -> bool:
    return has_perm(actor, "review_catalog")


@dataclass
class DistributionInput:
    title: str
    kind: str
    format: str = ""
    description: str = ""
    url: str = ""
    table_name: str = ""
    media_type: str = ""
    upload: object = None  # a django File for kind "file"


@transaction.atomic
def add_distribution(*, actor, resource: DataResource, data: DistributionInput) -> Distribution:
    """Offer a file, a link or a database table of ``resource`` (SM3 checksum of a file)."""
    if actor is not None:
        ensure_perm(actor, "manage_catalog", resource.provider)
    errors = _distribution_errors(data, has_file=False)
    if errors:
        raise CatalogError(errors)
    now = clock.now()
    distribution = Distribution(
        resource=resource,
        position=resource.distributions.count() + 1,
        title=data.title.strip(),
        description=data.description,
        kind=data.kind,
        url=data.url,
        table_name=data.table_name,
        format=data.format.upper(),
        media_type=data.media_type,
        created_at=now,
        modified_at=now,
    )
    if data.upload is not None:
        digest, size = _sm3_of(data.upload)
        distribution.checksum = digest
        distribution.byte_size = size
        distribution.file.save(Path(data.upload.name).name, data.upload, save=False)
    distribution.save()
    DataResource.objects.filter(pk=resource.pk).update(modified_at=now)
    record_change(
        actor=actor,
        action="catalog.add_distribution",
        obj=resource,
        after={"distribution": distribution.title, "kind": distribution.kind},
    )
    packages.refresh([resource.pk])
    indexing.refresh(resource, actor=actor)
    return distribution


def _sm3_of(upload) -> tuple[str, int]:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return sm3_hex(data), len(data)


def _distribution_errors(data: DistributionInput, *, has_file: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("This field is required.")
    if data.kind == DistributionKind.FILE and data.upload is None and not has_file:
        errors["file"] = _("Choose a file.")
    if data.kind == DistributionKind.LINK and not data.url:
        errors["url"] = _("Give the address.")
    if data.kind == DistributionKind.TABLE and not data.table_name:
        errors["table_name"] = _("Give the table's name.")
    return errors


def _distribution_state(distribution: Distribution) -> dict:
    return {
        "distribution": distribution.title,
        "kind": distribution.kind,
        "format": distribution.format,
        "url": distribution.url,
        "checksum": distribution.checksum,
    }


@transaction.atomic
def update_distribution(
    *, actor, distribution: Distribution, data: DistributionInput
) -> Distribution:
    """Change what a distribution offers; a file kept when no new one comes (a new one gets
    its SM3 checksum). The CKAN API's resource_update and resource_patch."""
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    resource = distribution.resource
    if actor is not None:
        ensure_perm(actor, "manage_catalog", resource.provider)
    has_file = bool(distribution.file) and distribution.kind == DistributionKind.FILE
    errors = _distribution_errors(data, has_file=has_file)
    if errors:
        raise CatalogError(errors)
    before = _distribution_state(distribution)
    now = clock.now()
    distribution.title = data.title.strip()
    distribution.description = data.description
    distribution.kind = data.kind
    distribution.url = data.url if data.kind == DistributionKind.LINK else ""
    distribution.table_name = data.table_name if data.kind == DistributionKind.TABLE else ""
    distribution.format = data.format.upper()
    distribution.media_type = data.media_type
    distribution.modified_at = now
    if data.kind != DistributionKind.FILE:
        distribution.file = ""
        distribution.checksum = ""
        distribution.byte_size = None
    elif data.upload is not None:
        digest, size = _sm3_of(data.upload)
        distribution.checksum = digest
        distribution.byte_size = size
        distribution.file.save(Path(data.upload.name).name, data.upload, save=False)
    distribution.save()
    DataResource.objects.filter(pk=resource.pk).update(modified_at=now)
    record_change(
        actor=actor,
        action="catalog.update_distribution",
        obj=resource,
        before=before,
        after=_distribution_state(distribution),
    )
    packages.refresh([resource.pk])
    return distribution


@transaction.atomic
def delete_distribution(*, actor, distribution: Distribution) -> None:
    """Take a distribution off its resource (the CKAN API's resource_delete); its file stays
    in storage, as the audit trail names it."""
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    resource = distribution.resource
    if actor is not None:
        ensure_perm(actor, "manage_catalog", resource.provider)
    before = _distribution_state(distribution)
    distribution.delete()
    DataResource.objects.filter(pk=resource.pk).update(modified_at=clock.now())
    record_change(actor=actor, action="catalog.delete_distribution", obj=resource, before=before)
    packages.refresh([resource.pk])


@transaction.atomic
def record_public_download(*, distribution: Distribution) -> None:
    """Count one download of an open distribution's file through the portal (issue 11,
    point 5: how often each distribution and dataset was downloaded; the caller decides
    with ``tracking.is_new_download`` whether the answer was a download). One row per
    distribution and day, incremented in the database so that simultaneous downloads all
    count. Not an audit event: an anonymous visitor's download of open data names no one,
    and the public portal's downloads are not audited (``record_distribution_download``)."""
    today = clock.today()
    counted = DownloadCount.objects.filter(distribution_id=distribution.pk, day=today)
    if counted.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(distribution_id=distribution.pk, day=today, count=1)
    except IntegrityError:  # another download made the day's row first
        counted.update(count=F("count") + 1)


def record_distribution_download(*, actor, distribution: Distribution) -> None:
    """A distribution's file downloaded inside the platform (the catalog's own pages, where
    the data may be unpublished, important or core): the data itself, so each download is
    audited. The public portal's downloads of open data are not."""
    record_change(
        actor=actor,
        action="catalog.download_distribution",
        obj=distribution.resource,
        after={"distribution": distribution.title, "grade": distribution.resource.grade},
    )
