"""Subscriptions end to end through the services, on SQLite and PostgreSQL: saving, the
matching on ingest (exactly once, with reasons), new versions, visibility, deliveries."""

import pytest
from django.utils import translation

from shuzheng.accounts.choices import Role
from shuzheng.audit.models import AuditEvent
from shuzheng.documents import services as documents
from shuzheng.documents.indexing import index_ingested
from shuzheng.documents.models import Document, Section
from shuzheng.documents.samples import ingest_sample_gazette
from shuzheng.notifications import services as notifications
from shuzheng.notifications.models import Delivery, Notification
from shuzheng.orgs.models import Region, Unit
from shuzheng.search.models import SearchEntry
from shuzheng.subscriptions import hooks as subscription_hooks
from shuzheng.subscriptions import services
from shuzheng.subscriptions.models import EnterpriseProfile, Subscription
from shuzheng.tasks.models import KeyTask
from tests.subscriptions.conftest import make_user, notice_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def notice() -> Document:
    return Document.objects.get(doc_number="宁财发〔2023〕88号", is_current=True)


def section(document, heading) -> Section:
    return document.sections.get(heading=heading)


# -- saving ------------------------------------------------------------------------------


def test_saving_a_search_keeps_only_its_words_and_filters_and_is_audited(citizen):
    subscription = services.subscribe_to_search(
        citizen, {"q": "数据共享", "issuer": "财政厅", "page": "3", "sort": "date"}, actor=citizen
    )
    assert subscription.params == {"q": "数据共享", "issuer": "财政厅"}
    assert subscription.label == "“数据共享” (机关:财政厅)"
    assert AuditEvent.objects.filter(action="subscriptions.create").count() == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "needs words or a filter"),
        ({"page": "2"}, "needs words or a filter"),
        ({"q": "数据", "year": "20x3"}, "year must be a whole number"),
        ({"q": "年份:23"}, "four-digit year"),
        ({"q": "“未闭合"}, "not closed"),
    ],
)
def test_a_search_that_cannot_run_is_refused_and_nothing_is_stored(citizen, params, message):
    with pytest.raises(services.SubscriptionError, match=message):
        services.subscribe_to_search(citizen, params, actor=citizen)
    assert not Subscription.objects.exists()


def test_the_same_subscription_twice_is_refused(citizen, registry):
    services.subscribe_to_topic(citizen, "数据共享", actor=citizen)
    with pytest.raises(services.SubscriptionError, match="already"):
        services.subscribe_to_topic(citizen, " 数据共享 ", actor=citizen)
    services.subscribe_to_unit(citizen, "自治区财政厅", actor=citizen)
    with pytest.raises(services.SubscriptionError, match="already"):
        services.subscribe_to_unit(citizen, "nx-finance", actor=citizen)
    assert Subscription.objects.count() == 2


def test_a_unit_is_found_by_name_through_the_resolver_and_a_group_is_refused(citizen, registry):
    subscription = services.subscribe_to_unit(citizen, "财政厅", actor=citizen)
    assert subscription.unit.code == "nx-finance"
    for name in ("各市、县（区）", "不存在的局", ""):
        with pytest.raises(services.SubscriptionError):
            services.subscribe_to_unit(citizen, name, actor=citizen)


def test_topics_are_terms(citizen):
    for topic in ("数", "“数据”", "长" * 65):
        with pytest.raises(services.SubscriptionError):
            services.subscribe_to_topic(citizen, topic, actor=citizen)


def test_only_enterprise_accounts_have_a_profile(citizen, enterprise, registry):
    with pytest.raises(services.SubscriptionError, match="enterprise"):
        services.save_profile(citizen, industry="制造业", actor=citizen)
    yinchuan = Region.objects.get(code="640100")
    profile = services.save_profile(
        enterprise,
        industry="制造业",
        region=yinchuan,
        size="sme",
        tags="专精特新，跨境电商",
        actor=enterprise,
    )
    assert profile.tags == ["专精特新", "跨境电商"]
    assert str(profile) == "制造业 · 银川市 · 中小企业 · 专精特新 · 跨境电商"
    with pytest.raises(services.SubscriptionError, match="Size"):
        services.save_profile(enterprise, size="huge", actor=enterprise)
    assert EnterpriseProfile.objects.get().size == "sme"


def test_a_non_public_document_cannot_be_followed_by_a_citizen(citizen, registry, ingest_notice):
    ingest_notice(notice_text().replace("（此件公开发布）", ""))
    with pytest.raises(services.SubscriptionError, match="may not read"):
        services.subscribe_to_document(citizen, notice(), actor=citizen)


# -- matching on ingest ------------------------------------------------------------------


def test_a_saved_search_gets_one_notice_per_new_document_listing_what_matched(
    citizen, sample, ingest_notice
):
    services.subscribe_to_search(citizen, {"q": "数据共享"}, actor=citizen)
    assert inbox(citizen) == []  # what was there before the subscription is not pushed
    ingest_notice()
    document = notice()
    (item,) = inbox(citizen)
    assert item.kind == "policy_document_match"
    assert item.dedupe_key == f"subscriptions:document:{document.pk}"
    assert item.title == f"New document: {document.title}"
    assert item.reason == "matches your saved search “数据共享”, finding 数据共享"
    # One section matched: the notice opens at it.
    assert item.link == f"/documents/{document.pk}/#s-一"
    lines = item.body.splitlines()
    assert lines[0] == "Matching in it: 1 sections, 0 key tasks."
    # The excerpt is the section's text after its heading line.
    assert lines[1].startswith("· 深化涉企数据共享: 依托自治区政务数据共享交换平台")
    assert len(lines) == 2
    with translation.override("zh-hans"):
        assert item.title == f"新公文：{document.title}"
        assert item.body.splitlines()[1].startswith("· 深化涉企数据共享：")


def test_a_saved_search_may_keep_a_topic(citizen, sample, ingest_notice):
    """主题分类 (issue 14, point 3): the notice is proposed 综合政务 (数据共享 in its title)."""
    services.subscribe_to_search(citizen, {"q": "数据共享", "topic": "综合政务"}, actor=citizen)
    other = make_user("wang_citizen", Role.CITIZEN)
    services.subscribe_to_search(other, {"q": "数据共享", "topic": "科技"}, actor=other)
    ingest_notice()
    (item,) = inbox(citizen)
    assert item.dedupe_key == f"subscriptions:document:{notice().pk}"
    assert notice().topics[0] == "01"
    assert inbox(other) == []
    with pytest.raises(services.SubscriptionError, match="天文"):
        services.subscribe_to_search(citizen, {"q": "数据", "topic": "天文"}, actor=citizen)


def test_reingesting_the_same_file_notifies_nobody_again(citizen, sample, ingest_notice):
    services.subscribe_to_search(citizen, {"q": "数据共享"}, actor=citizen)
    ingest_notice()
    first = len(inbox(citizen))
    report = ingest_notice()
    assert report.status == "unchanged"
    assert len(inbox(citizen)) == first == 1


def test_matching_twice_for_the_same_items_notifies_nobody_twice(citizen, registry):
    services.subscribe_to_topic(citizen, "惠企政策", actor=citizen)
    documents.ingest_file(notice_text().encode(), "notice.txt", actor=None)
    (item,) = inbox(citizen)
    # The document and both sections use the term: one notice listing both sections.
    assert item.body.splitlines()[0] == "Matching in it: 2 sections, 0 key tasks."
    assert item.link == f"/documents/{notice().pk}/"
    assert services.notify_subscribers(index_ingested([notice()]), actor=None) == 0
    assert len(inbox(citizen)) == 1


def test_a_new_version_notifies_only_its_new_or_changed_sections(citizen, sample, ingest_notice):
    services.subscribe_to_search(citizen, {"q": "数据共享", "kind": "section"}, actor=citizen)
    ingest_notice()
    first = notice()
    assert len(inbox(citizen)) == 1
    changed = notice_text().replace(
        "2023年底前实现企业专属网页全覆盖。",
        "2023年底前实现企业专属网页全覆盖。\n\n三、强化数据共享安全\n\n"
        "落实数据共享安全管理责任，建立涉企数据共享使用登记制度。",
    )
    report = ingest_notice(changed, "notice-v2.txt")
    assert [item.outcome for item in report.documents] == ["new_version"]
    second = notice()
    assert second.version == 2 and second.previous_version_id == first.pk
    latest = inbox(citizen)[-1]
    assert latest.dedupe_key == f"subscriptions:document:{second.pk}"
    assert latest.title == f"New version of {second.title}"
    # Section 一 did not change: not listed again; the new section 三 is.
    lines = latest.body.splitlines()
    assert lines[0].startswith("Version 2 — new or changed: ")
    assert lines[1] == "Matching in it: 1 sections, 0 key tasks."
    assert lines[2].startswith("· 强化数据共享安全: ") and len(lines) == 3
    # Search shows the current version only.
    assert not SearchEntry.objects.filter(document_id=first.pk).exists()
    assert SearchEntry.objects.filter(document_id=second.pk, kind="section").count() == 3


def test_a_document_matching_several_subscriptions_is_one_notice(citizen, sample, ingest_notice):
    services.subscribe_to_unit(citizen, "自治区财政厅", actor=citizen)
    services.subscribe_to_topic(citizen, "惠企政策", actor=citizen)
    services.subscribe_to_search(citizen, {"q": "数据共享"}, actor=citizen)
    ingest_notice()
    document = notice()
    (item,) = inbox(citizen)
    assert item.dedupe_key == f"subscriptions:document:{document.pk}"
    assert item.reason == (
        "matches your saved search “数据共享”, finding 数据共享 "
        "(also: “惠企政策”; 宁夏回族自治区财政厅)"
    )
    headings = [line.split(": ")[0] for line in item.body.splitlines()[1:]]
    assert headings == ["· 深化涉企数据共享", "· 支持中小企业发展"]


def test_following_a_unit_pushes_its_documents_and_the_tasks_it_is_responsible_for(
    citizen, registry, ingest_notice
):
    services.subscribe_to_unit(citizen, "自治区财政厅", actor=citizen)
    ingest_sample_gazette()
    tasks = KeyTask.objects.filter(responsibilities__unit__code="nx-finance").distinct()
    assert tasks.count() > 0
    documents_with_tasks = {task.document_id for task in tasks}
    items = inbox(citizen)
    assert {item.dedupe_key for item in items} == {
        f"subscriptions:document:{pk}" for pk in documents_with_tasks
    }
    assert {item.reason for item in items} == {"you follow 宁夏回族自治区财政厅"}
    listed = [line for item in items for line in item.body.splitlines()[1:]]
    numbers = sorted(line.split(":")[0].removeprefix("· Key task ") for line in listed)
    assert numbers == sorted(str(task.number) for task in tasks)
    ingest_notice()
    latest = inbox(citizen)[-1]
    assert latest.dedupe_key == f"subscriptions:document:{notice().pk}"
    assert latest.link == f"/documents/{notice().pk}/"


def test_following_a_document_pushes_its_new_version(citizen, registry, ingest_notice):
    ingest_notice()
    services.subscribe_to_document(citizen, notice(), actor=citizen)
    ingest_notice(notice_text().replace("社会保险", "社会保险、公积金"), "notice-v2.txt")
    (item,) = inbox(citizen)
    assert item.title.startswith("New version of ")
    assert item.reason.startswith("you follow this document: ")
    assert item.body.startswith("Version 2 — new or changed: 1 sections, 0 key tasks.")
    assert item.link == f"/documents/{notice().pk}/"


def test_a_paused_subscription_matches_nothing(citizen, registry, ingest_notice):
    subscription = services.subscribe_to_topic(citizen, "惠企政策", actor=citizen)
    services.update_subscription(subscription, active=False, actor=citizen)
    ingest_notice()
    assert inbox(citizen) == []


def test_a_non_public_document_is_pushed_only_to_government_roles(citizen, registry, ingest_notice):
    staff = make_user("staff", Role.UNIT_STAFF, unit=Unit.objects.get(code="nx-finance"))
    for person in (citizen, staff):
        services.subscribe_to_topic(person, "惠企政策", actor=person)
    ingest_notice(notice_text().replace("（此件公开发布）", ""))
    assert inbox(citizen) == []
    assert len(inbox(staff)) == 1


def test_the_enterprise_profile_pushes_policies_that_fit_with_the_reason(
    enterprise, citizen, registry, ingest_notice
):
    services.save_profile(
        enterprise,
        industry="制造业",
        region=Region.objects.get(code="640100"),
        size="sme",
        actor=enterprise,
    )
    ingest_notice()
    (item,) = inbox(enterprise)
    assert item.dedupe_key == f"subscriptions:document:{notice().pk}"
    assert item.reason == (
        "fits your enterprise profile: 制造业 · 银川市 · 中小企业 "
        "(mentions 惠企、涉企、制造业、银川市、中小企业)"
    )
    headings = [line.split(": ")[0] for line in item.body.splitlines()[1:]]
    assert headings == ["· 深化涉企数据共享", "· 支持中小企业发展"]
    assert inbox(citizen) == []


def test_the_enterprise_profile_finds_task_89_and_the_life_cycle_passage_of_the_sample(
    enterprise, registry
):
    services.save_profile(enterprise, industry="软件业", actor=enterprise)
    ingest_sample_gazette()
    opinion = Document.objects.get(doc_number="宁政发〔2023〕17号")
    (item,) = [
        item
        for item in inbox(enterprise)
        if item.dedupe_key == f"subscriptions:document:{opinion.pk}"
    ]
    listed = item.body.splitlines()[1:]
    task_89 = KeyTask.objects.get(document=opinion, number=89)
    assert any(line.startswith(f"· Key task {task_89.number}: ") for line in listed)
    # 提供优质便利的涉企服务 … 强化企业全生命周期服务，推动涉企服务一网通办、惠企政策精准推送
    # and 驱动数字经济发展 … 强化企业全生命周期服务保障.
    for heading in ("提升普惠便捷的公共服务能力", "驱动数字经济发展"):
        assert any(line.startswith(f"· {heading}: ") for line in listed)


def test_a_failed_ingest_leaves_no_notification(citizen, registry, monkeypatch):
    services.subscribe_to_topic(citizen, "惠企政策", actor=citizen)

    def notify_then_fail(ingested, *, actor=None):
        services.notify_subscribers(ingested, actor=actor)
        raise RuntimeError("disk full")

    monkeypatch.setattr(subscription_hooks, "notify_subscribers", notify_then_fail)
    with pytest.raises(RuntimeError):
        documents.ingest_file(notice_text().encode(), "notice.txt", actor=None)
    assert not Document.objects.exists()
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_every_notification_is_mailed_exactly_once(citizen, sample, ingest_notice, smtp_server):
    services.subscribe_to_search(citizen, {"q": "数据共享", "kind": "section"}, actor=citizen)
    ingest_notice()
    (item,) = inbox(citizen)
    assert Delivery.objects.filter(notification=item, channel="email").count() == 1
    stats = notifications.deliver_due()
    assert stats.sent == 1
    assert notifications.deliver_due().claimed == 0
    (mail,) = smtp_server.received
    assert mail.recipients == [citizen.email]
    assert mail.subject == item.title
    assert "matches your saved search “数据共享” (层级:section)" in mail.body
