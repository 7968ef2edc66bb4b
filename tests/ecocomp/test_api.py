"""/api/v1/ecocomp/: a run's counties with their explanation lines, as stored and worded."""

from decimal import Decimal as D

import pytest

from shuzheng.ecocomp import services
from tests.ecocomp.test_services import populated

pytestmark = pytest.mark.django_db


def test_a_run_answers_every_county_with_lines_that_add_up(client, rule_set, clerk):
    populated(rule_set)
    run = services.run_allocation(actor=clerk, rule_set=rule_set)
    client.force_login(clerk)
    answer = client.get(f"/api/v1/ecocomp/runs/{run.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["state"], data["fund"]) == ("draft", "22000000")
    assert len(data["counties"]) == 22
    assert sum(D(county["amount"]) for county in data["counties"]) == D(22000000)
    for county in data["counties"]:
        assert abs(sum(D(line["amount"]) for line in county["lines"]) - D(county["amount"])) < D(
            "1e-20"
        )
        assert all(line["sentence"].endswith("。") for line in county["lines"])
    client.logout()
    assert client.get(f"/api/v1/ecocomp/runs/{run.pk}").status_code == 401
    assert client.get("/api/v1/ecocomp/allocations").json()["items"] == []
