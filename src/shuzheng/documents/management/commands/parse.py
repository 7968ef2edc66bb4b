"""``shuzheng parse FILE… [--json]``: show what the parser reads in files, storing nothing.

Issue 3, item 9.  ``--json`` prints the ParseResult in the stable form documented in
docs/parse-schema.md (one object for one file, an array for several); without it a short
readable summary.  Unit names are resolved with the registry in the database when it is
loaded, otherwise with the sample registry shipped in orgs/data.  A file that cannot be
read is reported on stderr and makes the exit status non-zero; the others are still parsed.
"""

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from shuzheng.documents.parsing.formats import ExtractionError
from shuzheng.documents.parsing.model import ParseResult
from shuzheng.documents.parsing.parser import parse
from shuzheng.orgs.resolution import Registry
from shuzheng.orgs.services import SAMPLE_REGISTRY, get_resolver


class Command(BaseCommand):
    help = "Parse official documents and print what was found (nothing is stored)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="txt, md, docx, pdf or html files")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print the parse result as JSON"
        )

    def handle(self, *args, files, as_json=False, **options):
        registry, source = self.registry()
        self.stderr.write(f"Unit names resolved with {source}.")
        results = []
        failures = []
        for name in files:
            try:
                data = Path(name).read_bytes()
                results.append(
                    parse(data, name, resolve_responsibility=registry.parse_responsibility)
                )
            except (OSError, ExtractionError) as exc:
                failures.append(name)
                self.stderr.write(self.style.ERROR(f"{name}: cannot be parsed: {_reason(exc)}"))
        if as_json:
            self.stdout.write(to_json(results, several=len(files) > 1))
        else:
            for result in results:
                self.stdout.write(summary(result))
        if failures:
            raise CommandError(f"{len(failures)} of {len(files)} file(s) could not be parsed.")

    def registry(self) -> tuple[Registry, str]:
        """The database registry if it holds units, else the shipped sample registry."""
        try:
            registry = get_resolver()
        except DatabaseError:
            registry = None
        if registry is not None and registry.units:
            return registry, "the registry in the database"
        data = json.loads(SAMPLE_REGISTRY.read_text(encoding="utf-8"))
        return Registry.from_data(data), f"the sample registry {SAMPLE_REGISTRY.name}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def to_json(results: list[ParseResult], *, several: bool) -> str:
    """One object for one file, an array for several (docs/parse-schema.md)."""
    payload = [result.to_dict() for result in results]
    return json.dumps(payload if several else payload[0], ensure_ascii=False, indent=2)


def summary(result: ParseResult) -> str:
    """A few readable lines per file: the issue, each document, and every finding."""
    lines = [f"{result.source_name} ({result.source_format}, {result.encoding or 'binary'})"]
    if result.gazette is not None:
        gazette = result.gazette
        lines.append(
            f"  Gazette: {gazette.title or '?'} {gazette.issue_no or ''}"
            f" (serial {gazette.serial_no or '?'}), published {gazette.published_on or '?'},"
            f" {len(gazette.toc)} contents entries"
        )
    for index, document in enumerate(result.documents):
        lines.append(f"  [{index}] {document.title}")
        lines.append(
            f"      {document.doc_number or 'no number'} · {document.doc_type or '?'}"
            f" · written {document.written_on or '?'} · {document.disclosure or '?'}"
        )
        lines.append(
            f"      {len(document.sections)} sections, {len(document.citations)} citations,"
            f" {len(document.tasks)} key tasks, {len(document.attachments)} attachments"
            + (f", transmits [{document.transmits}]" if document.transmits is not None else "")
        )
    counts = Counter(finding.severity.value for finding in result.findings)
    lines.append(
        "  Findings: "
        + (", ".join(f"{count} {severity}" for severity, count in counts.items()) or "none")
    )
    for finding in result.findings:
        lines.append(
            f"    {finding.severity.value} {finding.code} at {finding.offset}: {finding.message}"
        )
    return "\n".join(lines)
