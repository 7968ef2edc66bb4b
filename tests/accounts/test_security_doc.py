"""docs/security.md carries the role → permissions table generated from the code."""

import re
from pathlib import Path

from shuzheng.accounts.permissions import field_groups_markdown_table, markdown_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_permissions_table_in_the_docs_matches_the_code():
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- permissions-table:start -->\n(.*?)<!-- permissions-table:end -->", text, re.S
    )
    assert match, "docs/security.md lost its permissions-table markers"
    assert match[1] == markdown_table(), (
        "docs/security.md is out of date: paste the output of "
        "`python -m shuzheng.accounts.permissions` between the markers"
    )


def test_field_groups_table_in_the_docs_matches_the_code():
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- field-groups-table:start -->\n(.*?)<!-- field-groups-table:end -->", text, re.S
    )
    assert match, "docs/security.md lost its field-groups-table markers"
    assert match[1] == field_groups_markdown_table(), (
        "docs/security.md is out of date: paste the field-group table printed by "
        "`python -m shuzheng.accounts.permissions` between the markers"
    )
