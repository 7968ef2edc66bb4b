"""Bulk issuance from Excel: reading the rows of a licence type's workbook (issue 10, point 2).

No Django: openpyxl and the licence rules. The workbook is the one the issuing page hands
out (``template_workbook``): a title row, then a header row — 持证主体名称, 证件类型,
证件号码, 签发日期 and one column per face field, labelled as the type labels it — then one
licence a row. Columns are found by their header (the label or the field's name), in any
order. Every problem is a :class:`CellError` naming the row and the column as the sheet
shows them (row 5, column C); the service issues nothing while any remains.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from shuzheng.trust import licences
from shuzheng.workbooks import fill_sheet

HOLDER_NAME = "holder_name"
HOLDER_KIND = "holder_kind"
HOLDER_CODE = "holder_code"
ISSUED_ON = "issued_on"
#: The fixed columns, their Chinese headers (the template's) and the values of 证件类型.
FIXED_HEADERS = {
    HOLDER_NAME: "持证主体名称",
    HOLDER_KIND: "证件类型",
    HOLDER_CODE: "证件号码",
    ISSUED_ON: "签发日期",
}
HOLDER_KIND_VALUES = {
    "统一社会信用代码": licences.CREDIT_CODE,
    "身份证号": licences.IDENTITY_CARD,
    "居民身份证": licences.IDENTITY_CARD,
    licences.CREDIT_CODE: licences.CREDIT_CODE,
    licences.IDENTITY_CARD: licences.IDENTITY_CARD,
}
HOLDER_NAME_MAX = 200
ROWS_MAX = 20_000


@dataclass(frozen=True)
class CellError:
    """A refusal at a row (as the sheet numbers it) and a column (its letter and header);
    column is empty for an error of the whole row or file."""

    row: int
    column: str
    header: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class LicenceRow:
    row: int
    holder_name: str
    holder_kind: str
    holder_code: str
    issued_on: dt.date | None
    face: dict


def template_workbook(title: str, face_fields: tuple[licences.FaceField, ...]) -> bytes:
    """An empty workbook for a type: the title, the headers, nothing else."""
    workbook = Workbook()
    headers = list(FIXED_HEADERS.values()) + [f.label for f in face_fields]
    fill_sheet(workbook.active, headers, [], title, max_width=40)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_licence_rows(
    content: bytes, face_fields: tuple[licences.FaceField, ...]
) -> tuple[list[LicenceRow], list[CellError]]:
    """The rows of a bulk-issuance workbook and every error in it (see the module)."""
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        return [], [CellError(0, "", "", "not_workbook")]
    try:
        rows = workbook.active.iter_rows(values_only=True)
        return _read(rows, face_fields)
    finally:
        workbook.close()


def _read(rows, face_fields) -> tuple[list[LicenceRow], list[CellError]]:
    header_row, columns = _find_header(rows, face_fields)
    if header_row is None:
        return [], [CellError(0, "", "", "header_missing", {"header": FIXED_HEADERS[HOLDER_NAME]})]
    errors = [
        CellError(header_row, "", header, "column_missing", {"header": header})
        for header in _missing(columns, face_fields)
    ]
    if errors:
        return [], errors
    parsed: list[LicenceRow] = []
    for number, values in enumerate(rows, start=header_row + 1):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        if len(parsed) >= ROWS_MAX:
            errors.append(CellError(number, "", "", "too_many_rows", {"limit": ROWS_MAX}))
            break
        row, row_errors = _parse_row(number, values, columns, face_fields)
        errors.extend(row_errors)
        if row is not None:
            parsed.append(row)
    if not parsed and not errors:
        errors.append(CellError(0, "", "", "no_rows"))
    return parsed, errors


def _find_header(rows, face_fields) -> tuple[int | None, dict[str, int]]:
    """The header row (within the first five) and each known column's index."""
    names = {header: key for key, header in FIXED_HEADERS.items()}
    names.update({key: key for key in FIXED_HEADERS})
    for face_field in face_fields:
        names[face_field.label] = names[face_field.name] = f"face:{face_field.name}"
    for number, values in enumerate(rows, start=1):
        columns = {}
        for index, value in enumerate(values):
            key = names.get(str(value).strip()) if value is not None else None
            if key and key not in columns:
                columns[key] = index
        if HOLDER_NAME in columns:
            return number, columns
        if number >= 5:
            break
    return None, {}


def _missing(columns: dict[str, int], face_fields) -> list[str]:
    missing = [h for key, h in FIXED_HEADERS.items() if key != ISSUED_ON and key not in columns]
    missing += [f.label for f in face_fields if f.required and f"face:{f.name}" not in columns]
    return missing


def _parse_row(number, values, columns, face_fields):
    errors: list[CellError] = []

    def cell(key):
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def refuse(key, code, **params):
        index = columns.get(key, 0)
        header = _header_of(key, face_fields)
        errors.append(CellError(number, get_column_letter(index + 1), header, code, params))

    name = _text(cell(HOLDER_NAME))
    if not name:
        refuse(HOLDER_NAME, "required")
    elif len(name) > HOLDER_NAME_MAX:
        refuse(HOLDER_NAME, "too_long", limit=HOLDER_NAME_MAX)
    kind = HOLDER_KIND_VALUES.get(_text(cell(HOLDER_KIND)))
    if kind is None:
        refuse(HOLDER_KIND, "holder_kind_unknown", kind=_text(cell(HOLDER_KIND)))
    code = ""
    if kind is not None:
        try:
            code = licences.normalise_holder_code(kind, _text(cell(HOLDER_CODE)))
        except licences.LicenceRuleError as error:
            refuse(HOLDER_CODE, error.code, **error.params)
    issued_on = None
    if _text(cell(ISSUED_ON)):
        try:
            issued_on = licences.parse_date(cell(ISSUED_ON))
        except licences.LicenceRuleError as error:
            refuse(ISSUED_ON, error.code, **error.params)
    raw_face = {f.name: cell(f"face:{f.name}") for f in face_fields if f"face:{f.name}" in columns}
    face, face_errors = licences.clean_face_values(face_fields, raw_face)
    for face_error in face_errors:
        refuse(f"face:{face_error.field}", face_error.code, **face_error.params)
    if errors:
        return None, errors
    return LicenceRow(number, name, kind, code, issued_on, face), errors


def _header_of(key: str, face_fields) -> str:
    if key in FIXED_HEADERS:
        return FIXED_HEADERS[key]
    name = key.removeprefix("face:")
    return next((f.label for f in face_fields if f.name == name), name)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
