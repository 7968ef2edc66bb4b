"""What matching keeps between ingests (issue 13, Done-when: 1,000 saved searches) is
never stale: an edited search, a paused one and a person whose role changed are seen by the
next ingest."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.notifications.models import Notification
from shuzheng.orgs.models import Unit
from shuzheng.search import services as search_services
from shuzheng.search.query import SearchQuery
from shuzheng.subscriptions import services
from tests.subscriptions.conftest import make_user, notice_text

pytestmark = pytest.mark.django_db


def notified(person) -> int:
    return Notification.objects.filter(recipient=person).count()


def test_an_edited_search_is_matched_by_its_new_words(citizen, registry, ingest_notice):
    subscription = services.subscribe_to_search(citizen, {"q": "沙漠治理"}, actor=citizen)
    ingest_notice(notice_text().replace("88号", "81号"), name="first.txt")
    assert notified(citizen) == 0
    services.update_subscription(subscription, params={"q": "惠企政策"}, actor=citizen)
    ingest_notice(notice_text().replace("88号", "82号"), name="second.txt")
    assert notified(citizen) == 1


def test_a_person_no_longer_in_government_hears_of_no_restricted_document(registry, ingest_notice):
    staff = make_user("staff", Role.UNIT_STAFF, unit=Unit.objects.get(code="nx-finance"))
    services.subscribe_to_topic(staff, "惠企政策", actor=staff)
    restricted = notice_text().replace("（此件公开发布）", "")
    ingest_notice(restricted.replace("88号", "81号"), name="first.txt")
    assert notified(staff) == 1
    staff.role, staff.unit = Role.CITIZEN, None
    staff.save()
    ingest_notice(restricted.replace("88号", "82号"), name="second.txt")
    assert notified(staff) == 1


def test_a_kept_query_is_compiled_again_only_when_a_new_term_occurs_in_it(registry):
    touched, untouched = SearchQuery(text="要素流通"), SearchQuery(text="惠企政策")
    before = search_services.compile_queries([(touched, None), (untouched, None)])
    search_services.segmenter().add_terms(["要素流通"])
    after = search_services.compile_queries([(touched, None), (untouched, None)])
    assert after[1] is before[1]
    assert after[0] is not before[0]
    assert after[0].plan != before[0].plan
