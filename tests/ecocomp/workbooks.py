"""Factor workbooks for the tests, as CSV text or .xlsx bytes."""

import io

from openpyxl import Workbook

from shuzheng.orgs.models import Region


def county_rows():
    return list(Region.objects.filter(level="county").order_by("code").values_list("code", "name"))


def factor_table(headers=("常住人口", "森林面积"), value=lambda index, column: str(100 + index)):
    rows = [["区划代码", "县（区）", *headers]]
    for index, (code, name) in enumerate(county_rows()):
        rows.append([code, name, *(value(index, column) for column in range(len(headers)))])
    return rows


def as_csv(rows, encoding="utf-8") -> bytes:
    return "\n".join(",".join(row) for row in rows).encode(encoding)


def as_xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
