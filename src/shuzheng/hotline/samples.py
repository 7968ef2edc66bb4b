"""The hotline's sample data for ``shuzheng loadsample`` (示例数据): the service catalog with
its duty map and bureaus, the knowledge base's sample entries, each citing a paragraph of the
sample gazette (so it needs the gazette ingested first), and — with the demonstration
history only — a year of sample requests (:func:`load_sample_requests`)."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from pathlib import Path

from django.db import transaction

from shuzheng import clock
from shuzheng.documents.selectors import current_section
from shuzheng.hotline.choices import (
    AssignmentState,
    CallbackBy,
    Channel,
    DutyRole,
    RequestState,
    Satisfaction,
)
from shuzheng.hotline.models import (
    Assignment,
    Callback,
    KnowledgeEntry,
    Reply,
    ServiceCategory,
    ServiceRequest,
)
from shuzheng.hotline.services import (
    _limits,
    load_sample_catalog,
    review_knowledge,
    route,
    save_knowledge,
)
from shuzheng.orgs.models import Region, Unit

SAMPLE_KNOWLEDGE = Path(__file__).resolve().parent / "data" / "knowledge.json"
#: Sample entries are due for review a year after they are loaded.
SAMPLE_REVIEW_DAYS = 365


def load_sample_hotline() -> str:
    """Catalog and knowledge entries; idempotent (entries matched by their question)."""
    catalog = load_sample_catalog()
    return f"{catalog}; knowledge entries: {load_sample_knowledge()}"


def load_sample_knowledge() -> str:
    data = json.loads(SAMPLE_KNOWLEDGE.read_text(encoding="utf-8"))
    created = kept = skipped = 0
    review_on = clock.today() + dt.timedelta(days=SAMPLE_REVIEW_DAYS)
    for item in data["entries"]:
        if KnowledgeEntry.objects.filter(question=item["question"], is_sample=True).exists():
            kept += 1
            continue
        sections = [current_section(title, path) for title, path in item["sources"]]
        owner = Unit.objects.filter(code=item["owner"]).first()
        if owner is None or None in sections:
            skipped += 1  # the sample gazette or the registry is not loaded
            continue
        with transaction.atomic():
            entry = save_knowledge(
                None,
                question=item["question"],
                answer=item["answer"],
                keywords=item.get("keywords", ""),
                category=ServiceCategory.objects.filter(code=item.get("category", "")).first(),
                owner=owner,
                review_on=review_on,
                sections=sections,
                actor=None,
                is_sample=True,
            )
            review_knowledge(entry, review_on=review_on, actor=None)
        created += 1
    return f"{created} created, {kept} kept, {skipped} skipped"


# --- sample requests (示例诉求) ------------------------------------------------------------------

#: What callers say, by service: (description, place detail). Marked 【示例】 when stored.
SAMPLE_TEXTS = {
    "urban-appearance": [
        "小区门口占道经营，早晚堵塞人行道",
        "路边垃圾堆放多日无人清运，气味很大",
        "商铺外摆烧烤，油烟扰民",
        "人行道地砖破损，老人容易绊倒",
    ],
    "wage-arrears": [
        "工地拖欠农民工工资两个月",
        "公司拖欠三个月工资，老板不接电话",
        "餐馆辞退后不结清工资",
    ],
    "heating-water": [
        "家里暖气不热，室温只有十四度",
        "小区停水两天没有通知",
        "自来水发黄，有异味",
    ],
    "environment": [
        "工厂夜间排放异味，影响休息",
        "河道有人倾倒建筑垃圾",
        "工地夜间施工噪音扰民",
    ],
    "market-consumer": [
        "超市销售过期食品，要求处理",
        "健身房收取预付费后关门跑路",
        "网购商品质量问题商家拒绝退货",
    ],
    "street-light": [
        "路灯不亮，晚上出行不安全",
        "路灯白天一直亮着，浪费电",
    ],
    "general": [
        "咨询新生儿落户需要哪些材料",
        "建议在公交站增加遮阳棚",
    ],
}
#: How many sample requests a day, on average, over the sample year.
SAMPLE_PER_DAY = 3
SAMPLE_DAYS = 365
SAMPLE_REPLY = "【示例】已派员到现场核实处理，问题已解决，感谢您的反映。"


def load_sample_requests(seed: int = 15) -> str:
    """About a thousand requests (示例, ``is_sample``) over the past year across the cities
    and counties of Ningxia, routed by the duty map, with replies and callbacks for the older
    ones and a few still open past their limit, so that the rates, hot spots and supervision
    views have something to show. Written in bulk; loaded once (kept when there are any)."""
    if ServiceRequest.objects.filter(is_sample=True).exists():
        return "kept"
    categories = {
        c.code: c for c in ServiceCategory.objects.filter(code__in=SAMPLE_TEXTS, is_active=True)
    }
    counties = list(
        Region.objects.filter(
            parent__parent__isnull=False, parent__parent__parent__isnull=True
        ).select_related("parent")
    )
    if not categories or not counties:
        return "skipped (no catalog or no counties)"
    rng = random.Random(seed)
    now = clock.now()
    routes: dict = {}
    rows = []
    for offset in range(SAMPLE_DAYS, 0, -1):
        day_start = now - dt.timedelta(days=offset)
        for sequence in range(rng.randint(SAMPLE_PER_DAY - 2, SAMPLE_PER_DAY + 2)):
            code = rng.choice(list(categories))
            category, region = categories[code], rng.choice(counties)
            key = (category.pk, region.pk)
            if key not in routes:
                routes[key] = route(category, region)
            at = day_start.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59))
            text = rng.choice(SAMPLE_TEXTS[code])
            request = ServiceRequest(
                number=f"{at:%Y%m%d}{90001 + sequence:05d}",
                token=uuid.uuid4().hex,
                category=category,
                chosen_category=category,
                channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.WEB, Channel.APP]),
                description=f"【示例】{region.parent.name}{region.name}：{text}",
                address_string=f"{region.parent.name}{region.name}",
                region=region,
                attributes={"pole_number": f"S-{rng.randint(1, 9999):04d}"}
                if code == "street-light"
                else {},
                routing=routes[key].why,
                requested_at=at,
                updated_at=at,
                is_sample=True,
                **_limits(category, at, False),
            )
            rows.append((request, routes[key].lead, offset))
    ServiceRequest.objects.bulk_create([request for request, _, _ in rows], batch_size=500)
    assignments, replies, outcomes = [], [], []
    for request, lead, offset in rows:
        assignment = Assignment(
            request=request,
            unit=lead,
            role=DutyRole.LEAD,
            assigned_at=request.requested_at,
            state=AssignmentState.DISPATCHED,
        )
        assignments.append(assignment)
        if offset <= 2 or rng.random() < 0.03:
            continue  # still waiting for the unit: some of them past their limits (red)
        assignment.state = AssignmentState.ACCEPTED
        assignment.accepted_at = request.requested_at + dt.timedelta(hours=rng.randint(1, 30))
        if offset <= 6 or rng.random() < 0.05:
            request.state = RequestState.IN_PROGRESS
            continue
        assignment.state = AssignmentState.REPLIED
        late = rng.random() < 0.1
        done = (
            (request.resolution_due_at + dt.timedelta(days=2))
            if late
            else (assignment.accepted_at + dt.timedelta(days=rng.randint(1, 4)))
        )
        done = min(done, now - dt.timedelta(hours=1))
        request.state, request.resolved_at, request.updated_at = RequestState.RESOLVED, done, done
        reply = Reply(request=request, unit=lead, text=SAMPLE_REPLY, created_at=done)
        replies.append(reply)
        verdict = rng.choices(
            [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED],
            weights=[70, 20, 10],
        )[0]
        if offset > 10 and rng.random() < 0.8:
            outcomes.append((request, reply, verdict, done + dt.timedelta(days=1)))
            request.state = (
                RequestState.REOPENED
                if verdict == Satisfaction.DISSATISFIED
                else RequestState.VISITED
            )
            if verdict == Satisfaction.DISSATISFIED:
                request.reopen_count, request.resolved_at = 1, None
    Assignment.objects.bulk_create(assignments, batch_size=500)
    Reply.objects.bulk_create(replies, batch_size=500)
    Callback.objects.bulk_create(
        [
            Callback(
                request=request,
                reply=reply,
                satisfaction=verdict,
                by=CallbackBy.OPERATOR,
                created_at=at,
            )
            for request, reply, verdict, at in outcomes
        ],
        batch_size=500,
    )
    ServiceRequest.objects.bulk_update(
        [request for request, _, _ in rows],
        ["state", "resolved_at", "updated_at", "reopen_count"],
        batch_size=500,
    )
    return f"{len(rows)} requests over {SAMPLE_DAYS} days"
