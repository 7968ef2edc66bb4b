"""Paragraphs broken where the source broke a page (issue 14: "持续深化黄河宁" / "夏段干支流")."""

import io
from pathlib import Path

from shuzheng.documents.parsing.formats import extract_text
from shuzheng.documents.parsing.paragraphs import join_soft_breaks, soft_breaks

SAMPLE = Path(__file__).resolve().parents[2] / "data/samples/ningxia-gazette-2023-10.txt"


def test_the_sample_gazettes_page_breaks_are_joined():
    text = SAMPLE.read_text(encoding="utf-8")
    joined = join_soft_breaks(text)
    assert "持续深化黄河宁\n" in text and "持续深化黄河宁夏段干支流及重点入黄排水沟" in joined
    assert "〔责任单位：自治区财政厅、自然资源厅" in joined  # a label broken inside its bracket
    # Twenty breaks of the sample fall inside a sentence; every one is between ideographs.
    spans = soft_breaks(text)
    assert len(spans) == 20
    assert all(text[start:end].strip() == "" for start, end in spans)
    # Headings, the masthead, signatures and dates keep their lines.
    for kept in ("## 一、总体要求\n", "主 编:李 明", "\n2023年5月16日\n", "\n2023年5月12日\n"):
        assert kept in joined


def test_a_break_inside_a_sentence_is_joined_and_paragraph_ends_are_kept():
    text = (
        "一、总体要求\n"
        "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，持续深化黄河宁\n"
        "\n"
        "夏段干支流横向补偿机制建设。\n"
        "（一）加强组织领导。各地要建立工作机制，\n"
        "明确责任分工。\n"
        "二、保障措施\n"
        "各部门各单位要按照连续出版物的编号规则填写 ISSN\n"
        "1008-0783 的要求报送，\n"
        "宁夏回族自治区人民政府\n"
        "2024年1月8日\n"
    )
    assert join_soft_breaks(text) == (
        "一、总体要求\n"
        "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，"
        "持续深化黄河宁夏段干支流横向补偿机制建设。\n"
        "（一）加强组织领导。各地要建立工作机制，明确责任分工。\n"
        "二、保障措施\n"
        "各部门各单位要按照连续出版物的编号规则填写 ISSN 1008-0783 的要求报送，\n"
        "宁夏回族自治区人民政府\n"
        "2024年1月8日\n"
    )


def test_table_rows_and_markdown_headings_are_never_joined():
    text = "## 关于推进数据\n共享的意见\n序号\t内容\n1\t建设平台，\n2\t编制目录。\n"
    assert soft_breaks(text) == []


def test_a_pdf_paragraph_cut_by_the_page_break_continues_on_the_next_page():
    """The PDF extractor rebuilds paragraphs from the layout (formats_pdf): a line that does
    not reach the margin on one page and an unindented line on the next are one paragraph."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=19, firstLineIndent=24
    )
    flush = ParagraphStyle("flush", parent=body, firstLineIndent=0)
    story = [
        Paragraph("（九）改进纵向补偿办法。" + "推进重点生态功能区转移支付差异化补偿，" * 6, body),
        Paragraph("（十）健全横向补偿机制。持续深化黄河宁", body),
        PageBreak(),
        Paragraph("夏段干支流及重点入黄排水沟横向补偿机制建设。", flush),
        Paragraph("（十一）完善市场交易机制。", body),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A5, invariant=1).build(story)
    text = extract_text(buffer.getvalue(), "cut.pdf").text
    assert "持续深化黄河宁夏段干支流及重点入黄排水沟横向补偿机制建设。" in text
    assert "建设。\n" in text and "（十一）完善市场交易机制。" in text.split("\n")
