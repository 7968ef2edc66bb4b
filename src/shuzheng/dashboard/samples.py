"""The dashboard's sample data, for ``shuzheng loadsample`` and the demo only.

The shipped indicator system of 2023 (宁政发〔2023〕17号, seed tasks 121–124) is stored as that
year's :class:`~shuzheng.dashboard.models.AssessmentRules` like any upload, so product code
reads only stored rules and never this file; a deployment uploads its own years' rules on
/dashboard/assessment/rules/.
"""

from __future__ import annotations

import json
from pathlib import Path

from shuzheng.dashboard.models import AssessmentRules
from shuzheng.dashboard.services import save_rules

SAMPLE_RULES = Path(__file__).resolve().parents[1] / "tasks" / "data" / "assessment-2023.json"


#: The demonstration's rules for the current year add the hotline's rates (issue 15, point 4)
#: as indicators; the ledger's own weights make room for them (weights sum to 100).
HOTLINE_WEIGHTS = {
    "milestones-on-time": 40,
    "report-timeliness": 15,
    "supervisor-rating": 15,
    "overdue-deduction": 10,
}
HOTLINE_INDICATORS = [
    {
        "id": "hotline-response",
        "label": "12345热线响应率",
        "kind": "hotline.response_rate",
        "weight": 5,
        "params": {"if_no_data": "full"},
    },
    {
        "id": "hotline-resolution",
        "label": "12345热线解决率",
        "kind": "hotline.resolution_rate",
        "weight": 10,
        "params": {"if_no_data": "full"},
    },
    {
        "id": "hotline-satisfaction",
        "label": "12345热线满意率",
        "kind": "hotline.satisfaction_rate",
        "weight": 5,
        "params": {"if_no_data": "full"},
    },
]


def with_hotline_indicators(data: dict) -> dict:
    """A copy of sample rules with the hotline's three rates among the indicators."""
    indicators = [
        {**item, "weight": HOTLINE_WEIGHTS.get(item["id"], item["weight"])}
        for item in data["indicators"]
    ]
    # Copies of the hotline's items too: a caller that edits the result must not change them.
    return {**data, "indicators": indicators + [dict(item) for item in HOTLINE_INDICATORS]}


def sample_rules_data() -> dict:
    return json.loads(SAMPLE_RULES.read_text(encoding="utf-8"))


def load_sample_rules(actor=None) -> str:
    """Store the sample rules for their year unless that year has rules already (so an
    upload is never overwritten and ``make run`` can call it every time). A summary line."""
    data = sample_rules_data()
    year = data["year"]
    if AssessmentRules.objects.filter(year=year).exists():
        return f"rules for {year} exist already, kept"
    save_rules(data, actor=actor)
    return f"rules for {year} stored"
