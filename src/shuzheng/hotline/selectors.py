"""Reads of the hotline: the catalog, requests with their lead unit, callers' history."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DateField, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Trunc
from django.urls import reverse
from django.utils.html import strip_tags

from shuzheng import clock
from shuzheng.accounts.permissions import UNIT_BOUND_ROLES
from shuzheng.documents.selectors import visible_documents
from shuzheng.hotline import (
    duplicates,
    geography,
    hotspots,
    knowledge,
    privacy,
    rates,
    suggest,
)
from shuzheng.hotline.choices import (
    CLOSED_STATES,
    AssignmentState,
    DisputeState,
    DutyRole,
    KnowledgeState,
    Satisfaction,
)
from shuzheng.hotline.models import (
    Assignment,
    Callback,
    Dispute,
    DutyEntry,
    KnowledgeEntry,
    KnowledgeSource,
    ServiceCategory,
    ServiceRequest,
)
from shuzheng.orgs.models import Region, Unit
from shuzheng.search import services as search_services
from shuzheng.search.choices import Validity
from shuzheng.search.items import SECTION
from shuzheng.search.query import QueryError, SearchQuery
from shuzheng.text.titles import short_title

#: Assignments that say who handles a request now (returned and withdrawn ones do not).
CURRENT_LEAD_STATES = (
    AssignmentState.DISPATCHED,
    AssignmentState.ACCEPTED,
    AssignmentState.REPLIED,
)


def active_services() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(is_active=True).prefetch_related("attributes")


def service(code: str) -> ServiceCategory | None:
    return active_services().filter(code=code).first()


def requests_with_lead() -> QuerySet[ServiceRequest]:
    """Requests with category and the current lead assignment(s) (``current_leads``), and
    the master's of a merged request."""
    leads = Assignment.objects.filter(role=DutyRole.LEAD, state__in=CURRENT_LEAD_STATES)
    leads = leads.select_related("unit").order_by("-assigned_at", "-id")
    return ServiceRequest.objects.select_related("category", "region", "master").prefetch_related(
        Prefetch("assignments", queryset=leads, to_attr="current_leads"),
        # A merged request is handled by its master's unit (``handling_unit``).
        Prefetch("master__assignments", queryset=leads, to_attr="current_leads"),
    )


def current_lead_unit(request: ServiceRequest):
    """The unit handling ``request`` now, or None (from ``requests_with_lead``)."""
    leads = getattr(request, "current_leads", None)
    if leads is None:
        leads = list(
            request.assignments.filter(role=DutyRole.LEAD, state__in=CURRENT_LEAD_STATES)
            .select_related("unit")
            .order_by("-assigned_at", "-id")
        )
    return leads[0].unit if leads else None


def handling_unit(request: ServiceRequest):
    """The unit handling ``request``: the master's for a merged request (合并), which carries
    the work; else its own current lead unit."""
    return current_lead_unit(request.master if request.master_id else request)


def merge_candidates(request: ServiceRequest) -> list[tuple[ServiceRequest, duplicates.Match]]:
    """The near duplicates of ``request`` that may be merged under it (issue 15, point 6):
    same place and topic within the window (``near_duplicates``), open, not merged and with
    nothing merged under them, best first."""
    if request.master_id is not None or request.state in CLOSED_STATES:
        return []
    found = near_duplicates(request.description, request.region, request.lat, request.long)
    keys = [row.pk for row, _match in found if row.pk != request.pk]
    mergeable = set(
        ServiceRequest.objects.filter(pk__in=keys, master__isnull=True, merged__isnull=True)
        .exclude(state__in=CLOSED_STATES)
        .values_list("pk", flat=True)
    )
    return [(row, match) for row, match in found if row.pk in mergeable]


def merged_under(master: ServiceRequest) -> list[dict]:
    """The requests merged under ``master``, each with its caller masked and whether the
    caller is told over the notification channels (an account) or by an operator's call."""
    rows = master.merged.select_related("caller", "region").order_by("merged_at", "id")
    return [
        {
            "request": row,
            "caller": masked_caller(row),
            "notified": bool(row.caller_id and row.caller.user_id),
        }
        for row in rows
    ]


# --- the learned suggestion (issue 15, point 2) ----------------------------------------------

_suggester_lock = threading.Lock()
_suggester: tuple[tuple, suggest.Suggester] | None = None


def _teaching_requests() -> QuerySet[ServiceRequest]:
    """Closed requests under a real category: what the suggester learns from."""
    return ServiceRequest.objects.filter(
        state__in=CLOSED_STATES, category__is_general=False, category__is_active=True
    )


def suggester() -> suggest.Suggester:
    """The suggester of the active catalog, the duty map and the closed requests; one per
    process, built again when any of them changed (catalog and duty map compared whole,
    requests by count and newest change)."""
    global _suggester
    categories = [
        suggest.Category(c.code, c.name, c.description, tuple(c.keywords), c.is_general)
        for c in ServiceCategory.objects.filter(is_active=True).order_by("code")
    ]
    duties = [
        suggest.Duty(category, region, unit, role, basis)
        for category, region, unit, role, basis in DutyEntry.objects.filter(
            category__is_active=True
        )
        .order_by("pk")
        .values_list("category__code", "region__code", "unit__code", "role", "basis")
    ]
    taught = _teaching_requests().aggregate(count=Count("pk"), newest=Max("updated_at"))
    key = (tuple(categories), tuple(duties), taught["count"], taught["newest"])
    with _suggester_lock:
        if _suggester is None or _suggester[0] != key:
            built = suggest.Suggester(categories, duties)
            built.learn(
                _teaching_requests().values_list("description", "category__code").iterator()
            )
            _suggester = (key, built)
        return _suggester[1]


def suggestions(description: str, region=None, limit: int = 3) -> list[suggest.Suggestion]:
    """Ranked categories and units for a description being typed (the console's 分类建议),
    each with the words that decided and the duty-map entry; ``region`` (an orgs Region) is
    walked upwards to find the unit."""
    regions = []
    while region is not None:
        regions.append(region.code)
        region = region.parent
    return suggester().suggest(description, regions, limit=limit)


#: How far around a point stored requests are read before the exact distance decides: 0.01°
#: is about 1.1 km of latitude and 0.9 km of longitude in Ningxia, above the 300 m radius.
_AROUND = Decimal("0.01")


def near_duplicates(
    description: str, region=None, lat=None, long=None, window=dt.timedelta(days=7)
) -> list[tuple[ServiceRequest, duplicates.Match]]:
    """Stored requests that look like the one being typed — same place and topic within
    ``window`` (rules in ``hotline.duplicates``) — best first, for the console and merging."""
    now = clock.now()
    place = Q(region=region) if region is not None else Q(pk__in=[])
    if lat is not None and long is not None:
        lat, long = Decimal(str(lat)), Decimal(str(long))
        place |= Q(lat__range=(lat - _AROUND, lat + _AROUND)) & Q(
            long__range=(long - _AROUND, long + _AROUND)
        )
    stored = {
        str(request.pk): request
        for request in ServiceRequest.objects.filter(place, requested_at__gte=now - window)
        .select_related("region", "category")
        .order_by("-requested_at")[:500]
    }

    def report(key, text, region_code, at, lat, long):
        point = (float(lat), float(long)) if lat is not None and long is not None else (None, None)
        return duplicates.Report(key, text, region_code, at, *point)

    new = report("", description, region.code if region else "", now, lat, long)
    matches = duplicates.near_duplicates(
        new,
        (
            report(key, r.description, r.region.code, r.requested_at, r.lat, r.long)
            for key, r in stored.items()
        ),
        suggester().tokenize,
        window=window,
    )
    return [(stored[match.report.key], match) for match in matches]


# --- pages ------------------------------------------------------------------------------------


def public_request(number: str) -> ServiceRequest | None:
    """A request by its tracking number, for its public view (the caller is not read)."""
    return (
        requests_with_lead()
        .select_related("chosen_category", "master")
        .filter(number=number)
        .first()
    )


@dataclass(frozen=True)
class Step:
    """One dated step of a request as the public sees it: no text, no personal data."""

    at: dt.datetime
    kind: str
    unit: str = ""
    satisfaction: str = ""
    #: The master's number on a "merged" step.
    master: str = ""

    @property
    def satisfaction_label(self) -> str:
        return str(Satisfaction(self.satisfaction).label) if self.satisfaction else ""


def public_steps(request: ServiceRequest) -> list[Step]:
    """Received, each reply (by which unit) and each callback (its verdict), oldest first.
    A merged request shows when it was merged and the master's replies and callbacks from
    then on (the master carries the work)."""
    steps = [Step(request.requested_at, "received")]
    worked = request
    if request.master_id is not None:
        worked = request.master
        steps.append(Step(request.merged_at, "merged", master=worked.number))
    steps += [
        Step(at, "replied", unit=unit)
        for at, unit in worked.replies.values_list("created_at", "unit__name")
    ]
    steps += [
        Step(at, "called_back", satisfaction=verdict)
        for at, verdict in worked.callbacks.values_list("created_at", "satisfaction")
    ]
    return sorted(steps, key=lambda step: step.at)


def masked_caller(request: ServiceRequest) -> dict | None:
    """The caller's record as everyone but the handling unit sees it (``hotline.privacy``)."""
    caller = request.caller
    if caller is None:
        return None
    return {
        "name": privacy.mask_name(caller.name),
        "phone": privacy.mask_phone(caller.phone),
        "email": privacy.mask_email(caller.email),
        "address": privacy.mask_address(caller.address),
    }


def caller_history(phone: str, limit: int = 20) -> list[ServiceRequest]:
    """The requests of the caller with this number, newest first, found by the number's
    HMAC-SM3 key (``Caller.phone_key``): the console shows the number masked."""
    key = privacy.phone_key(settings.SECRET_KEY, phone)
    if not key:
        return []
    return list(
        ServiceRequest.objects.filter(caller__phone_key=key)
        .select_related("category", "region")
        .order_by("-requested_at", "-id")[:limit]
    )


_region_names_lock = threading.Lock()
_region_names: tuple[tuple, list[tuple[str, str, str]]] | None = None


def region_names() -> list[tuple[str, str, str]]:
    """(code, name, short name) of every region, what ``geography.region_named_in`` reads an
    address against: one copy per process, read again when the registry changed (by the
    count and the newest change of its regions) — every intake reads it (issue 15 intake
    benchmark: the whole list on each request was a tenth of the intake's time)."""
    global _region_names
    state = Region.objects.aggregate(count=Count("pk"), newest=Max("updated_at"))
    key = (state["count"], state["newest"])
    with _region_names_lock:
        if _region_names is None or _region_names[0] != key:
            rows = list(Region.objects.values_list("code", "name", "short_name"))
            _region_names = (key, rows)
        return _region_names[1]


def region_named(address: str):
    """The most specific region of Ningxia an address names, or None."""
    if not address.strip():
        return None
    code = geography.region_named_in(address, region_names())
    return Region.objects.select_related("parent__parent__parent").filter(code=code).first()


def requests_for(user) -> QuerySet[ServiceRequest]:
    """The requests a reader of units' work sees: their unit's (dispatched to it, accepted or
    replied, as lead or assisting unit), every request for those who read every unit's work."""
    rows = requests_with_lead().select_related("chosen_category")
    if getattr(user, "unit_id", None) and user.role in UNIT_BOUND_ROLES:
        mine = Assignment.objects.filter(unit_id=user.unit_id, state__in=CURRENT_LEAD_STATES)
        rows = rows.filter(pk__in=mine.values("request_id"))
    return rows


def overdue(now=None) -> QuerySet[ServiceRequest]:
    """Open requests past their resolution limit (red lights), the longest overdue first;
    a merged request is its master's (it follows the master, which is listed)."""
    now = now or clock.now()
    return (
        requests_with_lead()
        .exclude(state__in=CLOSED_STATES)
        .filter(resolution_due_at__lt=now, master__isnull=True)
        .select_related("supervised_task")
        .order_by("resolution_due_at", "id")
    )


def open_disputes() -> QuerySet[Dispute]:
    """Disputes waiting for a supervisor, oldest first, with the returns and their reasons."""
    returns = Assignment.objects.filter(state=AssignmentState.RETURNED).select_related("unit")
    return (
        Dispute.objects.filter(state=DisputeState.OPEN)
        .select_related("request__category", "request__region")
        .prefetch_related(Prefetch("request__assignments", queryset=returns, to_attr="returns"))
        .order_by("opened_at", "id")
    )


def request_trail(request: ServiceRequest) -> dict:
    """The handling trail of a request for the units and supervisors: every assignment with
    its reason, the replies, the callbacks and the attachments."""
    return {
        "assignments": list(
            request.assignments.select_related("unit").order_by("assigned_at", "id")
        ),
        "replies": list(request.replies.select_related("unit").order_by("created_at", "id")),
        "callbacks": list(request.callbacks.order_by("created_at", "id")),
        "attachments": list(request.attachments.all()),
    }


def _city_of(region) -> str:
    """The prefecture-level city a region lies in (the region itself above that level)."""
    current = region
    while current is not None and current.level not in ("city", "province"):
        current = current.parent
    return (current or region).name


def _lead_outcomes(assignments) -> list[tuple[Assignment, rates.Outcome]]:
    """One outcome per current lead assignment (``hotline.rates``): the request's limits, the
    unit's 签收, the resolution if the unit replied, the latest callback on its reply."""
    leads = assignments.filter(role=DutyRole.LEAD, state__in=CURRENT_LEAD_STATES)
    latest = {}
    for request_id, unit_id, verdict in (
        Callback.objects.filter(request_id__in=leads.values("request_id"))
        .order_by("created_at", "id")
        .values_list("request_id", "reply__unit_id", "satisfaction")
    ):
        latest[(request_id, unit_id)] = verdict
    return [
        (
            assignment,
            rates.Outcome(
                unit=assignment.unit.name,
                region=_city_of(assignment.request.region),
                response_due_at=assignment.request.response_due_at,
                resolution_due_at=assignment.request.resolution_due_at,
                responded_at=assignment.accepted_at,
                resolved_at=assignment.request.resolved_at
                if assignment.state == AssignmentState.REPLIED
                else None,
                satisfaction=latest.get((assignment.request_id, assignment.unit_id)),
            ),
        )
        for assignment in leads.select_related("unit", "request__region__parent__parent")
    ]


def rates_by_unit_and_region(now=None) -> tuple[dict, dict]:
    """响应率, 解决率, 满意率 per lead unit and per city (``hotline.rates``): one outcome per
    lead assignment that was not returned or withdrawn, the request's latest callback on
    that unit's reply."""
    now = now or clock.now()
    outcomes = [outcome for _assignment, outcome in _lead_outcomes(Assignment.objects.all())]
    return (
        rates.summarise(outcomes, now, rates.by_unit),
        rates.summarise(outcomes, now, rates.by_region),
    )


def year_rates_by_unit_id(year: int, as_of: dt.date) -> dict[int, rates.Rates]:
    """The rates of each lead unit (by id) for the requests received in ``year`` (local
    time), judged at the end of ``as_of`` (the assessment day): what the ledger's assessment
    scores as the hotline's indicators (issue 15, point 4). Three queries."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    now = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    received = Assignment.objects.filter(
        request__requested_at__gte=start,
        request__requested_at__lt=min(now, dt.datetime(year + 1, 1, 1, tzinfo=zone)),
    )
    found: dict[int, rates.Rates] = {}
    for assignment, outcome in _lead_outcomes(received):
        found[assignment.unit_id] = found.get(assignment.unit_id, rates.Rates()).add(outcome, now)
    return found


@dataclass(frozen=True)
class HotSpots:
    """The counts behind the hot-spot views: the periods shown (oldest first), one cell per
    category × place × period, and the names of the categories and places by code."""

    kind: str
    level: str
    starts: list[dt.date]
    cells: list[hotspots.Cell]
    categories: dict[str, str]
    places: dict[str, str]

    def list_url(self, category: str = "", place: str = "", start: dt.date | None = None) -> str:
        """我的工单 filtered to what a number counted: the category, the place, and one
        period (from ``start``) or all the periods shown."""
        since = start or self.starts[0]
        until = hotspots.period_end(self.kind, start or self.starts[-1])
        query = {"category": category, "place": place}
        query = {key: value for key, value in query.items() if value}
        query |= {"since": since.isoformat(), "until": until.isoformat()}
        return reverse("hotline:mine") + "?" + urlencode(query)


def hot_spot_counts(kind: str, level: str, shown: int, today: dt.date | None = None) -> HotSpots:
    """Requests per category, place (the city or county their region lies in, ``level``)
    and period (``kind``: week or month, local time) over the ``shown`` periods up to
    ``today``'s (热点, issue 15 point 6). Every request counts, merged ones too: each call
    about a matter is heat. Two queries (the counts, the regions)."""
    if kind not in hotspots.PERIOD_KINDS or level not in hotspots.PLACE_LEVELS:
        raise ValueError(f"unknown period {kind!r} or level {level!r}")
    today = today or clock.today()
    starts = hotspots.periods(kind, today, shown)
    zone = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(starts[0], dt.time(), tzinfo=zone)
    period = Trunc("requested_at", kind, output_field=DateField(), tzinfo=zone)
    rows = (
        ServiceRequest.objects.filter(requested_at__gte=since)
        .annotate(period=period)
        .values_list("period", "category__code", "category__name", "region_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    place_of = _places_at(level)
    counts: dict[tuple, int] = {}
    categories: dict[str, str] = {}
    for start, code, name, region_id, count in rows:
        place = place_of.get(region_id)
        if place is None or start not in starts:
            continue
        categories[code] = name
        key = (code, place[0], start)
        counts[key] = counts.get(key, 0) + count
    cells = [hotspots.Cell(*key, count) for key, count in counts.items()]
    places = {code: name for code, name in place_of.values()}
    return HotSpots(kind, level, starts, cells, categories, places)


def _places_at(level: str) -> dict[int, tuple[str, str]]:
    """Each region's (code, name) at ``level``: itself or the ancestor at that level; none
    for a region above it (a request placed only at 宁夏 has no city)."""
    regions = {
        pk: (code, name, region_level, parent_id)
        for pk, code, name, region_level, parent_id in Region.objects.values_list(
            "pk", "code", "name", "level", "parent_id"
        )
    }
    found = {}
    for pk in regions:
        current = pk
        while current is not None and regions[current][2] != level:
            current = regions[current][3]
        if current is not None:
            found[pk] = regions[current][:2]
    return found


def names_for(category_codes, unit_codes) -> dict:
    """The names of categories and units given by code (the suggestion holds codes)."""
    return {
        "categories": dict(
            ServiceCategory.objects.filter(code__in=category_codes).values_list("code", "name")
        ),
        "units": dict(Unit.objects.filter(code__in=unit_codes).values_list("code", "name")),
    }


# --- knowledge answers (即问即答) -------------------------------------------------------------

#: How many knowledge answers and drafted answers a form shows while one types.
ANSWERS_SHOWN = 3
DRAFTS_SHOWN = 2


def knowledge_entries() -> QuerySet[KnowledgeEntry]:
    """Every knowledge entry with its owner and service, ``cited`` (paragraphs) and
    ``repealed`` (of them in repealed documents) counted for ``knowledge.status``."""
    return (
        KnowledgeEntry.objects.select_related("owner", "category")
        .annotate(
            cited=Count("sources", distinct=True),
            repealed=Count(
                "sources",
                filter=Q(sources__section__document__validity=Validity.EXPIRED),
                distinct=True,
            ),
        )
        .order_by("-updated_at", "-id")
    )


def with_status(entries, today: dt.date | None = None):
    """Set ``status`` (``hotline.knowledge``) on each annotated entry; returns them."""
    today = today or clock.today()
    for entry in entries:
        entry.status = knowledge.status(
            entry.state, entry.review_on, today, cited=entry.cited, repealed=entry.repealed
        )
    return entries


def active_knowledge() -> QuerySet[KnowledgeEntry]:
    """The entries that answer: reviewed, cited, before their review date, no cited
    document repealed (the SQL of ``knowledge.status`` == active)."""
    today = clock.today()
    return knowledge_entries().filter(
        state=KnowledgeState.REVIEWED, review_on__gte=today, cited__gt=0, repealed=0
    )


def knowledge_sources(entry: KnowledgeEntry, user=None) -> list[KnowledgeSource]:
    """The entry's cited paragraphs with their documents; with ``user``, only those in
    documents ``user`` may read (an answer shows only sources its reader can open)."""
    sources = entry.sources.select_related("section__document")
    if user is not None:
        sources = sources.filter(section__document__in=visible_documents(user))
    return list(sources)


@dataclass(frozen=True)
class Citation:
    """A paragraph an answer rests on, as the forms show it: 《title》（number） heading."""

    title: str
    doc_number: str
    label: str
    url: str
    repealed: bool = False


def citation_of(section) -> Citation:
    document = section.document
    return Citation(
        short_title(document.title),
        document.doc_number,
        f"{section.number_label}{section.heading}",
        f"{reverse('documents:detail', args=[document.pk])}#{section.anchor}",
        document.validity == Validity.EXPIRED,
    )


@dataclass(frozen=True)
class Answer:
    """A suggested answer: a reviewed entry (``entry`` set) or a paragraph the policy
    library's search found (a draft, ``entry`` None); never without a citation."""

    text: str
    citations: tuple[Citation, ...]
    entry: KnowledgeEntry | None = None
    words: tuple[str, ...] = ()
    #: A draft's paragraph excerpt as the search marks it (escaped HTML with ``<mark>``).
    snippet_html: str = ""


def knowledge_answers(description: str, user=None, region=None) -> dict[str, list[Answer]]:
    """While someone types a request (the console, the public form): up to three reviewed
    knowledge entries matching it (``hotline.knowledge.rank``) and up to two paragraphs the
    policy library's search (``search.services.search``, the one search interface) finds for
    the words that decide its likely service. Each answer cites its paragraphs, only ones
    ``user`` may open; an answer with none left is not shown."""
    if ServiceCategory.objects.filter(is_active=True).exists():
        found, tokenize = suggestions(description, region), suggester().tokenize
    else:  # no catalog yet: no likely service, words cut the plain way
        found, tokenize = [], _plain_tokenizer()
    categories = [s.code for s in found]
    entries = {
        entry.pk: entry
        for entry in active_knowledge().only(
            "pk", "question", "keywords", "answer", "category__code", "owner__name"
        )
    }
    pure = [
        knowledge.Entry(e.pk, e.question, e.keywords, e.category.code if e.category else "")
        for e in entries.values()
    ]
    answers = []
    for match in knowledge.rank(description, pure, tokenize, categories=categories):
        entry = entries[match.entry.key]
        citations = tuple(citation_of(s.section) for s in knowledge_sources(entry, user))
        if citations and len(answers) < ANSWERS_SHOWN:
            answers.append(Answer(entry.answer, citations, entry, match.shared))
    words = list(found[0].words) if found else []
    words += [word for word in tokenize(description) if len(word) > 1 and word not in words]
    cited = {c.url for a in answers for c in a.citations}
    return {"answers": answers, "drafts": _drafted_answers(words, user, cited)}


_plain: list[suggest.Tokenizer] = []


def _plain_tokenizer() -> suggest.Tokenizer:
    with _suggester_lock:
        if not _plain:
            _plain.append(suggest.Tokenizer())
        return _plain[0]


def _drafted_answers(words: list[str], user, cited: set[str]) -> list[Answer]:
    """Paragraphs of the library the reviewed answers do not cite already."""
    drafts: list[Answer] = []
    seen = set()
    for text in knowledge.search_texts(words):
        try:
            query = SearchQuery(text=text, kind=SECTION, validity=Validity.CURRENT, per_page=3)
            results = search_services.search(query, user=user)
        except QueryError:
            continue
        for hit in results.hits:
            if (hit.document_id, hit.anchor) in seen or not hit.anchor or hit.url in cited:
                continue
            seen.add((hit.document_id, hit.anchor))
            label = hit.heading
            citation = Citation(hit.short_title, hit.doc_number, label, hit.highlighted_url)
            drafts.append(
                Answer(
                    strip_tags(hit.snippet),
                    (citation,),
                    None,
                    tuple(hit.highlight),
                    snippet_html=hit.snippet,
                )
            )
            if len(drafts) == DRAFTS_SHOWN:
                return drafts
    return drafts
