"""The assessment (考核) for the leadership meeting: an Excel workbook and a PDF (issue 5).

Sheet names and headers are Chinese because the files leave the platform for a meeting
whose papers are in Chinese; the explanations are ``tasks.scoring``'s, line by line, worded
in the requester's language (Chinese by default, with Chinese punctuation), so a printed
score can be checked by hand. The PDF uses reportlab's built-in CID font STSong-Light, so no font file
is needed to render Chinese.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shuzheng.dashboard.services import Assessment

RANKING_HEADERS = ["排名", "单位", "地区", "总分", "等次", "以奖代补"]
LINE_HEADERS = ["单位", "指标", "权重", "原始值", "得分率", "得分", "说明"]
REGION_HEADERS = ["排名", "地区", "得分", "参评单位数", "说明"]
PDF_FONT = "STSong-Light"


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
    _fill(ranking, RANKING_HEADERS, ranking_rows(result), _title(result))
    _fill(workbook.create_sheet("评分明细"), LINE_HEADERS, line_rows(result), _title(result))
    _fill(workbook.create_sheet("地区"), REGION_HEADERS, region_rows(result), _title(result))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title(result: Assessment) -> str:
    return f"{result.rules.title}（截至 {result.as_of.isoformat()}）"


def _fill(sheet, headers: list[str], rows: list[list], title: str) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A3"
    for index, header in enumerate(headers, start=1):
        widest = max([len(str(row[index - 1])) for row in rows] + [len(header)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest * 1.6, 8), 80)


def assessment_pdf(result: Assessment) -> bytes:
    """A landscape A4 document: the ranking, the regions, then each unit's line items."""
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    heading = ParagraphStyle("heading", fontName=PDF_FONT, fontSize=16, leading=22)
    subheading = ParagraphStyle("subheading", fontName=PDF_FONT, fontSize=12, leading=18)
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=9, leading=12)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_title(result),
    )
    story = [
        Paragraph(_escape(_title(result)), heading),
        Paragraph(_escape(result.rules.source), body),
        Spacer(1, 6 * mm),
        Paragraph("单位排名", subheading),
        _table([RANKING_HEADERS, *ranking_rows(result)], body),
        Spacer(1, 6 * mm),
        Paragraph("地区得分", subheading),
        _table([REGION_HEADERS, *region_rows(result)], body),
        Spacer(1, 6 * mm),
        Paragraph("评分明细", subheading),
    ]
    for ranked in result.units:
        card = ranked.entry
        grade = f"（{card.grade.label}）" if card.grade else ""
        story.append(
            Paragraph(_escape(f"{ranked.rank}. {card.unit}：{card.total} 分{grade}"), body)
        )
        story.append(
            _table(
                [["指标", "说明", "得分"]]
                + [[line.label, line.describe(gettext), str(line.points)] for line in card.lines],
                body,
                widths=[60 * mm, 170 * mm, 25 * mm],
            )
        )
        story.append(Spacer(1, 3 * mm))
    document.build(story)
    return buffer.getvalue()


def _table(rows: list[list], style: ParagraphStyle, widths=None) -> Table:
    cells = [[Paragraph(_escape(str(value)), style) for value in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    """reportlab paragraphs are a small XML dialect: escape what it would read as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
