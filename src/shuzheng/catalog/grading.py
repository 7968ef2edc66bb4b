"""Classification and grading of government data (GB/T 43697-2024《数据安全技术 数据分类分级规则》).

The standard sorts data into three grades: 一般数据 (general), 重要数据 (important) and
核心数据 (core). Two rules of the catalog are decided here and nowhere else:

* 就高从严: a resource's grade is at least the highest grade of its information items
  (``required_resource_grade``, ``grade_problems``).
* Whether an entry may reach the public (the open portal, the CKAN Action API, the DCAT
  export, public search and every public export): ``is_open_to_public``. Core data never
  does; important data only through a grant (the exchange issue), never openly; general data
  when it is published and its open type (开放属性) is not 不予开放.

Pure module: no Django, so that every public path and the tests use the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Grade(StrEnum):
    GENERAL = "general"
    IMPORTANT = "important"
    CORE = "core"


class ShareType(StrEnum):
    """共享类型 (《政务信息资源目录编制指南（试行）》)."""

    UNCONDITIONAL = "unconditional"
    CONDITIONAL = "conditional"
    NONE = "none"


class OpenType(StrEnum):
    """开放属性."""

    UNCONDITIONAL = "unconditional"
    CONDITIONAL = "conditional"
    NONE = "none"


class State(StrEnum):
    """The review-and-publish workflow (draft → submitted → published / returned; withdrawn)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


RANK = {Grade.GENERAL: 0, Grade.IMPORTANT: 1, Grade.CORE: 2}

#: The only grade that may be opened to the public without a grant.
PUBLIC_GRADES = frozenset({Grade.GENERAL})
#: Open types under which a published general resource is listed publicly (有条件开放 is
#: listed; its data is released on application).
PUBLIC_OPEN_TYPES = frozenset({OpenType.UNCONDITIONAL, OpenType.CONDITIONAL})
#: Open types whose distributions anyone may download.
DOWNLOADABLE_OPEN_TYPES = frozenset({OpenType.UNCONDITIONAL})
PUBLIC_STATES = frozenset({State.PUBLISHED})


def highest(grades: Iterable[str]) -> Grade:
    """The highest of ``grades`` (general when there are none)."""
    best = Grade.GENERAL
    for value in grades:
        grade = Grade(value)
        if RANK[grade] > RANK[best]:
            best = grade
    return best


def at_least(grade: str, floor: str) -> bool:
    return RANK[Grade(grade)] >= RANK[Grade(floor)]


def required_resource_grade(item_grades: Iterable[str]) -> Grade:
    """就高从严: the lowest grade a resource with these items may have."""
    return highest(item_grades)


def grade_problems(resource_grade: str, item_grades: Iterable[str]) -> str | None:
    """A message when the resource's grade is below its highest item's, else None."""
    needed = required_resource_grade(item_grades)
    if not at_least(resource_grade, needed):
        return needed.value
    return None


def is_open_to_public(*, state: str, grade: str, open_type: str) -> bool:
    """May this catalog entry reach the public? The one answer every public path uses."""
    return (
        State(state) in PUBLIC_STATES
        and Grade(grade) in PUBLIC_GRADES
        and OpenType(open_type) in PUBLIC_OPEN_TYPES
    )


def is_openly_downloadable(*, state: str, grade: str, open_type: str) -> bool:
    """May anyone download the entry's distributions (无条件开放 general data, published)?"""
    return (
        is_open_to_public(state=state, grade=grade, open_type=open_type)
        and OpenType(open_type) in DOWNLOADABLE_OPEN_TYPES
    )


def check_open_type(*, grade: str, open_type: str) -> str | None:
    """Core and important data cannot be declared open: the open type must be 不予开放.

    Returns the open type the grade requires when ``open_type`` is not allowed, else None.
    """
    if Grade(grade) not in PUBLIC_GRADES and OpenType(open_type) != OpenType.NONE:
        return OpenType.NONE.value
    return None


def rows_visible_to_reader(grade: str) -> bool:
    """May someone who reads the catalog entry but is not its provider (the catalog office)
    see the data's rows themselves (failing rows of a quality run)? General data only: core
    and important data reach others only through a grant (the exchange)."""
    return grade == Grade.GENERAL


def is_previewable(grade: str) -> bool:
    """May a distribution's rows be shown in a page's preview at all? Core data never, not
    even to its provider (a preview puts rows in a page and a cache); important and general
    data to whoever may see their rows (``rows_visible_to_reader``; the provider always, the
    public only for openly downloadable data, ``is_openly_downloadable``)."""
    return Grade(grade) != Grade.CORE
