"""Declarative data-quality checks over a distribution's rows, in one streaming pass.

Checks (issue 11, point 4): completeness (no empty value), format (the item's data type or a
regular expression), range (numeric minimum / maximum), uniqueness, referential integrity
(the value exists in another resource's column), freshness (the newest date is no older than
the update frequency allows) and cross-source agreement (多源校核: the value agrees with the
authoritative source's value for the same key).

Rows are read one at a time and forgotten: memory stays flat in the number of rows, apart
from uniqueness, which keeps one 8-byte digest per distinct value. Failing rows go to the
``on_failure`` callback as they are found (the caller streams them to a file).

Pure module: no Django.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
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


def _is_integer(value: str) -> bool:
    return re.fullmatch(r"[+-]?\d+", value) is not None


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
            try:
                number = Decimal(value)
            except InvalidOperation:
                return False
            return (low is None or number >= low) and (high is None or number <= high)

        return in_range
    if check.kind == "reference":
        allowed = params["values"]
        return lambda value: value in allowed
    raise QualityError(f"unknown check kind {check.kind!r}")


def run_checks(
    rows: Iterable[Mapping[str, str]],
    checks: Iterable[Check],
    *,
    today: dt.date | None = None,
    update_frequency: str = "",
    on_failure: Callable[[int, Mapping[str, str], list[str]], None] | None = None,
) -> Report:
    """Run ``checks`` over ``rows`` (dicts of column → text, numbered from 1) in one pass.

    ``reference`` checks take their allowed values in ``parameters["values"]`` (a set);
    ``cross_source`` checks take ``parameters["key"]`` (the key column) and
    ``parameters["source"]`` (key → the authoritative value); ``freshness`` needs ``today``
    and ``update_frequency``.
    """
    checks = list(checks)
    outcomes = [Outcome(check) for check in checks]
    per_value = []
    uniques = []
    crosses = []
    fresh = []
    for outcome in outcomes:
        kind = outcome.check.kind
        if kind == "completeness":
            per_value.append((outcome, None))
        elif kind in ("format", "range", "reference"):
            per_value.append((outcome, _value_test(outcome.check)))
        elif kind == "uniqueness":
            uniques.append((outcome, set()))
        elif kind == "cross_source":
            crosses.append(outcome)
        elif kind == "freshness":
            fresh.append([outcome, None])
        else:
            raise QualityError(f"unknown check kind {kind!r}")
    count = failing = 0
    columns_checked = False
    for number, row in enumerate(rows, start=1):
        if not columns_checked:
            _require_columns(row, checks)
            columns_checked = True
        count = number
        problems: list[str] = []
        for outcome, test in per_value:
            column = outcome.check.column
            value = (row.get(column) or "").strip()
            if test is None:
                outcome.checked += 1
                if not value:
                    outcome.fail(number, value)
                    problems.append(f"{column}: completeness")
                continue
            if not value:
                continue
            outcome.checked += 1
            if not test(value):
                outcome.fail(number, value)
                problems.append(f"{column}: {outcome.check.kind}")
        for outcome, seen in uniques:
            column = outcome.check.column
            value = (row.get(column) or "").strip()
            if not value:
                continue
            outcome.checked += 1
            digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
            if digest in seen:
                outcome.fail(number, value)
                problems.append(f"{column}: uniqueness")
            else:
                seen.add(digest)
        for outcome in crosses:
            params = outcome.check.parameters
            key = (row.get(params["key"]) or "").strip()
            expected = params["source"].get(key)
            value = (row.get(outcome.check.column) or "").strip()
            if expected is None or not value:
                continue
            outcome.checked += 1
            if value != expected:
                outcome.fail(number, {"key": key, "value": value, "source": expected})
                problems.append(f"{outcome.check.column}: cross_source")
        for entry in fresh:
            value = (row.get(entry[0].check.column) or "").strip()[:10]
            if _is_date(value) and (entry[1] is None or value > entry[1]):
                entry[1] = value
        if problems:
            failing += 1
            if on_failure is not None:
                on_failure(number, row, problems)
    for outcome, newest in fresh:
        limit = MAX_AGE_DAYS.get(update_frequency)
        if limit is None or today is None:
            continue
        outcome.checked = 1
        if newest is None or (today - dt.date.fromisoformat(newest)).days > limit:
            outcome.fail(0, newest or "")
    return Report(rows=count, failing_rows=failing, outcomes=outcomes)


def _require_columns(row: Mapping[str, str], checks: list[Check]) -> None:
    missing = []
    for check in checks:
        needed = [check.column] if check.column else []
        if check.kind == "cross_source":
            needed.append(check.parameters.get("key", ""))
        missing.extend(column for column in needed if column not in row)
    if missing:
        raise QualityError("columns missing from the data: " + ", ".join(sorted(set(missing))))


def csv_rows(handle) -> Iterator[dict[str, str]]:
    """Stream a CSV file (a binary handle) as dicts: UTF-8, GB18030 and the other encodings
    ``documents.parsing.decoding`` detects, decided on the first 64 KB."""
    head = handle.read(_SNIFF_BYTES)
    encoding = decode(head[: _last_line_end(head)] or head).encoding if head else "utf-8"
    if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        yield from csv.DictReader(text)
    finally:
        text.detach()


def _last_line_end(data: bytes) -> int:
    """Cut the sniffed bytes after the last newline, so no character is split."""
    end = data.rfind(b"\n")
    return end + 1 if end >= 0 else len(data)
