"""The ranking beats a LIKE baseline on labels that do not contain the query (issue 13,
point 6), and "newest first" is newest first."""

import datetime
from dataclasses import replace

from shuzheng.search import services
from tests.search.ranking_eval import mean, measure
from tests.search.test_shipped_sample import shipped  # noqa: F401 (fixture)


def test_the_engine_beats_like_on_synonyms_abbreviations_numbers_and_aliases(shipped):  # noqa: F811
    measured = measure()
    # The labels are honest: most relevant entries do not contain the query as typed.
    assert sum(row.literal for row in measured) < sum(row.relevant for row in measured) / 2
    assert all(row.relevant for row in measured)
    engine_ndcg, like_ndcg = (
        mean(r.engine_ndcg for r in measured),
        mean(r.like_ndcg for r in measured),
    )
    engine_recall = mean(r.engine_recall for r in measured)
    like_recall = mean(r.like_recall for r in measured)
    assert engine_ndcg > like_ndcg + 0.2, (engine_ndcg, like_ndcg)
    assert engine_recall > like_recall + 0.2, (engine_recall, like_recall)
    # Not by one lucky kind: the engine does at least as well as LIKE on every query kind.
    for kind in {row.kind for row in measured}:
        rows = [row for row in measured if row.kind == kind]
        assert mean(r.engine_ndcg for r in rows) >= mean(r.like_ndcg for r in rows), kind


def test_date_order_is_newest_first(indexed, run_search):
    later = datetime.date(2024, 3, 1)
    items = [
        replace(item, published_on=later) if item.document_id == 2 else item for item in indexed
    ]
    services.rebuild(items)
    hits = run_search("建设", sort="date", per_page=100).hits
    dates = [hit.published_on for hit in hits]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == later and dates[-1] < later
