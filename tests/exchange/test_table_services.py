"""Publishing into the exchange and the one writer of rows (issue 16, point 3; bad input: a
provider upload whose primary key repeats — a clear error, nothing half-written)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog.models import DataResource
from shuzheng.exchange import hooks, table_services
from shuzheng.exchange.models import PublishedRow
from shuzheng.exchange.table_services import TableError
from tests.exchange.data_fixtures import *  # noqa: F403 - the fixtures
from tests.exchange.data_fixtures import SCHOOL_ROWS


@pytest.fixture
def heard():
    """The row changes the hook hands to listeners, as the change feed receives them."""
    received = []

    def listener(table, changes):
        received.append((table.pk, list(changes)))

    hooks.register_row_change_listener(listener)
    yield received
    hooks._row_change_listeners.remove(listener)


def stored(table):
    return dict(PublishedRow.objects.filter(table=table).values_list("key", "values"))


def test_publishing_takes_the_catalog_items_as_columns(schools, provider):
    table = table_services.publish_table(schools, primary_key=["name"], actor=provider)
    assert [c["name"] for c in table.columns] == [
        "name",
        "stage",
        "ownership",
        "county",
        "students",
    ]
    assert table.columns[4]["type"] == "integer"
    assert AuditEvent.objects.filter(action="exchange.publish_table", object_id=table.pk).exists()


def test_only_the_provider_publishes(schools, consumer):
    with pytest.raises(PermissionDenied):
        table_services.publish_table(schools, primary_key=["name"], actor=consumer)


@pytest.mark.parametrize(
    ("code", "key", "problem"),
    [
        ("101001/000001", ["id_number"], "core_data"),
        ("301002/000001", ["name"], "not_published"),
        ("302001/000001", ["nope"], "unknown_key_column"),
    ],
)
def test_publishing_refusals(catalog, code, key, problem):
    resource = DataResource.objects.get(code=code)
    with pytest.raises(TableError) as caught:
        table_services.publish_table(resource, primary_key=key)
    assert [p.code for p in caught.value.problems] == [problem]
    assert not hasattr(DataResource.objects.get(code=code), "published_table")


def test_upserts_and_deletes_by_key_tell_the_hook_in_the_same_transaction(schools_table, heard):
    result = table_services.apply_row_changes(
        schools_table,
        [
            {**SCHOOL_ROWS[0], "students": "3700"},
            SCHOOL_ROWS[1],
            {"name": "新学校", "students": 10},
        ],
        ["石嘴山三中", "不存在"],
    )
    assert (result.inserted, result.updated, result.deleted) == (1, 1, 1)
    rows = stored(schools_table)
    assert rows["银川一中"]["students"] == 3700 and "石嘴山三中" not in rows
    schools_table.refresh_from_db()
    assert schools_table.row_count == 3
    [(_table, changes)] = heard
    assert {(c.op, c.key) for c in changes} == {
        ("upsert", "银川一中"),
        ("upsert", "新学校"),
        ("delete", "石嘴山三中"),
    }


def test_a_batch_with_any_bad_row_writes_nothing(schools_table, heard):
    before = stored(schools_table)
    with pytest.raises(TableError) as caught:
        table_services.apply_row_changes(
            schools_table,
            [{"name": "新学校"}, {"name": "坏学校", "students": "很多"}, {"name": "新学校"}],
        )
    assert {(p.row, p.column, p.code) for p in caught.value.problems} == {
        (2, "students", "bad_integer"),
        (3, "", "repeated_key"),
    }
    assert "rows 1, 3" in caught.value.messages[-1]
    assert stored(schools_table) == before and heard == []


def test_a_listener_that_fails_rolls_the_write_back(schools_table):
    def broken(table, changes):
        raise RuntimeError("outbox down")

    hooks.register_row_change_listener(broken)
    try:
        with pytest.raises(RuntimeError):
            table_services.apply_row_changes(schools_table, [{"name": "新学校"}])
    finally:
        hooks._row_change_listeners.remove(broken)
    assert "新学校" not in stored(schools_table)


def csv_upload(text, encoding="utf-8", name="schools.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_a_gb18030_csv_upload_is_decoded_and_lands(schools_table, heard):
    text = "学校名称,学段,在校生数\n银川二中,高中,2100\n银川一中,高中,3600\n"
    schools_table.columns[0]["title"] = "学校名称"
    schools_table.columns[1]["title"] = "学段"
    schools_table.columns[4]["title"] = "在校生数"
    schools_table.save()
    result = table_services.upload_rows(schools_table, csv_upload(text, "gb18030"))
    assert result.inserted == 1
    assert stored(schools_table)["银川二中"] == {
        "name": "银川二中",
        "stage": "高中",
        "ownership": None,
        "county": None,
        "students": 2100,
    }


def test_an_upload_whose_primary_key_repeats_is_refused_whole(schools_table):
    before = stored(schools_table)
    text = "name,students\n甲校,1\n乙校,2\n甲校,3\n"
    for all_or_nothing in (True, False):
        with pytest.raises(TableError) as caught:
            table_services.upload_rows(
                schools_table, csv_upload(text), all_or_nothing=all_or_nothing
            )
        [problem] = caught.value.problems
        assert (problem.code, problem.row, problem.params["rows"]) == ("repeated_key", 4, "2, 4")
    assert stored(schools_table) == before


def test_an_upload_reports_problems_by_row_and_column(schools_table):
    text = "name,students\n甲校,1\n乙校,两百\n,3\n"
    with pytest.raises(TableError) as caught:
        table_services.upload_rows(schools_table, csv_upload(text))
    assert {(p.row, p.column, p.code) for p in caught.value.problems} == {
        (3, "students", "bad_integer"),
        (4, "name", "empty_key"),
    }
    assert "甲校" not in stored(schools_table)
    result = table_services.upload_rows(schools_table, csv_upload(text), all_or_nothing=False)
    assert result.inserted == 1 and len(result.problems) == 2
    assert "甲校" in stored(schools_table)


def test_an_xlsx_upload_lands(schools_table):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "county", "students"])
    sheet.append(["表格学校", "西夏区", 1200])
    handle = io.BytesIO()
    book.save(handle)
    upload = SimpleUploadedFile("schools.xlsx", handle.getvalue())
    assert table_services.upload_rows(schools_table, upload).inserted == 1
    assert stored(schools_table)["表格学校"]["students"] == 1200


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (csv_upload("county\n西夏区\n"), "missing_key_column"),
        (csv_upload("colour,size\nred,1\n"), "no_header"),
        (csv_upload("name,students\n"), "no_rows"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"), "not_workbook"),
        (
            SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
            "old_excel",
        ),
    ],
)
def test_a_file_that_is_not_the_table_is_refused(schools_table, upload, code):
    with pytest.raises(TableError) as caught:
        table_services.upload_rows(schools_table, upload)
    assert caught.value.problems[0].code == code
