"""Previews of large distributions: ``catalog.preview`` (bounded) vs. a naive peer.

    .venv/bin/python bench/preview_bench.py [--megabytes 100] [--repeat 3]

Writes a CSV in GB18030 and a JSON list of records of about ``--megabytes`` MB each to a
temporary directory, then previews each two ways, each run in a fresh subprocess so that peak
memory (ru_maxrss) is its own:

* ``preview``: ``catalog.preview.preview`` (at most 1 MiB read; JSON parsed record by record);
* ``naive``: the whole file read and decoded, every row parsed (``csv.reader`` /
  ``json.load``), then the same ``catalog.preview.build`` over the first 200 rows.

Both give the same columns, types and rows (checked). Prints seconds (median of
``--repeat``) and peak RSS for each. Pure Python, no Django settings needed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def write_files(folder: Path, megabytes: int) -> dict[str, Path]:
    target = megabytes * 1024 * 1024
    csv_path, json_path = folder / "big.csv", folder / "big.json"
    with csv_path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "单位名称", "所在县区", "床位数", "统计日期"])
        n = 0
        while handle.tell() < target:
            for _ in range(10_000):
                n += 1
                writer.writerow([n, f"示例医疗机构{n}", f"示例县{n % 22}", n % 4000, "2026-11-01"])
    with json_path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        n = 0
        while handle.tell() < target:
            chunk = []
            for _ in range(10_000):
                n += 1
                record = {"编号": n, "名称": f"示例{n}", "数量": n * 1.5, "日期": "2026-11-01"}
                chunk.append(json.dumps(record, ensure_ascii=False))
            handle.write(("," if n > 10_000 else "") + ",".join(chunk))
        handle.write("]")
    return {"csv": csv_path, "json": json_path}


def naive(path: Path, fmt: str):
    from shuzheng.catalog import preview
    from shuzheng.documents.parsing.decoding import decode

    data = path.read_bytes()
    if fmt == "csv":
        rows = [row for row in csv.reader(io.StringIO(decode(data).text)) if any(row)]
        header, body = rows[0], rows[1:]
        return preview.build(header, body[: preview.SAMPLE_ROWS], more_rows=len(body) > 200)
    records = json.loads(data.decode("utf-8"))
    names = list(dict.fromkeys(key for record in records[:200] for key in record))
    body = [[preview.cell_text(r.get(name)) for name in names] for r in records[:200]]
    return preview.build(names, body, more_rows=len(records) > 200)


def child(way: str, fmt: str, path: str) -> None:
    from shuzheng.catalog import preview

    started = time.perf_counter()
    if way == "preview":
        with open(path, "rb") as handle:
            result = preview.preview(handle, fmt)
    else:
        result = naive(Path(path), fmt)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "result": result.as_dict()}))


def run(way: str, fmt: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", way, fmt, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        files = write_files(Path(folder), args.megabytes)
        print("| file | size | way | median s | min s | peak RSS MB |")
        print("|---|---|---|---|---|---|")
        for fmt, path in files.items():
            size = path.stat().st_size / 1024 / 1024
            answers = {}
            for way in ("preview", "naive"):
                runs = [run(way, fmt, path) for _ in range(args.repeat)]
                answers[way] = runs[0]["result"]
                times = [r["seconds"] for r in runs]
                peak = max(r["peak_mb"] for r in runs)
                print(
                    f"| {fmt} | {size:.0f} MB | {way} | {statistics.median(times):.3f} "
                    f"| {min(times):.3f} | {peak:.0f} |"
                )
            same = answers["preview"]["columns"] == answers["naive"]["columns"]
            same = same and answers["preview"]["rows"] == answers["naive"]["rows"]
            print(f"| {fmt} | | same columns, types and rows | {same} | | |")


if __name__ == "__main__":
    main()
