"""Ranking quality of the policy library against a LIKE baseline (issue 13, point 6).

    .venv/bin/python bench/ranking_bench.py            # SQLite, in var/bench
    .venv/bin/python bench/ranking_bench.py --database-url 'postgres://…'

Ingests the shipped sample gazette through the real pipeline into a fresh database, then for
each labelled query of tests/search/ranking_labels.json (abbreviations, unit aliases,
synonyms, document-number forms, graded 1–3 by rules read against the stored rows) prints
nDCG@10 and recall@10 of the engine, of the engine without query expansion, and of a
``LIKE '%query%'`` baseline in id order, all in the same run. Exits 1 when the engine does
not beat the baseline on both means. Not a test (tests/search/test_ranking.py is).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database = bench_dir / "ranking-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
            "SHUZHENG_DATABASE_URL": args.database_url or f"sqlite:///{database}",
            "SHUZHENG_VAR_DIR": str(bench_dir),
        }
    )
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    from shuzheng.documents.services import ingest_file
    from shuzheng.orgs.services import load_sample_registry
    from shuzheng.search import services
    from tests.search.ranking_eval import mean, measure

    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    load_sample_registry()
    sample = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"
    ingest_file(sample.read_bytes(), sample.name, actor=None)

    measured = measure()
    expansions = services.expansions
    services.expansions = lambda: {}
    try:
        plain = {row.query: row for row in measure()}
    finally:
        services.expansions = expansions

    print(f"database: {django.db.connection.vendor}; k = 10; {len(measured)} labelled queries")
    header = f"{'query':<28} {'kind':<13} {'rel':>3} {'lit':>3}  nDCG: engine  no-exp  LIKE"
    print(header + "   recall: engine  no-exp  LIKE")
    for row in measured:
        other = plain[row.query]
        print(
            f"{row.query:<28} {row.kind:<13} {row.relevant:>3} {row.literal:>3}"
            f"        {row.engine_ndcg:.3f}   {other.engine_ndcg:.3f}  {row.like_ndcg:.3f}"
            f"          {row.engine_recall:.3f}   {other.engine_recall:.3f}  {row.like_recall:.3f}"
        )
    engine_ndcg, like_ndcg = (
        mean(r.engine_ndcg for r in measured),
        mean(r.like_ndcg for r in measured),
    )
    engine_recall = mean(r.engine_recall for r in measured)
    like_recall = mean(r.like_recall for r in measured)
    plain_ndcg = mean(r.engine_ndcg for r in plain.values())
    plain_recall = mean(r.engine_recall for r in plain.values())
    print(
        f"{'mean':<46}        {engine_ndcg:.3f}   {plain_ndcg:.3f}  {like_ndcg:.3f}"
        f"          {engine_recall:.3f}   {plain_recall:.3f}  {like_recall:.3f}"
    )
    beaten = engine_ndcg > like_ndcg and engine_recall > like_recall
    print("engine beats LIKE" if beaten else "FAIL: the engine does not beat LIKE")
    return 0 if beaten else 1


if __name__ == "__main__":
    sys.exit(main())
