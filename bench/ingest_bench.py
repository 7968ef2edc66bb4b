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
  with its own number and a share of its text) ingested one after the other: documents/s;
* segmentation (issue 13, item 3): the index items of ``--segment-documents`` such notices
  (document, sections, key tasks) segmented by ``search.services.prepare_index`` with a
  freshly loaded dictionary: seconds, items/s and how many times rjieba was called.

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


def bench_segmentation(text: str, documents: int) -> dict:
    """Segment the index items of ``documents`` notices as ingestion's preparation does,
    untimed parsing and row building first; rjieba's calls counted by cProfile."""
    import cProfile
    import pstats

    from shuzheng.documents.pipeline import IngestContext, ingest_steps
    from shuzheng.documents.services import _default_parse, _prepare_documents
    from shuzheng.search import services as search_services

    groups = []
    for number in range(documents):
        result = _default_parse(variant(text, number), f"segment-{number}.txt")
        context = IngestContext(stored=[], actor=None, prepared=_prepare_documents(result))
        for step in ingest_steps():
            if step.prepare is not None and step.name != "documents.index":
                step.prepare(context)
        for prepared in context.new:
            own = [item for _row, item in prepared.index_drafts]
            groups.append(own + _own_items(prepared))
    search_services._segmenter_state.clear()
    search_services.segmenter()  # the dictionary's load is not segmentation
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    search_services.prepare_index(groups)
    profile.disable()
    seconds = time.perf_counter() - started
    if os.environ.get("INGEST_BENCH_PROFILE"):
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    cuts = sum(
        calls
        for (_file, _line, name), (calls, *_rest) in pstats.Stats(profile).stats.items()
        if "cut" in name and "Jieba" in name
    )
    items = sum(len(group) for group in groups)
    return {
        "segment_documents": documents,
        "segment_items": items,
        "segment_seconds": seconds,
        "segment_cuts": cuts,
    }


def _own_items(prepared) -> list:
    from shuzheng.documents.indexing import document_drafts

    drafts = document_drafts(prepared.document, prepared.issuers, prepared.sections)
    return [item for _row, item in drafts]


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
    empty_library()
    segmentation = bench_segmentation(text, args.segment_documents)
    return {
        **segmentation,
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
    parser.add_argument("--segment-documents", type=int, default=100)
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
        command += ["--segment-documents", str(args.segment_documents)]
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
    print()
    print("| database | segmentation: documents, index items | seconds | items/s | rjieba calls |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['database']} | {row['segment_documents']}, {row['segment_items']:,} "
            f"| {row['segment_seconds']:.2f} s | {row['segment_items'] / row['segment_seconds']:,.0f} "
            f"| {row['segment_cuts']:,} |"
        )


if __name__ == "__main__":
    main()
