"""The pure rules of published rows and query filters (issue 16, points 2 and 3; bad input:
a query naming an ungranted column, a row filter injection attempt)."""

import datetime as dt

import pytest

from shuzheng.exchange import rows
from shuzheng.exchange.rows import Column, FilterError, RowError

COLUMNS = [
    Column("name", rows.TEXT),
    Column("county", rows.TEXT),
    Column("students", rows.INTEGER),
    Column("fee", rows.DECIMAL),
    Column("opened_on", rows.DATE),
    Column("boarding", rows.BOOLEAN),
]
GRANTED = ["name", "county", "students"]


@pytest.mark.parametrize(
    ("raw", "column_type", "expected"),
    [
        (" 银川 ", rows.TEXT, "银川"),
        ("", rows.TEXT, None),
        (12.0, rows.TEXT, "12"),
        ("007", rows.INTEGER, 7),
        (3.0, rows.INTEGER, 3),
        ("1,234.50", rows.DECIMAL, "1234.5"),
        ("0.00", rows.DECIMAL, "0"),
        ("2024/5/1", rows.DATE, "2024-05-01"),
        ("2024年5月1日", rows.DATE, "2024-05-01"),
        (dt.datetime(2024, 5, 1, 8, 0), rows.DATE, "2024-05-01"),
        ("是", rows.BOOLEAN, True),
        ("false", rows.BOOLEAN, False),
    ],
)
def test_cells_take_one_canonical_value(raw, column_type, expected):
    assert rows.typed_value(raw, column_type) == expected


@pytest.mark.parametrize(
    ("raw", "column_type", "code"),
    [
        ("三千", rows.INTEGER, "bad_integer"),
        (True, rows.INTEGER, "bad_integer"),
        ("1e400", rows.DECIMAL, "bad_decimal"),
        ("NaN", rows.DECIMAL, "bad_decimal"),
        ("2024-02-30", rows.DATE, "bad_date"),
        ("maybe", rows.BOOLEAN, "bad_boolean"),
    ],
)
def test_a_cell_not_of_its_type_is_refused(raw, column_type, code):
    with pytest.raises(RowError) as caught:
        rows.typed_value(raw, column_type)
    assert caught.value.code == code


def test_row_key_is_canonical_and_composite_keys_cannot_be_forged():
    assert rows.row_key({"id": 7}, ["id"]) == "7"
    assert rows.row_key({"a": "x,y", "b": 1}, ["a", "b"]) == '["x,y","1"]'
    assert rows.row_key({"a": "x", "b": "y,1"}, ["a", "b"]) != rows.row_key(
        {"a": "x,y", "b": "1"}, ["a", "b"]
    )
    with pytest.raises(RowError, match="empty_key"):
        rows.row_key({"id": None}, ["id"])
    with pytest.raises(RowError, match="key_too_long"):
        rows.row_key({"id": "x" * 401}, ["id"])


def test_key_from_text_types_the_key():
    columns = [Column("id", rows.INTEGER), Column("day", rows.DATE)]
    assert rows.key_from_text("007", columns[:1], ["id"]) == "7"
    assert rows.key_from_text('[7, "2024/5/1"]', columns, ["id", "day"]) == '["7","2024-05-01"]'
    with pytest.raises(RowError):
        rows.key_from_text("[7]", columns, ["id", "day"])


def test_typed_row_reports_each_cell():
    values, problems = rows.typed_row(
        {"name": "", "students": "many", "colour": "red"}, COLUMNS, ["name"]
    )
    assert {(p.column, p.code) for p in problems} == {
        ("colour", "unknown_column"),
        ("students", "bad_integer"),
        ("name", "empty_key"),
    }
    values, problems = rows.typed_row({"name": "一中", "students": "12"}, COLUMNS, ["name"])
    assert problems == [] and values["students"] == 12 and values["county"] is None


def test_layout_rules():
    rows.check_layout(COLUMNS, ["name"])
    for columns, key, code in [
        ([], ["name"], "no_columns"),
        ([Column("1st", rows.TEXT)], ["1st"], "bad_column_name"),
        ([Column("a;drop", rows.TEXT)], ["a;drop"], "bad_column_name"),
        ([Column("a", rows.TEXT), Column("a", rows.TEXT)], ["a"], "repeated_column"),
        ([Column("a", "blob")], ["a"], "bad_column_type"),
        ([Column("a", rows.TEXT)], [], "no_primary_key"),
        ([Column("a", rows.TEXT)], ["b"], "unknown_key_column"),
    ]:
        with pytest.raises(RowError) as caught:
            rows.check_layout(columns, key)
        assert caught.value.code == code


def test_query_filters_are_typed_lookups_on_granted_columns():
    found = rows.parse_query_filters(
        [("county", "银川市"), ("students__in", "3600,8000")], COLUMNS, GRANTED
    )
    assert [f.lookup() for f in found] == [
        ("values__county", "银川市"),
        ("values__students__in", [3600, 8000]),
    ]
    assert found[1].matches({"students": 8000}) and not found[1].matches({"students": 1})


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ([("fee", "1")], "ungranted-column"),
        ([("no_such", "1")], "ungranted-column"),
        ([("county__contains", "银")], "invalid-filter"),
        ([("county__eq__x", "银")], "invalid-filter"),
        ([("students", "1 OR 1=1")], "invalid-filter"),
        ([("students__in", "1,2);DROP TABLE x;--")], "invalid-filter"),
        ([("name') OR ('1'='1", "x")], "ungranted-column"),
        ([("students__in", ",".join(["1"] * 101))], "invalid-filter"),
        ([("county", "")], "invalid-filter"),
    ],
)
def test_bad_filters_are_refused_with_their_type(params, kind):
    with pytest.raises(FilterError) as caught:
        rows.parse_query_filters(params, COLUMNS, GRANTED)
    assert caught.value.kind == kind


def test_grant_filters_may_name_any_table_column_and_must_be_well_formed():
    found = rows.parse_grant_filters([{"column": "fee", "op": "eq", "value": "12.50"}], COLUMNS)
    assert found[0].values == ("12.5",)
    assert found[0].as_dict() == {"column": "fee", "op": "eq", "value": "12.5"}
    with pytest.raises(FilterError):
        rows.parse_grant_filters(["county=1"], COLUMNS)
    with pytest.raises(FilterError):
        rows.parse_grant_filters([{"column": "county", "op": "eq", "value": {"$ne": 1}}], COLUMNS)


def test_selected_columns_keep_the_table_order_and_refuse_ungranted():
    assert rows.selected_columns(None, COLUMNS, GRANTED) == GRANTED
    assert rows.selected_columns("students,name", COLUMNS, GRANTED) == ["name", "students"]
    with pytest.raises(FilterError) as caught:
        rows.selected_columns("name,fee", COLUMNS, GRANTED)
    assert caught.value.kind == "ungranted-column"
