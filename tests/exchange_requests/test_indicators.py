"""The exchange's statistics per provider unit as assessment indicators (issue 16 point 1),
registered on the ledger's registry ``tasks.indicators``."""

import pytest

from shuzheng import clock
from shuzheng.tasks import indicators
from shuzheng.tasks.scoring import Share
from tests.exchange_requests.test_views import refused_through_the_pages

pytestmark = pytest.mark.django_db
CODES = ("exchange.requests_on_time", "exchange.approval_rate")


def test_a_refused_request_counts_as_decided_on_time_and_not_approved(
    client, units, people, conditional
):
    provider = units[0]
    assert indicators.measure(CODES, clock.today().year, clock.today()) == {}
    refused_through_the_pages(client, people, conditional)
    shares = indicators.measure(CODES, clock.today().year, clock.today())
    assert shares == {
        provider.pk: {
            "exchange.requests_on_time": Share(1, 1),
            "exchange.approval_rate": Share(0, 1),
        }
    }


def test_an_assessment_of_another_year_does_not_count_this_year_s_decisions(
    client, units, people, conditional
):
    refused_through_the_pages(client, people, conditional)
    year = clock.today().year
    assert indicators.measure(CODES, year, clock.today()) != {}
    assert indicators.measure(CODES, year - 1, clock.today()) == {}
