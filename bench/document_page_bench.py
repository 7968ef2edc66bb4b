"""The document page's cost since it renders the official text (issue 14).

    .venv/bin/python bench/document_page_bench.py [--repeat 15]

In a fresh SQLite database under var/bench/ (the sample registry and gazette ingested, plus
the 政策解读 fixture), prints for each sample document: the page's server time (median of
``--repeat`` requests through Django's test client, DEBUG off), its queries, its size; the
print view's time; and, on the largest document's text, the cost of the parts: markdown-it
rendering (``documents.rendering.render_fragment``) against the escape-and-``linebreaks``
the page did before, and ``plain_text`` (what indexing now adds per text). Not a test:
numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(call, repeat: int) -> float:
    call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database = bench_dir / "document-page-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
            "SHUZHENG_DATABASE_URL": f"sqlite:///{database}",
            "SHUZHENG_VAR_DIR": str(bench_dir),
            "SHUZHENG_ALLOWED_HOSTS": "testserver",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection, reset_queries
    from django.template.defaultfilters import linebreaks_filter
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from shuzheng.documents.models import Document
    from shuzheng.documents.rendering import plain_text, render_fragment
    from shuzheng.documents.services import ingest_file
    from shuzheng.orgs.services import load_sample_registry

    # Keep the connection across requests, so that the queries of one are counted.
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    call_command("migrate", verbosity=0)
    load_sample_registry()
    sample = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"
    interpretation = ROOT / "tests" / "documents" / "fixtures" / "interpretation.txt"
    for path in (sample, interpretation):
        ingest_file(path.read_bytes(), path.name, actor=None)

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    print("| document | characters | sections | page (median) | queries | HTML | print view |")
    print("|---|---|---|---|---|---|---|")
    with override_settings(
        STORAGES={
            **django.conf.settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        for document in Document.objects.order_by("pk"):
            url = document.get_absolute_url()
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(url)
            assert answer.status_code == 200, answer.status_code
            page = median_ms(lambda url=url: client.get(url), args.repeat)
            printed = median_ms(lambda url=url: client.get(f"{url}print/"), args.repeat)
            print(
                f"| {document.title[:24]} | {len(document.text):,} | {document.sections.count()} "
                f"| {page:.0f} ms | {len(queries)} | {len(answer.content) // 1024} KB "
                f"| {printed:.0f} ms |"
            )
    text = max(Document.objects.all(), key=lambda item: len(item.text)).text
    rendered = median_ms(lambda: render_fragment(text), args.repeat)
    before = median_ms(lambda: linebreaks_filter(text, autoescape=True), args.repeat)
    plain = median_ms(lambda: plain_text(text), args.repeat)
    print()
    print(f"largest text: {len(text):,} characters")
    print(f"render_fragment (markdown-it): {rendered:.1f} ms; linebreaks before: {before:.1f} ms")
    print(f"plain_text (index body): {plain:.1f} ms")


if __name__ == "__main__":
    main()
