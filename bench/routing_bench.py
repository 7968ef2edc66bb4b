"""Routing-suggestion accuracy of the hotline against a keyword-only baseline (issue 15).

    .venv/bin/python bench/routing_bench.py [--folds 5]

Reads the labelled requests of bench/data/hotline_labelled_requests.jsonl (written by hand
across the sample service catalog, hard ones included: no catalog keyword, a misleading one,
the general service) and the catalog and duty map of src/shuzheng/hotline/data/catalog.json.
Stratified k-fold cross-validation: each request is suggested by a ``hotline.suggest``
suggester that learned from the other folds only, never from itself. In the same run the
keyword-only baseline (``hotline.classify.by_keywords``, no keyword → the general service)
ranks the same requests. Prints top-1 and top-3 accuracy of both, per category and overall,
how often the top suggestion's duty-map unit is the labelled category's unit, and the time per
suggestion. Pure Python, no database. Exits 1 when the suggester's top-3 accuracy is under 0.9
or it does not beat the baseline on top-1. Not a test (tests/hotline/test_suggest.py is).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "bench" / "data" / "hotline_labelled_requests.jsonl"
CATALOG = ROOT / "src" / "shuzheng" / "hotline" / "data" / "catalog.json"


def load_labelled() -> list[dict]:
    with LABELLED.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def folds_of(rows: list[dict], folds: int) -> list[int]:
    """Stratified: the i-th request of each category goes to fold i mod ``folds``."""
    seen: Counter[str] = Counter()
    assigned = []
    for row in rows:
        assigned.append(seen[row["category"]] % folds)
        seen[row["category"]] += 1
    return assigned


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src")]
    from shuzheng.hotline import classify, suggest

    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    categories, duties = suggest.from_catalog(catalog)
    general = next(c.code for c in categories if c.is_general)
    keyword_catalog = [(c.code, c.keywords) for c in categories if not c.is_general]
    rows = load_labelled()
    assignment = folds_of(rows, args.folds)

    hits = defaultdict(Counter)  # category → {"n", "top1", "top3", "kw1", "kw3", "unit"}
    elapsed = 0.0
    for fold in range(args.folds):
        suggester = suggest.Suggester(categories, duties)
        suggester.learn(
            (row["text"], row["category"])
            for row, f in zip(rows, assignment, strict=True)
            if f != fold
        )
        for row, f in zip(rows, assignment, strict=True):
            if f != fold:
                continue
            expected = row["category"]
            regions = [row["region"], row["region"][:4] + "00", "640000"]
            started = time.perf_counter()
            ranked = suggester.suggest(row["text"], regions, limit=3)
            elapsed += time.perf_counter() - started
            codes = [s.code for s in ranked]
            keyword = [m.code for m in classify.by_keywords(row["text"], keyword_catalog)]
            keyword = keyword[:3] or [general]
            counts = hits[expected]
            counts["n"] += 1
            counts["top1"] += codes[:1] == [expected]
            counts["top3"] += expected in codes
            counts["kw1"] += keyword[:1] == [expected]
            counts["kw3"] += expected in keyword
            wanted = suggester.duty_for(expected, regions)
            counts["unit"] += bool(ranked) and ranked[0].duty == wanted

    total = Counter()
    for counts in hits.values():
        total.update(counts)
    print(f"{len(rows)} labelled requests, {len(hits)} categories, {args.folds}-fold CV")
    print(f"{'category':<18} {'n':>4}  suggest top-1  top-3   keywords top-1  top-3   unit")
    for code, counts in sorted(hits.items()) + [("all", total)]:
        n = counts["n"]
        print(
            f"{code:<18} {n:>4}  {counts['top1'] / n:>13.3f}  {counts['top3'] / n:.3f}"
            f"   {counts['kw1'] / n:>14.3f}  {counts['kw3'] / n:.3f}   {counts['unit'] / n:.3f}"
        )
    print(f"suggestion time: {elapsed / total['n'] * 1000:.2f} ms per request")
    top1, top3 = total["top1"] / total["n"], total["top3"] / total["n"]
    ok = top3 >= 0.9 and top1 > total["kw1"] / total["n"]
    print("goal met" if ok else "FAIL: top-3 under 0.9 or not better than keywords on top-1")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
