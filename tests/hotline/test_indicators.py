"""The hotline's rates as indicators of the ledger's assessment (issue 15 point 4) and the
exchange's statistics beside them (issue 16 point 1), through ``tasks.indicators``."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.dashboard import samples, services
from shuzheng.hotline.services import Intake, accept, lead_assignment, submit_request
from shuzheng.orgs.models import Unit
from shuzheng.tasks.indicators import registered_kinds
from shuzheng.tasks.scoring import RulesError
from tests.hotline.conftest import make_user
from tests.tasks.factories import assign, make_task

CST = ZoneInfo("Asia/Shanghai")
RECEIVED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST)  # a Monday
ASSESSED = dt.date(2026, 6, 30)
BUREAU = "xingqing-human-resources-social-security"


@pytest.fixture
def assessed_bureau(catalog):
    """兴庆区人社局 with a key task of 2026 (so the ledger assesses it), the 2026 demo rules
    with the hotline's rates, and one wage-arrears request routed to it in March."""
    bureau = Unit.objects.get(code=BUREAU)
    supervisor = make_user("assessor", Role.SUPERVISOR)
    assign(make_task(1, bureau, due=dt.date(2026, 12, 31)), bureau, on=dt.date(2026, 1, 5))
    data = samples.with_hotline_indicators(samples.sample_rules_data()) | {"year": 2026}
    services.save_rules(data, actor=supervisor)
    with clock.frozen_at(RECEIVED):
        request = submit_request(
            Intake(
                service_code="wage-arrears",
                description="老板拖欠工资三个月，多次讨要未果。",
                address_string="银川市兴庆区解放西街12号",
                name="张三",
                phone="13912345678",
            )
        )
    assert lead_assignment(request).unit == bureau
    return bureau, request


def card(bureau):
    return services.assess(2026, ASSESSED).card_of(bureau.code).entry


@pytest.mark.django_db
def test_the_response_rate_moves_the_unit_s_score(assessed_bureau):
    bureau, request = assessed_bureau
    late = card(bureau)  # never signed for, past its response limit
    assert late.points_of("hotline-response") == Decimal("0.00")
    with clock.frozen_at(request.requested_at + dt.timedelta(hours=2)):
        accept(lead_assignment(request), actor=None)
    signed = card(bureau)
    assert signed.points_of("hotline-response") == Decimal("5.00")
    assert signed.total - late.total == Decimal("5.00")
    line = next(line for line in signed.lines if line.indicator == "hotline-response")
    assert line.explanation == (
        "1 of 1 hotline requests signed for within the response limit: 100.00% × 5 = 5.00 points"
    )
    # Not resolved and past its limit; never called back: the rule's full marks.
    assert signed.points_of("hotline-resolution") == Decimal("0.00")
    assert signed.points_of("hotline-satisfaction") == Decimal("5.00")


@pytest.mark.django_db
def test_a_request_of_another_year_does_not_count(assessed_bureau):
    bureau, _request = assessed_bureau
    with clock.frozen_at(ASSESSED):
        result = services.assess(2026, dt.date(2026, 2, 1))  # before the request came in
    entry = result.card_of(bureau.code).entry
    assert entry.points_of("hotline-response") == Decimal("5.00")  # nothing due: full marks


@pytest.mark.django_db
def test_the_score_card_explains_the_rate_in_chinese(assessed_bureau, client):
    bureau, _request = assessed_bureau
    client.force_login(make_user("leader", Role.SUPERVISOR))
    with clock.frozen_at(ASSESSED):
        page = client.get(
            f"/dashboard/assessment/2026/units/{bureau.code}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    text = page.content.decode()
    assert page.status_code == 200
    assert "12345热线响应率" in text
    assert "1件热线诉求中0件在响应时限内签收" in text


@pytest.mark.django_db
def test_a_rule_naming_an_unregistered_indicator_is_refused(catalog):
    data = samples.with_hotline_indicators(samples.sample_rules_data())
    data["indicators"][-1]["kind"] = "hotline.happiness"
    with pytest.raises(RulesError) as caught:
        services.save_rules(data, actor=None)
    (problem,) = caught.value.problems
    assert "no app has registered the indicator 'hotline.happiness'" in problem
    assert "hotline.satisfaction_rate" in problem
    with translation.override("zh-hans"):
        worded = problem.describe(translation.gettext)
    assert worded.startswith("indicators[6].kind：没有应用登记指标")


def test_the_hotline_and_the_exchange_register_their_indicators():
    assert {
        "hotline.response_rate",
        "hotline.resolution_rate",
        "hotline.satisfaction_rate",
        "exchange.requests_on_time",
        "exchange.approval_rate",
    } <= set(registered_kinds())


def test_editing_the_rules_with_the_hotline_s_rates_leaves_the_next_copy_as_it_was():
    """The test above edits the last indicator of its copy; the demo loaded after it in the
    same process must still name a registered kind."""
    first = samples.with_hotline_indicators(samples.sample_rules_data())
    first["indicators"][-1]["kind"] = "hotline.happiness"
    second = samples.with_hotline_indicators(samples.sample_rules_data())
    assert second["indicators"][-1]["kind"] == "hotline.satisfaction_rate"
