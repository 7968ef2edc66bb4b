"""``shuzheng search "…" [--kind …] [--json]``: the policy library search from the shell
(issue 4, item 5). Runs as the public: non-public documents are not shown."""

import html
import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from shuzheng.search import services
from shuzheng.search.items import KINDS
from shuzheng.search.query import QueryError, SearchQuery


class Command(BaseCommand):
    help = 'Search the policy library: words, "phrases", -exclusions, 文号:/机关:/年份: filters.'

    def add_arguments(self, parser):
        parser.add_argument("query", help='e.g. "数据共享 机关:财政厅 年份:2023"')
        parser.add_argument("--kind", choices=KINDS, default="")
        parser.add_argument("--issuer", default="")
        parser.add_argument("--unit", default="")
        parser.add_argument("--year", type=int)
        parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--per-page", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args, **options):
        try:
            query = SearchQuery(
                text=options["query"],
                kind=options["kind"],
                issuer=options["issuer"],
                unit=options["unit"],
                year=options["year"],
                sort=options["sort"],
                page=options["page"],
                per_page=options["per_page"],
            )
            results = services.search(query)
        except QueryError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(results), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{results.total} results (page {results.page} of {results.pages})")
        for hit in results.hits:
            label = f"task {hit.task_number}" if hit.kind == "task" else hit.kind
            heading = hit.heading or hit.title
            self.stdout.write(f"\n[{label}] {heading} — {hit.doc_number or hit.title}  {hit.url}")
            self.stdout.write("    " + _plain(hit.snippet))


def _plain(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def _as_json(results) -> dict:
    data = asdict(results)
    for hit, raw in zip(data["hits"], results.hits, strict=True):
        hit["url"] = raw.url
        hit["published_on"] = raw.published_on.isoformat() if raw.published_on else None
    data["pages"] = results.pages
    return data
