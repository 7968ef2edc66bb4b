"""Every change the hotline makes (issue 15): intake from every channel, routing by the duty
map, 签收 / 退单 / re-routing / disputes, replies and callbacks. Each function is one
transaction and writes the audit trail; a refused step raises :class:`HotlineError` (or
:class:`IntakeError`, naming the field) with nothing written."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from shuzheng import clock, uploads
from shuzheng.accounts.authorization import reads_field_group
from shuzheng.audit.services import change_event, record_change, record_changes
from shuzheng.crypto import derive_key, hmac_sm3
from shuzheng.documents.models import Section
from shuzheng.documents.selectors import section_at
from shuzheng.hotline import classify, deadlines, geography, knowledge, privacy, selectors
from shuzheng.hotline.choices import (
    CLOSED_STATES,
    OPEN_ASSIGNMENT_STATES,
    AssignmentState,
    AttributeDatatype,
    CallbackBy,
    Channel,
    DisputeState,
    DutyRole,
    KnowledgeState,
    RequestState,
    Satisfaction,
)
from shuzheng.hotline.models import (
    MAX_ANSWER,
    MAX_DESCRIPTION,
    MAX_QUESTION,
    Assignment,
    Attachment,
    Callback,
    Caller,
    Dispute,
    DutyEntry,
    KnowledgeEntry,
    KnowledgeSource,
    Reply,
    ServiceAttribute,
    ServiceCategory,
    ServiceRequest,
)
from shuzheng.notifications.services import notify
from shuzheng.orgs.models import Region, Unit
from shuzheng.orgs.services import load_registry_file
from shuzheng.search.choices import Validity

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_CATALOG = DATA / "catalog.json"
#: The bureaus and townships the sample duty map needs, as orgs registry data.
SAMPLE_BUREAUS = Path(__file__).resolve().parent.parent / "orgs" / "data" / "ningxia-bureaus.json"
PROVINCE = "640000"
#: Two units have returned a request: it goes to a supervisor (争议).
RETURNS_BEFORE_DISPUTE = 2
MAX_ATTACHMENTS = 5
#: Channels on which a signed-in submitter is the caller (not an operator or a system).
OWN_CHANNELS = frozenset({Channel.WEB, Channel.APP, Channel.API})
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: Attachments: images and PDF only, judged by the first bytes as well as the name
#: (the kernel's signatures, shuzheng.uploads).
ACCEPTED_UPLOADS = uploads.kinds(".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp")


class HotlineError(ValueError):
    """A refused step; the message says why in words the user can act on."""


class IntakeError(HotlineError):
    """A request that cannot be taken in. ``field`` names the input at fault; ``not_found``
    marks an unknown service (Open311 answers 404 for it, 400 for the rest)."""

    def __init__(self, message: str, field: str = "", not_found: bool = False):
        super().__init__(message)
        self.field = field
        self.not_found = not_found


# --- the catalog and the duty map ---------------------------------------------------------


def load_catalog(data: dict, actor=None) -> str:
    """Create or update the service catalog and the duty map from the JSON structure of
    ``hotline/data/catalog.json``; idempotent (matched by service code). Every unit and region
    must exist in the registry: a missing one is refused before anything is written."""
    services = data.get("services")
    if not isinstance(services, list):
        raise HotlineError("the catalog needs a list of services")
    units = {unit.code: unit for unit in Unit.objects.all()}
    regions = {region.code: region for region in Region.objects.all()}
    problems = [
        f"service {item.get('code')}: unknown {kind} {code}"
        for item in services
        for duty in item.get("duties", [])
        for kind, code, known in (
            ("unit", duty.get("unit"), units),
            ("region", duty.get("region"), regions),
        )
        if code not in known
    ]
    if problems:
        raise HotlineError("; ".join(problems))
    created = updated = 0
    with transaction.atomic():
        for order, item in enumerate(services):
            values = {
                "name": item["name"],
                "description": item.get("description", ""),
                "group": item.get("group", ""),
                "keywords": list(item.get("keywords", [])),
                "is_general": bool(item.get("is_general", False)),
                "response_days": item.get("response_days", 1),
                "resolution_days": item.get("resolution_days", 15),
                "urgent_hours": item.get("urgent_hours", 24),
                "order": order,
            }
            category, was_created = ServiceCategory.objects.update_or_create(
                code=item["code"], defaults=values
            )
            created += was_created
            updated += not was_created
            for attribute in item.get("attributes", []):
                ServiceAttribute.objects.update_or_create(
                    category=category,
                    code=attribute["code"],
                    defaults={
                        "datatype": attribute["datatype"],
                        "required": bool(attribute.get("required", False)),
                        "datatype_description": attribute.get("datatype_description", ""),
                        "order": attribute.get("order", 0),
                        "description": attribute["description"],
                        "values": attribute.get("values", []),
                    },
                )
            for duty in item.get("duties", []):
                DutyEntry.objects.update_or_create(
                    category=category,
                    region=regions[duty["region"]],
                    unit=units[duty["unit"]],
                    defaults={
                        "role": duty.get("role", DutyRole.LEAD),
                        "basis": duty.get("basis", ""),
                    },
                )
        record_change(
            actor=actor,
            action="hotline.load_catalog",
            object_type="hotline.servicecategory",
            object_repr=data.get("title", "")[:200],
            after={"created": created, "updated": updated},
        )
    return f"{created} services created, {updated} updated"


def load_sample_catalog() -> str:
    """The sample bureaus (orgs registry) and the sample catalog with its duty map."""
    bureaus = load_registry_file(SAMPLE_BUREAUS)
    catalog = load_catalog(json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8")))
    return f"bureaus: {bureaus}; catalog: {catalog}"


# --- routing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where a request goes: the lead unit, the assisting ones, and why (shown to operators)."""

    lead: Unit
    assisting: tuple[Unit, ...] = ()
    #: Why, as codes and parameters (``hotline.rendering.routing_reason`` words it).
    why: dict = field(default_factory=dict)


def region_chain(region: Region) -> list[Region]:
    """The region and its parents up to the province (township → county → city → region)."""
    chain = []
    current = region
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain


def route(category: ServiceCategory, region: Region, exclude=()) -> Route:
    """The unit that answers for ``category`` in ``region`` (权责清单).

    Rule (issue 15, point 2: routing across levels): the duty map is read from the request's
    own region upwards (township → county → city → region); the first level with a lead unit
    not in ``exclude`` (units that returned the request) decides, its assisting units going
    along. Where the map names nobody, the matter goes to the people's government of the
    request's place (属地管理), again the lowest one that has not returned it.
    """
    chain = region_chain(region)
    excluded = {unit.pk for unit in exclude}
    entries = list(
        DutyEntry.objects.filter(category=category, region__in=chain).select_related(
            "unit", "region"
        )
    )
    for level in chain:
        here = [entry for entry in entries if entry.region_id == level.pk]
        leads = [e for e in here if e.role == DutyRole.LEAD and e.unit_id not in excluded]
        if leads:
            assisting = tuple(
                e.unit for e in here if e.role == DutyRole.ASSIST and e.unit_id not in excluded
            )
            return Route(
                leads[0].unit,
                assisting,
                {
                    "rule": "duty_map",
                    "category": category.name,
                    "region": level.name,
                    "basis": leads[0].basis,
                },
            )
    governments = {
        unit.region_id: unit
        for unit in Unit.objects.filter(region__in=chain, kind="government", parent__isnull=False)
        .exclude(pk__in=excluded)
        .order_by("code")
    } | {
        unit.region_id: unit
        for unit in Unit.objects.filter(region__code=PROVINCE, code=f"gov-{PROVINCE}").exclude(
            pk__in=excluded
        )
    }
    for level in chain:
        if level.pk in governments:
            return Route(governments[level.pk], (), {"rule": "local", "region": level.name})
    raise HotlineError(_("Every unit has returned this request: a supervisor must decide."))


def classify_general(description: str, region: Region | None = None):
    """The category a general-service request (其他 / 综合) is taken to be, from its words,
    how it was decided (``"suggestion"`` or ``"keywords"``) and the words that decided it.

    Issue 15, point 2: the learned suggestion (``hotline.suggest``, learned from the catalog
    and past requests) decides when it names a category for words it was taught; when it has
    learned nothing about the text's words, the catalog's keyword rule (``hotline.classify``)
    is the fallback.
    """
    catalog = {c.code: c for c in ServiceCategory.objects.filter(is_active=True, is_general=False)}
    learned = [
        suggestion
        for suggestion in selectors.suggestions(description, region, limit=1)
        if suggestion.words and suggestion.code in catalog
    ]
    if learned:
        return catalog[learned[0].code], "suggestion", list(learned[0].words)
    matches = classify.by_keywords(description, [(c.code, c.keywords) for c in catalog.values()])
    if not matches:
        return None, "", []
    return catalog[matches[0].code], "keywords", list(matches[0].keywords)


# --- intake ---------------------------------------------------------------------------------


@dataclass
class Intake:
    """What a channel hands in; the pages, the API and Open311 all fill one."""

    service_code: str
    description: str = ""
    address_string: str = ""
    lat: str | float | None = None
    long: str | float | None = None
    attributes: dict = field(default_factory=dict)
    name: str = ""
    phone: str = ""
    email: str = ""
    caller_address: str = ""
    media_url: str = ""
    urgent: bool = False
    channel: str = Channel.WEB
    files: list = field(default_factory=list)


def submit_request(intake: Intake, *, actor=None) -> ServiceRequest:
    """Take a request in (受理) and dispatch it (派单) by the duty map, in one transaction.

    Checks (issue 15, "Bad input"): a known, active service; its required attributes, list
    values among the defined keys; a description of at most 4,000 characters (required for
    the general service, which is classified from it); a location, as an address in Ningxia or
    a point inside Ningxia; at most five image or PDF attachments of 10 MB.
    """
    category = ServiceCategory.objects.filter(code=intake.service_code, is_active=True).first()
    if category is None:
        raise IntakeError(
            _("Unknown service code: %(code)s.") % {"code": intake.service_code},
            "service_code",
            not_found=True,
        )
    description = (intake.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise IntakeError(
            _("The description has %(count)d characters; at most %(max)d are allowed.")
            % {"count": len(description), "max": MAX_DESCRIPTION},
            "description",
        )
    if category.is_general and not description:
        raise IntakeError(
            _("Describe the matter: the general service is routed by it."), "description"
        )
    if intake.channel not in Channel.values:
        raise IntakeError(_("Unknown channel."), "channel")
    attributes = _checked_attributes(category, intake.attributes)
    lat, long, region = _located(intake)
    checked_files = [_checked_upload(upload) for upload in intake.files]
    if len(checked_files) > MAX_ATTACHMENTS:
        raise IntakeError(
            _("At most %(max)d attachments are allowed.") % {"max": MAX_ATTACHMENTS}, "media"
        )
    routed_category, classified = category, {}
    if category.is_general:
        found, method, words = classify_general(description, region)
        if found is not None:
            routed_category = found
            classified = {"classified": words, "classified_by": method}
    now = clock.now()
    limits = _limits(routed_category, now, intake.urgent)
    with transaction.atomic():
        # Someone signed in filing on the web, the app or the API files for themselves: the
        # caller's record names their account, which the survey link is sent to. On the
        # phone (the operator's account) and through Open311 (a system's key) it does not.
        account = _user(actor) if intake.channel in OWN_CHANNELS else None
        caller = None
        if account or any((intake.name, intake.phone, intake.email, intake.caller_address)):
            caller = Caller.objects.create(
                name=intake.name.strip()[:64],
                phone=intake.phone.strip()[:32],
                phone_key=privacy.phone_key(settings.SECRET_KEY, intake.phone),
                email=intake.email.strip(),
                address=intake.caller_address.strip()[:200],
                user=account,
            )
        request = _numbered(
            now,
            token=uuid.uuid4().hex,
            category=routed_category,
            chosen_category=category,
            channel=intake.channel,
            description=description,
            address_string=intake.address_string.strip()[:200],
            lat=lat,
            long=long,
            region=region,
            attributes=attributes,
            media_url=intake.media_url.strip()[:200],
            urgent=intake.urgent,
            caller=caller,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            requested_at=now,
            updated_at=now,
            **limits,
        )
        for upload, checked in zip(intake.files, checked_files, strict=True):
            upload.seek(0)
            Attachment.objects.create(
                request=request,
                file=ContentFile(upload.read(), name=f"{uuid.uuid4().hex}{checked[1]}"),
                name=checked[0],
                size=checked[2],
                content_type=checked[3],
                sha256=checked[4],
            )
        record_change(
            actor=actor,
            action="hotline.submit",
            obj=request,
            after={
                "category": routed_category.code,
                "chosen_category": category.code,
                "channel": intake.channel,
                "region": region.code,
            },
        )
        created = _dispatch(request, actor=actor, classified=classified, new=True)
        # The lead is known: the Open311 answer and the pages name it without a query.
        request.current_leads = [a for a in created if a.role == DutyRole.LEAD]
    return request


def _limits(category: ServiceCategory, received, urgent: bool) -> dict:
    """The response and resolution limits, counted in the platform's time zone (the day of
    receipt is the caller's day in Ningxia, not UTC's)."""
    received = received.astimezone(ZoneInfo(settings.TIME_ZONE))
    hours = category.urgent_hours if urgent else None
    return {
        "response_due_at": deadlines.due_at(
            received, working_days=category.response_days, urgent_hours=hours
        ),
        "resolution_due_at": deadlines.due_at(
            received, working_days=category.resolution_days, urgent_hours=hours
        ),
    }


#: Tries at a tracking number when concurrent intakes took the same one.
NUMBER_TRIES = 5


def _numbered(now, **values) -> ServiceRequest:
    """Insert the request under the day's next tracking number. Two intakes at once on
    PostgreSQL read the same last number (SQLite's writers queue at BEGIN IMMEDIATE): the
    second insert then breaks the number's uniqueness, is rolled back to its savepoint and
    takes the next number (found by bench/hotline_intake_bench.py against PostgreSQL)."""
    for attempt in range(NUMBER_TRIES):
        try:
            with transaction.atomic():
                return ServiceRequest.objects.create(number=_next_number(now), **values)
        except IntegrityError:
            if attempt == NUMBER_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _next_number(now) -> str:
    """YYYYMMDD + a five-digit sequence of the day: the caller's tracking number."""
    day = clock.today().strftime("%Y%m%d")
    last = ServiceRequest.objects.filter(number__startswith=day).aggregate(last=Max("number"))
    sequence = int(last["last"][8:]) + 1 if last["last"] else 1
    return f"{day}{sequence:05d}"


def _checked_attributes(category: ServiceCategory, given: dict) -> dict:
    result = {}
    for attribute in category.attributes.all():
        value = given.get(attribute.code)
        values = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
        values = [str(v).strip() for v in values if str(v).strip()]
        if not values:
            if attribute.required:
                raise IntakeError(
                    _("The attribute %(code)s (%(description)s) is required.")
                    % {"code": attribute.code, "description": attribute.description},
                    f"attribute[{attribute.code}]",
                )
            continue
        if attribute.datatype in (
            AttributeDatatype.SINGLEVALUELIST,
            AttributeDatatype.MULTIVALUELIST,
        ):
            keys = {str(item["key"]) for item in attribute.values}
            unknown = [v for v in values if v not in keys]
            if unknown or (
                attribute.datatype == AttributeDatatype.SINGLEVALUELIST and len(values) > 1
            ):
                raise IntakeError(
                    _("The attribute %(code)s takes one of: %(keys)s.")
                    % {"code": attribute.code, "keys": ", ".join(sorted(keys))},
                    f"attribute[{attribute.code}]",
                )
            result[attribute.code] = values if attribute.datatype == "multivaluelist" else values[0]
        elif attribute.datatype == AttributeDatatype.NUMBER:
            try:
                Decimal(values[0])
            except InvalidOperation:
                raise IntakeError(
                    _("The attribute %(code)s must be a number.") % {"code": attribute.code},
                    f"attribute[{attribute.code}]",
                ) from None
            result[attribute.code] = values[0]
        else:
            result[attribute.code] = values[0][:500]
    return result


def _located(intake: Intake) -> tuple[Decimal | None, Decimal | None, Region]:
    """The point (if given) and the region of the request: the most specific region the
    address names, else the city nearest to the point."""
    lat = long = None
    if intake.lat not in (None, "") or intake.long not in (None, ""):
        try:
            lat = Decimal(str(intake.lat)).quantize(Decimal("0.000001"))
            long = Decimal(str(intake.long)).quantize(Decimal("0.000001"))
        except InvalidOperation:
            raise IntakeError(_("Latitude and longitude must both be numbers."), "lat") from None
        if not geography.inside_ningxia(float(lat), float(long)):
            raise IntakeError(
                _("The location %(lat)s, %(long)s is outside Ningxia; this hotline serves Ningxia.")
                % {"lat": lat, "long": long},
                "lat",
            )
    address = intake.address_string.strip()
    if not address and lat is None:
        raise IntakeError(_("Give the place: an address or a point on the map."), "address_string")
    code = geography.region_named_in(address, selectors.region_names()) if address else None
    if code is None and lat is not None:
        code = geography.nearest_city(float(lat), float(long))
    if code is None:
        raise IntakeError(
            _(
                "The address names no city or county of Ningxia; add the city or county (e.g. 银川市兴庆区)."
            ),
            "address_string",
        )
    return lat, long, Region.objects.select_related("parent__parent__parent").get(code=code)


def _checked_upload(upload) -> tuple[str, str, int, str, str]:
    """(name, extension, size, content type, SHA-256) of an acceptable attachment."""
    name = uploads.base_name(upload.name)
    extension = uploads.extension_of(name)
    accepted = ACCEPTED_UPLOADS.get(extension)
    if accepted is None:
        raise IntakeError(
            _("%(name)s: only images (PNG, JPEG, GIF, WebP) and PDF files can be attached.")
            % {"name": name},
            "media",
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise IntakeError(_("%(name)s is larger than 10 MB.") % {"name": name}, "media")
    read = uploads.read(upload)
    if not uploads.content_matches(read.head, extension):
        raise IntakeError(
            _("%(name)s is not the image or PDF its name says.") % {"name": name}, "media"
        )
    return name, extension, read.size, accepted.content_type, read.sha256


# --- the routing steps ----------------------------------------------------------------------


def _locked(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update()
        .select_related("category", "region")
        .get(pk=request.pk)
    )


def _returned_units(request: ServiceRequest) -> list[Unit]:
    return [
        a.unit
        for a in request.assignments.filter(state=AssignmentState.RETURNED).select_related("unit")
    ]


def _dispatch(
    request: ServiceRequest,
    *,
    actor,
    classified: dict | None = None,
    unit: Unit | None = None,
    note: str = "",
    rule: str = "by_hand",
    new: bool = False,
) -> list[Assignment]:
    """Assign the request to its lead unit (and the assisting ones) and mark it 已派单.
    ``new``: a request just taken in, which no unit has returned and none is merged under."""
    if unit is None:
        returned = [] if new else _returned_units(request)
        found = route(request.category, request.region, exclude=returned)
        lead, assisting, why = found.lead, found.assisting, found.why
    else:
        lead, assisting, why = unit, (), {"rule": rule, "note": note[:300]}
    now = clock.now()
    created = [
        Assignment.objects.create(
            request=request,
            unit=lead,
            role=DutyRole.LEAD,
            assigned_at=now,
            assigned_by=_user(actor),
        )
    ]
    created += [
        Assignment.objects.create(
            request=request, unit=u, role=DutyRole.ASSIST, assigned_at=now, assigned_by=_user(actor)
        )
        for u in assisting
    ]
    if classified is None:
        kept = ("classified", "classified_by")
        classified = {key: request.routing[key] for key in kept if key in request.routing}
    request.routing = why | classified
    request.state = RequestState.DISPATCHED
    request.updated_at = now
    request.save(update_fields=["routing", "state", "updated_at"])
    record_change(
        actor=actor,
        action="hotline.dispatch",
        obj=request,
        after={"lead": lead.code, "assisting": [u.code for u in assisting], "routing": why},
    )
    if not new:
        _follow_master(request, actor=actor)
    return created


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def lead_assignment(request: ServiceRequest) -> Assignment | None:
    """The lead unit's current assignment (the last one dispatched and not returned)."""
    return (
        request.assignments.filter(
            role=DutyRole.LEAD, state__in=[*OPEN_ASSIGNMENT_STATES, AssignmentState.REPLIED]
        )
        .select_related("unit")
        .order_by("-assigned_at", "-id")
        .first()
    )


def accept(assignment: Assignment, *, actor) -> Assignment:
    """签收: the unit takes the request on; the request is 办理中."""
    with transaction.atomic():
        request = _locked(assignment.request)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state != AssignmentState.DISPATCHED:
            raise HotlineError(_("Only a dispatched request can be accepted."))
        now = clock.now()
        assignment.state = AssignmentState.ACCEPTED
        assignment.accepted_at = now
        assignment.save(update_fields=["state", "accepted_at"])
        if assignment.role == DutyRole.LEAD:
            request.state = RequestState.IN_PROGRESS
            request.updated_at = now
            request.save(update_fields=["state", "updated_at"])
        record_change(
            actor=actor, action="hotline.accept", obj=request, after={"unit": assignment.unit.code}
        )
        _follow_master(request, actor=actor)
    return assignment


def return_assignment(assignment: Assignment, *, reason: str, actor) -> ServiceRequest:
    """退单: the unit says it is not responsible, with the reason; the request is routed on
    to the next unit the duty map names. When two units have returned it, a dispute (争议)
    is opened and a supervisor decides."""
    reason = reason.strip()
    if not reason:
        raise HotlineError(_("Say why your unit is not responsible."))
    with transaction.atomic():
        request = _locked(assignment.request)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state not in OPEN_ASSIGNMENT_STATES:
            raise HotlineError(_("This assignment is no longer open."))
        now = clock.now()
        assignment.state = AssignmentState.RETURNED
        assignment.returned_at = now
        assignment.return_reason = reason[:500]
        assignment.save(update_fields=["state", "returned_at", "return_reason"])
        record_change(
            actor=actor,
            action="hotline.return",
            obj=request,
            after={"unit": assignment.unit.code, "reason": reason[:500]},
        )
        if assignment.role != DutyRole.LEAD:
            return request
        returned = request.assignments.filter(role=DutyRole.LEAD, state=AssignmentState.RETURNED)
        if returned.count() >= RETURNS_BEFORE_DISPUTE:
            request.state = RequestState.ACCEPTED
            request.updated_at = now
            request.save(update_fields=["state", "updated_at"])
            dispute = Dispute.objects.create(request=request, opened_at=now)
            record_change(actor=actor, action="hotline.open_dispute", obj=dispute)
            _follow_master(request, actor=actor)
        else:
            _dispatch(request, actor=actor)
    return request


def dispatch_to(
    request: ServiceRequest, unit: Unit, *, note: str = "", actor, rule: str = "by_hand"
) -> ServiceRequest:
    """Re-route by hand (an operator or supervisor): open lead assignments are withdrawn."""
    with transaction.atomic():
        request = _locked(request)
        if request.state in (RequestState.RESOLVED, RequestState.VISITED):
            raise HotlineError(_("A resolved request is not routed again."))
        _refuse_merged(request)
        request.assignments.filter(role=DutyRole.LEAD, state__in=OPEN_ASSIGNMENT_STATES).update(
            state=AssignmentState.WITHDRAWN
        )
        _dispatch(request, actor=actor, unit=unit, note=note.strip(), rule=rule)
    return request


def decide_dispute(dispute: Dispute, unit: Unit, *, note: str = "", actor) -> Dispute:
    """A supervisor decides a dispute: the request goes to ``unit``, which may not return it
    again (the decision is the end of the dispute path)."""
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.state != DisputeState.OPEN:
            raise HotlineError(_("This dispute has been decided already."))
        dispute.state = DisputeState.DECIDED
        dispute.decided_at = clock.now()
        dispute.decided_unit = unit
        dispute.decided_by = _user(actor)
        dispute.decision_note = note.strip()[:500]
        dispute.save()
        record_change(
            actor=actor, action="hotline.decide_dispute", obj=dispute, after={"unit": unit.code}
        )
        dispatch_to(dispute.request, unit, note=dispute.decision_note, actor=actor, rule="dispute")
    return dispute


def reply(request: ServiceRequest, unit: Unit, *, text: str, actor) -> Reply:
    """答复: the lead unit answers; the request is 已办结 and awaits the callback."""
    text = text.strip()
    if not text:
        raise HotlineError(_("Write the reply to the caller."))
    if len(text) > MAX_DESCRIPTION:
        raise HotlineError(_("A reply has at most 4,000 characters."))
    with transaction.atomic():
        request = _locked(request)
        assignment = request.assignments.filter(
            unit=unit, role=DutyRole.LEAD, state__in=OPEN_ASSIGNMENT_STATES
        ).first()
        if assignment is None:
            raise HotlineError(_("Only the unit handling the request can reply."))
        now = clock.now()
        answer = Reply.objects.create(
            request=request, unit=unit, author=_user(actor), text=text, created_at=now
        )
        assignment.state = AssignmentState.REPLIED
        assignment.save(update_fields=["state"])
        request.state = RequestState.RESOLVED
        request.resolved_at = now
        request.updated_at = now
        request.save(update_fields=["state", "resolved_at", "updated_at"])
        record_change(actor=actor, action="hotline.reply", obj=request, after={"unit": unit.code})
        _send_survey(answer, actor=actor)
        _follow_master(request, actor=actor)
        _tell_merged_callers(request, answer, actor=actor)
    return answer


def call_back(
    request: ServiceRequest,
    *,
    satisfaction: str,
    by: str,
    comment: str = "",
    actor=None,
) -> Callback:
    """回访: the caller's verdict on the last reply. 不满意 reopens the request (重新办理) with
    the unit that replied and a new resolution limit; otherwise it is 已回访 (closed)."""
    if satisfaction not in Satisfaction.values:
        raise HotlineError(_("Choose satisfied, basically satisfied or dissatisfied."))
    if by not in CallbackBy.values:
        raise HotlineError(_("Unknown callback channel."))
    with transaction.atomic():
        request = _locked(request)
        last = request.replies.order_by("-created_at", "-id").first()
        if request.state != RequestState.RESOLVED or last is None:
            raise HotlineError(_("Only a replied request awaiting its callback can be rated."))
        now = clock.now()
        callback = Callback.objects.create(
            request=request,
            reply=last,
            satisfaction=satisfaction,
            comment=comment.strip()[:500],
            by=by,
            operator=_user(actor) if by == CallbackBy.OPERATOR else None,
            created_at=now,
        )
        record_change(
            actor=actor,
            action="hotline.call_back",
            obj=request,
            after={"satisfaction": satisfaction, "by": by},
        )
        if satisfaction == Satisfaction.DISSATISFIED:
            # Reopened (重新办理, issue 15 point 4): a new resolution limit counted by the
            # working-day rules from now, and supervised afresh once that limit passes — a
            # ledger task of an earlier overdue spell is left behind (named in the audit).
            earlier_task = request.supervised_task_id
            request.state = RequestState.REOPENED
            request.reopen_count += 1
            request.resolved_at = None
            request.resolution_due_at = _limits(request.category, now, request.urgent)[
                "resolution_due_at"
            ]
            request.supervised_task = None
            request.updated_at = now
            request.save()
            Assignment.objects.create(
                request=request,
                unit=last.unit,
                role=DutyRole.LEAD,
                state=AssignmentState.ACCEPTED,
                assigned_at=now,
                accepted_at=now,
                note=_("Reopened after a dissatisfied callback"),
            )
            record_change(
                actor=actor,
                action="hotline.reopen",
                obj=request,
                after={
                    "unit": last.unit.code,
                    "resolution_due_at": request.resolution_due_at.isoformat(),
                    "earlier_supervised_task": earlier_task,
                },
            )
        else:
            request.state = RequestState.VISITED
            request.updated_at = now
            request.save(update_fields=["state", "updated_at"])
        _follow_master(request, actor=actor)
    return callback


# --- merging near duplicates (合并, issue 15 point 6) ------------------------------------------

MERGED_KIND = "hotline_merged"
MERGED_REPLY_KIND = "hotline_merged_reply"


def merge_request(request: ServiceRequest, master: ServiceRequest, *, actor) -> ServiceRequest:
    """Merge ``request`` under ``master`` (合并): the same matter reported twice is handled once.

    Rule (issue 15, point 6; FixMyStreet's duplicates): the master carries the work — the
    merged request's open assignments are withdrawn and its open disputes closed — and the
    merged request follows the master's state from then on (:func:`_follow_master`); its
    caller is told now and again when the master is answered. One level only: a master is
    not merged itself, a merged request is not a master; a closed request (已办结, 已回访) is
    neither merged nor merged into. :func:`unmerge_request` undoes it.
    """
    if request.pk == master.pk:
        raise HotlineError(_("A request cannot be merged under itself."))
    with transaction.atomic():
        rows = ServiceRequest.objects.select_for_update(of=("self",)).select_related("caller__user")
        locked = {row.pk: row for row in rows.filter(pk__in=[request.pk, master.pk])}
        request, master = locked[request.pk], locked[master.pk]
        if request.master_id is not None:
            raise HotlineError(
                _("Request %(number)s is merged already; unmerge it first.")
                % {"number": request.number}
            )
        if master.master_id is not None:
            raise HotlineError(
                _("Request %(number)s is itself merged; merge under its master instead.")
                % {"number": master.number}
            )
        if request.merged.exists():
            raise HotlineError(
                _("Other requests are merged under %(number)s; it cannot be merged itself.")
                % {"number": request.number}
            )
        for row in (request, master):
            if row.state in CLOSED_STATES:
                raise HotlineError(
                    _("Request %(number)s has been answered already and is not merged.")
                    % {"number": row.number}
                )
        now = clock.now()
        withdrawn = list(
            request.assignments.filter(state__in=OPEN_ASSIGNMENT_STATES).values_list(
                "pk", flat=True
            )
        )
        Assignment.objects.filter(pk__in=withdrawn).update(state=AssignmentState.WITHDRAWN)
        closed_disputes = request.disputes.filter(state=DisputeState.OPEN).update(
            state=DisputeState.DECIDED,
            decided_at=now,
            decided_by=_user(actor),
            decision_note=(_("Merged under %(number)s") % {"number": master.number})[:500],
        )
        before = {"state": request.state}
        request.master, request.merged_at = master, now
        request.state, request.resolved_at, request.updated_at = master.state, None, now
        request.save(update_fields=["master", "merged_at", "state", "resolved_at", "updated_at"])
        record_change(
            actor=actor,
            action="hotline.merge",
            obj=request,
            before=before,
            after={
                "master": master.number,
                "withdrawn_assignments": withdrawn,
                "closed_disputes": closed_disputes,
            },
        )
        _tell_caller(
            request,
            kind=MERGED_KIND,
            params={"number": request.number, "master": master.number},
            dedupe_key=f"hotline.merged.{request.pk}.{master.pk}.{now.timestamp():.0f}",
            actor=actor,
        )
    return request


def unmerge_request(request: ServiceRequest, *, reason: str, actor) -> ServiceRequest:
    """Undo a merge (拆分): the request is its own again and is routed by the duty map as a new
    one would be (skipping the units that returned it), with its own limits from its receipt.
    Only while the master is still open: once it is answered, the merged request was answered
    with it."""
    reason = reason.strip()
    if not reason:
        raise HotlineError(_("Say why the request is not the same matter."))
    with transaction.atomic():
        request = _locked(request)
        if request.master_id is None:
            raise HotlineError(_("This request is not merged."))
        master = ServiceRequest.objects.select_for_update().get(pk=request.master_id)
        if master.state in CLOSED_STATES:
            raise HotlineError(
                _("Request %(number)s has been answered already; it is not split any more.")
                % {"number": master.number}
            )
        now = clock.now()
        request.master, request.merged_at = None, None
        request.state, request.updated_at = RequestState.ACCEPTED, now
        request.save(update_fields=["master", "merged_at", "state", "updated_at"])
        record_change(
            actor=actor,
            action="hotline.unmerge",
            obj=request,
            before={"master": master.number},
            after={"reason": reason[:500]},
        )
        _dispatch(request, actor=actor)
    return request


def _refuse_merged(request: ServiceRequest) -> None:
    if request.master_id is not None:
        raise HotlineError(
            _("This request is merged under %(number)s: act on that request.")
            % {"number": request.master.number}
        )


def _follow_master(master: ServiceRequest, *, actor) -> None:
    """The requests merged under ``master`` take its state (issue 15, point 6): one update,
    one audit event naming how many followed."""
    followed = ServiceRequest.objects.filter(master=master).update(
        state=master.state, resolved_at=master.resolved_at, updated_at=master.updated_at
    )
    if followed:
        record_change(
            actor=actor,
            action="hotline.follow_master",
            obj=master,
            after={"state": master.state, "merged": followed},
        )


def _tell_merged_callers(master: ServiceRequest, answer: Reply, *, actor) -> None:
    """Every caller of a request merged under ``master`` is told of its reply, over the
    notification channels when the caller has an account (others are called back by an
    operator, as for any reply: the master's page lists them)."""
    merged = ServiceRequest.objects.filter(master=master).select_related("caller__user")
    for request in merged:
        _tell_caller(
            request,
            kind=MERGED_REPLY_KIND,
            params={"number": request.number, "master": master.number, "unit": answer.unit.name},
            dedupe_key=f"hotline.merged-reply.{answer.pk}.{request.pk}",
            actor=actor,
        )


def _tell_caller(request: ServiceRequest, *, kind: str, params: dict, dedupe_key: str, actor):
    caller = request.caller
    if caller is None or caller.user is None:
        return
    notify(
        caller.user,
        kind=kind,
        params=params,
        link=reverse("hotline:track_detail", args=[request.number]),
        dedupe_key=dedupe_key,
        actor=actor,
    )


# --- the callback survey link and the caller's record ---------------------------------------

SURVEY_KIND = "hotline_survey"


def survey_signature(reply: Reply) -> str:
    """The signature of a reply's survey link: HMAC-SM3 of the request's number and the
    reply's id under a key derived for this purpose, so that only the link sent to the caller
    rates the reply (a tracking number alone does not)."""
    key = derive_key(settings.SECRET_KEY, "hotline.survey")
    return hmac_sm3(key, f"{reply.request.number}:{reply.pk}".encode()).hex()[:32]


def survey_path(reply: Reply) -> str:
    return reverse("hotline:rate", args=[reply.request.number, reply.pk, survey_signature(reply)])


def reply_to_rate(number: str, reply_id: int, signature: str) -> Reply | None:
    """The reply a survey link names, or None when the link is not one this site signed."""
    found = (
        Reply.objects.select_related("request__category", "request__region", "unit")
        .filter(pk=reply_id, request__number=number)
        .first()
    )
    if found is None or not hmac.compare_digest(survey_signature(found), signature):
        return None
    return found


def _send_survey(answer: Reply, *, actor) -> None:
    """Send the caller the survey link over the notification channels (inbox, email,
    webhooks) when the caller has an account; others are called back by an operator."""
    caller = answer.request.caller
    if caller is None or caller.user is None:
        return
    notify(
        caller.user,
        kind=SURVEY_KIND,
        params={"number": answer.request.number, "unit": answer.unit.name},
        link=survey_path(answer),
        dedupe_key=f"hotline.survey.{answer.pk}",
        actor=actor,
    )


def open_attachment(attachment: Attachment, *, actor, remote_addr: str | None = None):
    """The stored file of an attachment, opened for reading, the read in the audit trail
    (a photo or a scan may show the caller: 个人信息保护法 第五十一条). The caller of this
    function has checked that ``actor`` reads the request. FileNotFoundError when the file is
    gone from storage (nothing is audited then)."""
    handle = attachment.file.open("rb")
    with transaction.atomic():
        record_change(
            actor=actor,
            action="hotline.read_attachment",
            obj=attachment.request,
            after={"attachment": attachment.pk, "sha256": attachment.sha256},
            remote_addr=remote_addr,
        )
    return handle


def read_caller(request: ServiceRequest, *, actor, remote_addr: str | None = None) -> Caller:
    """The caller's personal information for the unit handling the request, each read in
    the audit trail (个人信息保护法 第五十一条; issue 15, point 7). Anyone else is refused:
    they see the masked record (``selectors.masked_caller``)."""
    unit = selectors.current_lead_unit(request)
    if request.caller is None or unit is None:
        raise HotlineError(_("This request has no caller's record."))
    if not reads_field_group(actor, "hotline.caller", unit):
        raise HotlineError(_("Only the unit handling the request reads the caller's record."))
    record_change(
        actor=actor,
        action="hotline.read_caller",
        obj=request,
        after={"unit": unit.code},
        remote_addr=remote_addr,
    )
    return request.caller


@transaction.atomic
def record_exported_callers(unmasked, *, fmt: str, actor, remote_addr: str | None = None) -> int:
    """An export (``hotline.exports``) showed these requests' callers in full: one audit
    event per request, as a read on its page leaves (个人信息保护法 第五十一条), written in
    one insert per batch. ``unmasked``: (request, handling unit) pairs. The count."""
    record_changes(
        [
            change_event(
                actor=actor,
                action="hotline.read_caller",
                obj=request,
                after={"unit": unit.code, "export": fmt},
                remote_addr=remote_addr,
            )
            for request, unit in unmasked
        ]
    )
    return len(unmasked)


# --- knowledge answers (即问即答) -------------------------------------------------------------

#: A knowledge entry cites at most this many paragraphs.
MAX_SOURCES = 10


class KnowledgeError(HotlineError):
    """A knowledge entry that cannot be saved or reviewed; ``field`` names the input."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def cited_sections(links: Iterable[str], *, actor) -> list[Section]:
    """The paragraphs named by their links in the policy library (``/documents/<id>/#<anchor>``,
    one a line), each one ``actor`` may read; a link naming none is refused."""
    sections: list[Section] = []
    for link in (line.strip() for line in links):
        if not link:
            continue
        found = knowledge.parse_citation(link)
        section = section_at(actor, *found) if found else None
        if section is None:
            raise KnowledgeError(
                _(
                    "%(link)s is not the link of a paragraph in the policy library; open the "
                    "paragraph there and copy its link (/documents/…/#…)."
                )
                % {"link": link[:120]},
                "sources",
            )
        if section.document.validity == Validity.EXPIRED:
            raise KnowledgeError(
                _("《%(title)s》 has been repealed; cite the rules in force.")
                % {"title": section.document.title},
                "sources",
            )
        if section not in sections:
            sections.append(section)
    if not sections:
        raise KnowledgeError(
            _("Cite at least one paragraph of the policy library: no answer without a source."),
            "sources",
        )
    if len(sections) > MAX_SOURCES:
        raise KnowledgeError(
            _("Cite at most %(max)d paragraphs.") % {"max": MAX_SOURCES}, "sources"
        )
    return sections


def save_knowledge(
    entry: KnowledgeEntry | None,
    *,
    question: str,
    answer: str,
    owner: Unit,
    review_on: dt.date,
    sections: list[Section],
    keywords: str = "",
    category: ServiceCategory | None = None,
    actor,
    is_sample: bool = False,
) -> KnowledgeEntry:
    """Create or change a knowledge entry with its cited paragraphs. A change of a reviewed
    entry makes it a draft again: what answers the public is what was reviewed."""
    question, answer, keywords = question.strip(), answer.strip(), keywords.strip()
    if not question:
        raise KnowledgeError(_("Write the question as callers ask it."), "question")
    if not answer:
        raise KnowledgeError(_("Write the answer."), "answer")
    if len(answer) > MAX_ANSWER:
        raise KnowledgeError(
            _("An answer has at most %(max)d characters.") % {"max": MAX_ANSWER}, "answer"
        )
    if not sections:
        raise KnowledgeError(
            _("Cite at least one paragraph of the policy library: no answer without a source."),
            "sources",
        )
    now = clock.now()
    with transaction.atomic():
        before = None
        if entry is None:
            entry = KnowledgeEntry(created_by=actor, created_at=now)
        else:
            entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
            before = _knowledge_facts(entry)
        entry.question, entry.answer, entry.keywords = question[:MAX_QUESTION], answer, keywords
        entry.owner, entry.category, entry.review_on = owner, category, review_on
        entry.state, entry.reviewed_at, entry.reviewed_by = KnowledgeState.DRAFT, None, None
        entry.updated_at, entry.is_sample = now, is_sample
        entry.save()
        entry.sources.all().delete()
        KnowledgeSource.objects.bulk_create(
            KnowledgeSource(entry=entry, section=section, position=position)
            for position, section in enumerate(sections)
        )
        record_change(
            actor=actor,
            action="hotline.save_knowledge",
            obj=entry,
            before=before,
            after=_knowledge_facts(entry),
        )
    return entry


def _knowledge_facts(entry: KnowledgeEntry) -> dict:
    return {
        "question": entry.question,
        "answer": entry.answer,
        "owner": entry.owner.code,
        "review_on": entry.review_on.isoformat(),
        "state": entry.state,
        "sources": list(entry.sources.values_list("section_id", flat=True)),
    }


def review_knowledge(entry: KnowledgeEntry, *, review_on: dt.date, actor) -> KnowledgeEntry:
    """审核: the entry answers from now until ``review_on``, if it cites paragraphs and none
    of their documents is repealed."""
    today = clock.today()
    if review_on <= today:
        raise KnowledgeError(_("The next review date must be after today."), "review_on")
    with transaction.atomic():
        entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.state == KnowledgeState.WITHDRAWN:
            raise KnowledgeError(_("A withdrawn entry cannot be reviewed; create a new one."))
        sources = list(entry.sources.select_related("section__document"))
        if not sources:
            raise KnowledgeError(_("The entry cites no paragraph; edit it first."))
        repealed = [s for s in sources if s.section.document.validity == Validity.EXPIRED]
        if repealed:
            raise KnowledgeError(
                _("《%(title)s》 has been repealed; change the entry's sources first.")
                % {"title": repealed[0].section.document.title}
            )
        entry.state, entry.review_on = KnowledgeState.REVIEWED, review_on
        entry.reviewed_at, entry.reviewed_by = clock.now(), actor
        entry.save(update_fields=["state", "review_on", "reviewed_at", "reviewed_by"])
        record_change(
            actor=actor,
            action="hotline.review_knowledge",
            obj=entry,
            after={"review_on": review_on.isoformat()},
        )
    return entry


def withdraw_knowledge(entry: KnowledgeEntry, *, reason: str, actor) -> KnowledgeEntry:
    """撤回: the entry answers nobody any more (kept, with the reason, in the audit trail)."""
    reason = reason.strip()
    if not reason:
        raise KnowledgeError(_("Say why the entry is withdrawn."), "reason")
    with transaction.atomic():
        entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
        entry.state = KnowledgeState.WITHDRAWN
        entry.save(update_fields=["state"])
        record_change(
            actor=actor,
            action="hotline.withdraw_knowledge",
            obj=entry,
            after={"reason": reason[:500]},
        )
    return entry
