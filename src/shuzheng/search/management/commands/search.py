"""``shuzheng search "…" [--kind …] [--json] [--language …]``: the policy library search
from the shell (issue 4, item 5). Runs as the public: non-public documents are not shown.

The options are the results page's URL parameters and are checked by the same
``query_from_params``, so a mistake reads as the page words it, in the language chosen by
``--language``, else by the ``LANGUAGE`` environment variable (gettext's list of message
languages, e.g. ``LANGUAGE=en``), else the site's ``LANGUAGE_CODE`` (Chinese).
"""

import html
import json
import os
from dataclasses import asdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext, ngettext

from shuzheng.search import services
from shuzheng.search.items import DOCUMENT, SECTION, TASK
from shuzheng.search.query import QueryError, query_from_params
from shuzheng.text.translation import gettext_noop, join_list, offered_language

#: How a hit's level is printed in brackets, e.g. "[task 89]".
LEVEL_TEXT = {
    DOCUMENT: gettext_noop("document"),
    SECTION: gettext_noop("section"),
    TASK: gettext_noop("task %(number)s"),
}


class Command(BaseCommand):
    help = 'Search the policy library: words, "phrases", -exclusions, 文号:/机关:/年份: filters.'

    def add_arguments(self, parser):
        parser.add_argument("query", help='e.g. "数据共享 机关:财政厅 年份:2023"')
        parser.add_argument("--kind", default="", help="document, section or task")
        parser.add_argument("--issuer", default="")
        parser.add_argument("--unit", default="")
        parser.add_argument("--year", default="")
        parser.add_argument("--sort", default="relevance", help="relevance or date")
        parser.add_argument("--page", default="1")
        parser.add_argument("--per-page", default="20")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument(
            "--language",
            default="",
            help="zh-hans or en (default: the LANGUAGE environment variable, else Chinese)",
        )

    def handle(self, *args, **options):
        with translation.override(_language(options["language"])):
            self._search(options)

    def _search(self, options):
        params = {
            "q": options["query"],
            "kind": options["kind"],
            "issuer": options["issuer"],
            "unit": options["unit"],
            "year": options["year"],
            "sort": options["sort"],
            "page": options["page"],
            "per_page": options["per_page"],
        }
        try:
            results = services.search(query_from_params(params))
        except QueryError as error:
            raise CommandError(error.describe(gettext)) from error
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(results), ensure_ascii=False, indent=2))
            return
        self.stdout.write(_summary(results))
        for hit in results.hits:
            label = gettext(LEVEL_TEXT[hit.kind]) % {"number": hit.task_number}
            heading = hit.heading or hit.title
            self.stdout.write(f"\n[{label}] {heading} — {hit.doc_number or hit.title}  {hit.url}")
            self.stdout.write("    " + _plain(hit.snippet))


def _language(requested: str) -> str:
    offered = [code for code, _name in settings.LANGUAGES]
    if requested:
        if requested not in offered:
            raise CommandError(
                gettext("--language must be one of %(languages)s.")
                % {"languages": join_list(offered, gettext)}
            )
        return requested
    return offered_language(os.environ.get("LANGUAGE", ""), offered) or settings.LANGUAGE_CODE


def _summary(results) -> str:
    count = ngettext("%(counter)s result", "%(counter)s results", results.total) % {
        "counter": results.total
    }
    pages = gettext("Page %(page)s of %(pages)s") % {
        "page": results.page,
        "pages": results.pages,
    }
    return gettext("%(count)s (%(pages)s)") % {"count": count, "pages": pages}


def _plain(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def _as_json(results) -> dict:
    data = asdict(results)
    for hit, raw in zip(data["hits"], results.hits, strict=True):
        hit["url"] = raw.url
        hit["published_on"] = raw.published_on.isoformat() if raw.published_on else None
    data["pages"] = results.pages
    return data
