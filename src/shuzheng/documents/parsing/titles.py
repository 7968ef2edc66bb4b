"""Document titles: their normal form, the issuers they name, and their type (文种).

A title is "发文机关 + 事由 + 文种" (党政机关公文处理工作条例, art. 9).  Layout spreads it over
lines and pads it with spaces; the normal form drops those spaces except the ones that separate
joint issuers ("自治区党委办公厅 人民政府办公厅印发《…》的通知").
"""

from __future__ import annotations

import re

from shuzheng.documents.parsing.lines import collapse_spaces, squeeze

# The 15 types of 党政机关公文处理工作条例 (art. 8); 命令（令） is written "…令" in titles.
DOC_TYPES = (
    "决议",
    "决定",
    "命令",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
)
# Regulatory documents a notice often transmits (GLOSSARY: 文种 "办法, 方案 …").
TRANSMITTED_FORMS = ("办法", "方案", "规定", "细则", "规则", "规划", "计划", "条例", "要点")
_SUBJECT_START = re.compile(r"关于|印发|转发|批转")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[)）]$")  # "（试行）", "（2023年—2025年）"
_BARE_TRANSMITTED = re.compile(r"(?:印发|转发|批转)(?P<title>[^《》]{4,})的(?:通知|决定|函)$")
TRANSMITTED_TITLE = re.compile(r"(?:印发|转发|批转)\s*《(?P<title>[^《》]+)》")


def normalize_title(raw: str) -> str:
    """Spaces out, except between joint issuers; see the module docstring."""
    text = collapse_spaces(raw)
    found = _SUBJECT_START.search(text)
    if found is None or found.start() == 0:
        return squeeze(text)
    issuers = title_issuers(text)
    return " ".join(issuers) + squeeze(text[found.start() :])


def title_issuers(title: str) -> list[str]:
    """The issuers a title starts with: "自治区党委办公厅 人民政府办公厅印发…" → both offices."""
    found = _SUBJECT_START.search(title)
    if found is None or found.start() == 0:
        return []
    prefix = title[: found.start()]
    return [squeeze(part) for part in re.split(r"[\s、]+", prefix) if part.strip()]


def doc_type_of(title: str) -> str | None:
    """The 文种 the title ends with (a trailing "（试行）" does not count)."""
    core = _TRAILING_NOTE.sub("", squeeze(title)).rstrip("》")
    for doc_type in DOC_TYPES + TRANSMITTED_FORMS:
        if core.endswith(doc_type):
            return doc_type
    if core.endswith("令"):
        return "命令"
    return None


def transmitted_titles(title: str) -> list[str]:
    """Every title a notice 印发 / 转发: "…印发《A》和《B》的通知" → [A, B]."""
    found = TRANSMITTED_TITLE.search(title)
    if found is None:
        # Without 《》: "国务院关于印发中国制造2025的通知".
        bare = _BARE_TRANSMITTED.search(squeeze(title))
        return [bare.group("title")] if bare else []
    return [squeeze(name) for name in re.findall(r"《([^《》]+)》", title[found.start() :])]


def transmitted_title(title: str) -> str | None:
    """The title a notice 印发 / 转发 / 批转: "…印发《X》的通知" → "X"."""
    found = TRANSMITTED_TITLE.search(title)
    return squeeze(found.group("title")) if found else None
