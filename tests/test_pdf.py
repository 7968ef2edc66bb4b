"""The one PDF module (shuzheng.pdf, issue 14): the Chinese font is embedded, the text reads
back, every page has its number and footer."""

from io import BytesIO

import pdfplumber
import pytest
from django.utils import translation

from shuzheng.pdf import PdfDocument, registered_font, truetype_subset
from tests.pdfs import assert_fonts_embedded, pdf_fonts, pdf_text


def sample(rows: int = 3) -> PdfDocument:
    document = PdfDocument(title="督办单", footer="宁夏回族自治区人民政府督查室")
    document.title_block("督办单").fields(
        [("任务", "推进黄河流域生态保护"), ("Unit", "Water Office")]
    )
    document.table(
        [["序号", "单位", "Score"]] + [[n, "自治区水利厅", f"{n}.50"] for n in range(rows)]
    )
    return document


def test_the_chinese_font_is_embedded_and_the_text_reads_back():
    content = sample().render()
    assert_fonts_embedded(content)
    (font,) = pdf_fonts(content)
    assert font["name"].split("+")[1].startswith("NotoSansSC-Regular")
    text = pdf_text(content)
    assert "推进黄河流域生态保护" in text and "自治区水利厅" in text
    # Latin text is set with its own proportional widths: words stay words.
    assert "Water Office" in text and "Score" in text


@pytest.mark.parametrize(
    "language, label",
    [("zh-hans", "第 {page} 页，共 {pages} 页"), ("en", "Page {page} of {pages}")],
)
def test_every_page_has_its_number_and_the_footer(language, label):
    with translation.override(language):
        content = sample(rows=120).render()
    with pdfplumber.open(BytesIO(content)) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "宁夏回族自治区人民政府督查室" in text
        assert label.format(page=number, pages=len(pages)) in text


def test_two_documents_with_other_characters_each_read_back():
    first = PdfDocument(title="一").paragraph("自治区水利厅")
    second = PdfDocument(title="二").paragraph("生态环境厅督查室")
    assert "自治区水利厅" in pdf_text(first.render())
    assert "生态环境厅督查室" in pdf_text(second.render())


def test_the_subset_holds_only_the_document_characters_and_is_reused():
    small = truetype_subset("".join(sorted(set("督办单"))))
    assert len(small) < 30_000
    assert registered_font("督办单") == registered_font("单办督")
