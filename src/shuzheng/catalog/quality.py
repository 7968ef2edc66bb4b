"""Declarative data-quality checks over a distribution's rows, in one streaming pass.

Checks (issue 11, point 4): completeness (no empty value), format (the item's data type or a
regular expression), range (numeric minimum / maximum), uniqueness, referential integrity
(the value exists in another resource's column), freshness (the newest date is no older than
the update frequency allows) and cross-source agreement (多源校核: the value agrees with the
authoritative source's value for the same key).

Rows are read a chunk at a time and forgotten: memory stays flat in the number of rows, apart
from uniqueness, which keeps one 64-bit hash per distinct value. Failing rows go to the
``on_failure`` callback as they are found (the caller streams them to a file).

Pure module: no Django.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from shuzheng.documents.parsing.decoding import decode

#: How old the newest record may be, in days, for each update frequency (更新周期), with a
#: day's grace; irregular data has no freshness limit.
MAX_AGE_DAYS = {
    "realtime": 1,
    "daily": 2,
    "weekly": 8,
    "monthly": 32,
    "quarterly": 93,
    "half_yearly": 184,
    "yearly": 366,
}
EXAMPLES = 20
_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Check:
    kind: str
    column: str = ""
    parameters: Mapping = field(default_factory=dict)
    weight: int = 1
    key: object = None  # the caller's identifier (a QualityCheck id)


@dataclass
class Outcome:
    check: Check
    checked: int = 0
    failed: int = 0
    examples: list = field(default_factory=list)

    def fail(self, row_number: int, value) -> None:
        self.failed += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append({"row": row_number, "value": value})


@dataclass
class Report:
    rows: int
    failing_rows: int
    outcomes: list[Outcome]

    @property
    def score(self) -> float | None:
        """100 × the weighted share of checked values that passed; None when nothing ran."""
        weighted = [(o.check.weight, o) for o in self.outcomes if o.checked]
        total = sum(weight for weight, _ in weighted)
        if not total:
            return None
        passed = sum(weight * (1 - o.failed / o.checked) for weight, o in weighted)
        return round(100 * passed / total, 2)


class QualityError(ValueError):
    """A check that cannot run (a column missing from the data, a bad pattern)."""


_INTEGER = re.compile(r"[+-]?\d+")


def _is_integer(value: str) -> bool:
    return _INTEGER.fullmatch(value) is not None


def _is_decimal(value: str) -> bool:
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


TYPE_TESTS: dict[str, Callable[[str], bool]] = {
    "integer": _is_integer,
    "decimal": _is_decimal,
    "money": _is_decimal,
    "date": _is_date,
    "datetime": _is_datetime,
    "boolean": lambda value: value.lower() in {"true", "false", "1", "0", "是", "否"},
}


def _number(value: str) -> int | Decimal | None:
    """The value as a number, None when it is none (NaN and infinities are not numbers
    a range can hold). ``int`` first: most values are whole and it is 5× faster."""
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _value_test(check: Check) -> Callable[[str], bool]:
    """A predicate on one non-empty value for the per-value kinds."""
    params = check.parameters
    if check.kind == "format":
        if params.get("pattern"):
            try:
                pattern = re.compile(params["pattern"])
            except re.error as error:
                raise QualityError(f"{check.column}: bad pattern ({error})") from error
            return lambda value: pattern.fullmatch(value) is not None
        return TYPE_TESTS.get(params.get("data_type", ""), lambda value: True)
    if check.kind == "range":
        low = Decimal(str(params["min"])) if params.get("min") is not None else None
        high = Decimal(str(params["max"])) if params.get("max") is not None else None

        def in_range(value: str) -> bool:
            number = _number(value)
            if number is None:
                return False
            return (low is None or number >= low) and (high is None or number <= high)

        return in_range
    if check.kind == "reference":
        allowed = params["values"]
        return allowed.__contains__
    raise QualityError(f"unknown check kind {check.kind!r}")


#: Rows are checked a chunk at a time, column by column: a list comprehension over one
#: column is several times faster than a Python loop over each row's dict (the 1,000,000-row
#: benchmark, docs/benchmarks.md), and memory stays one chunk.
CHUNK_ROWS = 10_000


class CsvRows:
    """A CSV file (a binary handle) as rows: UTF-8, GB18030 and the other encodings
    ``documents.parsing.decoding`` detects, decided on the first 64 KB. Iterating gives one
    dict per row; :func:`run_checks` reads it in chunks of lists instead."""

    def __init__(self, handle):
        self.handle = handle

    def _encoding(self) -> str:
        head = self.handle.read(_SNIFF_BYTES)
        self.handle.seek(0)
        if not head:
            return "utf-8"
        encoding = decode(head[: _last_line_end(head)] or head).encoding
        if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        return encoding

    def table(self) -> tuple[list[str], Iterator[list[list[str]]]]:
        """The header and an iterator of chunks of rows (lists of text)."""
        text = io.TextIOWrapper(self.handle, encoding=self._encoding(), newline="")
        reader = csv.reader(text)
        header = next(reader, None)
        return list(header or []), self._chunks(reader, text, empty=header is None)

    @staticmethod
    def _chunks(reader, text, *, empty: bool) -> Iterator[list[list[str]]]:
        try:
            while not empty:
                chunk = list(itertools.islice(reader, CHUNK_ROWS))
                if not chunk:
                    return
                yield chunk
        finally:
            text.detach()

    def __iter__(self) -> Iterator[dict[str, str]]:
        header, chunks = self.table()
        for chunk in chunks:
            for row in chunk:
                yield dict(zip(header, row, strict=False))


def csv_rows(handle) -> CsvRows:
    """Stream a CSV file (a binary handle): see :class:`CsvRows`."""
    return CsvRows(handle)


def run_checks(
    rows: Iterable[Mapping[str, str]],
    checks: Iterable[Check],
    *,
    today: dt.date | None = None,
    update_frequency: str = "",
    on_failure: Callable[[int, Mapping[str, str], list[str]], None] | None = None,
) -> Report:
    """Run ``checks`` over ``rows`` (dicts of column → text, numbered from 1, or
    :func:`csv_rows`) in one pass, a chunk of rows at a time.

    ``reference`` checks take their allowed values in ``parameters["values"]`` (a set);
    ``cross_source`` checks take ``parameters["key"]`` (the key column) and
    ``parameters["source"]`` (key → the authoritative value); ``freshness`` needs ``today``
    and ``update_frequency``.
    """
    checks = list(checks)
    run = _Run([_CheckRun(Outcome(check)) for check in checks], on_failure)
    if isinstance(rows, CsvRows):
        header, chunks = rows.table()
        if header:
            _require_columns(header, checks)
        for chunk in chunks:
            run.chunk(_ListChunk(header, chunk))
    else:
        for mappings in _batched(rows):
            if not run.rows:
                _require_columns(mappings[0], checks)
            run.chunk(_MappingChunk(mappings))
    for check_run in run.checks:
        check_run.finish(today, update_frequency)
    return Report(rows=run.rows, failing_rows=run.failing, outcomes=[c.outcome for c in run.checks])


def _batched(rows: Iterable[Mapping[str, str]]) -> Iterator[list[Mapping[str, str]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        yield chunk


class _Run:
    """The state of a run across chunks: rows seen, failing rows, the checks' own state."""

    def __init__(self, checks: list[_CheckRun], on_failure):
        self.checks = checks
        self.on_failure = on_failure
        self.rows = self.failing = 0

    def chunk(self, chunk: _ListChunk | _MappingChunk) -> None:
        columns: dict[str, list[str]] = {}

        def column(name: str) -> list[str]:
            if name not in columns:
                columns[name] = chunk.column(name)
            return columns[name]

        problems: dict[int, list[str]] = {}
        for check_run in self.checks:
            check_run.run(column, self.rows, problems)
        self.failing += len(problems)
        if self.on_failure is not None:
            for position in sorted(problems):
                self.on_failure(self.rows + position + 1, chunk.row(position), problems[position])
        self.rows += len(chunk)


class _ListChunk:
    """Rows of a CSV file as lists under its header: columns by position."""

    def __init__(self, header: list[str], rows: list[list[str]]):
        self.header, self.rows = header, rows
        self.index = {name: position for position, name in enumerate(header)}

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str]:
        """One column, stripped; short rows give empty values."""
        position = self.index.get(name)
        if position is None:
            return [""] * len(self.rows)
        try:
            return [row[position].strip() for row in self.rows]
        except IndexError:
            return [row[position].strip() if position < len(row) else "" for row in self.rows]

    def row(self, position: int) -> dict[str, str]:
        return dict(zip(self.header, self.rows[position], strict=False))


class _MappingChunk:
    """Rows given as mappings: each column read straight from them."""

    def __init__(self, rows: list[Mapping[str, str]]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str]:
        return [(row.get(name) or "").strip() for row in self.rows]

    def row(self, position: int) -> Mapping[str, str]:
        return self.rows[position]


class _CheckRun:
    """One check's pass over the chunks: it counts, notes examples and the rows' problems."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome
        check = outcome.check
        self.label = f"{check.column}: {check.kind}"
        self.test = None
        self.seen: set[int] = set()
        self.newest: str | None = None
        if check.kind in ("format", "range", "reference"):
            self.test = _value_test(check)
        elif check.kind not in ("completeness", "uniqueness", "cross_source", "freshness"):
            raise QualityError(f"unknown check kind {check.kind!r}")

    def run(self, column: Callable[[str], list[str]], before: int, problems) -> None:
        check, outcome = self.outcome.check, self.outcome
        values = column(check.column)
        if check.kind == "freshness":
            self._newest(values)
            return
        if check.kind == "completeness":
            outcome.checked += len(values)
            failed = [(k, value) for k, value in enumerate(values) if not value]
        elif check.kind == "uniqueness":
            failed = self._repeated(values)
        elif check.kind == "cross_source":
            failed = self._disagreeing(values, column(check.parameters["key"]))
        else:
            test = self.test
            outcome.checked += sum(1 for value in values if value)
            failed = [(k, value) for k, value in enumerate(values) if value and not test(value)]
        for position, value in failed:
            outcome.fail(before + position + 1, value)
            problems.setdefault(position, []).append(self.label)

    def _repeated(self, values: list[str]) -> list[tuple[int, str]]:
        # A 64-bit hash per distinct value keeps memory flat-ish (a collision, 2^-64 per
        # pair, would report one false repeat).
        seen, failed = self.seen, []
        for position, value in enumerate(values):
            if not value:
                continue
            self.outcome.checked += 1
            digest = hash(value)
            if digest in seen:
                failed.append((position, value))
            else:
                seen.add(digest)
        return failed

    def _disagreeing(self, values: list[str], keys: list[str]) -> list[tuple[int, dict]]:
        source, failed = self.outcome.check.parameters["source"], []
        for position, (value, key) in enumerate(zip(values, keys, strict=True)):
            expected = source.get(key)
            if expected is None or not value:
                continue
            self.outcome.checked += 1
            if value != expected:
                failed.append((position, {"key": key, "value": value, "source": expected}))
        return failed

    def _newest(self, values: list[str]) -> None:
        for day in {value[:10] for value in values}:
            if (self.newest is None or day > self.newest) and _is_date(day):
                self.newest = day

    def finish(self, today: dt.date | None, update_frequency: str) -> None:
        if self.outcome.check.kind != "freshness":
            return
        limit = MAX_AGE_DAYS.get(update_frequency)
        if limit is None or today is None:
            return
        self.outcome.checked = 1
        newest = self.newest
        if newest is None or (today - dt.date.fromisoformat(newest)).days > limit:
            self.outcome.fail(0, newest or "")


def _require_columns(header: Iterable[str], checks: list[Check]) -> None:
    present = set(header)
    missing = []
    for check in checks:
        needed = [check.column] if check.column else []
        if check.kind == "cross_source":
            needed.append(check.parameters.get("key", ""))
        missing.extend(column for column in needed if column not in present)
    if missing:
        raise QualityError("columns missing from the data: " + ", ".join(sorted(set(missing))))


def _last_line_end(data: bytes) -> int:
    """Cut the sniffed bytes after the last newline, so no character is split."""
    end = data.rfind(b"\n")
    return end + 1 if end >= 0 else len(data)
