"""The document's text without raw Markdown (issue 14): rendering for the page, plain text
for the index, and the GB/T 9704-2012 elements found in it. Pure modules, no database."""

import re

import pytest

from shuzheng.documents.layout import official_layout
from shuzheng.documents.rendering import plain_text, render_fragment, render_section
from tests.documents import parsed_samples as samples


def test_markdown_headings_lists_and_tab_tables_become_elements():
    html = render_fragment(
        "## 全区重点任务清单\n\n- 第一项\n- 第二项\n\n主要任务\t重点内容\n（一）驱动\t1. 创新。\n\t2. 围绕。"
    )
    assert "<h2>全区重点任务清单</h2>" in html
    assert "<ul>\n<li>第一项</li>" in html
    assert "<th>主要任务</th>" in html and "<td>1. 创新。</td>" in html
    assert html.count("<tr>") == 3
    assert "#" not in html and "\t" not in html


def test_heading_levels_follow_the_section_not_the_number_of_hashes():
    first = render_section("#### 四、健全工作体系\n\n正文。", heading="健全工作体系", level=1)
    assert first.html.startswith('<h2 class="doc-heading">四、健全工作体系</h2>')
    second = render_section("### （二）主要目标。\n\n到2025年。", heading="主要目标", level=2)
    assert second.html.startswith('<h3 class="doc-heading">（二）主要目标。</h3>')
    assert not first.run_in and not second.run_in


def test_a_heading_written_inline_is_a_run_in_heading_element():
    section = render_section(
        "（一）指导思想。坚持改革引领。\n\n第二段。", heading="指导思想", level=2
    )
    assert section.run_in
    assert section.html.startswith(
        '<h3 class="doc-heading">（一）指导思想。</h3><p>坚持改革引领。</p>'
    )


def test_an_attachment_label_stays_above_the_attachment_title():
    section = render_section(
        "附件 2\n\n## 全区数字政府建设重点任务清单（2023 年—2025 年）\n\n正文。",
        heading="全区数字政府建设重点任务清单（2023年—2025年）",
        level=1,
    )
    assert section.html.startswith("<p>附件 2</p>")
    assert (
        '<h2 class="doc-heading">全区数字政府建设重点任务清单（2023 年—2025 年）</h2>'
        in section.html
    )


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[点此](javascript:alert(1))",
        "![图](http://example.com/x.png)",
        "<a href='http://example.com'>链接</a>",
        "    <iframe src=//example.com></iframe>",
        "```\n<script>alert(2)</script>\n```",
        "主要任务\t<b onmouseover=alert(1)>内容</b>",
    ],
)
def test_no_raw_html_passes_through(attack):
    html = render_fragment(f"正文。\n\n{attack}\n\n结尾。", terms=["正文"])
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "mark", "br", "div", "table", "thead", "tbody", "tr", "th", "td"}
    assert re.search(r"<[^>]*\son\w+\s*=", html) is None  # no event handler attribute
    assert re.search(r"<[^>]*(href|src)\s*=", html) is None  # no link, image or frame


def test_searched_words_are_marked_in_text_only():
    html = render_fragment("### 数据共享\n\n推进数据共享。", terms=["数据"])
    assert "<h2><mark>数据</mark>共享</h2>" in html
    assert "推进<mark>数据</mark>共享。" in html


def test_plain_text_reads_as_prose():
    text = "# 自治区人民政府\n\n## 关于加强数字政府建设的实施意见\n\n### 一、总体要求\n\n- 附件：1. 框架（略）  \n**重点**任务\n\n| 甲 | 乙 |\n|---|---|\n| 丙 | 丁 |"
    plain = plain_text(text)
    assert plain == (
        "自治区人民政府\n\n关于加强数字政府建设的实施意见\n\n一、总体要求\n\n"
        "附件：1. 框架（略）\n重点任务\n\n甲\t乙\n\n丙\t丁"
    )
    assert plain_text("到2023年底。\n持续推进。") == "到2023年底。\n持续推进。"


GAZETTE_DOCUMENT = (
    "# 自治区人民政府\n\n## 关于加强数字政府建设的实施意见\n\n宁政发〔2023〕17号\n\n"
    "各市、县（区）人民政府，自治区政府各部门、各直属机构：\n\n为贯彻落实……提出如下实施意见。\n\n"
    "### 一、总体要求\n\n（一）指导思想。坚持……。\n\n"
    "- 附件：1. 宁夏回族自治区数字政府“34567”体系框架（略）  \n2. 全区数字政府建设重点任务清单\n\n"
    "宁夏回族自治区人民政府  \n2023年5月16日\n\n（此件公开发布）\n\n附件 2\n\n## 全区数字政府建设重点任务清单\n\n"
    "主要任务\t重点内容\n"
)


def test_the_elements_of_an_official_document_are_found_in_its_text():
    text = GAZETTE_DOCUMENT
    layout = official_layout(
        text,
        title="自治区人民政府关于加强数字政府建设的实施意见",
        doc_number="宁政发〔2023〕17号",
        addressees=["各市、县（区）人民政府", "自治区政府各部门、各直属机构"],
        section_starts=[text.index("### 一"), text.index("（一）"), text.index("附件 2")],
    )
    assert layout.body.slice(text).startswith("为贯彻落实")
    assert layout.body.slice(text).rstrip().endswith("坚持……。")
    assert layout.attachment_note.slice(text).startswith("- 附件：1.")
    assert layout.signature.slice(text).strip() == "宁夏回族自治区人民政府"
    assert layout.date.slice(text) == "2023年5月16日"
    assert layout.note.slice(text) == "（此件公开发布）"
    assert layout.appendix.slice(text).startswith("附件 2")
    # Nothing is lost: the spans cover the text in order.
    spans = [layout.head, layout.body, layout.attachment_note, layout.signature, layout.date]
    assert [span.start for span in spans] == sorted(span.start for span in spans)


def test_a_text_file_with_one_paragraph_a_line_is_laid_out_too():
    result = samples.build_result()
    notice = result.documents[0]
    text = result.text[notice.start : notice.end]
    layout = official_layout(
        text, title=notice.title, doc_number=notice.doc_number, addressees=notice.addressees
    )
    assert layout.body.slice(text).strip() == (
        f"现将《{samples.OPINION_TITLE}》印发给你们，请认真贯彻落实。"
    )
    assert layout.attachment_note.slice(text) == "附件：重点任务分工表"
    assert layout.signature.slice(text) == "宁夏回族自治区人民政府办公厅"
    assert layout.date.slice(text) == "2023年5月10日"
    assert layout.note.slice(text) == "（此件公开发布）"
    assert layout.appendix is None


def test_a_text_without_a_signature_stays_whole_in_the_body():
    text = "关于某事的意见\n\n一、总体要求\n\n到2025年，完成。\n"
    layout = official_layout(text, title="关于某事的意见", section_starts=[text.index("一")])
    assert layout.head.slice(text).strip() == "关于某事的意见"
    assert layout.body.slice(text) == text[text.index("一") :]
    assert layout.signature is None and layout.date is None


def test_a_section_inside_what_looks_like_a_signature_keeps_the_text_whole():
    text = "正文。\n\n六、附则\n2023年5月16日\n"
    layout = official_layout(text, section_starts=[text.index("六")])
    assert layout.body.end == len(text) and layout.date is None


def test_a_sentence_broken_by_a_page_is_one_paragraph_on_the_page_and_in_the_index():
    """Issue 14: "持续深化黄河宁" / "夏段干支流" showed as two paragraphs (the source's page
    break, a blank line in the gazette's text)."""
    text = (
        "（十）健全横向补偿机制。持续深化黄河宁\n\n"
        "夏段干支流及重点入黄排水沟横向补偿机制建设。\n"
        "（十一）完善市场交易机制。\n"
    )
    html = render_fragment(text)
    assert "持续深化黄河宁夏段干支流" in html
    assert html.count("<p>") == 2
    assert "持续深化黄河宁夏段干支流" in plain_text(text)
