"""Search benchmark (issue 13, item 4): the tantivy engine against a like-for-like peer.

    .venv/bin/python bench/search_bench.py [--sizes 10000,100000,1000000] [--queries 300]
        [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev | --no-postgres]

**Corpus.** A deterministic (seed 20230531) library of documents of 20 entries (15 sections,
5 key tasks): each entry 2–6 sentences; a sentence is, one time in four, a sentence of the
sample gazette (so the labelled queries mean something), otherwise 8–20 words drawn from a
**Zipf-distributed vocabulary of 120,000 words** (s = 1.05): the two- to four-character words
of jieba's dictionary (``dict.txt`` of the ``jieba`` package, 0.42.1: bench-only,
``.venv/bin/pip install jieba``), ranked by their dictionary frequency. Issuers and
responsible units are the Ningxia registry's units; years, types, validity and visibility
(5 % not public) vary.

**Queries** (``--queries``): the labelled queries of tests/search/labelled_queries.json, then
words as people type them, drawn from the same vocabulary by frequency: one word, two words,
a two-word phrase taken from a generated sentence, a word with an exclusion, with an issuer
(``机关:``), a year (``年份:``) or a type (``类型:``), and one-character words.

**Engines.** Both do the whole work the results page asks for — the same tokens (the
platform's segmenter with the domain dictionary), filters, ``is_public`` visibility, facet
counts, snippets and the top 20:

* ``tantivy``: ``services.search`` as the page runs it (the engine answers ids, total and
  facets; the page's entries are read from the database; snippets);
* ``SQL peer``: the database's own full text (SQLite FTS5 or PostgreSQL tsvector/GIN) through
  ``backends.Backend.search`` (one statement: total, page and facet counts) plus the same
  page rows and snippets.

The bench **fails** (exit status 1) when the two totals differ on any query. Printed per size
and database: index build time (database entries with the peer's full-text index, then the
engine's copy through the outbox), index size, p50/p95/p99 of each, and the child process's
peak memory (both engines live in it). Every size and database runs in a process of its own.
Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"
UNITS = ROOT / "src" / "shuzheng" / "orgs" / "data" / "ningxia.json"
LABELLED = ROOT / "tests" / "search" / "labelled_queries.json"
SEED = 20230531
VOCABULARY_SIZE = 120_000
ZIPF_S = 1.05
PER_DOCUMENT = 20
DOC_TYPES = ("意见", "通知", "办法", "方案", "决定", "规定")
VALIDITY = ("现行有效", "现行有效", "现行有效", "失效", "修订")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def vocabulary() -> list[str]:
    """The 120,000 most frequent two- to four-character words of jieba's dictionary."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, frequency, *_ = line.split()
        if _CJK_WORD.fullmatch(word):
            words.append((int(frequency), word))
    words.sort(key=lambda pair: (-pair[0], pair[1]))
    return [word for _frequency, word in words[:VOCABULARY_SIZE]]


class Zipf:
    """Draws ranks 0…n-1 with probability ∝ 1 / (rank + 1) ** s."""

    def __init__(self, n: int, rng: random.Random, s: float = ZIPF_S):
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(n)))
        self.rng = rng

    def draw(self, k: int) -> list[int]:
        top = self.cumulative[-1]
        return [bisect.bisect(self.cumulative, self.rng.random() * top) for _ in range(k)]


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


class Corpus:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.words = vocabulary()
        self.zipf = Zipf(len(self.words), self.rng)
        self.sentences = sample_sentences()
        self.units = unit_names()

    def sentence(self) -> str:
        if self.rng.random() < 0.25:
            return self.rng.choice(self.sentences)
        ranks = self.zipf.draw(self.rng.randint(8, 20))
        words = [self.words[rank] for rank in ranks]
        for position in range(4, len(words), self.rng.randint(4, 7)):
            words[position] = "，" + words[position]
        return "".join(words) + "。"

    def items(self, count: int):
        """``count`` sections and key tasks in documents of 20, deterministic."""
        from shuzheng.search.items import IndexItem

        rng = self.rng
        items = []
        for document_id in range(1, count // PER_DOCUMENT + 1):
            year = rng.randint(2015, 2024)
            issuer = rng.choice(self.units)
            doc_type = rng.choice(DOC_TYPES)
            common = {
                "document_id": document_id,
                "title": f"{issuer}关于{self.sentence()[:12].strip('，。')}的{doc_type}",
                "doc_number": f"宁{rng.choice('政财发办')}发〔{year}〕{rng.randint(1, 120)}号",
                "issuers": (issuer,),
                "year": year,
                "doc_type": doc_type,
                "validity": rng.choice(VALIDITY),
                "is_public": rng.random() > 0.05,
            }
            for index in range(PER_DOCUMENT):
                body = "".join(self.sentence() for _ in range(rng.randint(2, 6)))
                object_id = document_id * 100 + index
                if index % 4 == 3:
                    task_units = tuple(rng.sample(self.units, 2))
                    items.append(
                        IndexItem(
                            kind="task",
                            object_id=object_id,
                            task_number=str(index),
                            heading="重点任务",
                            path=f"附件/{index}",
                            anchor=f"task-{index}",
                            body=f"{body}（责任单位：{'、'.join(task_units)}）",
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

    def queries(self, count: int) -> list[str]:
        """The labelled queries, then words people type, drawn by frequency."""
        rng = random.Random(SEED + 1)
        zipf = Zipf(len(self.words), rng)
        labelled = json.loads(LABELLED.read_text(encoding="utf-8"))["queries"]
        queries = [item["query"] for item in labelled]

        def word() -> str:
            return self.words[zipf.draw(1)[0]]

        def phrase() -> str:
            ranks = zipf.draw(2)
            return f"“{self.words[ranks[0]]}{self.words[ranks[1]]}”"

        def sentence_phrase() -> str:
            words = _CJK_WORD.findall(self.sentence())
            return f"“{words[0]}{words[1]}”" if len(words) > 1 else word()

        shapes = [
            lambda: word(),
            lambda: f"{word()} {word()}",
            sentence_phrase,
            phrase,
            lambda: f"{word()} -{word()}",
            lambda: f"{word()} 机关:{rng.choice(self.units)}",
            lambda: f"{word()} 年份:{rng.randint(2015, 2024)}",
            lambda: f"{word()} 类型:{rng.choice(DOC_TYPES)}",
            lambda: word()[0],
        ]
        while len(queries) < count:
            queries.append(rng.choice(shapes)())
        return queries[:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(timings: list[float]) -> dict:
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "max": max(timings),
    }


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def bench_database(sections: int, query_count: int) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings
    from django.db import connection

    from shuzheng.orgs.services import load_sample_registry
    from shuzheng.search import services
    from shuzheng.search.backends import backend_for
    from shuzheng.search.query import SearchQuery, match_plan

    corpus = Corpus()
    start = time.perf_counter()
    items = corpus.items(sections)
    queries = corpus.queries(query_count)
    generate = time.perf_counter() - start

    call_command("migrate", verbosity=0)
    # The registry a deployment has loaded: its unit names are domain terms of the index.
    load_sample_registry()
    settings.SEARCH_INDEX_AT_ONCE = False
    start = time.perf_counter()
    services.rebuild(items)  # entries + the peer's full-text index (triggers / generated column)
    build_database = time.perf_counter() - start
    del items
    start = time.perf_counter()
    services.apply_outbox(wait=60)  # what runs after commit: the engine's copy
    build_engine = time.perf_counter() - start
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_entry_fts%'")
            peer_size = cursor.fetchone()[0]
        else:
            # The previous run's rows, deleted by rebuild, would otherwise double the heap.
            cursor.execute("VACUUM FULL ANALYZE search_entry")
            cursor.execute("VACUUM FULL ANALYZE search_facet")
            cursor.execute(
                "SELECT COALESCE(SUM(pg_relation_size(indexrelid)), 0) FROM pg_index "
                "WHERE indrelid = 'search_entry'::regclass"
            )
            indexes = cursor.fetchone()[0]
            cursor.execute("SELECT SUM(pg_column_size(document)) FROM search_entry")
            peer_size = int(indexes + (cursor.fetchone()[0] or 0))
    engine_size = directory_size(Path(settings.SEARCH_INDEX_DIR))
    backend = backend_for(connection.vendor)

    def peer(text: str) -> int:
        query, parsed = SearchQuery(text=text).with_text_filters()
        plan = match_plan(parsed, services.segmenter())
        filters = services._filters(query, public_only=True)
        with connection.cursor() as cursor:
            total, rows, _facets = backend.search(
                cursor, plan, filters, sort=query.sort, page=1, per_page=query.per_page
            )
        [services._hit(row, plan) for row in rows]
        return total

    def engine(text: str) -> int:
        return services.search(SearchQuery(text=text)).total

    for text in queries[:20]:  # warm caches
        peer(text)
        engine(text)
    timings: dict[str, list[float]] = {"tantivy": [], "peer": []}
    totals: dict[str, list[int]] = {"tantivy": [], "peer": []}
    for text in queries:
        for name, run in (("tantivy", engine), ("peer", peer)):
            start = time.perf_counter()
            totals[name].append(run(text))
            timings[name].append((time.perf_counter() - start) * 1000)
    differing = [
        {"query": text, "tantivy": a, "peer": b}
        for text, a, b in zip(queries, totals["tantivy"], totals["peer"], strict=True)
        if a != b
    ]
    return {
        "vendor": connection.vendor,
        "sections": sections,
        "generate_s": generate,
        "build_database_s": build_database,
        "build_engine_s": build_engine,
        "engine_bytes": engine_size,
        "peer_bytes": peer_size,
        "tantivy": summary(timings["tantivy"]),
        "peer": summary(timings["peer"]),
        "queries": len(queries),
        "matching_queries": sum(1 for total in totals["tantivy"] if total),
        "differing": differing,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


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

    import tantivy

    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {tantivy.__version__.splitlines()[0]}, "
        f"{platform.system()} {platform.release()}"
    )


def load_average() -> str:
    """The 1-minute load average: the machine is shared, and the load explains the spread."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES", ""))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")

    if args.child:  # one size and database per process (Django settings are global)
        print(json.dumps(bench_database(args.child, args.queries)))
        return

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    print(f"`{' '.join(['.venv/bin/python', 'bench/search_bench.py', *sys.argv[1:]])}`\n")
    print(f"Machine: {machine()}.\n")
    print(
        "| sections | database | build: entries + peer index | build: engine | size: engine "
        "/ peer | tantivy p50 / p95 / p99 | peer p50 / p95 / p99 | totals equal | peak RSS "
        "| load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    failed = False
    for sections in (int(size) for size in args.sizes.split(",")):
        targets = []
        sqlite_file = bench_dir / f"search-bench-{sections}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        targets.append(f"sqlite:///{sqlite_file}")
        if args.postgres and not args.no_postgres:
            _create_postgres_database(args.postgres)
            targets.append(args.postgres)
        for url in targets:
            index_dir = bench_dir / f"search-index-{sections}-{url.split(':')[0]}"
            _remove(index_dir)
            env = {
                **os.environ,
                "SHUZHENG_DATABASE_URL": url,
                "SHUZHENG_VAR_DIR": str(bench_dir),
                "SHUZHENG_SEARCH_INDEX_DIR": str(index_dir),
            }
            load = load_average()
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(sections),
                    "--queries",
                    str(args.queries),
                ],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            print(row(result, f"{load} → {load_average()}"), flush=True)
            for miss in result["differing"]:
                failed = True
                print(f"  totals differ: {miss}", file=sys.stderr)
    if failed:
        sys.exit("the engines' totals differ (see above)")


def row(result: dict, load: str) -> str:
    def times(data):
        return f"{data['p50']:.1f} / {data['p95']:.1f} / {data['p99']:.1f} ms"

    equal = result["queries"] - len(result["differing"])
    return (
        f"| {result['sections']:,} | {result['vendor']} | {result['build_database_s']:.0f} s "
        f"| {result['build_engine_s']:.0f} s | {result['engine_bytes'] / 2**20:.0f} / "
        f"{result['peer_bytes'] / 2**20:.0f} MiB | {times(result['tantivy'])} "
        f"| {times(result['peer'])} | {equal} of {result['queries']} "
        f"({result['matching_queries']} with hits) | {result['peak_rss_mb']:.0f} MiB | {load} |"
    )


def _remove(path: Path) -> None:
    if path.exists():
        for file in sorted(path.rglob("*"), reverse=True):
            file.unlink() if file.is_file() else file.rmdir()
        path.rmdir()


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


if __name__ == "__main__":
    main()
