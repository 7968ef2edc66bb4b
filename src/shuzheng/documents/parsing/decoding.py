"""Turn the bytes of a text file into text, whatever encoding the issuing office used.

Chinese government files arrive as UTF-8, UTF-8 with a BOM (Windows Notepad), UTF-16
(Word's "Unicode text" export, with or without BOM) and very often GB18030/GBK/GB2312
(older systems and most gazette sites).  The order of the checks is what makes this
reliable (issue 3, "documents ingestion: decoding"):

1. a byte-order mark names the encoding outright;
2. BOM-less UTF-16 shows itself by NUL bytes on every other position;
3. strict UTF-8 — random legacy bytes almost never form valid UTF-8;
4. charset-normalizer, restricted to the Chinese legacy encodings and biased towards
   GB18030 when it cannot tell GB18030 from Big5 (short texts often fit both);
5. strict GB18030 as the last resort.

Undecodable bytes are never replaced: input that fits no encoding, or that decodes to
control characters (binary data), raises :class:`DecodingError`.

Line endings are normalised (``\\r\\n`` and ``\\r`` become ``\\n``), so every offset the
parser reports refers to the decoded text *after* line-ending normalisation.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.text.translation import gettext_noop

# Legacy encodings worth considering for Chinese official documents; GB18030 is a
# superset of GBK and GB2312, so those are reported as gb18030.
CHINESE_LEGACY_ENCODINGS = ("gb18030", "big5")

# charset-normalizer's "chaos" ranges 0..1; within this margin GB18030 wins over Big5.
GB18030_PREFERENCE_MARGIN = 0.05

# Control characters allowed in text: tab, line feed, form feed, carriage return.
_ALLOWED_CONTROLS = {"\t", "\n", "\f", "\r"}
# Above this share of control characters the "text" is binary data.
_MAX_CONTROL_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodingError(ExtractionError):
    """The bytes are not text in any encoding we accept; nothing was decoded."""


@dataclass(frozen=True)
class Decoded:
    text: str  # line endings normalised to "\n"; offsets refer to this text
    encoding: str  # Python codec name: utf-8, utf-16-le, utf-16-be, gb18030, big5 …
    had_bom: bool


def decode(data: bytes) -> Decoded:
    """Decode a text file's bytes (see the module docstring for the order of checks)."""
    if not data:
        raise DecodingError("empty", gettext_noop("Nothing to read: the file is empty."))
    encoding, had_bom, text = _decode_raw(data)
    if not text.strip():
        raise DecodingError("empty", gettext_noop("Nothing to read: the file contains no text."))
    _reject_binary(text)
    return Decoded(text=normalize_line_endings(text), encoding=encoding, had_bom=had_bom)


def normalize_line_endings(text: str) -> str:
    """CRLF (Windows) and lone CR (old Mac) become LF, so offsets are platform-independent."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_raw(data: bytes) -> tuple[str, bool, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None:
                raise DecodingError(
                    "undecodable",
                    gettext_noop(
                        "The file starts with a {encoding} byte-order mark but is not valid "
                        "{encoding} text."
                    ),
                    encoding=encoding,
                )
            return encoding, True, text
    for encoding in (_utf16_without_bom(data), "utf-8"):
        if encoding and (text := _strict(data, encoding)) is not None:
            return encoding, False, text
    encoding = _guess_chinese_legacy_encoding(data)
    if (text := _strict(data, encoding)) is not None:
        return encoding, False, text
    raise DecodingError(
        "undecodable",
        gettext_noop(
            "The file cannot be decoded as UTF-8, UTF-16, GB18030 or Big5 text; it may be binary."
        ),
    )


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters (digits, newlines) carry a NUL high byte.

    Little-endian puts those NULs on odd positions, big-endian on even ones.  Chinese
    characters whose low byte is 00 (e.g. 一 U+4E00) put a few NULs on the other side,
    hence "clearly more", not "only".
    """
    if len(data) < 2 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    minimum = max(1, len(data) // 100)
    if odd_nuls >= minimum and odd_nuls > 4 * even_nuls:
        return "utf-16-le"
    if even_nuls >= minimum and even_nuls > 4 * odd_nuls:
        return "utf-16-be"
    return None


def _guess_chinese_legacy_encoding(data: bytes) -> str:
    try:
        matches = list(from_bytes(data, cp_isolation=list(CHINESE_LEGACY_ENCODINGS)))
    except Exception:  # detection is a guess: if the library fails, the last resort decides
        matches = []
    if not matches:
        return "gb18030"  # last resort; _strict() decides whether it really fits
    best = min(matches, key=lambda match: match.chaos)
    for match in matches:
        if match.encoding == "gb18030" and match.chaos <= best.chaos + GB18030_PREFERENCE_MARGIN:
            return "gb18030"
    return best.encoding


def _reject_binary(text: str) -> None:
    controls = len(_DISALLOWED_CONTROL.findall(text))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise DecodingError(
            "binary",
            gettext_noop(
                "The file contains control characters; it looks like binary data, not text."
            ),
        )


#: C0 and C1 control characters but tab, newline, form feed and carriage return: counted
#: by one scan in C (a Python test per character took 0.5 s of a 100-document run).
_DISALLOWED_CONTROL = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in (*range(0x20), *range(0x7F, 0xA0))
        if chr(code) not in _ALLOWED_CONTROLS
    )
    + "]"
)
