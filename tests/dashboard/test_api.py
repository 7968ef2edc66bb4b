"""/api/v1/dashboard/summary and /api/v1/dashboard/assessment/{year} (issue 5, item 3)."""

import pytest

from shuzheng.tasks.models import KeyTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, supervisor):
    client.force_login(supervisor)
    return client


def test_the_summary_gives_the_numbers_behind_the_dashboard(sample_ledger, today, api):
    data = api.get("/api/v1/dashboard/summary").json()
    assert data["as_of"] == "2024-03-01"
    assert data["stale"] is False
    assert data["total"] == 144
    assert data["lights"]["red"] == KeyTask.objects.filter(parent__isnull=True, light="red").count()
    assert sum(data["lights"].values()) == 144
    assert data["shares"]["red"] == round(data["lights"]["red"] / 144, 4)
    assert sum(entry["total"] for entry in data["deadline_years"]) == 144
    q4 = next(rate for rate in data["trend_quarter"] if rate["period"] == "2023-Q4")
    assert q4["due"] > 0 and q4["on_time"] == 0 and q4["rate"] == 0.0
    assert {"key", "label", "counts", "total"} <= set(data["units"][0])


def test_the_assessment_lists_ranked_units_with_line_items(assessed, today, api):
    data = api.get("/api/v1/dashboard/assessment/2023").json()
    assert data["as_of"] == "2023-12-31"
    assert [(u["rank"], u["unit_code"], u["total"], u["grade"]) for u in data["units"]] == [
        (1, "nx-general-office", "95.00", "优秀"),
        (2, "gov-640100", "68.57", "一般"),
    ]
    rating = data["units"][0]["lines"][2]
    assert rating == {
        "indicator": "supervisor-rating",
        "label": "督查评价",
        "kind": "supervisor_rating",
        "raw": "4.00",
        "normalised": "0.7500",
        "weight": "20",
        "points": "15.00",
        "explanation": "mean of 1 ratings 4.00 on the 1–5 scale: 75.00% × 20 = 15.00 points",
    }
    assert data["units"][0]["rewarded"] is True
    assert data["regions"][1] == {
        "rank": 2,
        "tied": False,
        "region": "银川市",
        "score": "68.57",
        "explanation": "Mean of 1 units (银川市人民政府 68.57) = 68.57 points",
    }


def test_a_year_without_rules_is_404(db, api):
    response = api.get("/api/v1/dashboard/assessment/1999")
    assert response.status_code == 404
    assert response.json()["detail"] == "no assessment rules for 1999"
