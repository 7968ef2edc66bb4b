"""Use cases of subscriptions: following searches, topics, units and documents, the
enterprise profile, and pushing newly ingested policy to the people it is for (issue 4,
item 4: 信息找人; seed task 89: 惠企政策精准推送).

The only writer of subscriptions and profiles; every change is audited. Ingestion's
subscriptions step (``subscriptions.hooks``) calls :func:`notify_subscribers` inside its
transaction with what is new; each person gets at most one notification per new item
(``notifications.services.notify`` is idempotent on the dedupe key
``subscriptions:<kind>:<object id>``), whose reason names the most specific of the
person's matching subscriptions and lists the others.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import has_perm, role_of
from shuzheng.accounts.permissions import ENTERPRISE
from shuzheng.audit.services import record_change, snapshot
from shuzheng.documents.selectors import can_read
from shuzheng.notifications import services as notifications
from shuzheng.notifications.services import MAX_TITLE_LENGTH
from shuzheng.notifications.wording import Wording
from shuzheng.orgs.models import Region, Unit
from shuzheng.orgs.services import get_resolver
from shuzheng.search import matcher
from shuzheng.search import services as search_services
from shuzheng.search.items import DOCUMENT, SECTION, TASK, IndexItem
from shuzheng.search.query import QueryError, SearchQuery, query_from_params
from shuzheng.subscriptions import matching
from shuzheng.subscriptions.choices import EnterpriseSize, SubscriptionKind
from shuzheng.subscriptions.models import EnterpriseProfile, Subscription

logger = logging.getLogger(__name__)

PERMISSION = "manage_own_subscriptions"
#: One new item (document, section or key task) per notice: notices stored before
#: issue 14 item 4 keep this kind and its wording.
NOTIFICATION_KIND = "policy_match"
#: One new document per notice, its matching sections and key tasks listed inside.
DOCUMENT_NOTIFICATION_KIND = "policy_document_match"
MAX_SUBSCRIPTIONS_PER_OWNER = 100
MAX_TAGS = 10
BODY_LENGTH = 200
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


class SubscriptionError(ValueError):
    """Bad input to a subscriptions service; the message says what to fix, nothing changed."""


# -- reading ---------------------------------------------------------------------------------


def subscriptions_of(user) -> QuerySet[Subscription]:
    """``user``'s subscriptions, newest first (only the owner ever sees them)."""
    return (
        Subscription.objects.filter(owner=user)
        .select_related("unit")
        .order_by("-created_at", "-id")
    )


def can_have_profile(user) -> bool:
    """Enterprise profiles are for enterprise accounts (seed task 89: 惠企政策精准推送)."""
    return role_of(user) == ENTERPRISE


def profile_of(user) -> EnterpriseProfile | None:
    return EnterpriseProfile.objects.filter(owner=user).select_related("region").first()


# -- subscribing -----------------------------------------------------------------------------


def subscribe_to_search(owner, params, *, name: str = "", actor) -> Subscription:
    """Save a search: its words and facet filters, the parameters of /search/."""
    saved = checked_search_params(params)
    return _create(
        owner,
        kind=SubscriptionKind.SEARCH,
        target=matching.search_target(saved),
        fields={"params": saved},
        name=name,
        actor=actor,
    )


def subscribe_to_topic(owner, topic: str, *, name: str = "", actor) -> Subscription:
    """Follow a term: every new item using it (as a phrase) is pushed."""
    topic = checked_topic(topic)
    return _create(
        owner,
        kind=SubscriptionKind.TOPIC,
        target=topic,
        fields={"topic": topic},
        name=name,
        actor=actor,
    )


def subscribe_to_unit(owner, unit: str | Unit, *, name: str = "", actor) -> Subscription:
    """Follow a unit: documents it issues and key tasks it is responsible for. ``unit`` is a
    Unit, its code, or a name the orgs resolver places (自治区财政厅, 财政厅)."""
    unit = unit if isinstance(unit, Unit) else find_unit(unit)
    return _create(
        owner,
        kind=SubscriptionKind.UNIT,
        target=unit.code,
        fields={"unit": unit},
        name=name,
        actor=actor,
    )


def subscribe_to_document(owner, document, *, name: str = "", actor) -> Subscription:
    """Follow a document: its new versions, with how many sections and tasks changed."""
    if not can_read(owner, document):
        raise SubscriptionError(_("You cannot follow a document you may not read."))
    return _create(
        owner,
        kind=SubscriptionKind.DOCUMENT,
        target=document.identity,
        fields={
            "document": document,
            "document_identity": document.identity,
            "document_title": document.title[:500],
        },
        name=name,
        actor=actor,
    )


def _create(owner, *, kind: str, target: str, fields: dict, name: str, actor) -> Subscription:
    _check_owner(owner)
    name = _checked_name(name)
    if Subscription.objects.filter(owner=owner).count() >= MAX_SUBSCRIPTIONS_PER_OWNER:
        raise SubscriptionError(
            _("You have %(count)d subscriptions, the most one person may hold.")
            % {"count": MAX_SUBSCRIPTIONS_PER_OWNER}
        )
    now = clock.now()
    subscription = Subscription(
        owner=owner,
        kind=kind,
        name=name,
        key=matching.subscription_key(kind, target),
        created_at=now,
        updated_at=now,
        **fields,
    )
    try:
        with transaction.atomic():
            subscription.save()
            record_change(
                actor=actor,
                action="subscriptions.create",
                obj=subscription,
                after=snapshot(subscription),
            )
    except IntegrityError:
        raise SubscriptionError(_("You follow this already.")) from None
    return subscription


def update_subscription(
    subscription: Subscription,
    *,
    actor,
    name: str | None = None,
    active: bool | None = None,
    params=None,
    topic: str | None = None,
) -> Subscription:
    """Rename, pause or resume a subscription, or change a saved search's parameters or a
    topic's term. A paused subscription matches nothing until resumed."""
    before = snapshot(subscription)
    if name is not None:
        subscription.name = _checked_name(name)
    if active is not None:
        subscription.active = bool(active)
    if params is not None:
        if subscription.kind != SubscriptionKind.SEARCH:
            raise SubscriptionError(_("Only a saved search has search parameters."))
        subscription.params = checked_search_params(params)
        subscription.key = matching.subscription_key(
            subscription.kind, matching.search_target(subscription.params)
        )
    if topic is not None:
        if subscription.kind != SubscriptionKind.TOPIC:
            raise SubscriptionError(_("Only a topic subscription has a topic."))
        subscription.topic = checked_topic(topic)
        subscription.key = matching.subscription_key(subscription.kind, subscription.topic)
    subscription.updated_at = clock.now()
    try:
        with transaction.atomic():
            subscription.save()
            record_change(
                actor=actor,
                action="subscriptions.update",
                obj=subscription,
                before=before,
                after=snapshot(subscription),
            )
    except IntegrityError:
        subscription.refresh_from_db()
        raise SubscriptionError(_("You follow this already.")) from None
    return subscription


def delete_subscription(subscription: Subscription, *, actor) -> None:
    with transaction.atomic():
        before = snapshot(subscription)
        record_change(actor=actor, action="subscriptions.delete", obj=subscription, before=before)
        subscription.delete()


def save_profile(
    owner,
    *,
    industry: str = "",
    region: Region | None = None,
    size: str = "",
    tags: Iterable[str] | str = (),
    active: bool = True,
    actor,
) -> EnterpriseProfile:
    """Create or replace an enterprise's profile (seed task 89). Only enterprise accounts
    have one; ``tags`` may be a list or one string separated by commas or spaces."""
    _check_owner(owner)
    if not can_have_profile(owner):
        raise SubscriptionError(_("Only enterprise accounts have an enterprise profile."))
    industry = (industry or "").strip()
    if len(industry) > 50:
        raise SubscriptionError(_("The industry is at most 50 characters."))
    if size and size not in EnterpriseSize.values:
        raise SubscriptionError(
            _("Size must be one of: %(sizes)s.") % {"sizes": ", ".join(EnterpriseSize.values)}
        )
    tags = checked_tags(tags)
    with transaction.atomic():
        profile = EnterpriseProfile.objects.select_for_update().filter(owner=owner).first()
        before = snapshot(profile) if profile else None
        profile = profile or EnterpriseProfile(owner=owner)
        profile.industry, profile.region, profile.size = industry, region, size or ""
        profile.tags, profile.active, profile.updated_at = tags, bool(active), clock.now()
        profile.save()
        record_change(
            actor=actor,
            action="subscriptions.save_profile",
            obj=profile,
            before=before,
            after=snapshot(profile),
        )
    return profile


# -- input checks ----------------------------------------------------------------------------


def _check_owner(owner) -> None:
    if not has_perm(owner, PERMISSION):
        raise SubscriptionError(_("This account cannot hold subscriptions."))


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) > 100:
        raise SubscriptionError(_("A name is at most 100 characters."))
    return name


def checked_search_params(params) -> dict[str, str]:
    """The saved-search parameters, checked like /search/ checks them; a search with no
    words and no filter would push everything and is refused."""
    saved = matching.saved_parameters(params)
    if not saved:
        raise SubscriptionError(_("A saved search needs words or a filter."))
    try:
        query_from_params(saved).with_text_filters()
    except QueryError as error:
        raise SubscriptionError(error.describe(_)) from None
    return saved


def checked_topic(topic: str) -> str:
    topic = " ".join((topic or "").split())
    if len(topic) < 2 or len(topic) > 64:
        raise SubscriptionError(_("A topic is a term of 2 to 64 characters."))
    if any(quote in topic for quote in '"“”「」'):
        raise SubscriptionError(_("Type the topic without quotation marks."))
    return topic


def checked_tags(tags: Iterable[str] | str) -> list[str]:
    if isinstance(tags, str):
        tags = _TAG_SPLIT.split(tags)
    cleaned = list(dict.fromkeys(tag.strip() for tag in tags if tag and tag.strip()))
    if len(cleaned) > MAX_TAGS or any(len(tag) > 20 for tag in cleaned):
        raise SubscriptionError(
            _("At most %(count)d tags of up to 20 characters each.") % {"count": MAX_TAGS}
        )
    return cleaned


def find_unit(text: str) -> Unit:
    """The one unit a code or name stands for, through the orgs resolver (one resolver for
    unit names); a group (各市、县（区）) or an unknown name is refused with a message."""
    text = (text or "").strip()
    if not text:
        raise SubscriptionError(_("Name the unit to follow."))
    unit = Unit.objects.filter(code=text).first()
    if unit is not None:
        return unit
    resolution = get_resolver().resolve(text)
    if resolution.resolved and resolution.group is None and len(resolution.unit_codes) == 1:
        unit = Unit.objects.filter(code=resolution.unit_codes[0]).first()
        if unit is not None:
            return unit
    raise SubscriptionError(
        _("No single unit is called “%(name)s”; use the full name, e.g. 自治区财政厅.")
        % {"name": text}
    )


# -- matching what ingestion stored ----------------------------------------------------------

ItemKey = tuple[str, int]
#: Sections and key tasks a grouped notice lists; it counts the others.
MAX_LISTED = 20
#: Characters of a listed section's or task's text.
LISTED_EXCERPT_LENGTH = 60


def notify_subscribers(ingested: Sequence, *, actor=None) -> int:
    """Push what is new in ``ingested`` (``documents.pipeline.IngestedDocument`` objects)
    to everyone it is for; returns the notifications created (issue 4, item 4).

    Runs in the ingest transaction. Every person gets one notice per new document
    (issue 14, item 4): the matches of all their active subscriptions and their enterprise
    profile in the document's new items are gathered first, the notice lists the matching
    sections and key tasks, and :func:`matching.choose` picks the reason among the
    subscriptions that matched. Saved searches and topics are evaluated on the new items
    in memory (``search.matcher``, issue 13 item 2): their cost grows with the number of
    subscriptions, not with the library. ``notify`` is idempotent on the document's
    dedupe key, so running this twice for the same documents notifies nobody twice.
    """
    items = {(item.kind, item.object_id): item for doc in ingested for item in doc.new_items}
    if not items:
        return 0
    found: dict[tuple[int, int], dict[ItemKey, list[matching.Match]]] = defaultdict(dict)
    words: dict[int, tuple[str, ...]] = {}
    owners: dict[int, object] = {}

    def add(owner, key: ItemKey, match: matching.Match) -> None:
        found[(owner.pk, items[key].document_id)].setdefault(key, []).append(match)
        owners[owner.pk] = owner

    subscriptions, queries = _active_subscriptions()
    searches = [s for s in subscriptions if s.pk in queries]
    for subscription, keys, typed in _search_matches(searches, queries, items):
        words[subscription.pk] = typed
        for key in keys:
            add(subscription.owner, key, _match_of(subscription, items[key]))
    for subscription in subscriptions:
        if subscription.kind in (SubscriptionKind.UNIT, SubscriptionKind.DOCUMENT):
            for key in _other_matches(subscription, ingested, items):
                add(subscription.owner, key, _match_of(subscription, items[key]))
    fits: dict[tuple[int, int], dict] = {}
    for profile, key, fit in _profile_matches(ingested, items):
        add(profile.owner, key, _profile_match())
        fitted = fits.setdefault(
            (profile.owner_id, items[key].document_id),
            {"profile": profile.as_profile().summary(), "terms": []},
        )
        fitted["terms"] = list(dict.fromkeys([*fitted["terms"], *fit.terms]))
    by_document = {doc.document_id: doc for doc in ingested}
    notices = [
        _notice(
            owners[owner_id],
            by_document[document_id],
            matched,
            fit=fits.get((owner_id, document_id), {}),
            words=words,
        )
        for (owner_id, document_id), matched in found.items()
    ]
    return len(notifications.notify_many([n for n in notices if n], actor=actor))


_kept_lock = threading.Lock()
#: The active subscriptions as last read, and what they were read at (see below).
_kept: dict = {}


def _active_subscriptions() -> tuple[list[Subscription], dict[int, SearchQuery]]:
    """The active subscriptions of active people (owners and units read with them), and the
    query of each saved search and topic by subscription id.

    Kept in this process while they are the same (issue 13, Done-when: 1,000 saved searches
    read and rebuilt for every ingested document cost as much as matching them): one narrow
    query reads what they depend on — each one's target and last change, its owner's role,
    unit and address, its unit's code — and only a difference reads them again."""
    fingerprint = tuple(
        Subscription.objects.filter(active=True, owner__is_active=True)
        .order_by("pk")
        .values_list(
            "pk",
            "key",
            "updated_at",
            "owner_id",
            "owner__role",
            "owner__unit_id",
            "owner__email",
            "unit__code",
        )
    )
    with _kept_lock:
        if _kept.get("fingerprint") != fingerprint:
            subscriptions = list(
                Subscription.objects.filter(pk__in=[row[0] for row in fingerprint])
                .select_related("owner", "unit")
                .order_by("pk")
            )
            queries = {
                s.pk: saved_query(s)
                for s in subscriptions
                if s.kind in (SubscriptionKind.SEARCH, SubscriptionKind.TOPIC)
            }
            _kept.update(fingerprint=fingerprint, subscriptions=subscriptions, queries=queries)
        return _kept["subscriptions"], _kept["queries"]


def _search_matches(searches: list[Subscription], queries, items: dict[ItemKey, IndexItem]):
    """(subscription, matching item keys, the words it looks for) for every saved search
    and topic: each compiled with the subscriber's visibility (kept compiled between
    ingests, ``search.services.compile_queries``) and tested on the new items' tokens."""
    if not searches:
        return
    entries = matcher.MatchableSet(search_services.matchable_items(items.values()))
    compiled = search_services.compile_queries(
        (queries[subscription.pk], subscription.owner) for subscription in searches
    )
    for subscription, query in zip(searches, compiled, strict=True):
        if isinstance(query, QueryError):
            logger.warning("saved search %s no longer runs; skipped", subscription.pk)
            continue
        hits = entries.find(query.plan, query.filters)
        if hits:
            keys = [(entry.item.kind, entry.item.object_id) for entry in hits]
            yield subscription, keys, query.words


def _other_matches(subscription, ingested, items) -> set[ItemKey]:
    if subscription.kind == SubscriptionKind.UNIT:
        return {
            key
            for key, item in items.items()
            if subscription.unit.code in _unit_codes(item) and _may_see(subscription.owner, item)
        }
    return {
        (DOCUMENT, doc.document_id)
        for doc in ingested
        if doc.is_new_version
        and doc.identity == subscription.document_identity
        and (DOCUMENT, doc.document_id) in items
        and _may_see(subscription.owner, items[(DOCUMENT, doc.document_id)])
    }


def saved_query(subscription: Subscription) -> SearchQuery:
    """The search a saved search or topic runs; a topic is its term as a phrase."""
    if subscription.kind == SubscriptionKind.TOPIC:
        return SearchQuery(text=f"“{subscription.topic}”")
    return query_from_params(subscription.params)


def _unit_codes(item: IndexItem) -> tuple[str, ...]:
    """Documents by their issuers ("documents issued by"), tasks by their responsible units
    ("tasks assigned to"); sections belong to their document."""
    if item.kind == DOCUMENT:
        return item.issuer_codes
    if item.kind == TASK:
        return item.unit_codes
    return ()


def _may_see(user, item: IndexItem) -> bool:
    return item.is_public or search_services.may_see_non_public(user)


def _profile_matches(ingested, items):
    """(profile, item key, fit) for every active enterprise profile and every new section
    or task that fits it; a document is matched whole only when it has no sections or tasks
    (a short notice), so a profile never hears of the same passage twice."""
    profiles = list(
        EnterpriseProfile.objects.filter(
            active=True, owner__is_active=True, owner__role=ENTERPRISE
        ).select_related("owner", "region")
    )
    if not profiles:
        return
    candidates = [
        (key, item)
        for key, item in items.items()
        if item.kind in (SECTION, TASK) or not _has_parts(ingested, item.document_id)
    ]
    for profile in profiles:
        shape = profile.as_profile()
        for key, item in candidates:
            if not _may_see(profile.owner, item):
                continue
            fit = matching.profile_fit(f"{item.heading}\n{item.body}", shape)
            if fit is not None:
                yield profile, key, fit


def _has_parts(ingested, document_id: int) -> bool:
    return any(doc.document_id == document_id and doc.has_parts for doc in ingested)


def _match_of(subscription: Subscription, item: IndexItem) -> matching.Match:
    """How ``item`` reaches the subscription's owner; the reason is worded at display
    (:func:`word_policy_match`) from the kind and the subscription's label."""
    if subscription.kind == SubscriptionKind.SEARCH:
        specificity = matching.search_specificity(subscription.params)
    else:
        specificity = matching.SPECIFICITY[subscription.kind]
    return matching.Match(subscription.kind, subscription.pk, specificity, "", subscription.label)


def _profile_match() -> matching.Match:
    return matching.Match(matching.PROFILE, None, matching.SPECIFICITY[matching.PROFILE], "", "")


def _notice(owner, doc, matched: dict[ItemKey, list[matching.Match]], *, fit, words):
    """The one notice to ``owner`` about the new document ``doc`` (None when they may not
    see it): the sections and key tasks of it that matched, and why (the most specific
    match first)."""
    document_item = next(item for item in doc.new_items if item.kind == DOCUMENT)
    if not _may_see(owner, document_item):
        return None
    every = [match for matches in matched.values() for match in matches]
    primary, others = matching.choose(_distinct_sources(every))
    reasons = [
        {
            "source": match.source,
            "label": match.label,
            "words": list(words.get(match.subscription_id, ())),
            **(fit if match.source == matching.PROFILE else {}),
        }
        for match in [primary, *others]
    ]
    parts = [item for item in doc.new_items if item.kind != DOCUMENT]
    listed = [item for item in parts if (item.kind, item.object_id) in matched]
    params = {
        **_document_params(document_item, doc),
        "matches": [_listed_params(item) for item in listed[:MAX_LISTED]],
        "more": max(0, len(listed) - MAX_LISTED),
        "counts": {
            kind: sum(1 for item in listed if item.kind == kind) for kind in (SECTION, TASK)
        },
        "reasons": reasons,
    }
    return notifications.Notice(
        owner,
        kind=DOCUMENT_NOTIFICATION_KIND,
        params=params,
        link=_link(listed[0] if len(listed) == 1 else document_item),
        dedupe_key=f"subscriptions:document:{doc.document_id}",
    )


def _distinct_sources(matches: list[matching.Match]) -> list[matching.Match]:
    """Each subscription (and the profile) once."""
    seen: dict[tuple[str, int | None], matching.Match] = {}
    for match in matches:
        seen.setdefault((match.source, match.subscription_id), match)
    return list(seen.values())


def _document_params(item: IndexItem, doc) -> dict:
    """What the notice names of the new document: its title and number as written, an
    excerpt and, for a new version, how much of it is new."""
    text = " ".join(item.body.split())
    params = {
        "title": item.title,
        "doc_number": item.doc_number,
        "new_version": doc.is_new_version,
        "excerpt": text if len(text) <= BODY_LENGTH else text[: BODY_LENGTH - 1] + "…",
    }
    if doc.is_new_version:
        parts = [i for i in doc.new_items if i.kind != DOCUMENT]
        sections = sum(1 for i in parts if i.kind == SECTION)
        params |= {"version": doc.version, "sections": sections, "tasks": len(parts) - sections}
    return params


def _listed_params(item: IndexItem) -> dict:
    """A matching section or key task as the notice lists it: the text after the
    heading's line (the notice names the heading)."""
    first, _newline, rest = item.body.strip().partition("\n")
    body = rest if item.heading and item.heading in first and rest.strip() else item.body
    text = " ".join(body.split())
    if len(text) > LISTED_EXCERPT_LENGTH:
        text = text[: LISTED_EXCERPT_LENGTH - 1] + "…"
    return {
        "item": item.kind,
        "heading": item.heading,
        "task_number": item.task_number,
        "anchor": item.anchor,
        "excerpt": text,
    }


def word_document_match(params) -> Wording:
    """A new document for the reader with its matching sections and key tasks listed, in
    the active language, and why: the most specific match first, the others after "also:"
    (issue 14, item 4: one notice per new document)."""
    title = (
        _("New version of %(title)s") % {"title": params["title"]}
        if params["new_version"]
        else _("New document: %(title)s") % {"title": params["title"]}
    )
    if len(title) > MAX_TITLE_LENGTH:
        title = title[: MAX_TITLE_LENGTH - 1] + "…"
    lines = []
    if params["new_version"]:
        lines.append(
            _("Version %(version)d — new or changed: %(sections)d sections, %(tasks)d key tasks.")
            % {
                "version": params["version"],
                "sections": params["sections"],
                "tasks": params["tasks"],
            }
        )
    if params["matches"]:
        lines.append(
            _("Matching in it: %(sections)d sections, %(tasks)d key tasks.")
            % {"sections": params["counts"][SECTION], "tasks": params["counts"][TASK]}
        )
        lines += [f"· {_listed_line(match)}" for match in params["matches"]]
        if params["more"]:
            lines.append(_("… and %(count)d more.") % {"count": params["more"]})
    else:
        lines.append(params["excerpt"])
    return Wording(
        title=title,
        body="\n".join(lines),
        reason=matching.combined_reason(
            *_reasons(params["reasons"]), _("also:"), limit=MAX_TITLE_LENGTH
        ),
    )


def _listed_line(match: dict) -> str:
    if match["item"] == TASK:
        return _("Key task %(number)s: %(title)s") % {
            "number": match["task_number"],
            "title": match["excerpt"],
        }
    if not match["heading"]:
        return match["excerpt"]
    return _("%(heading)s: %(excerpt)s") % {
        "heading": match["heading"],
        "excerpt": match["excerpt"],
    }


def word_policy_match(params) -> Wording:
    """A new document, section or key task for the reader, in the active language, with
    why: the most specific match first, the others after "also:" (issue 4, item 4)."""
    return Wording(
        title=_policy_title(params),
        body=_policy_body(params),
        reason=matching.combined_reason(
            *_reasons(params["reasons"]), _("also:"), limit=MAX_TITLE_LENGTH
        ),
    )


def _policy_title(params) -> str:
    if params["item"] == DOCUMENT:
        title = (
            _("New version of %(title)s") % {"title": params["title"]}
            if params["new_version"]
            else _("New document: %(title)s") % {"title": params["title"]}
        )
    elif params["item"] == SECTION:
        heading = params["heading"]
        title = f"{heading} — {params['title']}" if heading else params["title"]
    else:
        title = _("Key task %(number)s: %(title)s") % {
            "number": params["task_number"],
            "title": params["title"],
        }
    return title if len(title) <= MAX_TITLE_LENGTH else title[: MAX_TITLE_LENGTH - 1] + "…"


def _policy_body(params) -> str:
    if not params["new_version"]:
        return params["excerpt"]
    changed = _(
        "Version %(version)d — new or changed: %(sections)d sections, %(tasks)d key tasks."
    ) % {"version": params["version"], "sections": params["sections"], "tasks": params["tasks"]}
    return f"{changed}\n{params['excerpt']}"


def _reasons(reasons: list[dict]) -> tuple[matching.Match, list[matching.Match]]:
    """The stored matches again, each with its reason and label worded."""
    worded = [
        matching.Match(r["source"], None, 0, _reason_text(r), r["label"] or _label_text(r))
        for r in reasons
    ]
    return worded[0], worded[1:]


def _reason_text(reason: dict) -> str:
    source, label = reason["source"], reason["label"]
    found = "、".join(reason.get("words") or ())
    if source == SubscriptionKind.SEARCH and found:
        return _("matches your saved search %(search)s, finding %(words)s") % {
            "search": label,
            "words": found,
        }
    if source == SubscriptionKind.SEARCH:
        return _("matches your saved search %(search)s") % {"search": label}
    if source == SubscriptionKind.TOPIC:
        return _("mentions the topic you follow: %(topic)s") % {"topic": label}
    if source == SubscriptionKind.UNIT:
        return _("you follow %(unit)s") % {"unit": label}
    if source == SubscriptionKind.DOCUMENT:
        return _("you follow this document: %(title)s") % {"title": label}
    return _("fits your enterprise profile: %(profile)s (mentions %(terms)s)") % {
        "profile": reason["profile"] or _("all enterprises"),
        "terms": "、".join(reason["terms"]),
    }


def _label_text(reason: dict) -> str:
    return _("your enterprise profile")


def _link(item: IndexItem) -> str:
    base = f"/documents/{item.document_id}/"
    return f"{base}#{item.anchor}" if item.kind != DOCUMENT and item.anchor else base
