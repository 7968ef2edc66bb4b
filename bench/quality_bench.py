"""Quality checks over a large CSV: ``catalog.quality`` streaming vs. a naive peer.

    .venv/bin/python bench/quality_bench.py [--rows 1000000]

Writes a CSV of ``--rows`` rows (id, name, beds, day) to a temporary file, then runs the
same six checks (completeness, integer format, range, uniqueness, reference, freshness) two
ways, each in a fresh subprocess so that peak memory (ru_maxrss) is its own:

* ``streaming``: ``catalog.quality.csv_rows`` + ``run_checks`` (one pass, rows forgotten);
* ``naive``: the whole file read into a list of dicts first, then one loop per check.

Prints seconds and peak RSS for each. Pure Python, no Django settings needed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

CHECKS = [
    ("completeness", "name", {}),
    ("format", "beds", {"data_type": "integer"}),
    ("range", "beds", {"min": 0, "max": 4000}),
    ("uniqueness", "id", {}),
    ("reference", "county", {"values": {f"县{n}" for n in range(22)}}),
    ("freshness", "day", {}),
]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "beds", "county", "day"])
        start = dt.date(2026, 1, 1)
        for n in range(rows):
            writer.writerow(
                [
                    n,
                    "" if n % 997 == 0 else f"医疗机构{n}",
                    n % 5000,
                    f"县{n % 23}",
                    (start + dt.timedelta(days=n % 330)).isoformat(),
                ]
            )


def streaming(path: str) -> int:
    from shuzheng.catalog.quality import Check, csv_rows, run_checks

    with open(path, "rb") as handle:
        report = run_checks(
            csv_rows(handle),
            [Check(kind, column, params) for kind, column, params in CHECKS],
            today=dt.date(2026, 12, 1),
            update_frequency="yearly",
        )
    return report.failing_rows


def naive(path: str) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    failing = set()
    for number, row in enumerate(rows, 1):
        if not row["name"].strip():
            failing.add(number)
    for number, row in enumerate(rows, 1):
        beds = row["beds"].strip()
        if not beds.lstrip("+-").isdigit() or not 0 <= int(beds) <= 4000:
            failing.add(number)
    seen = set()
    for number, row in enumerate(rows, 1):
        if row["id"] in seen:
            failing.add(number)
        seen.add(row["id"])
    allowed = CHECKS[4][2]["values"]
    for number, row in enumerate(rows, 1):
        if row["county"] not in allowed:
            failing.add(number)
    max(row["day"] for row in rows)
    return len(failing)


def child(way: str, path: str) -> None:
    began = time.perf_counter()
    failing = {"streaming": streaming, "naive": naive}[way](path)
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{way:9} {seconds:7.2f} s  peak RSS {peak_mb:7.1f} MB  failing rows {failing}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "rows.csv"
        write_csv(path, args.rows)
        size = path.stat().st_size / 1e6
        print(f"{args.rows} rows, {size:.0f} MB CSV, 6 checks")
        for way in ("streaming", "naive"):
            subprocess.run([sys.executable, __file__, "--child", way, str(path)], check=True)


if __name__ == "__main__":
    main()
