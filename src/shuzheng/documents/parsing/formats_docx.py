"""Word (.docx) to text: paragraphs and tables in document order (python-docx).

Heading styles become Markdown headings; Word's automatic numbering is written out
("一、", "（一）", "1.") because the structural parser finds sections by those numbers and
python-docx's paragraph text leaves them out.  Headers, footers, footnotes, comments and
text boxes are not part of the extracted text.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from shuzheng.documents.parsing.formats_common import (
    ExtractionError,
    assemble,
    join_lines,
    render_table,
)
from shuzheng.documents.parsing.model import Finding, Severity
from shuzheng.text.translation import gettext_noop

logger = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(?P<level>[1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_CJK_SUFFIX = re.compile(r"[、，．。）〕】：]$")

_CHINESE_DIGITS = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def extract_docx(data: bytes, max_unpacked_bytes: int) -> tuple[str, list[Finding]]:
    """The text of a Word file; ExtractionError for a damaged or oversized package.

    python-docx, lxml and zipfile fail on a malformed package in many ways (a negative seek,
    zlib errors, a missing attribute, an unsupported zip version …) and parse parts lazily,
    while the document is read: the whole reading is the boundary where any of their
    failures becomes the "damaged" error (docs/formats.md).
    """
    _check_package(data, max_unpacked_bytes)
    try:
        return _read_document(Document(io.BytesIO(data)))
    except ExtractionError:
        raise
    except Exception as exc:
        logger.info("unreadable .docx: %r", exc)
        raise damaged_docx() from exc


def _read_document(document) -> tuple[str, list[Finding]]:
    numbering = _Numbering(document)
    lines: list[str] = []
    findings: list[Finding] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            line = _paragraph_line(block, numbering)
            if line:
                lines.append(line)
        else:
            rows, merged = _table_rows(block)
            lines.extend(render_table(rows))
            if merged:
                findings.append(Finding(Severity.INFO, "docx-merged-cells"))
    return assemble(lines), findings


def _check_package(data: bytes, max_unpacked_bytes: int) -> None:
    """Refuse damaged packages and zip bombs before python-docx unpacks anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except Exception as exc:  # see extract_docx: any zipfile failure means a damaged file
        logger.info("unreadable .docx package: %r", exc)
        raise damaged_docx() from exc
    if not any(member.filename == "word/document.xml" for member in members):
        raise damaged_docx()
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked_bytes:
        raise ExtractionError(
            "too-large",
            gettext_noop(
                "The .docx unpacks to {size} bytes, more than the limit of {limit} bytes."
            ),
            size=unpacked,
            limit=max_unpacked_bytes,
        )


def damaged_docx() -> ExtractionError:
    return ExtractionError(
        "damaged", gettext_noop("The .docx file is damaged or truncated and cannot be read.")
    )


def _paragraph_line(paragraph: Paragraph, numbering: _Numbering) -> str:
    text = join_lines(paragraph.text)
    if not text:
        return ""
    label = numbering.label(paragraph)
    if label:
        text = f"{label}{'' if _CJK_SUFFIX.search(label) else ' '}{text}"
    level = _heading_level(paragraph)
    return f"{'#' * level} {text}" if level else text


def _heading_level(paragraph: Paragraph) -> int:
    name = (paragraph.style.name or "").strip() if paragraph.style is not None else ""
    if name.lower() in _TITLE_STYLES:
        return 1
    match = _HEADING_STYLE.match(name)
    return int(match.group("level")) if match else 0


def _table_rows(table: Table) -> tuple[list[list[str]], bool]:
    """Rows of cell texts; a merged cell's text sits in its first cell, the rest are empty.

    This matches how the gazette's own text edition renders a category cell that spans
    several task rows (data/samples/ningxia-gazette-2023-10.txt: "\\t2. …").
    """
    rows = []
    merged = False
    for tr in table._tbl.tr_lst:
        row = [""] * (tr.grid_before or 0)
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                row.append("")
                merged = True
            else:
                row.append(_Cell(tc, table).text)
            if span > 1:
                row.extend([""] * (span - 1))
                merged = True
        rows.append(row)
    return rows, merged


class _Numbering:
    """Word's automatic list numbering, counted the way Word counts it (per list, level)."""

    def __init__(self, document):
        try:
            self._element = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._element = None
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def label(self, paragraph: Paragraph) -> str:
        num_id, level = self._num_pr(paragraph)
        if self._element is None or num_id is None or num_id == "0":
            return ""
        abstract_id, levels, overridden = self._definition(num_id)
        if level not in levels:
            return ""
        # Lists sharing an abstract definition continue each other's numbering, unless
        # a list restarts it with a start override (ECMA-376 17.9.2, 17.9.27).
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for restarted in overridden:
                counters.pop(restarted, None)
        counters[level] = counters.get(level, levels[level]["start"] - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        return re.sub(
            r"%([1-9])",
            lambda match: self._format_level(levels, counters, int(match.group(1)) - 1),
            levels[level]["text"],
        )

    def _format_level(self, levels: dict, counters: dict[int, int], level: int) -> str:
        if level not in levels:
            return ""
        value = counters.get(level, levels[level]["start"])
        return format_number(value, levels[level]["format"])

    @staticmethod
    def _num_pr(paragraph: Paragraph) -> tuple[str | None, int]:
        candidates = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:  # numbering may come from the style or a base style
            candidates.append(style.element.pPr)
            style = style.base_style
        for ppr in candidates:
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            return (
                num_id.get(qn("w:val")) if num_id is not None else None,
                int(ilvl.get(qn("w:val"))) if ilvl is not None else 0,
            )
        return None, 0

    def _definition(self, num_id: str) -> tuple[str, dict[int, dict], list[int]]:
        """The list's abstract id, its levels (start, format, text) and restarted levels."""
        nums = self._element.xpath(f'w:num[@w:numId="{num_id}"]')
        if not nums:
            return "", {}, []
        abstract_id = _child_val(nums[0], "w:abstractNumId", "")
        abstracts = self._element.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')
        if not abstracts:
            return abstract_id, {}, []
        levels = {}
        for lvl in abstracts[0].findall(qn("w:lvl")):
            levels[int(lvl.get(qn("w:ilvl")))] = {
                "start": int(_child_val(lvl, "w:start", "1")),
                "format": _child_val(lvl, "w:numFmt", "decimal"),
                "text": _child_val(lvl, "w:lvlText", ""),
            }
        overridden = []
        for override in nums[0].findall(qn("w:lvlOverride")):
            level = int(override.get(qn("w:ilvl")))
            start = override.find(qn("w:startOverride"))
            if level in levels and start is not None:
                levels[level]["start"] = int(start.get(qn("w:val")))
                overridden.append(level)
        return abstract_id, levels, overridden


def _child_val(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    value = child.get(qn("w:val")) if child is not None else None
    return default if value is None else value


def format_number(value: int, number_format: str) -> str:
    """A list counter in one of Word's number formats (ECMA-376 ST_NumberFormat)."""
    if number_format in {
        "chineseCounting",
        "chineseCountingThousand",
        "ideographDigital",
        "japaneseCounting",
        "taiwaneseCounting",
    }:
        return chinese_numeral(value)
    if number_format == "ideographTraditional" and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if number_format == "ideographZodiac" and 1 <= value <= 12:
        return _EARTHLY_BRANCHES[value - 1]
    if number_format in {"decimalEnclosedCircle", "decimalEnclosedCircleChinese"} and (
        1 <= value <= 20
    ):
        return chr(0x2460 + value - 1)
    if number_format in {"lowerLetter", "upperLetter"} and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in {"lowerRoman", "upperRoman"} and 1 <= value < 4000:
        roman = _roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "bullet":
        return "•"
    if number_format == "none":
        return ""
    return str(value)


def chinese_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 999)."""
    if not 0 < value < 1000:
        return str(value)
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(f"{_CHINESE_DIGITS[hundreds]}百")
    if tens:
        parts.append("十" if tens == 1 and not hundreds else f"{_CHINESE_DIGITS[tens]}十")
    elif hundreds and units:
        parts.append("零")
    if units:
        parts.append(_CHINESE_DIGITS[units])
    return "".join(parts)


def _roman(value: int) -> str:
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    result = []
    for amount, symbol in numerals:
        count, value = divmod(value, amount)
        result.append(symbol * count)
    return "".join(result)
