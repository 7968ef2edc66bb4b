"""The Chinese UI is complete: every message has a translation, and the compiled catalogue
that Django loads (.mo) says the same as the source (.po)."""

import ast
import gettext
from pathlib import Path

LC_MESSAGES = Path(__file__).resolve().parents[1] / "src/shuzheng/locale/zh_Hans/LC_MESSAGES"


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr (msgstr[0] for plurals) for every entry that is not obsolete; an entry
    with a context is keyed ``context\x04msgid``, as gettext keys it."""
    entries, key, field = {}, None, None
    values: dict[str, str] = {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        if not line.strip():
            if values.get("msgid"):
                # A message with a context is keyed as the compiled catalogue keys it.
                key = values["msgid"]
                if "msgctxt" in values:
                    key = f"{values['msgctxt']}\x04{key}"
                entries[key] = values.get("msgstr", values.get("msgstr[0]", ""))
            values, field = {}, None
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            values[field] += ast.literal_eval(line)
            continue
        key, _, quoted = line.partition(" ")
        field = key
        values[field] = ast.literal_eval(quoted)
    return entries


def test_every_message_is_translated_to_chinese():
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], "fuzzy translations need review"
    untranslated = [
        msgid for msgid, msgstr in read_po(LC_MESSAGES / "django.po").items() if not msgstr
    ]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with (LC_MESSAGES / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, msgstr in read_po(LC_MESSAGES / "django.po").items()
        if compiled.gettext(msgid) != msgstr and compiled.ngettext(msgid, "", 1) != msgstr
    ]
    assert stale == [], "run `make messages` to recompile the catalogue"
