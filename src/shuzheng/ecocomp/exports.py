"""Allocation and settlement tables as Excel workbooks and PDFs (issue 12, point 4).

Sheet names and headers are Chinese, as the files go to the finance department's and the
leaders' meetings; explanation lines are worded by ``ecocomp.rendering`` in the requester's
language. PDFs come from the platform's one PDF module (``shuzheng.pdf``, font embedded),
workbooks are laid out by ``shuzheng.workbooks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook

from shuzheng.ecocomp import rendering, selectors
from shuzheng.ecocomp.models import AllocationRun, Settlement
from shuzheng.pdf import PdfDocument
from shuzheng.workbooks import fill_sheet

LINE_HEADERS = [
    "区划代码",
    "县（区）",
    "构成",
    "因素",
    "因素值",
    "占比",
    "权重或系数",
    "金额（元）",
    "说明",
]
SETTLEMENT_HEADERS = ["项目", "内容"]


def _title(run: AllocationRun) -> str:
    state = run.get_state_display()
    return f"{run.rule_set.name}（{state}，测算 #{run.pk}）"


def allocation_rows(run: AllocationRun):
    columns, rows = selectors.allocation_table(run)
    headers = ["区划代码", "县（区）", *[name for _key, name in columns], "合计（元）"]
    body = [
        [row.code, row.name, *[float(round(part, 2)) for part in row.parts], int(row.amount)]
        for row in rows
    ]
    return headers, body


def line_rows(run: AllocationRun) -> list[list]:
    components = run.rule_set.components
    result = []
    for entry in run.counties.select_related("region"):
        for line, worded in zip(
            entry.lines, rendering.worded_lines(entry.lines, components), strict=True
        ):
            result.append(
                [
                    entry.region.code,
                    entry.region.name,
                    worded.component,
                    worded.factor,
                    worded.value,
                    worded.share,
                    worded.weight,
                    float(round(float(line[5]), 2)),
                    worded.sentence,
                ]
            )
    return result


def allocation_workbook(run: AllocationRun) -> bytes:
    """Two sheets: 分配表 (per county and component) and 测算明细 (every line)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "分配表"
    headers, rows = allocation_rows(run)
    fill_sheet(sheet, headers, rows, _title(run), max_width=40)
    fill_sheet(
        workbook.create_sheet("测算明细"), LINE_HEADERS, line_rows(run), _title(run), max_width=90
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def allocation_pdf(
    run: AllocationRun, *, seal_png: bytes = b"", issuer_lines: Sequence[str] = ()
) -> bytes:
    """Landscape A4: the table per county and component, then each county's lines; with
    ``seal_png``, the finance unit's seal over ``issuer_lines`` (``trust.documents``)."""
    title = _title(run)
    document = PdfDocument(title=title, footer=f"{run.rule_set.name} · 分配结果", landscape=True)
    document.heading(title)
    document.note(
        f"资金总额 {rendering.yuan(run.rule_set.fund)} 元；{run.rule_set.year} 年度；"
        f"依据：{run.rule_set.sources.get('fund', '')}"
    )
    if run.override_reason:
        document.note(f"缺数定稿理由：{run.override_reason}")
    headers, rows = allocation_rows(run)
    document.spacer(3).heading("分配表", level=2)
    document.table(
        [headers]
        + [[*row[:2], *[f"{value:,.2f}" for value in row[2:-1]], f"{row[-1]:,}"] for row in rows]
    )
    document.spacer(4).heading("测算明细", level=2)
    components = run.rule_set.components
    for entry in run.counties.select_related("region"):
        document.paragraph(f"{entry.region.name}：{rendering.yuan(entry.amount)} 元")
        document.table(
            [["构成", "说明"]]
            + [
                [worded.component, worded.sentence]
                for worded in rendering.worded_lines(entry.lines, components)
            ],
            widths=[45, 210],
        )
        document.spacer(2)
    if seal_png:
        document.spacer(6).closing(issuer_lines, seal_png=seal_png)
    return document.render()


def settlement_rows(settlement: Settlement) -> list[list[str]]:
    agreement = settlement.agreement
    rows = [
        ["协议", agreement.name],
        ["考核断面", agreement.section.name],
        ["结算期", settlement.period],
        ["补偿方式", agreement.get_method_display()],
        ["付款方", settlement.payer or "—"],
        ["收款方", settlement.payee or "—"],
        ["金额（元）", rendering.yuan(settlement.amount)],
        ["数据完整", "是" if settlement.complete else "否（不结算）"],
    ]
    rows += [list(rendering.settlement_line(label, value)) for label, value in settlement.lines]
    rows += [
        ["数据提示", rendering.flag_text(message, params)] for message, params in settlement.flags
    ]
    rows.append(["依据", agreement.source])
    return rows


def settlement_workbook(settlement: Settlement) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "结算单"
    title = f"{settlement.agreement.name} {settlement.period} 结算单"
    fill_sheet(sheet, SETTLEMENT_HEADERS, settlement_rows(settlement), title, max_width=100)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def settlement_pdf(
    settlement: Settlement, *, seal_png: bytes = b"", issuer_lines: Sequence[str] = ()
) -> bytes:
    title = f"{settlement.agreement.name} {settlement.period} 结算单"
    document = PdfDocument(title=title, footer="横向生态保护补偿 · 结算单")
    document.heading(title)
    document.table([SETTLEMENT_HEADERS, *settlement_rows(settlement)], widths=[35, 140])
    if seal_png:
        document.spacer(8).closing(issuer_lines, seal_png=seal_png)
    return document.render()
