"""The generator of the docs that come from the code (scripts/gendocs.py, `make docs`)."""

import pytest

from scripts import gendocs
from shuzheng import config

START = "<!-- generated: table (scripts/gendocs.py; run `make docs`) -->"
END = "<!-- end generated: table -->"


def test_only_the_text_between_the_markers_is_replaced():
    page = f"# Title\n\nWritten by hand.\n\n{START}\nold rows\n{END}\n\nMore by hand.\n"
    assert gendocs.replace_between_markers(page, "table", "new rows\n") == (
        f"# Title\n\nWritten by hand.\n\n{START}\nnew rows\n{END}\n\nMore by hand.\n"
    )


def test_a_page_without_the_markers_is_refused_with_the_lines_to_add():
    with pytest.raises(gendocs.GenerationError) as error:
        gendocs.replace_between_markers("# Title\n", "table", "rows")
    assert START in str(error.value) and END in str(error.value)


def test_a_variable_without_a_meaning_stops_the_settings_table(monkeypatch):
    monkeypatch.setattr(
        config,
        "DECLARED",
        {
            "DEBUG": config.Variable("DEBUG", "`0`", "shows tracebacks"),
            "NEW_KNOB": config.Variable("NEW_KNOB", "`1`", ""),
        },
    )
    with pytest.raises(gendocs.GenerationError, match="SHUZHENG_NEW_KNOB: say what it does"):
        gendocs.settings_table()


def test_the_settings_table_lists_each_variable_with_its_default_and_meaning(monkeypatch):
    monkeypatch.setattr(config, "DECLARED", {})
    config.env_list("HOSTS", ["a.gov.cn", "b.gov.cn"], meaning="host names")
    config.env_str("MAIL_FROM", meaning="sender")
    config.env_bool("LOUD", True, meaning="loud", shown_default="on in development")
    assert gendocs.settings_table().splitlines() == [
        "| Variable | Default | Meaning |",
        "|---|---|---|",
        "| `SHUZHENG_HOSTS` | `a.gov.cn,b.gov.cn` | host names |",
        "| `SHUZHENG_MAIL_FROM` | empty | sender |",
        "| `SHUZHENG_LOUD` | on in development | loud |",
    ]


def test_drift_is_reported_per_file_without_writing(tmp_path, monkeypatch):
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(f"Intro.\n{START}\nstale\n{END}\n")
    monkeypatch.setattr(
        gendocs, "GENERATED", [gendocs.Generated("docs/page.md", lambda: "fresh", "table")]
    )
    assert gendocs.drifted(tmp_path) == [(page, f"Intro.\n{START}\nfresh\n{END}\n")]
    assert "stale" in page.read_text()
