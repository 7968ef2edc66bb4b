"""Write the parts of the documentation that are generated from the code.

    python scripts/gendocs.py           # rewrite them (`make docs`)
    python scripts/gendocs.py --check   # exit 1 if any drifted from the code (`make test`)

Generated parts of a Markdown page sit between two markers, so the hand-written text around
them stays::

    <!-- generated: NAME (scripts/gendocs.py; run `make docs`) -->
    ...
    <!-- end generated: NAME -->

Whole generated files (the OpenAPI schema) have no markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Django's and argparse's help is wrapped to the terminal's width: fix it, so the output is the
# same on every machine.
HELP_WIDTH = "100"
PROGRAM = "shuzheng"


def start_django() -> None:
    # The documented defaults are the ones a bare environment gets.
    for name in [name for name in os.environ if name.startswith("SHUZHENG_")]:
        del os.environ[name]
    os.environ["COLUMNS"] = HELP_WIDTH
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuzheng.settings"
    import django

    django.setup()


# -- what is generated -------------------------------------------------------------------------


def settings_table() -> str:
    from shuzheng.config import DECLARED

    undocumented = [f"SHUZHENG_{v.name}" for v in DECLARED.values() if not v.meaning]
    if undocumented:
        raise GenerationError(
            f"{', '.join(undocumented)}: say what it does with meaning=... in its env_* call"
        )
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    rows += [
        f"| `SHUZHENG_{v.name}` | {v.shown_default} | {v.meaning} |" for v in DECLARED.values()
    ]
    return "\n".join(rows)


def platform_commands() -> list[str]:
    from django.core.management import get_commands

    return sorted(name for name, app in get_commands().items() if app.startswith("shuzheng"))


def command_help(name: str) -> str:
    from django.core.management import ManagementUtility

    command = ManagementUtility([PROGRAM]).fetch_command(name)
    return command.create_parser(PROGRAM, name).format_help().rstrip()


def cli_reference() -> str:
    from django.core.management import ManagementUtility

    sections = [
        f"## `{PROGRAM} --help`",
        fenced(ManagementUtility([PROGRAM]).main_help_text()),
    ]
    for name in platform_commands():
        sections += [f"## `{PROGRAM} {name}`", fenced(command_help(name))]
    return "\n\n".join(sections)


def catalog_workbook_layout() -> str:
    from shuzheng.catalog.workbook import layout_markdown

    return layout_markdown()


def openapi_schema() -> str:
    from shuzheng.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"


def fenced(text: str) -> str:
    return f"```text\n{text.rstrip()}\n```"


# -- where it goes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    path: str  # relative to the repository
    render: Callable[[], str]
    marker: str | None = None  # None: the whole file is generated

    def apply(self, current: str) -> str:
        if self.marker is None:
            return self.render()
        return replace_between_markers(current, self.marker, self.render())


GENERATED = [
    Generated("docs/configuration.md", settings_table, marker="settings"),
    Generated("docs/cli.md", cli_reference, marker="cli"),
    Generated("docs/api/openapi.json", openapi_schema),
    Generated("docs/catalog-workbook.md", catalog_workbook_layout, marker="catalog-workbook"),
]


class GenerationError(Exception):
    """The code does not give what a generated part needs; the message says what to fix."""


def replace_between_markers(text: str, name: str, body: str) -> str:
    start = f"<!-- generated: {name} (scripts/gendocs.py; run `make docs`) -->"
    end = f"<!-- end generated: {name} -->"
    pattern = re.compile(re.escape(start) + r"\n.*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise GenerationError(
            f"the markers of '{name}' are missing; add these two lines:\n{start}\n{end}"
        )
    return pattern.sub(lambda _: f"{start}\n{body.rstrip()}\n{end}", text, count=1)


def drifted(root: Path) -> list[tuple[Path, str]]:
    """Every generated file whose content differs from what the code gives, with that content."""
    changes = []
    for item in GENERATED:
        path = root / item.path
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        wanted = item.apply(current)
        if wanted != current:
            changes.append((path, wanted))
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated part drifted")
    args = parser.parse_args(argv)
    start_django()
    try:
        changes = drifted(ROOT)
    except GenerationError as error:
        print(f"gendocs: {error}", file=sys.stderr)
        return 1
    for path, wanted in changes:
        relative = path.relative_to(ROOT)
        if args.check:
            print(f"gendocs: {relative} is out of date with the code", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted, encoding="utf-8")
            print(f"gendocs: wrote {relative}")
    if args.check and changes:
        print("gendocs: the generated docs drifted from the code: run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
