"""The one PDF module of the platform: every PDF export is built here (issue 14).

Why not reportlab's built-in CID font STSong-Light: it is not embedded (``pdffonts`` shows
``emb no``), so a reader without a Chinese font installed sees every Chinese character
blank, and its Latin glyphs are set at fixed widths. Instead every PDF embeds Noto Sans SC
(SIL Open Font License 1.1, from the ``pylopdf-fonts-zh-cn`` package, so ``make setup``
brings it), subset to the characters the document uses. The font is an OpenType CFF font
and reportlab embeds TrueType outlines only, so fontTools first cuts it down to the
document's characters and converts those glyphs' cubic outlines to quadratic ones
(cu2qu); reportlab then embeds that small TrueType font as a subset. About 0.3 s per
document (docs/benchmarks.md, "PDF exports").

Every page carries a footer: the document's footer text on the left and "第 N 页，共 M 页"
on the right, worded in the active language.

Apps describe a document with :class:`PdfDocument` (headings, paragraphs, tables, label and
value lists, a closing with a seal image and a QR code) and call :meth:`PdfDocument.render`;
nothing else in the platform imports reportlab.

Documents made by the thousand (bulk licence issuance, issue 10) name a ``character_base``:
the characters of their whole batch, or :func:`common_hanzi`. While their text stays within
it, all of them share one font converted once per process (its cost grows with the base:
about 5 s for GB 2312's 6,763 characters), from which reportlab embeds each document's own
glyphs as a subset, a few milliseconds a document.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext
from fontTools import subset as font_subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont as OpenTypeFont
from fontTools.ttLib import newTable
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

#: Characters every document's font subset holds besides its own text: printable ASCII and
#: the Chinese punctuation and digits of the footer, so page numbers always render.
ALWAYS = (
    "".join(chr(code) for code in range(0x20, 0x7F))
    + "第页共，。：（）、—·"
    + "０１２３４５６７８９"
)
FONT_FAMILY = "ShuzhengCJK"
#: reportlab resolves fonts by name from a process-wide registry; the subsets registered
#: last are kept (a document's subset is found again when the same characters come back).
_REGISTERED_LIMIT = 16
_registered: OrderedDict[str, None] = OrderedDict()
_lock = threading.Lock()
MARGIN = 15 * mm
# fontTools logs every table it prunes at INFO: one line per table and per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)
# Streams (fonts, images, pages) are Flate-compressed binary, not also ASCII85-encoded: a
# quarter smaller, and without reportlab's C accelerator ASCII85 is pure Python, most of a
# licence's rendering time (bulk issuance, docs/benchmarks.md).
rl_config.useA85 = 0
GRID = colors.HexColor("#9aa5b1")
HEADER_FILL = colors.HexColor("#eef1f5")


def font_path() -> Path:
    """Noto Sans SC Regular as the installed package ships it."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return font_path().read_bytes()


@lru_cache(maxsize=32)
def truetype_subset(characters: str) -> bytes:
    """Noto Sans SC cut down to ``characters`` with TrueType (glyf) outlines: the font
    reportlab embeds. ``characters`` is a sorted string of distinct characters (the key
    of the cache)."""
    font = OpenTypeFont(BytesIO(_font_bytes()))
    options = font_subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.hinting = False
    subsetter = font_subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    _cff_to_glyf(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font: OpenTypeFont) -> None:
    """Replace the font's CFF outlines by quadratic TrueType ones (max error 1 unit)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


@lru_cache(maxsize=1)
def common_hanzi() -> str:
    """The 6,763 characters of GB 2312-1980 (levels 1 and 2, rows 16–87), with :data:`ALWAYS`
    and the full-width punctuation of row 1–3: the characters nearly every Chinese name,
    address and form text is written with."""
    characters = set(ALWAYS)
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(characters))


@lru_cache(maxsize=4)
def _base_set(base: str) -> frozenset[str]:
    return frozenset(base) | frozenset(ALWAYS)


def registered_font(text: str, base: str = "") -> str:
    """The name of a registered font holding every character of ``text``: the font of
    ``base`` when ``base`` holds them all (one conversion for every such document), else one
    made for ``text`` alone."""
    used = set(text) | set(ALWAYS)
    if base and used <= _base_set(base):
        characters = "".join(sorted(_base_set(base)))
    else:
        characters = "".join(sorted(used))
    name = f"{FONT_FAMILY}-{hashlib.sha1(characters.encode()).hexdigest()[:12]}"
    with _lock:
        if name in _registered:
            _registered.move_to_end(name)
            return name
        font = TTFont(name, BytesIO(truetype_subset(characters)))
        # reportlab gives a new font the glyph map of an earlier font of the same face name
        # ("NotoSansSC-Regular"), which holds other characters: each subset names its own.
        font.face.name = f"NotoSansSC-Regular-{name.rsplit('-', 1)[1][:6]}".encode()
        pdfmetrics.registerFont(font)
        _registered[name] = None
        while len(_registered) > _REGISTERED_LIMIT:
            old, _none = _registered.popitem(last=False)
            # reportlab has no unregister; its registries are plain dicts.
            evicted = pdfmetrics._fonts.pop(old, None)
            if evicted is not None:
                pdfmetrics._dynFaceNames.pop(evicted.face.name, None)
    return name


@dataclass
class _Block:
    kind: str
    text: str = ""
    rows: Sequence[Sequence] = ()
    widths: Sequence[float] | None = None
    height: float = 0
    level: int = 1
    image: bytes = b""


@dataclass
class PdfDocument:
    """A document to render: add blocks in reading order, then :meth:`render`.

    ``footer`` is printed at the foot of every page beside the page number; ``landscape``
    turns the A4 page. Text is plain (never reportlab markup): it is escaped here.
    ``character_base``: see the module's docstring.
    """

    title: str
    footer: str = ""
    landscape: bool = False
    author: str = ""
    subject: str = ""
    character_base: str = ""
    blocks: list[_Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> PdfDocument:
        self.blocks.append(_Block("heading", str(text), level=level))
        return self

    def title_block(self, text: str) -> PdfDocument:
        """A centred document title (the 督办单's and 情况通报's title line)."""
        self.blocks.append(_Block("title", str(text)))
        return self

    def paragraph(self, text: str) -> PdfDocument:
        self.blocks.append(_Block("paragraph", str(text)))
        return self

    def note(self, text: str) -> PdfDocument:
        """Small grey text (sources, dates as of which numbers hold)."""
        self.blocks.append(_Block("note", str(text)))
        return self

    def table(self, rows: Sequence[Sequence], widths: Sequence[float] | None = None):
        """A table whose first row is its header (repeated on every page); ``widths`` in mm."""
        self.blocks.append(_Block("table", rows=[[_text(v) for v in row] for row in rows]))
        self.blocks[-1].widths = [w * mm for w in widths] if widths else None
        return self

    def fields(self, pairs: Sequence[tuple[str, str]]) -> PdfDocument:
        """Label and value lines as a two-column grid (a form's fields)."""
        self.blocks.append(_Block("fields", rows=[(_text(k), _text(v)) for k, v in pairs]))
        return self

    def closing(
        self, lines: Sequence[str], *, seal_png: bytes = b"", qr_text: str = ""
    ) -> PdfDocument:
        """The foot of an issued document: on the right the issuer's lines (unit, date) under
        the seal image, if any; on the left a QR code of ``qr_text`` (a verification link),
        if any. The seal is 40 mm wide, about a unit seal's size; as GB/T 9704-2012 lays out
        a sealed document, it stands over the issuer and the date."""
        self.blocks.append(
            _Block("closing", text=qr_text, rows=[[_text(line)] for line in lines], image=seal_png)
        )
        return self

    def spacer(self, height_mm: float = 5) -> PdfDocument:
        self.blocks.append(_Block("spacer", height=height_mm * mm))
        return self

    def page_break(self) -> PdfDocument:
        self.blocks.append(_Block("page_break"))
        return self

    # -- rendering --------------------------------------------------------------------------

    def text(self) -> str:
        """Every character the document prints (its font subset's characters)."""
        parts = [self.title, self.footer, self.author, self.subject, _page_label(0, 0)]
        for block in self.blocks:
            if block.kind != "closing":  # a closing's text is its QR code's, not printed
                parts.append(block.text)
            parts.extend(value for row in block.rows for value in row)
        return "".join(parts)

    def render(self) -> bytes:
        font = registered_font(self.text(), self.character_base)
        styles = _styles(font)
        pagesize = landscape(A4) if self.landscape else A4
        buffer = BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=self.title,
            author=self.author,
            subject=self.subject,
            creator="shuzheng",
            initialFontName=font,
        )
        usable = pagesize[0] - 2 * MARGIN
        story = [self._flowable(block, styles, usable) for block in self.blocks]
        footer = self.footer

        def canvasmaker(*args, **kwargs):
            return _NumberedCanvas(*args, footer=footer, font=font, **kwargs)

        document.build(story, canvasmaker=canvasmaker)
        return buffer.getvalue()

    def _flowable(self, block: _Block, styles: dict, usable: float):
        if block.kind == "heading":
            return Paragraph(_escape(block.text), styles[f"h{min(block.level, 3)}"])
        if block.kind == "title":
            return Paragraph(_escape(block.text), styles["title"])
        if block.kind in {"paragraph", "note"}:
            return Paragraph(_escape(block.text).replace("\n", "<br/>"), styles[block.kind])
        if block.kind == "spacer":
            return Spacer(1, block.height)
        if block.kind == "page_break":
            return PageBreak()
        if block.kind == "closing":
            return _closing(block, styles, usable)
        if block.kind == "fields":
            cells = [
                [Paragraph(_escape(k), styles["label"]), Paragraph(_escape(v), styles["cell"])]
                for k, v in block.rows
            ]
            table = Table(cells, colWidths=[35 * mm, usable - 35 * mm])
            table.setStyle(_grid(styles["cell"].fontName, header=False))
            return table
        cells = [[Paragraph(_escape(value), styles["cell"]) for value in row] for row in block.rows]
        columns = max((len(row) for row in block.rows), default=1)
        widths = block.widths or [usable / columns] * columns
        table = Table(cells, colWidths=widths, repeatRows=1)
        table.setStyle(_grid(styles["cell"].fontName, header=True))
        return table


SEAL_WIDTH = 40 * mm
QR_SIZE = 30 * mm


def _closing(block: _Block, styles: dict, usable: float) -> Table:
    right: list = []
    if block.image:
        template = _image_xobject(block.image)
        seal = _SharedImage(block.image, SEAL_WIDTH, SEAL_WIDTH * template.height / template.width)
        seal.hAlign = "RIGHT"
        right.append(seal)
    right.extend(Paragraph(_escape(line), styles["closing"]) for (line,) in block.rows)
    left = [_QrCode(block.text, QR_SIZE)] if block.text else []
    table = Table([[left, right]], colWidths=[QR_SIZE + 4 * mm, usable - QR_SIZE - 4 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["closing"].fontName),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    return table


@lru_cache(maxsize=8)
def _image_xobject(png: bytes) -> pdfdoc.PDFImageXObject:
    """A picture decoded and compressed once per process (with its transparency as a soft
    mask): a seal is the same picture on thousands of documents, and encoding it is most of
    a small document's time. Each document registers its own copy (``_SharedImage``)."""
    name = "x" + hashlib.sha1(png).hexdigest()
    template = pdfdoc.PDFImageXObject(name, ImageReader(BytesIO(png)), mask="auto")
    template.name = name
    return template


class _SharedImage(Flowable):
    """A picture drawn from :func:`_image_xobject`, as reportlab's ``drawImage`` draws one
    (an image XObject with its soft mask, referenced from the page), without encoding it
    again for every document."""

    def __init__(self, png: bytes, width: float, height: float):
        super().__init__()
        self.png = png
        self.width = width
        self.height = height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        document = canvas._doc
        template = _image_xobject(self.png)
        registered = document.getXObjectName(template.name)
        if document.idToObject.get(registered) is None:
            image = copy.copy(template)
            canvas._setXObjects(image)
            document.Reference(image, registered)
            document.addForm(template.name, image)
            mask = getattr(template, "_smask", None)
            if mask is not None:
                del image._smask
                mask = copy.copy(mask)
                canvas._setXObjects(mask)
                image.smask = document.Reference(mask, document.getXObjectName(mask.name))
        canvas._currentPageHasImages = 1
        canvas.saveState()
        canvas.scale(self.width, self.height)
        canvas._code.append(f"/{registered} Do")
        canvas.restoreState()
        canvas._formsinuse.append(template.name)


class _QrCode(Flowable):
    """A QR code (ISO/IEC 18004, error correction level M) drawn as one filled path.

    With one fixed mask pattern: the standard lets the encoder use any of the eight, and
    scoring all eight to pick one, as reportlab's own QrCode does, encodes the symbol eight
    times over, most of a licence's rendering time (bulk issuance, docs/benchmarks.md)."""

    QUIET_ZONE = 4  # modules of light margin the standard asks for around the symbol

    def __init__(self, text: str, size: float):
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(text)
        code.version = code.calculate_version()
        code.makeImpl(False, 0)
        self.modules = code.modules
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        # In module units (one module = 1 × 1 after scaling), so that every rectangle is
        # written with integers: "x y w 1 re", all filled at once with "f".
        count = len(self.modules)
        side = count + 2 * self.QUIET_ZONE
        rectangles = []
        for row, modules in enumerate(self.modules):
            column = 0
            for dark, run in itertools.groupby(modules):
                length = len(list(run))
                if dark:
                    x, y = column + self.QUIET_ZONE, side - (row + self.QUIET_ZONE + 1)
                    rectangles.append(f"{x} {y} {length} 1 re")
                column += length
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.size / side, self.size / side)
        canvas._code.append("\n".join(rectangles) + "\nf")
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Draws each page's footer once the page count is known (two passes over the pages)."""

    def __init__(self, *args, footer: str, font: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._font = font
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(self._font, 8)
        self.setFillColor(colors.HexColor("#52606d"))
        self.setStrokeColor(GRID)
        self.setLineWidth(0.4)
        self.line(MARGIN, MARGIN + 2 * mm, width - MARGIN, MARGIN + 2 * mm)
        if self._footer:
            self.drawString(MARGIN, MARGIN - 2 * mm, self._footer)
        self.drawRightString(width - MARGIN, MARGIN - 2 * mm, _page_label(self._pageNumber, total))
        self.restoreState()


def _page_label(page: int, total: int) -> str:
    return gettext("Page %(page)d of %(pages)d") % {"page": page, "pages": total}


def _styles(font: str) -> dict[str, ParagraphStyle]:
    def style(name, size, leading, **extra):
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **extra
        )

    return {
        "title": style("title", 18, 26, alignment=TA_CENTER, spaceAfter=4 * mm),
        "h1": style("h1", 15, 22, spaceBefore=2 * mm, spaceAfter=2 * mm),
        "h2": style("h2", 12, 18, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
        "h3": style("h3", 10.5, 15, spaceBefore=2 * mm, spaceAfter=1 * mm),
        "paragraph": style("paragraph", 10.5, 17, spaceAfter=1.5 * mm),
        "note": style("note", 8.5, 12, textColor=colors.HexColor("#52606d")),
        "cell": style("cell", 9, 12.5),
        "label": style("label", 9, 12.5, textColor=colors.HexColor("#323f4b")),
        "closing": style("closing", 10.5, 17, alignment=TA_RIGHT),
    }


def _grid(font: str, *, header: bool) -> TableStyle:
    commands = [
        # A table's own cell font (unused: its cells are paragraphs) would name Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands.append(("BACKGROUND", (0, 0), (-1 if header else 0, 0 if header else -1), HEADER_FILL))
    return TableStyle(commands)


def _text(value) -> str:
    return "" if value is None else str(value)


def _escape(text: str) -> str:
    """reportlab paragraphs are a small XML dialect: escape what it would read as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
