"""Resource codes (信息资源代码) as 《政务信息资源目录编制指南（试行）》 lays them out.

A code is the resource's classification followed by its sequence number:

    类 (1 digit) · 项 (2 digits) · 目 (3 digits) · 细目 (variable, may be empty) / 顺序码

e.g. ``1 01 001 0001 / 000001`` is written ``101001 0001/000001``; in this platform the parts
are joined without spaces: ``1010010001/000001``. The class digit is 1 (基础信息资源),
2 (主题信息资源) or 3 (部门信息资源), as the guide's three classes. The sequence is six
digits, unique under the classification prefix.

Pure module: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLASSES = {"1", "2", "3"}
SEQUENCE_DIGITS = 6
MAX_SUBCATEGORY_DIGITS = 12

_CODE = re.compile(r"^(?P<cls>\d)(?P<item>\d{2})(?P<category>\d{3})(?P<sub>\d*)/(?P<seq>\d+)$")


class CodeError(ValueError):
    """A code that does not follow the guide's layout; ``reason`` is a machine code."""

    def __init__(self, reason: str, code: str):
        super().__init__(f"{reason}: {code!r}")
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class ResourceCode:
    cls: str
    item: str
    category: str
    subcategory: str
    sequence: int

    @property
    def prefix(self) -> str:
        """The classification part (类项目细目)."""
        return f"{self.cls}{self.item}{self.category}{self.subcategory}"

    def __str__(self) -> str:
        return f"{self.prefix}/{self.sequence:0{SEQUENCE_DIGITS}d}"


def parse(code: str) -> ResourceCode:
    """Split and validate ``code``; raises CodeError naming what is wrong."""
    text = (code or "").strip().replace(" ", "")
    match = _CODE.match(text)
    if match is None:
        raise CodeError("layout", code)
    if match["cls"] not in CLASSES:
        raise CodeError("class", code)
    if match["item"] == "00" or match["category"] == "000":
        raise CodeError("zero", code)
    if len(match["sub"]) > MAX_SUBCATEGORY_DIGITS:
        raise CodeError("subcategory", code)
    if len(match["seq"]) != SEQUENCE_DIGITS or int(match["seq"]) == 0:
        raise CodeError("sequence", code)
    return ResourceCode(
        cls=match["cls"],
        item=match["item"],
        category=match["category"],
        subcategory=match["sub"],
        sequence=int(match["seq"]),
    )


def is_valid(code: str) -> bool:
    try:
        parse(code)
    except CodeError:
        return False
    return True


def parse_prefix(prefix: str) -> ResourceCode:
    """Validate a classification prefix (类项目细目 without the sequence)."""
    return parse(f"{prefix}/{1:0{SEQUENCE_DIGITS}d}")


def generate(prefix: str, used_sequences) -> str:
    """The next code under ``prefix``: one past the highest sequence in ``used_sequences``."""
    base = parse_prefix(prefix)
    sequence = max((int(s) for s in used_sequences), default=0) + 1
    if sequence >= 10**SEQUENCE_DIGITS:
        raise CodeError("sequence", prefix)
    return str(ResourceCode(base.cls, base.item, base.category, base.subcategory, sequence))
