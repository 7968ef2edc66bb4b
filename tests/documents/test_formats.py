import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.documents.parsing.formats import (
    ExtractionError,
    convert_pipe_tables,
    detect_format,
    extract_text,
)
from shuzheng.documents.parsing.formats_common import join_lines, render_table
from shuzheng.documents.parsing.formats_docx import chinese_numeral, format_number
from shuzheng.documents.parsing.model import Severity

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def in_chinese(error: ExtractionError) -> str:
    """The error as the Chinese UI words it (the sentence is translated at display)."""
    with translation.override("zh-hans"):
        return error.describe(gettext)


TASK_ROW_1 = (
    "（一）驱动数字经济发展\t1. 创新大数据、云计算等产业的数字化治理与服务模式，打造“西部数谷”。"
    "\t自治区发展改革委、工业和信息化厅牵头负责，自治区有关部门（单位）配合"
    "\t持续推进，2025年取得明显成效"
)
TASK_ROW_2 = (
    "\t2. 加快推进“智慧园区”建设，为入园企业提供全生命周期服务保障。"
    "\t自治区工业和信息化厅牵头负责，各市、县（区）配合\t2023年启动，2024年取得明显成效"
)
TASK_HEADER = "主要任务\t重点内容\t责任单位\t完成时限"


def extract_fixture(name: str, **options):
    return extract_text((FIXTURES / name).read_bytes(), name, **options)


def codes(extracted) -> set[str]:
    return {finding.code for finding in extracted.findings}


def assert_table_between_blank_lines(text: str, first_row: str) -> None:
    lines = text.split("\n")
    start = lines.index(first_row)
    end = start
    while end < len(lines) and "\t" in lines[end]:
        end += 1
    assert lines[start - 1] == "" and lines[end] == ""


# --- conventions shared by all formats -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("自治区财政厅\n牵头", "自治区财政厅牵头"),
        ("持续推进，\n2025年", "持续推进，2025年"),
        ("data\nportal", "data portal"),
        ("  第一行 \n\n  第二行  ", "第一行第二行"),
        ("A\tB", "A B"),
    ],
)
def test_join_lines(text, joined):
    assert join_lines(text) == joined


def test_render_table_pads_rows_and_drops_empty_ones():
    assert render_table([["a", "b\nc"], ["", ""], ["d"]]) == ["", "a\tb c", "d\t", ""]
    assert render_table([[None, ""]]) == []


# --- plain text and Markdown -------------------------------------------------------------


def test_gb18030_text_with_crlf():
    extracted = extract_fixture("notice-gb18030.txt")
    assert (extracted.source_format, extracted.encoding) == ("txt", "gb18030")
    assert "\r" not in extracted.text
    assert extracted.text.startswith("自治区人民政府办公厅关于做好2023年数字政府建设")
    assert "宁政办发〔2023〕45号\n" in extracted.text
    assert codes(extracted) == {"encoding-detected"}


def test_utf16_text_equals_the_gb18030_one():
    utf16 = extract_fixture("notice-utf16.txt")
    assert utf16.encoding == "utf-16-le"
    assert utf16.text == extract_fixture("notice-gb18030.txt").text


def test_tab_separated_task_list_stays_as_it_is():
    extracted = extract_fixture("task-list.txt")
    assert extracted.encoding == "utf-8" and extracted.findings == []
    lines = extracted.text.split("\n")
    assert lines[2:5] == [TASK_HEADER, TASK_ROW_1, TASK_ROW_2]


def test_markdown_with_bom_and_pipe_table():
    extracted = extract_fixture("tasks-utf8-bom.md")
    assert (extracted.source_format, extracted.encoding) == ("md", "utf-8")
    assert extracted.text.startswith("# 自治区人民政府办公厅")  # BOM removed, heading kept
    assert "## 附件：2023年数字政府建设重点任务清单" in extracted.text
    lines = extracted.text.split("\n")
    assert lines[lines.index(TASK_HEADER) + 1 : lines.index(TASK_HEADER) + 3] == [
        TASK_ROW_1,
        TASK_ROW_2,
    ]
    assert "|" not in extracted.text and "<br>" not in extracted.text
    assert_table_between_blank_lines(extracted.text, TASK_HEADER)
    assert "md-tables-converted" in codes(extracted)


def test_pipe_tables_escaped_pipes_alignment_and_missing_outer_pipes():
    text = "前文\n列一 | 列二\n:--- | ---:\na \\| b | 第一<br/>第二\n后文"
    converted, tables = convert_pipe_tables(text)
    assert tables == 1
    assert converted == "前文\n\n列一\t列二\na | b\t第一第二\n\n后文"


def test_pipe_without_delimiter_row_is_not_a_table():
    text = "a | b\nc | d\n"
    assert convert_pipe_tables(text) == (text, 0)


def test_plain_text_is_not_table_converted():
    text = "| a | b |\n| --- | --- |\n"
    assert extract_text(text.encode(), "notes.txt").text == text


# --- Word --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_text():
    return extract_fixture("notice.docx")


def test_docx_paragraphs_and_heading_styles(docx_text):
    assert (docx_text.source_format, docx_text.encoding) == ("docx", None)
    lines = docx_text.text.split("\n")
    assert lines[0] == "# 自治区人民政府办公厅关于做好2023年数字政府建设重点任务落实工作的通知"
    assert lines[1] == "宁政办发〔2023〕45号"
    assert "# 一、明确工作目标" in lines and "## 附件" in lines


def test_docx_automatic_numbering_is_written_out(docx_text):
    lines = docx_text.text.split("\n")
    assert any(line.startswith("（一）总体目标。") for line in lines)
    assert any(line.startswith("（二）年度目标。") for line in lines)
    assert any(line.startswith("1. 各牵头单位") for line in lines)
    assert any(line.startswith("2. 各配合单位") for line in lines)


def test_docx_soft_line_break_inside_a_paragraph_is_joined(docx_text):
    assert "自治区人民政府办公厅将对任务落实情况进行定期调度" in docx_text.text


def test_docx_table_in_document_order_with_merged_cells(docx_text):
    lines = docx_text.text.split("\n")
    header = lines.index(TASK_HEADER)
    assert lines[header - 2] == "## 附件"
    assert lines[header + 1 : header + 3] == [TASK_ROW_1, TASK_ROW_2]
    assert lines[header + 4] == "注：完成时限为当年12月31日前。\t\t\t"
    assert lines[header + 6] == "（完）"
    assert_table_between_blank_lines(docx_text.text, TASK_HEADER)
    assert "docx-merged-cells" in codes(docx_text)


def test_docx_tabs_appear_only_in_table_rows(docx_text):
    assert all(line.count("\t") in (0, 3) for line in docx_text.text.split("\n"))


def test_truncated_docx_is_damaged():
    data = (FIXTURES / "notice.docx").read_bytes()
    with pytest.raises(ExtractionError, match="damaged or truncated") as error:
        extract_text(data[: len(data) // 2], "notice.docx")
    assert error.value.code == "damaged"


def test_docx_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<w:document/>" + b" " * 2_000_000)
    data = buffer.getvalue()
    assert len(data) < 10_000
    with pytest.raises(ExtractionError, match="unpacks to") as error:
        extract_text(data, "bomb.docx", max_unpacked_bytes=1_000_000)
    assert error.value.code == "too-large"


def test_docx_with_broken_xml_is_damaged():
    data = (FIXTURES / "notice.docx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(
                item, content[:100] if item.filename == "word/document.xml" else content
            )
    with pytest.raises(ExtractionError) as error:
        extract_text(buffer.getvalue(), "notice.docx")
    assert error.value.code == "damaged"


@pytest.mark.parametrize(
    ("value", "numeral"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
        (1000, "1000"),
        (0, "0"),
    ],
)
def test_chinese_numeral(value, numeral):
    assert chinese_numeral(value) == numeral


@pytest.mark.parametrize(
    ("value", "number_format", "label"),
    [
        (3, "decimal", "3"),
        (3, "chineseCounting", "三"),
        (3, "chineseCountingThousand", "三"),
        (3, "ideographTraditional", "丙"),
        (3, "ideographZodiac", "寅"),
        (3, "decimalEnclosedCircle", "③"),
        (3, "lowerLetter", "c"),
        (28, "upperLetter", "BB"),
        (4, "lowerRoman", "iv"),
        (14, "upperRoman", "XIV"),
        (3, "decimalZero", "03"),
        (3, "bullet", "•"),
        (3, "none", ""),
        (3, "someFutureFormat", "3"),
    ],
)
def test_word_number_formats(value, number_format, label):
    assert format_number(value, number_format) == label


# --- PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_text():
    return extract_fixture("notice.pdf")


def test_pdf_paragraphs_are_rebuilt_from_lines(pdf_text):
    assert (pdf_text.source_format, pdf_text.encoding) == ("pdf", None)
    lines = pdf_text.text.split("\n")
    assert lines[0] == "自治区人民政府办公厅关于做好2023年数字政府建设重点任务落实工作的通知"
    assert lines[1] == "宁政办发〔2023〕45号"
    assert lines[3].startswith("为贯彻落实《自治区人民政府关于加强数字政府建设的实施意见》")
    assert lines[3].endswith("现就有关事项通知如下。")
    assert "一、明确工作目标" in lines
    assert "2. 各配合单位要主动对接，按照职责分工抓好落实。" in lines


def test_pdf_running_headers_and_page_numbers_are_dropped(pdf_text):
    assert "公报" not in pdf_text.text
    assert "—" not in pdf_text.text.replace("——", "")
    assert "pdf-headers-dropped" in codes(pdf_text)


def test_pdf_table_across_a_page_break_is_one_table(pdf_text):
    lines = pdf_text.text.split("\n")
    assert lines.count(TASK_HEADER) == 1  # the header repeated on page 2 is dropped
    header = lines.index(TASK_HEADER)
    rows = lines[header + 1 : header + 10]
    assert rows[0] == TASK_ROW_1 and rows[1] == TASK_ROW_2
    assert [row.split("\t")[1].split(".")[0] for row in rows] == [str(n) for n in range(1, 10)]
    assert_table_between_blank_lines(pdf_text.text, TASK_HEADER)
    assert lines[-2:] == ["（此件公开发布）", ""]
    assert "pdf-table-joined" in codes(pdf_text)


def test_scanned_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ExtractionError) as error:
        extract_fixture("scanned.pdf")
    assert error.value.code == "scanned-pdf"
    assert in_chinese(error.value) == "扫描件没有文字层，暂不支持 OCR。"
    assert str(error.value) == "Scanned PDF without a text layer; OCR is not supported yet."


def test_pdf_with_some_scanned_pages_warns():
    import pypdfium2

    combined = pypdfium2.PdfDocument.new()
    for name in ("notice.pdf", "scanned.pdf"):
        combined.import_pages(pypdfium2.PdfDocument((FIXTURES / name).read_bytes()))
    buffer = io.BytesIO()
    combined.save(buffer)
    extracted = extract_text(buffer.getvalue(), "mixed.pdf")
    warning = next(f for f in extracted.findings if f.code == "pdf-page-without-text")
    assert warning.severity == Severity.WARNING
    assert "3" in warning.message  # notice.pdf has two pages; the scan is page 3
    assert "宁政办发〔2023〕45号" in extracted.text


@pytest.mark.parametrize("cut", ["garbage", "truncated"])
def test_damaged_pdf_is_refused(cut):
    if cut == "garbage":
        data = b"%PDF-1.4\n" + b"garbage " * 100
    else:
        data = (FIXTURES / "notice.pdf").read_bytes()[:3000]
    with pytest.raises(ExtractionError, match="damaged or encrypted") as error:
        extract_text(data, "broken.pdf")
    assert error.value.code == "damaged"


# --- HTML --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_text():
    return extract_fixture("gov-article.html")


def test_html_declared_gb2312_is_read_as_gb18030(html_text):
    assert (html_text.source_format, html_text.encoding) == ("html", "gb18030")
    assert "联系人：王堃" in html_text.text  # 堃 is in GBK/GB18030, not in GB2312


def test_html_main_content_only(html_text):
    for site_text in (
        "首页",
        "当前位置",
        "互动交流",
        "发布时间",
        "分享到",
        "主办单位",
        "统计代码",
        "line-height",
    ):
        assert site_text not in html_text.text
    assert "html-main-content" in codes(html_text)


def test_html_title_heading_and_paragraphs(html_text):
    lines = html_text.text.split("\n")
    assert lines[0] == "# 自治区人民政府办公厅关于做好2023年数字政府建设重点任务落实工作的通知"
    assert lines[1] == "宁政办发〔2023〕45号"
    # a source line break between Chinese characters is not a space
    assert lines[3].startswith("为贯彻落实") and lines[3].endswith("现就有关事项通知如下。")
    assert "附件：2023年数字政府建设重点任务清单" in lines  # leading 　　 stripped


def test_html_table_with_rowspan_colspan_and_br(html_text):
    lines = html_text.text.split("\n")
    header = lines.index(TASK_HEADER)
    assert lines[header + 1 : header + 3] == [TASK_ROW_1, TASK_ROW_2]
    assert lines[header + 4] == "注：完成时限为当年12月31日前。\t\t\t"
    assert_table_between_blank_lines(html_text.text, TASK_HEADER)


def test_html_without_known_content_element_takes_the_largest_text_block():
    page = (
        "<html><body><div class='menu'><a>首页</a><a>政务公开</a></div>"
        "<div id='main'><p>第一段正文内容比较长，说明有关事项。</p><p>第二段正文。</p></div>"
        "<div>版权所有</div></body></html>"
    ).encode()
    extracted = extract_text(page, "page.html")
    assert extracted.text == "第一段正文内容比较长，说明有关事项。\n第二段正文。\n"
    assert "html-no-main-content" in codes(extracted)


def test_html_charset_declared_wrongly_is_detected_with_a_warning():
    page = '<html><head><meta charset="utf-8"></head><body><div id="zoom"><p>数字政府建设</p></div></body></html>'
    extracted = extract_text(page.encode("gb18030"), "page.htm")
    assert extracted.text == "数字政府建设\n"
    assert extracted.encoding == "gb18030"
    assert "html-charset-mismatch" in codes(extracted)


def test_html_http_equiv_charset_and_layout_table():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head>'
        "<body><table><tr><td><div class='TRS_Editor'><p>一、总体要求</p>"
        "<table><tr><td>甲</td><td>乙</td></tr></table></div></td></tr></table></body></html>"
    )
    extracted = extract_text(page.encode("gbk"), "page.html")
    assert extracted.encoding == "gb18030"
    assert extracted.text == "一、总体要求\n\n甲\t乙\n"


def test_html_headings_become_markdown_headings():
    page = "<html><body><article><h2>二、主要任务</h2><p>正文</p></article></body></html>"
    assert extract_text(page.encode(), "a.html").text == "## 二、主要任务\n正文\n"


def test_html_without_text_is_refused():
    with pytest.raises(ExtractionError) as error:
        extract_text(b"<html><body><script>x()</script></body></html>", "empty.html")
    assert error.value.code == "no-text"


# --- detection and refusals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "filename", "expected"),
    [
        ("notice.docx", "upload.bin", "docx"),
        ("notice.pdf", "notice.txt", "pdf"),
        ("gov-article.html", "article.txt", "html"),
        ("tasks-utf8-bom.md", "tasks.md", "md"),
        ("task-list.txt", "task-list.txt", "txt"),
        ("task-list.txt", "task-list.TEXT", "txt"),
        ("task-list.txt", "page.shtml", "html"),
    ],
)
def test_detect_format_magic_bytes_before_extension(name, filename, expected):
    assert detect_format((FIXTURES / name).read_bytes(), filename) == expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [("text/plain; charset=utf-8", "txt"), ("text/markdown", "md"), ("text/html", "html")],
)
def test_detect_format_falls_back_to_content_type(content_type, expected):
    assert detect_format("正文".encode(), "download", content_type) == expected


def test_html_in_utf16_is_sniffed():
    page = "\ufeff<!DOCTYPE html><html><body><p>正文</p></body></html>".encode("utf-16-le")
    assert detect_format(page, "x") == "html"


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "notice.doc", "legacy"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "scan.txt", "JPEG"),
        (b"{\\rtf1\\ansi hello}", "notice.rtf", "RTF"),
        ("正文".encode(), "notice.doc", ".doc"),
        ("正文".encode(), "tasks.xlsx", "Excel"),
        ("正文".encode(), "notice.wps", "WPS"),
        ("正文".encode(), "notice.ofd", "OFD"),
        ("正文".encode(), "download", "no extension"),
        ("正文".encode(), "data.json", ".json"),
    ],
)
def test_unsupported_formats_are_refused_clearly(data, filename, kind):
    with pytest.raises(ExtractionError) as error:
        extract_text(data, filename)
    assert in_chinese(error.value).startswith("不支持的文件格式")
    assert error.value.code == "unsupported-format"
    assert kind in str(error.value)


@pytest.mark.parametrize(
    ("member", "kind"), [("xl/workbook.xml", "Excel"), ("OFD.xml", "OFD"), ("a.txt", "zip")]
)
def test_zip_packages_other_than_docx_are_refused(member, kind):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(member, "x")
    with pytest.raises(ExtractionError, match=kind) as error:
        extract_text(buffer.getvalue(), "upload.docx")
    assert error.value.code == "unsupported-format"


@pytest.mark.parametrize("filename", ["notice.docx", "notice.pdf"])
def test_a_docx_or_pdf_name_with_other_content_is_damaged(filename):
    with pytest.raises(ExtractionError, match="not in that format") as error:
        extract_text("正文".encode(), filename)
    assert error.value.code == "damaged"


def test_empty_file_is_refused():
    with pytest.raises(ExtractionError, match="the file is empty") as error:
        extract_text(b"", "empty.txt")
    assert error.value.code == "empty"


def test_text_file_of_only_whitespace_is_refused():
    with pytest.raises(ExtractionError) as error:
        extract_text(b"\r\n  \r\n", "blank.txt")
    assert error.value.code == "empty"


def test_binary_named_txt_is_refused():
    with pytest.raises(ExtractionError) as error:
        extract_text(b"\x00\x01\x02\x03" * 50, "data.txt")
    assert error.value.code == "binary"


def test_huge_input_is_refused_before_anything_is_parsed():
    with pytest.raises(ExtractionError, match="more than the limit of 1000 bytes") as error:
        extract_text(b"a" * 1001, "big.txt", max_bytes=1000)
    assert error.value.code == "too-large"
    assert extract_text(b"a" * 1000, "big.txt", max_bytes=1000).text == "a" * 1000


@pytest.mark.parametrize(
    ("line", "is_page_number"),
    [
        ("— 3 —", True),
        ("-12-", True),
        ("第3页 共9页", True),
        ("3/9", True),
        ("Page 3 of 9", True),
        ("17", True),
        ("2023年第10期", False),
        ("宁夏回族自治区人民政府公报", False),
    ],
)
def test_pdf_page_number_lines(line, is_page_number):
    from shuzheng.documents.parsing.formats_pdf import _PAGE_NUMBER

    assert bool(_PAGE_NUMBER.match(line)) is is_page_number
