"""Reading factor workbooks and monitoring data (Excel or CSV), no Django.

Issue 12, "Bad input": a factor workbook with a missing county, a negative area, text in a
number column, a duplicated county, units in 万元 and 元 mixed; monitoring data with gaps.
Every problem is a :class:`Problem` naming the row and column (as the spreadsheet shows them:
row 1 is the header, columns by their header), and a file with any error imports nothing.
Gaps in monitoring data are not errors: they are kept as gaps and reported as flags, for the
settlement to leave out (``horizontal.mean``).

Files: ``.xlsx`` through openpyxl (the first sheet), anything else as CSV in the encodings
``documents.parsing.decoding`` detects (UTF-8 with or without BOM, GB18030, UTF-16).

Money columns: the header says the unit — ``标准财政收支缺口（万元）`` or ``…（元）`` — or a
``金额单位`` column says it per row (元 / 万元); a money column with neither, or a header and a
unit column that disagree, is refused, so that 万元 never passes for 元. Values are stored
in yuan.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook

from shuzheng.documents.parsing.decoding import DecodingError, decode
from shuzheng.ecocomp.factors import BY_HEADER, FLAG, MONEY
from shuzheng.text.translation import gettext_noop

CODE_HEADERS = ("区划代码", "代码")
NAME_HEADERS = ("县（区）", "县(区)", "县区", "名称")
UNIT_HEADER = "金额单位"
NOTE_HEADERS = ("备注", "说明")
SECTION_HEADERS = ("断面编码", "断面")
MONTH_HEADERS = ("月份", "监测月份")
SUSPECT_HEADER = "存疑"
INDICATOR_HEADERS = {
    "高锰酸盐指数": "codmn",
    "化学需氧量": "cod",
    "氨氮": "nh3n",
    "总磷": "tp",
    "总氮": "tn",
}
UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
_HEADER_UNIT = re.compile(r"^(?P<name>.+?)\s*[（(](?P<unit>[^）)]+)[）)]\s*$")
_MONTH = re.compile(r"^(\d{4})[-/年.](\d{1,2})月?$")
YES = {"是", "1", "y", "yes", "true", "存疑"}

UNREADABLE = gettext_noop("The file cannot be read: {reason}")
EMPTY = gettext_noop("The file has no rows under its header.")
NO_COLUMN = gettext_noop("The header has no column {column}.")
UNKNOWN_COLUMN = gettext_noop("Column “{column}” is no known factor.")
NO_UNIT = gettext_noop(
    "Column “{column}” is money: say 元 or 万元 in its header or a 金额单位 column."
)
BAD_UNIT = gettext_noop("Row {row}, column {column}: unknown unit “{value}” (元 or 万元).")
UNIT_CONFLICT = gettext_noop(
    "Row {row}, column {column}: the header says {header} but the unit column says {value}."
)
UNKNOWN_COUNTY = gettext_noop("Row {row}, column {column}: no county-level division “{value}”.")
DUPLICATE_COUNTY = gettext_noop(
    "Row {row}, column {column}: county {value} is listed already in row {first}."
)
MISSING_COUNTY = gettext_noop("County {value} ({name}) has no row.")
NOT_A_NUMBER = gettext_noop("Row {row}, column {column}: “{value}” is not a number.")
NEGATIVE = gettext_noop("Row {row}, column {column}: {value} is negative.")
EMPTY_CELL = gettext_noop("Row {row}, column {column}: no value.")
NOT_A_FLAG = gettext_noop("Row {row}, column {column}: {value} is neither 1 (yes) nor 0 (no).")
UNKNOWN_SECTION = gettext_noop("Row {row}, column {column}: no monitoring section “{value}”.")
BAD_MONTH = gettext_noop("Row {row}, column {column}: “{value}” is no month (2024-03).")
DUPLICATE_MONTH = gettext_noop(
    "Row {row}: section {section}, month {month} is listed already in row {first}."
)
GAP = gettext_noop("Row {row}, column {column}: no value for section {section} in {month}.")
MISSING_MONTH = gettext_noop("Section {section}: no row for {month}.")


@dataclass(frozen=True)
class Problem:
    message: str
    params: Mapping[str, object]

    def __str__(self) -> str:
        return self.message.format(**self.params)

    def describe(self, translate) -> str:
        return translate(self.message).format(**self.params)


class ImportRefused(ValueError):
    """The file's errors; nothing of it may be stored."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # every cell as text, stripped; row i is spreadsheet row i + 2
    encoding: str = ""


def read_table(name: str, data: bytes) -> Table:
    """The first sheet of an ``.xlsx`` file or a CSV file, cells as text."""
    if name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused([Problem(UNREADABLE, {"reason": type(error).__name__})]) from None
        cells = [
            [_cell(value) for value in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        encoding = "xlsx"
    else:
        try:
            decoded = decode(data)
        except DecodingError as error:
            raise ImportRefused([Problem(UNREADABLE, {"reason": str(error)})]) from None
        cells = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(decoded.text))]
        encoding = decoded.encoding
    cells = [row for row in cells if any(row)]
    if len(cells) < 2:
        raise ImportRefused([Problem(EMPTY, {})])
    headers = [header.replace("\ufeff", "").strip() for header in cells[0]]
    width = len(headers)
    rows = [(row + [""] * width)[:width] for row in cells[1:]]
    return Table(headers, rows, encoding)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(text: str) -> Decimal | None:
    """A cell's number (thousands separators allowed), or None when it is not one."""
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _find(headers: Sequence[str], names: Iterable[str]) -> int | None:
    return next((index for index, header in enumerate(headers) if header in names), None)


@dataclass
class FactorRows:
    """What a valid factor workbook gives: county code → factor → (value in yuan or its own
    unit, spreadsheet row)."""

    values: dict[str, dict[str, tuple[Decimal, int]]] = field(default_factory=dict)
    encoding: str = ""


def factor_rows(table: Table, counties: Mapping[str, str]) -> FactorRows:
    """Validate a factor table against ``counties`` (code → name; names are accepted in the
    code column too). Raises :class:`ImportRefused` with every problem found."""
    problems: list[Problem] = []
    headers = table.headers
    code_at = _find(headers, CODE_HEADERS)
    name_at = _find(headers, NAME_HEADERS)
    unit_at = _find(headers, (UNIT_HEADER,))
    if code_at is None and name_at is None:
        raise ImportRefused([Problem(NO_COLUMN, {"column": CODE_HEADERS[0]})])
    columns: list[tuple[int, str, str, bool, Decimal | None]] = []  # …, money, header unit
    flags: set[str] = set()  # factors whose values are 1 or 0
    for index, header in enumerate(headers):
        if index in (code_at, name_at, unit_at) or not header or header in NOTE_HEADERS:
            continue
        match = _HEADER_UNIT.match(header)
        name, unit = (match["name"], match["unit"]) if match else (header, "")
        factor = BY_HEADER.get(name)
        if factor is None:
            problems.append(Problem(UNKNOWN_COLUMN, {"column": header}))
            continue
        scale = UNITS.get(unit) if factor.unit == MONEY else None
        if factor.unit == MONEY and scale is None and unit_at is None:
            problems.append(Problem(NO_UNIT, {"column": header}))
            continue
        columns.append((index, header, factor.key, factor.unit == MONEY, scale))
        if factor.unit == FLAG:
            flags.add(factor.key)
    by_name = {name: code for code, name in counties.items()}
    result = FactorRows(encoding=table.encoding)
    first_row: dict[str, int] = {}
    for offset, row in enumerate(table.rows):
        number_of_row = offset + 2
        key_at = code_at if code_at is not None else name_at
        raw = row[key_at]
        code = raw if raw in counties else by_name.get(raw)
        if code is None and name_at is not None and row[name_at] in by_name:
            code = by_name[row[name_at]]
        if code is None:
            problems.append(
                Problem(
                    UNKNOWN_COUNTY,
                    {"row": number_of_row, "column": headers[key_at], "value": raw},
                )
            )
            continue
        if code in first_row:
            problems.append(
                Problem(
                    DUPLICATE_COUNTY,
                    {
                        "row": number_of_row,
                        "column": headers[key_at],
                        "value": code,
                        "first": first_row[code],
                    },
                )
            )
            continue
        first_row[code] = number_of_row
        row_unit = None
        if unit_at is not None and row[unit_at]:
            row_unit = UNITS.get(row[unit_at])
            if row_unit is None:
                problems.append(
                    Problem(
                        BAD_UNIT,
                        {"row": number_of_row, "column": UNIT_HEADER, "value": row[unit_at]},
                    )
                )
                continue
        values = result.values.setdefault(code, {})
        for index, header, key, money, scale in columns:
            where = {"row": number_of_row, "column": header}
            text = row[index]
            if not text:
                problems.append(Problem(EMPTY_CELL, where))
                continue
            value = number(text)
            if value is None:
                problems.append(Problem(NOT_A_NUMBER, {**where, "value": text}))
                continue
            if value < 0:
                problems.append(Problem(NEGATIVE, {**where, "value": text}))
                continue
            if key in flags and value not in (0, 1):
                problems.append(Problem(NOT_A_FLAG, {**where, "value": text}))
                continue
            if money:
                if scale is not None and row_unit is not None and scale != row_unit:
                    problems.append(
                        Problem(
                            UNIT_CONFLICT,
                            {**where, "header": _unit_name(scale), "value": row[unit_at]},
                        )
                    )
                    continue
                factor_scale = scale if scale is not None else row_unit
                if factor_scale is None:
                    problems.append(
                        Problem(BAD_UNIT, {**where, "column": UNIT_HEADER, "value": ""})
                    )
                    continue
                value *= factor_scale
            values[key] = (value, number_of_row)
    for code in sorted(set(counties) - set(first_row)):
        problems.append(Problem(MISSING_COUNTY, {"value": code, "name": counties[code]}))
    if problems:
        raise ImportRefused(problems)
    return result


def _unit_name(scale: Decimal) -> str:
    return next(name for name, value in UNITS.items() if value == scale)


@dataclass
class Reading:
    section: str
    month: str
    indicator: str
    value: Decimal | None
    suspect: bool
    row: int


@dataclass
class MonitoringRows:
    readings: list[Reading]
    flags: list[Problem]
    encoding: str = ""


def _month(text: str) -> str | None:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return f"{match[1]}-{int(match[2]):02}"


def monitoring_rows(table: Table, sections: Iterable[str]) -> MonitoringRows:
    """Validate monitoring data: one row per section and month, one column per indicator
    (mg/L), an optional 存疑 column. An empty cell is a gap, and a month missing between a
    section's first and last month too: both flagged, neither an error."""
    problems: list[Problem] = []
    flags: list[Problem] = []
    headers = table.headers
    known = set(sections)
    section_at = _find(headers, SECTION_HEADERS)
    month_at = _find(headers, MONTH_HEADERS)
    suspect_at = _find(headers, (SUSPECT_HEADER,))
    for index, names in ((section_at, SECTION_HEADERS), (month_at, MONTH_HEADERS)):
        if index is None:
            problems.append(Problem(NO_COLUMN, {"column": names[0]}))
    indicators = [
        (index, header, INDICATOR_HEADERS[_HEADER_UNIT.sub(r"\g<name>", header)])
        for index, header in enumerate(headers)
        if _HEADER_UNIT.sub(r"\g<name>", header) in INDICATOR_HEADERS
    ]
    for index, header in enumerate(headers):
        if (
            header
            and index not in (section_at, month_at, suspect_at)
            and index not in {at for at, _header, _key in indicators}
        ):
            problems.append(Problem(UNKNOWN_COLUMN, {"column": header}))
    if problems:
        raise ImportRefused(problems)
    readings: list[Reading] = []
    first_row: dict[tuple[str, str], int] = {}
    months: dict[str, set[str]] = {}
    for offset, row in enumerate(table.rows):
        number_of_row = offset + 2
        section, month_text = row[section_at], row[month_at]
        if section not in known:
            problems.append(
                Problem(
                    UNKNOWN_SECTION,
                    {"row": number_of_row, "column": headers[section_at], "value": section},
                )
            )
            continue
        month = _month(month_text)
        if month is None:
            problems.append(
                Problem(
                    BAD_MONTH,
                    {"row": number_of_row, "column": headers[month_at], "value": month_text},
                )
            )
            continue
        if (section, month) in first_row:
            problems.append(
                Problem(
                    DUPLICATE_MONTH,
                    {
                        "row": number_of_row,
                        "section": section,
                        "month": month,
                        "first": first_row[(section, month)],
                    },
                )
            )
            continue
        first_row[(section, month)] = number_of_row
        months.setdefault(section, set()).add(month)
        suspect = suspect_at is not None and row[suspect_at].lower() in YES
        for index, header, key in indicators:
            where = {"row": number_of_row, "column": header}
            text = row[index]
            if not text:
                flags.append(Problem(GAP, {**where, "section": section, "month": month}))
                readings.append(Reading(section, month, key, None, suspect, number_of_row))
                continue
            value = number(text)
            if value is None:
                problems.append(Problem(NOT_A_NUMBER, {**where, "value": text}))
                continue
            if value < 0:
                problems.append(Problem(NEGATIVE, {**where, "value": text}))
                continue
            readings.append(Reading(section, month, key, value, suspect, number_of_row))
    if problems:
        raise ImportRefused(problems)
    for section, seen in sorted(months.items()):
        for month in _between(min(seen), max(seen)):
            if month not in seen:
                flags.append(Problem(MISSING_MONTH, {"section": section, "month": month}))
    return MonitoringRows(readings, flags, table.encoding)


def _between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    result = []
    while f"{year}-{month:02}" <= last:
        result.append(f"{year}-{month:02}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result
