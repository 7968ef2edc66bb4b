"""Previews of a tabular distribution: its first rows and the inferred type of each column
(issue 11, item 5: "previews of tabular data (first rows, column types)"), for CSV (UTF-8,
GB18030 and the other encodings ``documents.parsing.decoding`` detects), Excel and JSON.

The work is bounded whatever the file's size: a CSV or JSON preview reads at most
``MAX_BYTES`` of the file, an Excel one streams the first sheet (openpyxl's read-only mode)
and stops after ``SAMPLE_ROWS`` rows. The types are inferred over those sample rows (more
than the ``PREVIEW_ROWS`` shown, so a column of codes with one letter further down is not
called a number), in the catalog's data-type vocabulary (the guide's 整型 / 数值型 / 日期型
/ 日期时间型 / 逻辑型 / 字符型 / 备注型: ``choices.DataType``).

Pure module: no Django. Problems are :class:`PreviewError` with a code and the English
sentence marked for translation, translated where they are shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from shuzheng.documents.parsing.decoding import DecodingError, decode
from shuzheng.text.translation import gettext_noop

#: Rows a preview shows.
PREVIEW_ROWS = 20
#: Rows read (at most) to infer the columns' types.
SAMPLE_ROWS = 200
#: The most a CSV or JSON preview reads of the file (1 MiB).
MAX_BYTES = 1024 * 1024
#: Columns shown; a wider table says how many more it has.
MAX_COLUMNS = 40
#: Columns of an Excel sheet read (a sheet may be 16,384 wide).
EXCEL_MAX_COLUMNS = 1000
#: Characters of a cell shown; a longer value is cut with "…".
MAX_CELL = 120
#: Longer values than this make a text column 备注型 (memo) rather than 字符型.
MEMO_LENGTH = 255
#: The formats :func:`preview` reads.
FORMATS = ("csv", "xlsx", "json")
#: The keys under which a JSON object may hold its list of records (as the quality checks
#: read them).
JSON_RECORD_KEYS = ("data", "records", "result", "rows")

MESSAGES = {
    "not_text": gettext_noop("The file is not text in an encoding the platform can read."),
    "empty": gettext_noop("The file holds no rows."),
    "not_workbook": gettext_noop("The file is not a readable Excel workbook."),
    "not_json": gettext_noop("The file is not valid JSON."),
    "not_records": gettext_noop(
        "The JSON file must hold a list of records (objects), or one under “data”."
    ),
    "too_long": gettext_noop("The first record is too long to preview."),
    "format": gettext_noop("This format cannot be previewed."),
}


class PreviewError(ValueError):
    """Why a distribution has no preview: ``code`` one of ``MESSAGES``."""

    def __init__(self, code: str):
        super().__init__(MESSAGES[code])
        self.code = code
        self.message = MESSAGES[code]


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # a ``choices.DataType`` value


@dataclass(frozen=True)
class Preview:
    """The first rows of a table, as text, and its columns with their inferred types.
    ``more_rows``: the data goes on after the rows shown (or may: the read stopped at its
    bound); ``hidden_columns``: columns past ``MAX_COLUMNS`` that are not shown."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    more_rows: bool
    hidden_columns: int = 0

    def as_dict(self) -> dict:
        """A JSON-ready form (for the cache)."""
        return {
            "columns": [[column.name, column.data_type] for column in self.columns],
            "rows": [list(row) for row in self.rows],
            "more_rows": self.more_rows,
            "hidden_columns": self.hidden_columns,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Preview:
        return cls(
            columns=tuple(Column(name, data_type) for name, data_type in data["columns"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            more_rows=data["more_rows"],
            hidden_columns=data["hidden_columns"],
        )


# ------------------------------------------------------------------------ type inference

_INTEGER = re.compile(r"[+-]?(0|[1-9]\d*)")
_DECIMAL = re.compile(r"[+-]?((0|[1-9]\d*)(\.\d+)?|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATETIME = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(:(\d{2})(\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?"
)
_BOOLEANS = frozenset({"true", "false", "是", "否"})


def _is_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    try:
        dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True


def _is_datetime(value: str) -> bool:
    match = _DATETIME.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute = (int(match.group(n)) for n in range(1, 6))
    second = int(match.group(7) or 0)
    try:
        dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


#: The types tried in order: the first that every non-empty value of the column fits.
#: A number with a leading zero (a code such as 0951 or 010203) is text, not a number.
_TESTS = (
    ("integer", _INTEGER.fullmatch),
    ("decimal", _DECIMAL.fullmatch),
    ("date", _is_date),
    ("datetime", _is_datetime),
    ("boolean", lambda value: value.lower() in _BOOLEANS),
)


def infer_type(values: Iterable[str]) -> str:
    """The narrowest data type every non-empty value fits: integer, decimal (数值型), date,
    datetime, boolean (true/false, 是/否), else string (字符型), or text (备注型) when a value
    is longer than ``MEMO_LENGTH``. A column with no value at all is string."""
    present = [value.strip() for value in values if value and value.strip()]
    if not present:
        return "string"
    for name, test in _TESTS:
        if all(test(value) for value in present):
            return name
    if any(len(value) > MEMO_LENGTH for value in present):
        return "text"
    return "string"


def cell_text(value) -> str:
    """A cell or JSON value as the preview shows it (dates in ISO form, whole floats
    without ".0", objects and lists as JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _shown(value: str) -> str:
    return value if len(value) <= MAX_CELL else value[: MAX_CELL - 1] + "…"


def build(header: list[str], rows: list[list[str]], *, more_rows: bool) -> Preview:
    """The preview of a table read as text: ``rows`` the sample rows (at most
    ``SAMPLE_ROWS``; each padded or cut to the header's width), ``more_rows`` whether the
    data goes on after them. A column without a name keeps "" (the page numbers it)."""
    width = max([len(header), *(len(row) for row in rows)]) if rows or header else 0
    names = [header[i].strip() if i < len(header) else "" for i in range(width)]
    table = [list(row[:width]) + [""] * (width - len(row)) for row in rows]
    shown = min(width, MAX_COLUMNS)
    columns = tuple(Column(names[i], infer_type(row[i] for row in table)) for i in range(shown))
    return Preview(
        columns=columns,
        rows=tuple(tuple(_shown(value) for value in row[:shown]) for row in table[:PREVIEW_ROWS]),
        more_rows=more_rows or len(table) > PREVIEW_ROWS,
        hidden_columns=width - shown,
    )


def _blank(row: list[str]) -> bool:
    return not any(value.strip() for value in row)


# ---------------------------------------------------------------------------------- CSV


def _head(handle, max_bytes: int) -> tuple[bytes, bool]:
    """At most ``max_bytes`` of the file, and whether that is all of it."""
    data = handle.read(max_bytes + 1)
    return data[:max_bytes], len(data) <= max_bytes


def preview_csv(handle, *, max_bytes: int = MAX_BYTES) -> Preview:
    """The preview of a CSV file (a binary handle), reading at most ``max_bytes``. When the
    file is longer, the read is cut after its last whole line and the last row read is
    dropped (a quoted value may go on past the cut)."""
    data, whole = _head(handle, max_bytes)
    if not whole:
        end = data.rfind(b"\n")
        if end < 0:
            raise PreviewError("too_long")
        data = data[: end + 1]
    try:
        text = decode(data).text
    except DecodingError as error:
        raise PreviewError("empty" if error.code == "empty" else "not_text") from error
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        rows = list(itertools.islice((row for row in reader if not _blank(row)), SAMPLE_ROWS + 2))
    except csv.Error as error:  # a NUL byte, a value over the csv module's field limit
        raise PreviewError("not_text") from error
    read_all = len(rows) < SAMPLE_ROWS + 2
    if not whole and read_all and len(rows) > 1:
        rows.pop()  # the last row read may be cut at the bound
    if not rows:
        raise PreviewError("empty")
    header, body = rows[0], rows[1:]
    return build(header, body[:SAMPLE_ROWS], more_rows=not whole or len(body) > SAMPLE_ROWS)


# -------------------------------------------------------------------------------- Excel


def preview_excel(handle) -> Preview:
    """The preview of an Excel workbook's first sheet (its first row the header), streamed:
    only the sample rows are read."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise PreviewError("not_workbook") from error
    try:
        if not book.worksheets:
            raise PreviewError("empty")
        rows = []
        more = False
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=EXCEL_MAX_COLUMNS):
            row = [cell_text(value) for value in values]
            if _blank(row):
                continue
            if len(rows) > SAMPLE_ROWS:
                more = True
                break
            while not row[-1].strip():
                row.pop()  # read-only sheets pad each row to the sheet's width
            rows.append(row)
    except PreviewError:
        raise
    except Exception as error:  # a damaged sheet fails while it is streamed
        raise PreviewError("not_workbook") from error
    finally:
        book.close()
    if not rows:
        raise PreviewError("empty")
    body = rows[1:]
    return build(rows[0], body, more_rows=more)


# --------------------------------------------------------------------------------- JSON

_SPACE = re.compile(r"[ \t\n\r]*")


class _Exhausted(Exception):
    """The reading reached ``MAX_BYTES`` before the value it needed ended."""


class _Buffer:
    """A window on a JSON file's text, read from the handle in growing steps up to its bound
    (the parser asks for more only while a value is cut off at the window's end)."""

    def __init__(self, handle, max_bytes: int):
        self.handle = handle
        self.left = max_bytes
        self.raw = b""
        self.text = ""
        self.pos = 0
        self.ended = False
        self.grow()

    def grow(self) -> None:
        if self.left <= 0:
            raise _Exhausted
        step = min(self.left, max(len(self.raw), 64 * 1024))
        chunk = self.handle.read(step)
        self.left -= len(chunk)
        self.ended = len(chunk) < step
        self.raw += chunk
        try:
            self.text = self.raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # A character cut at the window's end waits for the next read.
            if self.ended or error.start < len(self.raw) - 3:
                raise PreviewError("not_json") from error
            self.text = self.raw[: error.start].decode("utf-8-sig")

    def skip_space(self) -> str:
        """The next character after white space ("" at the end of the data)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if self.ended:
                return ""
            self.grow()

    def value(self, decoder: json.JSONDecoder):
        """The JSON value after the position, reading further while it is cut off."""
        self.skip_space()
        while True:
            try:
                value, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self.ended:
                    raise PreviewError("not_json") from error
                self.grow()
                continue
            if end >= len(self.text) and not self.ended:
                self.grow()  # a number at the window's end may go on ("12" of "123")
                continue
            self.pos = end
            return value

    def expect(self, character: str) -> None:
        if self.skip_space() != character:
            raise PreviewError("not_json")
        self.pos += 1


def _records(buffer: _Buffer) -> Iterator[dict]:
    """The records of the JSON text: a list's items, or those of the list under one of
    ``JSON_RECORD_KEYS`` of an object (other members skipped)."""
    decoder = json.JSONDecoder()
    first = buffer.skip_space()
    if first == "{":
        buffer.pos += 1
        while True:
            if buffer.skip_space() == "}":
                raise PreviewError("not_records")
            key = buffer.value(decoder)
            if not isinstance(key, str):
                raise PreviewError("not_json")
            buffer.expect(":")
            if key in JSON_RECORD_KEYS and buffer.skip_space() == "[":
                break
            buffer.value(decoder)
            following = buffer.skip_space()
            if following == ",":
                buffer.pos += 1
            elif following != "}":
                raise PreviewError("not_json")
    elif first != "[":
        raise PreviewError("not_json" if first else "empty")
    buffer.pos += 1
    if buffer.skip_space() == "]":
        return
    while True:
        record = buffer.value(decoder)
        if not isinstance(record, dict):
            raise PreviewError("not_records")
        yield record
        following = buffer.skip_space()
        if following == "]":
            return
        if following != ",":
            raise PreviewError("not_json")
        buffer.pos += 1


def preview_json(handle, *, max_bytes: int = MAX_BYTES) -> Preview:
    """The preview of a JSON file (UTF-8) holding a list of records, or one under "data"
    (or another of ``JSON_RECORD_KEYS``), reading at most ``max_bytes``: the records are
    parsed one by one, never the whole document. Columns are the records' keys in the order
    they first appear."""
    records: list[dict] = []
    more = False
    try:
        for record in _records(_Buffer(handle, max_bytes)):
            if len(records) == SAMPLE_ROWS:
                more = True
                break
            records.append(record)
    except _Exhausted:
        if not records:
            raise PreviewError("too_long") from None
        more = True
    if not records:
        raise PreviewError("empty")
    header: dict[str, None] = {}
    for record in records:
        header.update(dict.fromkeys(str(key) for key in record))
    names = list(header)
    rows = [[cell_text(record.get(name)) for name in names] for record in records]
    return build(names, rows, more_rows=more)


def preview(handle, fmt: str) -> Preview:
    """The preview of a file (a binary handle) of the format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "csv":
        return preview_csv(handle)
    if fmt == "xlsx":
        return preview_excel(handle)
    if fmt == "json":
        return preview_json(handle)
    raise PreviewError("format")
