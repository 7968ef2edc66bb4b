"""Building catalog workbooks for the import tests: rows in the layout's order from a few
changes to the template's example."""

import csv
import io

from openpyxl import Workbook

from shuzheng.catalog import workbook

EXAMPLE = dict(zip([c.key for c in workbook.COLUMNS], workbook.example_rows()[0], strict=True))


def row(**changes) -> list:
    values = dict(EXAMPLE) | changes
    return [values[column.key] for column in workbook.COLUMNS]


def resource_rows(number: int, items: int = 2, **changes) -> list[list]:
    """``number``-th resource of a generated catalog: its code, name and items."""
    base = {
        "title": f"示例资源{number}",
        "code": f"304001/{number:06d}",
        "summary": f"第{number}个示例资源。",
    } | changes
    return [
        row(**(base | {"field_name": f"信息项{item}", "is_authoritative": "否"}))
        for item in range(1, items + 1)
    ]


def xlsx_bytes(rows, headers=None, *, title=True, merge=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([workbook.TITLE])
    sheet.append(headers or workbook.HEADERS)
    for values in rows:
        sheet.append(values)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=None, *, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers or workbook.HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
