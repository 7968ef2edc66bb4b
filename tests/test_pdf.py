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


def _seal_png() -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((4, 4, 196, 196), outline=(200, 0, 0, 255), width=8)
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_a_closing_prints_the_issuer_under_the_seal_beside_a_qr_code():
    document = PdfDocument(title="食品经营许可证").title_block("食品经营许可证")
    document.closing(
        ["宁夏回族自治区市场监督管理厅", "2026年12月2日"],
        seal_png=_seal_png(),
        qr_text="https://example.org/trust/verify/?licence=SPJY-1",
    )
    content = document.render()
    assert_fonts_embedded(content)
    assert len(pdf_fonts(content)) == 1  # the QR code and the seal bring no font of their own
    text = pdf_text(content)
    assert "宁夏回族自治区市场监督管理厅" in text and "2026年12月2日" in text
    assert "example.org" not in text  # the link is in the QR code, not printed
    with pdfplumber.open(BytesIO(content)) as pdf:
        (image,) = pdf.pages[0].images
        assert round(image["width"] / 72 * 25.4) == 40  # 40 mm, a unit seal's size
        squares = [r for r in pdf.pages[0].rects if r["fill"]]
        assert len(squares) > 100  # the QR code's dark modules


def test_documents_within_a_character_base_share_one_font():
    from shuzheng.pdf import common_hanzi

    base = common_hanzi()
    assert len(base) > 6763 and "宁" in base and "𠀀" not in base
    first = PdfDocument(title="甲", character_base=base).paragraph("张三 银川市")
    second = PdfDocument(title="乙", character_base=base).paragraph("李四 吴忠市")
    assert registered_font(first.text(), base) == registered_font(second.text(), base)
    assert "李四 吴忠市" in pdf_text(second.render())
    rare = PdfDocument(title="丙", character_base=base).paragraph("𠀀")
    assert registered_font(rare.text(), base) != registered_font(first.text(), base)
    assert_fonts_embedded(rare.render())
