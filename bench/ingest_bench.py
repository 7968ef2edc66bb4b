"""Ingestion benchmark (issue 3): parse throughput, and the sample end to end.

    .venv/bin/python bench/ingest_bench.py [--repeat 5] [--documents 40]
        [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev]

Measures, on SQLite (a fresh file under var/bench/) and, with --postgres (or
SHUZHENG_BENCH_POSTGRES), on PostgreSQL:

* parse only: the sample gazette parsed ``--repeat`` times (MB/s of decoded text, documents/s);
* the sample end to end: ``documents.services.ingest_file`` — parse, store, index for search
  and match subscriptions, in one transaction — on an empty library, ``--repeat`` times (the
  library is emptied between runs, untimed); goal: under 1 s on SQLite;
* a batch: ``--documents`` distinct notices (each a variant of the sample's first opinion
  with its own number and a share of its text) ingested one after the other: documents/s.

Prints a Markdown table for docs/benchmarks.md ("Ingestion"). Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"


def variant(text: str, number: int) -> bytes:
    """A distinct single document: the sample's opinion renumbered, with a rotated body."""
    start = text.index("# 自治区人民政府")
    end = text.index("附件 2")
    body = text[start:end].replace("宁政发〔2023〕17号", f"宁政发〔2023〕{100 + number}号")
    paragraphs = body.split("\n\n")
    shift = number % max(len(paragraphs) - 4, 1)
    head, rest = paragraphs[:4], paragraphs[4:]
    return "\n\n".join(head + rest[shift:] + rest[:shift]).encode()


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def empty_library() -> None:
    from shuzheng.documents.models import Document, SourceFile
    from shuzheng.search.models import SearchEntry

    SearchEntry.objects.all().delete()
    Document.objects.update(transmitted_by=None, previous_version=None)
    Document.objects.all().delete()
    SourceFile.objects.all().delete()


def bench_database(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shuzheng.documents.parsing.parser import parse
    from shuzheng.documents.services import ingest_file
    from shuzheng.orgs.services import get_resolver, load_sample_registry

    call_command("migrate", verbosity=0)
    load_sample_registry()
    empty_library()
    data = SAMPLE.read_bytes()
    resolve = get_resolver().parse_responsibility

    parse_times = []
    for _ in range(args.repeat):
        seconds, result = timed(lambda: parse(data, SAMPLE.name, resolve_responsibility=resolve))
        parse_times.append(seconds)
    chars = len(result.text)
    megabytes = len(result.text.encode()) / 1e6

    end_to_end = []
    for _ in range(args.repeat):
        empty_library()
        seconds, report = timed(lambda: ingest_file(data, SAMPLE.name, actor=None))
        assert report.count("created") == 3 and report.tasks == 144, report.to_dict()
        end_to_end.append(seconds)

    empty_library()
    text = data.decode()
    notices = [variant(text, number) for number in range(args.documents)]
    batch, _ = timed(
        lambda: [ingest_file(item, f"notice-{n}.txt", actor=None) for n, item in enumerate(notices)]
    )
    return {
        "database": connection.vendor,
        "chars": chars,
        "megabytes": megabytes,
        "parse_median": statistics.median(parse_times),
        "documents_in_sample": len(result.documents),
        "end_to_end_median": statistics.median(end_to_end),
        "end_to_end_max": max(end_to_end),
        "batch_documents": args.documents,
        "batch_seconds": batch,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES", ""))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    if args.worker:
        print(json.dumps(bench_database(args)))
        return

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    sqlite_file = bench_dir / "ingest.sqlite3"
    sqlite_file.unlink(missing_ok=True)
    urls = [f"sqlite:///{sqlite_file}"] + ([args.postgres] if args.postgres else [])
    rows = []
    for url in urls:
        env = {**os.environ, "SHUZHENG_DATABASE_URL": url, "SHUZHENG_VAR_DIR": str(bench_dir)}
        command = [sys.executable, __file__, "--worker", "--repeat", str(args.repeat)]
        command += ["--documents", str(args.documents)]
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        rows.append(json.loads(output.stdout.strip().splitlines()[-1]))

    print(
        "| database | parse (sample) | parse throughput | sample end to end median / max "
        "| batch of distinct documents |"
    )
    print("|---|---|---|---|---|")
    for row in rows:
        per_second = row["batch_documents"] / row["batch_seconds"]
        print(
            f"| {row['database']} | {row['parse_median'] * 1000:.0f} ms "
            f"({row['documents_in_sample']} documents, {row['chars']:,} characters) "
            f"| {row['megabytes'] / row['parse_median']:.2f} MB/s, "
            f"{row['documents_in_sample'] / row['parse_median']:.1f} documents/s "
            f"| {row['end_to_end_median'] * 1000:.0f} / {row['end_to_end_max'] * 1000:.0f} ms "
            f"| {row['batch_documents']} in {row['batch_seconds']:.1f} s = {per_second:.1f} documents/s |"
        )


if __name__ == "__main__":
    main()
