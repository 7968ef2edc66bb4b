"""Search quality on the sample gazette: recall@10 over the labelled queries (issue 4,
item 6; goal ≥ 0.9). Runs on both backends."""

import json
from pathlib import Path

import pytest

from shuzheng.search import services
from shuzheng.search.query import SearchQuery

LABELLED = json.loads(
    (Path(__file__).resolve().parent / "labelled_queries.json").read_text(encoding="utf-8")
)["queries"]
RECALL_GOAL = 0.9

pytestmark = pytest.mark.django_db


def expected(labelled) -> set[tuple[str, str]]:
    return {("task", n) for n in labelled.get("tasks", ())} | {
        ("heading", h) for h in labelled.get("headings", ())
    }


def found(results) -> set[tuple[str, str]]:
    keys = set()
    for hit in results.hits:
        if hit.kind == "task":
            keys.add(("task", hit.task_number))
        if hit.heading:
            keys.add(("heading", hit.heading))
    return keys


def test_there_are_at_least_fifty_labelled_queries():
    assert len(LABELLED) >= 50
    assert all(expected(labelled) for labelled in LABELLED)


def test_recall_at_10_meets_the_goal(indexed):
    wanted = hit = 0
    misses = []
    for labelled in LABELLED:
        results = services.search(SearchQuery(text=labelled["query"], per_page=10))
        expectation = expected(labelled)
        got = expectation & found(results)
        wanted += len(expectation)
        hit += len(got)
        if got != expectation:
            misses.append(f"{labelled['query']}: missing {sorted(expectation - got)}")
    recall = hit / wanted
    print(f"recall@10 = {recall:.3f} over {wanted} labels; misses: {misses}")
    assert recall >= RECALL_GOAL, f"recall@10 = {recall:.3f}; " + "; ".join(misses)
