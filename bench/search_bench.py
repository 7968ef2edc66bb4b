"""Search benchmark (issue 4, item 7): index build time and query latency at 100k sections.

    .venv/bin/python bench/search_bench.py [--sections 100000] [--queries 240]
        [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev | --no-postgres]
        [--skip-tantivy]

Generates a deterministic (seed 20230531) library by recombining the sentences of the sample
gazette with varied unit names, years and numbers, indexes it with the search services on
SQLite (a fresh file under var/bench/) and, when --postgres (or SHUZHENG_BENCH_POSTGRES) is
given (and not --no-postgres), on PostgreSQL (the database is created if missing and its
search tables replaced),
and indexes the same pre-segmented text with tantivy-py as the peer (bench-only dependency:
``pip install tantivy``). Prints a Markdown table for docs/benchmarks.md.

Latency is measured twice for the databases: "core" = count + first page of 20 ranked hits
(what tantivy is asked for too) and "full" = services.search as the web page and API run it
(core + facet counts + snippets). Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"
UNITS = ROOT / "src" / "shuzheng" / "orgs" / "data" / "ningxia.json"
SEED = 20230531
DOC_TYPES = ("意见", "通知", "办法", "方案", "决定", "规定")
VALIDITY = ("现行有效", "现行有效", "现行有效", "失效", "修订")


def sample_sentences() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    sentences = []
    for line in text.splitlines():
        if line.startswith("#") or "\t" in line:
            continue
        sentences += [s.strip() + "。" for s in re.split(r"[。；]", line) if len(s.strip()) >= 12]
    return sentences


def unit_names() -> list[str]:
    data = json.loads(UNITS.read_text(encoding="utf-8"))
    return [unit["short_name"] or unit["name"] for unit in data["units"]]


def generate_items(count: int):
    """``count`` sections/tasks in documents of 20, deterministic."""
    from shuzheng.search.items import IndexItem

    rng = random.Random(SEED)
    sentences = sample_sentences()
    units = unit_names()
    unit_pattern = re.compile(r"自治区[\u4e00-\u9fff]{1,6}?(厅|委|局)")
    items = []
    per_document = 20
    for document_id in range(1, count // per_document + 1):
        year = rng.randint(2015, 2024)
        issuer = rng.choice(units)
        doc_type = rng.choice(DOC_TYPES)
        title = f"{issuer}关于{rng.choice(sentences)[2:14]}的{doc_type}"
        common = {
            "document_id": document_id,
            "title": title,
            "doc_number": f"宁{rng.choice('政财发办')}发〔{year}〕{rng.randint(1, 120)}号",
            "issuers": (issuer,),
            "year": year,
            "doc_type": doc_type,
            "validity": rng.choice(VALIDITY),
            "is_public": rng.random() > 0.05,
        }
        for index in range(per_document):
            body = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
            body = unit_pattern.sub(lambda _m: rng.choice(units), body)
            body = re.sub(r"20\d\d", lambda _m: str(rng.randint(2015, 2030)), body)
            object_id = document_id * 100 + index
            if index % 4 == 3:
                task_units = tuple(rng.sample(units, 2))
                items.append(
                    IndexItem(
                        kind="task",
                        object_id=object_id,
                        task_number=str(index),
                        heading="重点任务",
                        path=f"附件/{index}",
                        anchor=f"task-{index}",
                        body=f"{body} 责任单位：{'、'.join(task_units)}",
                        unit_names=task_units,
                        deadline_years=(rng.randint(2023, 2026),),
                        **common,
                    )
                )
            else:
                items.append(
                    IndexItem(
                        kind="section",
                        object_id=object_id,
                        heading=body[:12],
                        path=f"{index}",
                        anchor=f"s-{index}",
                        body=body,
                        **common,
                    )
                )
    return items


def bench_queries(count: int) -> list[str]:
    """Realistic queries: the labelled set, word pairs, phrases, exclusions, filters."""
    rng = random.Random(SEED + 1)
    labelled = json.loads(
        (ROOT / "tests" / "search" / "labelled_queries.json").read_text(encoding="utf-8")
    )["queries"]
    queries = [item["query"] for item in labelled]
    words = sorted(
        {w for w in re.findall(r"[\u4e00-\u9fff]{2,4}", SAMPLE.read_text()) if len(w) in (2, 4)}
    )
    units = unit_names()
    while len(queries) < count:
        shape = rng.randrange(5)
        a, b = rng.sample(words, 2)
        queries.append(
            [
                f"{a} {b}",
                f"“{a}{b}”",
                f"{a} -{b}",
                f"{a} 机关:{rng.choice(units)}",
                f"{a} 年份:{rng.randint(2015, 2024)}",
            ][shape]
        )
    return queries[:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_queries(run, queries) -> dict:
    for query in queries[:20]:  # warm caches
        run(query)
    timings = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "max": max(timings),
    }


def bench_database(items, queries) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from shuzheng.orgs.services import load_sample_registry
    from shuzheng.search import services
    from shuzheng.search.backends import backend_for
    from shuzheng.search.query import SearchQuery, match_plan

    call_command("migrate", verbosity=0)
    # The registry a deployment has loaded: its unit names are domain terms of the index.
    load_sample_registry()
    start = time.perf_counter()
    services.rebuild(items)
    build = time.perf_counter() - start
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
    else:
        # FULL: the previous run's rows, deleted by rebuild, would otherwise leave the heap
        # twice its size (318 instead of 160 MB at 100k entries), and the scans read both.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL ANALYZE search_entry")
            cursor.execute("VACUUM FULL ANALYZE search_facet")
    backend = backend_for(connection.vendor)

    def core(text):
        query, parsed = SearchQuery(text=text).with_text_filters()
        plan = match_plan(parsed, services.segmenter())
        filters = services._filters(query, public_only=True)
        with connection.cursor() as cursor:
            backend.prepare(cursor)
            filters = backend.resolve_loose_names(cursor, filters)
            matched, params = backend.matched_sql(plan, filters)
            cursor.execute(f"SELECT COUNT(*) FROM ({matched}) m", params)
            cursor.fetchone()
            backend.page_rows(cursor, plan, filters, sort="relevance", page=1, per_page=20)

    def full(text):
        services.search(SearchQuery(text=text))

    return {
        "build_s": build,
        "core": time_queries(core, queries),
        "full": time_queries(full, queries),
    }


def bench_tantivy(items, queries) -> dict:
    import tantivy

    from shuzheng.search.query import match_plan, parse_query
    from shuzheng.search.segmentation import Segmenter

    seg = Segmenter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=False, tokenizer_name="whitespace")
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("id", stored=True, indexed=True)
    schema = builder.build()
    index = tantivy.Index(schema)  # in RAM
    start = time.perf_counter()
    writer = index.writer(heap_size=256_000_000)
    for number, item in enumerate(items):
        heading = item.heading if item.kind != "document" else item.title
        writer.add_document(
            tantivy.Document(
                title=" ".join(seg.tokens(f"{heading} {item.task_number}")),
                body=" ".join(seg.tokens(item.body)),
                id=number,
            )
        )
    writer.commit()
    index.reload()
    build = time.perf_counter() - start
    searcher = index.searcher()

    def run(text):
        plan = match_plan(parse_query(text), seg)
        clauses = []
        for group in plan.groups:
            if group.phrase:
                clauses.append('+"' + " ".join(group.tokens) + '"')
            else:
                clauses += [f"+{token}" for token in group.tokens]
        clauses += [f'-"{" ".join(g.tokens)}"' for g in plan.excluded]
        if not any(c.startswith("+") for c in clauses):
            return
        query = index.parse_query(" ".join(clauses), ["title", "body"], {"title": 8.0})
        searcher.search(query, 20, count=True)

    return {"build_s": build, "core": time_queries(run, queries)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError):
        pass
    import sqlite3

    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES", ""))
    parser.add_argument(
        "--no-postgres",
        action="store_true",
        help="SQLite only, even when SHUZHENG_BENCH_POSTGRES is set",
    )
    parser.add_argument("--skip-tantivy", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")

    if args.backend:  # child process: one database per process (Django settings are global)
        items = generate_items(args.sections)
        print(json.dumps(bench_database(items, bench_queries(args.queries))))
        return

    results = {}
    load_before = load_average()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    sqlite_file = bench_dir / "search-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    targets = [("SQLite FTS5", "sqlite", f"sqlite:///{sqlite_file}")]
    if args.postgres and not args.no_postgres:
        targets.append(("PostgreSQL", "postgresql", args.postgres))
    for label, backend, url in targets:
        if backend == "postgresql":
            _create_postgres_database(url)
        env = {**os.environ, "SHUZHENG_DATABASE_URL": url, "SHUZHENG_VAR_DIR": str(bench_dir)}
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--backend",
                backend,
                "--sections",
                str(args.sections),
                "--queries",
                str(args.queries),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[label] = json.loads(output.strip().splitlines()[-1])
        print(label, results[label], file=sys.stderr)
    if not args.skip_tantivy:
        import django

        django.setup()
        results["tantivy-py (peer)"] = bench_tantivy(
            generate_items(args.sections), bench_queries(args.queries)
        )
    print(report(results, args, (load_before, load_average())))


def _create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    conninfo = {
        "user": config["USER"],
        "host": config["HOST"],
        "port": config["PORT"],
        "password": config["PASSWORD"],
        **config.get("OPTIONS", {}),
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load_average() -> str:
    """The 1-minute load average: the machine is shared, and the run's load explains its
    spread (docs/benchmarks.md#search)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def report(results: dict, args, loads: tuple[str, str]) -> str:
    lines = [
        f"`{' '.join(['.venv/bin/python', 'bench/search_bench.py', *sys.argv[1:]])}`",
        "",
        f"Machine: {machine()}.",
        f"Library: {args.sections:,} sections and key tasks in {args.sections // 20:,} "
        f"documents; {args.queries} queries. Load average (1 min): {loads[0]} → {loads[1]}.",
        "",
        "| engine | index build | core p50 | core p95 | full p50 | full p95 |",
        "|---|---|---|---|---|---|",
    ]
    for label, data in results.items():
        full = data.get("full")
        full_cells = f"{full['p50']:.1f} ms | {full['p95']:.1f} ms" if full else "— | —"
        lines.append(
            f"| {label} | {data['build_s']:.1f} s | {data['core']['p50']:.1f} ms | "
            f"{data['core']['p95']:.1f} ms | {full_cells} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
