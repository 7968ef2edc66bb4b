"""The assessment (考核) for the leadership meeting: an Excel workbook and a PDF (issue 5).

Sheet names and headers are Chinese because the files leave the platform for a meeting
whose papers are in Chinese; the explanations are ``tasks.scoring``'s, line by line, worded
in the requester's language (Chinese by default, with Chinese punctuation), so a printed
score can be checked by hand. The PDF is built by the platform's one PDF module
(``shuzheng.pdf``), which embeds its Chinese font.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext
from openpyxl import Workbook

from shuzheng.dashboard.services import Assessment
from shuzheng.pdf import PdfDocument
from shuzheng.workbooks import fill_sheet

RANKING_HEADERS = ["排名", "单位", "地区", "总分", "等次", "以奖代补"]
LINE_HEADERS = ["单位", "指标", "权重", "原始值", "得分率", "得分", "说明"]
REGION_HEADERS = ["排名", "地区", "得分", "参评单位数", "说明"]


def ranking_rows(result: Assessment) -> list[list]:
    rows = []
    for ranked in result.units:
        card = ranked.entry
        rank = f"{ranked.rank}（并列）" if ranked.tied else ranked.rank
        grade = card.grade.label if card.grade else ""
        rewarded = "是" if card.grade and card.grade.rewarded else ""
        rows.append([rank, card.unit, card.region, float(card.total), grade, rewarded])
    return rows


def line_rows(result: Assessment) -> list[list]:
    return [
        [
            ranked.entry.unit,
            line.label,
            float(line.weight),
            "" if line.raw is None else float(line.raw),
            float(line.normalised),
            float(line.points),
            line.describe(gettext),
        ]
        for ranked in result.units
        for line in ranked.entry.lines
    ]


def region_rows(result: Assessment) -> list[list]:
    return [
        [
            ranked.rank,
            ranked.entry.region,
            float(ranked.entry.score),
            len(ranked.entry.units),
            ranked.entry.describe(gettext),
        ]
        for ranked in result.regions
    ]


def assessment_workbook(result: Assessment) -> bytes:
    """Three sheets: 排名 (ranking), 评分明细 (line items), 地区 (regions)."""
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = "排名"
    fill_sheet(ranking, RANKING_HEADERS, ranking_rows(result), _title(result), max_width=80)
    fill_sheet(
        workbook.create_sheet("评分明细"),
        LINE_HEADERS,
        line_rows(result),
        _title(result),
        max_width=80,
    )
    fill_sheet(
        workbook.create_sheet("地区"),
        REGION_HEADERS,
        region_rows(result),
        _title(result),
        max_width=80,
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title(result: Assessment) -> str:
    return f"{result.rules.title}（截至 {result.as_of.isoformat()}）"


def assessment_pdf(result: Assessment, *, issuer: str = "", seal_png: bytes = b"") -> bytes:
    """A landscape A4 document: the ranking, the regions, then each unit's line items; with
    ``seal_png``, ``issuer``'s seal over its name and the date (``trust.documents``)."""
    document = PdfDocument(
        title=_title(result), footer=f"{result.rules.title} · 考核结果", landscape=True
    )
    document.heading(_title(result)).note(result.rules.source).spacer(4)
    document.heading("单位排名", level=2).table([RANKING_HEADERS, *ranking_rows(result)])
    document.spacer(4).heading("地区得分", level=2).table([REGION_HEADERS, *region_rows(result)])
    document.spacer(4).heading("评分明细", level=2)
    for ranked in result.units:
        card = ranked.entry
        grade = f"（{card.grade.label}）" if card.grade else ""
        document.paragraph(f"{ranked.rank}. {card.unit}：{card.total} 分{grade}")
        document.table(
            [["指标", "说明", "得分"]]
            + [[line.label, line.describe(gettext), str(line.points)] for line in card.lines],
            widths=[60, 170, 25],
        )
        document.spacer(3)
    if seal_png:
        document.spacer(6).closing([issuer, result.as_of.isoformat()], seal_png=seal_png)
    return document.render()
