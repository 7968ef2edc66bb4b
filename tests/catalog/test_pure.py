"""The pure rule modules: the guide's code layout and the grading rules."""

import pytest

from shuzheng.catalog import codes, grading


@pytest.mark.parametrize(
    "code",
    ["1010010001/000001", "304001/000123", "2010019/999999", " 101 001/000001 "],
)
def test_valid_codes_parse(code):
    parsed = codes.parse(code)
    assert str(parsed) == code.replace(" ", "").strip()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("4010010001/000001", "class"),
        ("1000010001/000001", "zero"),
        ("101000/000001", "zero"),
        ("10100/000001", "layout"),
        ("101001/00001", "sequence"),
        ("101001/000000", "sequence"),
        ("101001", "layout"),
        ("101001" + "1" * 13 + "/000001", "subcategory"),
        ("", "layout"),
    ],
)
def test_invalid_codes_say_why(code, reason):
    with pytest.raises(codes.CodeError) as caught:
        codes.parse(code)
    assert caught.value.reason == reason
    assert not codes.is_valid(code)


def test_generate_continues_after_the_highest_sequence():
    assert codes.generate("304001", []) == "304001/000001"
    assert codes.generate("304001", ["000001", "000007", "000003"]) == "304001/000008"
    with pytest.raises(codes.CodeError):
        codes.generate("304001", ["999999"])
    with pytest.raises(codes.CodeError):
        codes.generate("904001", [])


def test_resource_grade_is_at_least_its_highest_item():
    assert grading.required_resource_grade([]) == grading.Grade.GENERAL
    assert grading.required_resource_grade(["general", "core", "important"]) == "core"
    assert grading.grade_problems("important", ["general", "core"]) == "core"
    assert grading.grade_problems("core", ["general", "important"]) is None
    assert grading.grade_problems("general", ["general"]) is None


@pytest.mark.parametrize(
    ("state", "grade", "open_type", "public", "downloadable"),
    [
        ("published", "general", "unconditional", True, True),
        ("published", "general", "conditional", True, False),
        ("published", "general", "none", False, False),
        ("published", "important", "unconditional", False, False),
        ("published", "core", "unconditional", False, False),
        ("published", "core", "conditional", False, False),
        ("submitted", "general", "unconditional", False, False),
        ("draft", "general", "unconditional", False, False),
        ("returned", "general", "unconditional", False, False),
        ("withdrawn", "general", "unconditional", False, False),
    ],
)
def test_only_published_general_open_data_reaches_the_public(
    state, grade, open_type, public, downloadable
):
    assert grading.is_open_to_public(state=state, grade=grade, open_type=open_type) is public
    assert (
        grading.is_openly_downloadable(state=state, grade=grade, open_type=open_type)
        is downloadable
    )


def test_important_and_core_data_must_not_be_declared_open():
    assert grading.check_open_type(grade="core", open_type="unconditional") == "none"
    assert grading.check_open_type(grade="important", open_type="conditional") == "none"
    assert grading.check_open_type(grade="core", open_type="none") is None
    assert grading.check_open_type(grade="general", open_type="unconditional") is None
