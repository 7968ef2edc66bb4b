"""我的工单 as filtered, as CSV and Excel (issue 15, point 7: "exports redact them unless the
exporter holds the right role").

The headers are Chinese (the files go to offices whose papers are Chinese). The caller's
name, phone, e-mail and address are personal information (个人信息保护法): each row carries
them in full only when the exporter reads the field group ``hotline.caller`` for the unit
handling that request (its own staff — the same rule as the request's page), masked by
``hotline.privacy`` otherwise; the view audits every row exported in full. CSV is UTF-8 with a
byte-order mark (as the ledger's export), so Excel opens it with its Chinese intact, and
every character of GB 18030 survives; Excel is laid out by ``shuzheng.workbooks``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO, StringIO

from django.utils import timezone
from openpyxl import Workbook

from shuzheng.accounts.authorization import reads_field_group
from shuzheng.hotline import privacy, selectors
from shuzheng.hotline.models import ServiceRequest
from shuzheng.workbooks import fill_sheet

HEADERS = [
    "编号",
    "受理时间",
    "渠道",
    "类别",
    "所在地区",
    "地点",
    "诉求内容",
    "状态",
    "办理时限",
    "承办单位",
    "来电人",
    "联系电话",
    "电子邮箱",
    "来电人地址",
    "个人信息",
]
SHOWN_IN_FULL = "完整"
REDACTED = "已脱敏"
NO_CALLER = "无"
CHUNK = 500
#: Characters a spreadsheet would read as the start of a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Export:
    """The lines of an export and the requests whose caller it shows in full (to audit)."""

    lines: list[list] = field(default_factory=list)
    unmasked: list[tuple[ServiceRequest, object]] = field(default_factory=list)


def request_lines(rows: Iterable[ServiceRequest], user) -> Export:
    """One line per request of ``rows`` (``selectors.requests_for`` filtered, with the
    caller), read a chunk at a time; the caller in full only where ``user`` may read it."""
    export = Export()
    for request in rows:
        unit = selectors.handling_unit(request)
        caller = request.caller
        full = caller is not None and unit is not None
        full = full and reads_field_group(user, "hotline.caller", unit)
        if full:
            export.unmasked.append((request, unit))
        export.lines.append(_line(request, unit, caller, full))
    return export


def _line(request: ServiceRequest, unit, caller, full: bool) -> list:
    local = timezone.localtime
    if caller is None:
        person, mark = ["", "", "", ""], NO_CALLER
    elif full:
        person, mark = [caller.name, caller.phone, caller.email, caller.address], SHOWN_IN_FULL
    else:
        person = [
            privacy.mask_name(caller.name),
            privacy.mask_phone(caller.phone),
            privacy.mask_email(caller.email),
            privacy.mask_address(caller.address),
        ]
        mark = REDACTED
    return [
        request.number,
        local(request.requested_at).strftime("%Y-%m-%d %H:%M"),
        request.get_channel_display(),
        request.category.name,
        request.region.name if request.region_id else "",
        request.address_string,
        request.description,
        request.get_state_display(),
        local(request.resolution_due_at).strftime("%Y-%m-%d %H:%M"),
        unit.name if unit is not None else "",
        *person,
        mark,
    ]


def _cell(value) -> str:
    """A cell as text that no spreadsheet runs as a formula (a caller's words are data)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def requests_csv(lines: list[list]) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows([_cell(value) for value in line] for line in lines)
    return buffer.getvalue().encode("utf-8-sig")


def requests_workbook(lines: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "12345热线工单"
    rows = [[_cell(value) for value in line] for line in lines]
    fill_sheet(sheet, HEADERS, rows, title, max_width=60, sampled_rows=200)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
