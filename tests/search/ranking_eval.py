"""Ranking measured honestly (issue 13, point 6): nDCG@10 and recall@10 of the search
engine against a ``LIKE`` baseline, in the same run, on the shipped sample gazette.

The labels (ranking_labels.json) name relevant entries by rules read against the stored
rows — a unit's tasks by its responsibility rows, entries holding another spelling, a
document by its number — so a query need not occur in its relevant entries. Used by
tests/search/test_ranking.py and bench/ranking_bench.py.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from shuzheng.search.models import SearchEntry
from shuzheng.search.query import SearchQuery
from shuzheng.search.services import search
from shuzheng.tasks.models import TaskResponsibility

LABELS = Path(__file__).with_name("ranking_labels.json")
K = 10


def labelled_queries() -> list[dict]:
    return json.loads(LABELS.read_text(encoding="utf-8"))["queries"]


def relevance(label: dict) -> dict[tuple[str, int], int]:
    """(kind, object id) → grade of the entries the label's rule names."""
    grades: dict[tuple[str, int], int] = {}
    if "unit" in label:
        rows = TaskResponsibility.objects.filter(
            unit__code=label["unit"], task__parent__isnull=True
        )
        for task_id, role in rows.values_list("task_id", "role"):
            grade = 2 if role in ("lead", "owner") else 1
            grades[("task", task_id)] = max(grades.get(("task", task_id), 0), grade)
    for text, grade in label.get("contains", {}).items():
        for kind, object_id in SearchEntry.objects.filter(
            Q(body__contains=text) | Q(title__contains=text)
        ).values_list("kind", "object_id"):
            grades[(kind, object_id)] = max(grades.get((kind, object_id), 0), grade)
    for number, grade in label.get("documents", {}).items():
        for object_id in SearchEntry.objects.filter(kind="document", doc_number=number).values_list(
            "object_id", flat=True
        ):
            grades[("document", object_id)] = grade
    return grades


def engine_ranking(text: str) -> list[tuple[str, int]]:
    results = search(SearchQuery(text=text, per_page=K))
    return [(hit.kind, hit.object_id) for hit in results.hits]


def like_ranking(text: str) -> list[tuple[str, int]]:
    """The baseline: entries whose title or text contains the query as typed, in id order."""
    rows = (
        SearchEntry.objects.filter(Q(body__contains=text) | Q(title__contains=text))
        .order_by("id")
        .values_list("kind", "object_id")[:K]
    )
    return list(rows)


def ndcg(ranking: list, grades: dict) -> float:
    gains = [grades.get(item, 0) for item in ranking[:K]]
    dcg = sum((2**gain - 1) / math.log2(at + 2) for at, gain in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:K]
    best = sum((2**gain - 1) / math.log2(at + 2) for at, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranking: list, grades: dict) -> float:
    relevant = {item for item, grade in grades.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranking[:K])) / min(len(relevant), K)


@dataclass
class Measured:
    query: str
    kind: str
    relevant: int
    literal: int
    engine_ndcg: float
    like_ndcg: float
    engine_recall: float
    like_recall: float


def measure() -> list[Measured]:
    measured = []
    for label in labelled_queries():
        grades = relevance(label)
        literal = SearchEntry.objects.filter(
            Q(body__contains=label["query"]) | Q(title__contains=label["query"])
        ).values_list("kind", "object_id")
        engine, like = engine_ranking(label["query"]), like_ranking(label["query"])
        measured.append(
            Measured(
                query=label["query"],
                kind=label["kind"],
                relevant=len(grades),
                literal=len(set(literal) & set(grades)),
                engine_ndcg=ndcg(engine, grades),
                like_ndcg=ndcg(like, grades),
                engine_recall=recall(engine, grades),
                like_recall=recall(like, grades),
            )
        )
    return measured


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
