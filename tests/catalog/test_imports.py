"""The catalog import service: row- and column-level problems, all or nothing, valid rows
only, units through the resolver, updates by code, and export → import round trips."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import translation

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog import imports, workbook
from shuzheng.catalog.models import DataField, DataResource, ResourceCategory
from shuzheng.orgs.models import Unit
from tests.catalog.workbooks import csv_bytes, resource_rows, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(data: bytes, name="catalog.xlsx", **options):
    options.setdefault("actor", None)
    return imports.run_import(io.BytesIO(data), name, len(data), **options)


def words(report) -> list[str]:
    with translation.override("en"):
        return [imports.describe(problem) for problem in report.problems]


def spoiled(number: int, **changes) -> list[list]:
    first, second = resource_rows(number)
    keys = [column.key for column in workbook.COLUMNS]
    values = dict(zip(keys, second, strict=True)) | changes
    return [first, [values[key] for key in keys]]


def two_hundred_with_three_bad() -> bytes:
    rows = []
    for number in range(1, 201):
        if number == 17:
            rows += spoiled(number, data_type="文本")  # not a data type of the guide
        elif number == 88:
            rows += spoiled(number, field_grade="绝密")  # not a grade
        elif number == 150:
            rows += spoiled(number, field_name="")  # an item without a name
        else:
            rows += resource_rows(number)
    return xlsx_bytes(rows)


def test_two_hundred_resources_three_bad_rows_reported_and_197_land(registry):
    report = run(two_hundred_with_three_bad())
    assert (report.created, report.updated, report.rows) == (197, 0, 400)
    # The title row and the header row come first: resource n's second row is 2n + 2.
    assert report.invalid_rows == [36, 178, 302]
    assert words(report) == [
        "Row 36, column U (数据类型): 文本 is not one of 字符型、整型、数值型、货币型、日期型、"
        "日期时间型、逻辑型、备注型、通用型.",
        "Row 178, column X (分级): 绝密 is not one of 一般数据、重要数据、核心数据.",
        "Row 302, column T (信息项名称): This column must be filled in.",
    ]
    assert DataResource.objects.count() == 197
    assert not DataResource.objects.filter(code__in=["304001/000017", "304001/000088"]).exists()
    assert DataField.objects.count() == 2 * 197


def test_all_or_nothing_lands_nothing_when_a_row_is_bad(registry):
    report = run(two_hundred_with_three_bad(), all_or_nothing=True)
    assert (report.created, report.updated) == (0, 0)
    assert report.invalid_rows == [36, 178, 302]
    assert not DataResource.objects.exists()
    assert not ResourceCategory.objects.exists()


def test_all_or_nothing_lands_everything_when_every_row_is_good(registry):
    rows = [r for number in range(1, 6) for r in resource_rows(number)]
    report = run(xlsx_bytes(rows), all_or_nothing=True)
    assert (report.created, report.problems) == (5, [])
    resource = DataResource.objects.get(code="304001/000003")
    assert resource.provider.code == "nx-culture-tourism"
    assert resource.category.code == "304001"
    assert resource.state == "draft"
    assert [f.name for f in resource.fields.all()] == ["信息项1", "信息项2"]
    assert AuditEvent.objects.filter(action="catalog.register").count() == 5
    assert AuditEvent.objects.filter(action="catalog.import").count() == 1
    assert ResourceCategory.objects.get(code="304").parent.code == "3"


def test_the_guide_s_words_become_the_catalog_s_values(registry):
    rows = [
        row(
            share_type="有条件共享",
            share_condition="仅用于政务服务",
            open_type="不予开放",
            update_frequency="季度",
            published_on="2023年6月30日",
            grade="重要数据",
            keywords="旅游、景区 A级",
            related_codes="304001/000009；304001/000010",
            data_type="D",
            field_grade="重要",
            field_length="10",
        )
    ]
    report = run(csv_bytes(rows), name="catalog.csv")
    assert report.problems == []
    resource = DataResource.objects.get()
    assert (resource.share_type, resource.open_type, resource.update_frequency) == (
        "conditional",
        "none",
        "quarterly",
    )
    assert resource.published_on.isoformat() == "2023-06-30"
    assert resource.grade == "important"
    assert resource.keywords == ["旅游", "景区", "A级"]
    assert resource.related_codes == ["304001/000009", "304001/000010"]
    item = resource.fields.get()
    assert (item.data_type, item.grade, item.length, item.is_authoritative) == (
        "date",
        "important",
        10,
        True,
    )


def test_gb18030_csv_is_decoded(registry):
    data = csv_bytes(resource_rows(1), encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = run(data, name="目录.csv")
    assert report.problems == []
    assert DataResource.objects.get().title == "示例资源1"


def test_the_resource_grade_follows_its_highest_item_when_empty(registry):
    report = run(xlsx_bytes([row(grade="", field_grade="重要数据", open_type="不予开放")]))
    assert report.problems == []
    assert DataResource.objects.get().grade == "important"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"grade": "一般数据", "field_grade": "核心数据", "open_type": "不予开放"},
            "Row 3, column K (信息资源分级): The resource's grade is below its item 景区名称's "
            "(核心数据): 就高从严, a resource is graded at least as high as its highest item.",
        ),
        (
            {"grade": "重要数据"},
            "Row 3, column O (开放类型): Important and core data cannot be opened to the public: "
            "the open type must be 不予开放.",
        ),
        (
            {"provider": "自治区不存在厅"},
            "Row 3, column G (信息资源提供方): The registry has no unit named 自治区不存在厅.",
        ),
        (
            {"code": "304001-1"},
            "Row 3, column F (信息资源代码): 304001-1 does not follow the guide's layout: "
            "classification digits, /, a six-digit sequence (e.g. 1010010001/000001).",
        ),
        (
            {"code": "302001/000001"},
            "Row 3, column F (信息资源代码): The code 302001/000001 is not under the "
            "classification 304001.",
        ),
        (
            {"published_on": "去年"},
            "Row 3, column R (发布日期): 去年 is not a date: write 2023-06-30, 2023/6/30 or "
            "2023年6月30日.",
        ),
        (
            {"category": "304 旅游景区"},
            "Row 3, column C (信息资源分类（目）): 304 旅游景区 is not a classification code of "
            "this level: 6 digits, starting with the code of the level above.",
        ),
        (
            {"category": "304009", "code": ""},
            "Row 3, column C (信息资源分类（目）): The classification 304009 is not in the "
            "catalog: write its code and name (e.g. 304001 旅游景区) so it can be added.",
        ),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(registry, changes, expected):
    report = run(xlsx_bytes([row(**changes)]))
    assert words(report) == [expected]
    assert not DataResource.objects.exists()


def test_a_resource_s_rows_must_agree_and_stay_together(registry):
    first, second = resource_rows(1)
    third = row(title="示例资源1", code="304001/000001", summary="另一个摘要", field_name="信息项3")
    rows = [first, second, *resource_rows(2), third]
    report = run(xlsx_bytes(rows))
    assert report.invalid_rows == [7]
    assert words(report)[0].startswith(
        "Row 7, column E (信息资源名称): The resource 示例资源1 also"
    )
    assert any("column H (信息资源摘要)" in text for text in words(report))
    assert list(DataResource.objects.values_list("code", flat=True)) == ["304001/000002"]


def test_an_item_listed_twice_is_refused(registry):
    first = resource_rows(1)[0]
    report = run(xlsx_bytes([first, first]))
    assert words(report) == [
        "Row 4, column T (信息项名称): The information item 信息项1 is listed twice (row 3)."
    ]


def test_blank_rows_are_read_past(registry):
    first, second = resource_rows(1)
    report = run(xlsx_bytes([first, [None] * len(first), second, [""] * 3]))
    assert (report.created, report.problems, report.rows) == (1, [], 2)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n\x00\x01\x02\x03binary", "catalog.xlsx", "The file is not a catalog workbook"),
        (b"PK\x03\x04 not really a zip", "catalog.xlsx", "The file is not a catalog workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "catalog.xls", "old Excel workbook"),
        (b"\x00\x01\x02\xff\xfe\x00\x00\x9c" * 50, "catalog.csv", "cannot be read as text"),
        ("甲,乙,丙\n1,2,3\n".encode(), "catalog.csv", "No header row found in the first 10 rows"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(registry, data, name, expected):
    report = run(data, name=name)
    assert len(report.problems) == 1
    assert expected in words(report)[0]
    assert not DataResource.objects.exists()


def test_missing_and_unknown_headers_are_named(registry):
    headers = [h for h in workbook.HEADERS if h not in ("共享类型", "更新周期")] + ["负责人"]
    first = row()
    values = [
        v for h, v in zip(workbook.HEADERS, first, strict=True) if h not in ("共享类型", "更新周期")
    ]
    report = run(xlsx_bytes([values + ["张三"]], headers=headers))
    assert words(report) == [
        "Row 2: Columns missing from the header row: 共享类型、更新周期.",
        "Row 2: Columns the catalog workbook does not have: X（负责人）. Rename or remove them "
        "(the layout is in the template).",
    ]


def test_headers_as_offices_type_them_are_read(registry):
    headers = [
        h.replace("（", "(").replace("）", ")") + ("*" if i < 3 else "")
        for i, h in enumerate(workbook.HEADERS)
    ]
    report = run(xlsx_bytes([row()], headers=["序号", *headers], title=False), name="x.xlsx")
    assert report.problems == [] or words(report)
    report = run(
        xlsx_bytes([["1", *row()]], headers=["序号", *headers], title=False), name="x.xlsx"
    )
    assert report.problems == []
    assert DataResource.objects.count() == 1


def test_merged_cells_are_refused_naming_the_range(registry):
    rows = resource_rows(1)
    report = run(xlsx_bytes(rows, merge="E3:E4"))
    assert words(report) == [
        "Row 3: Cells E3:E4 are merged: unmerge them and fill the value into every row."
    ]
    assert not DataResource.objects.exists()


@override_settings(CATALOG_IMPORT_MAX_MB=1)
def test_a_file_over_the_limit_is_refused_before_reading(registry):
    report = imports.run_import(io.BytesIO(b""), "big.xlsx", 100 * 1024 * 1024, actor=None)
    assert words(report) == [
        "The file is 100.0 MB; the catalog import takes files of at most 1 MB. Split it into "
        "several workbooks."
    ]


def test_problems_are_worded_in_chinese_for_chinese_readers(registry):
    report = run(xlsx_bytes([row(share_type="随便")]))
    with translation.override("zh-hans"):
        text = imports.describe(report.problems[0])
    assert text.startswith("第 3 行，L 列（共享类型）：")


def test_a_provider_imports_only_for_its_own_unit(registry, provider_staff, other_staff):
    rows = [*resource_rows(1), *resource_rows(2, provider="自治区教育厅")]
    report = run(xlsx_bytes(rows), actor=provider_staff)
    assert report.created == 1
    assert words(report) == [
        "Row 5, column G (信息资源提供方): You may not maintain the catalog of 宁夏回族自治区教育厅."
    ]
    assert DataResource.objects.get().provider.code == "nx-culture-tourism"


def test_an_import_for_one_unit_refuses_rows_of_another(registry):
    unit = Unit.objects.get(code="nx-education")
    report = run(xlsx_bytes(resource_rows(1)), unit=unit)
    assert words(report)[0] == (
        "Row 3, column G (信息资源提供方): This import is for 宁夏回族自治区教育厅: the provider "
        "宁夏回族自治区文化和旅游厅 is another unit."
    )


def test_an_existing_code_updates_its_resource(registry):
    run(xlsx_bytes(resource_rows(1)))
    report = run(xlsx_bytes(resource_rows(1, summary="更新后的摘要。", items=3)))
    assert (report.created, report.updated, report.problems) == (0, 1, [])
    resource = DataResource.objects.get()
    assert (resource.summary, resource.version, resource.fields.count()) == ("更新后的摘要。", 2, 3)


def test_an_import_does_not_change_a_grade_without_a_reason(registry):
    run(xlsx_bytes(resource_rows(1)))
    report = run(xlsx_bytes(resource_rows(1, grade="重要数据", open_type="不予开放")))
    assert words(report) == [
        "Row 3, column K (信息资源分级): The import would change the grade of 304001/000001 "
        "from 一般数据 to 重要数据: a change of grade needs a reason, give it on the resource's page."
    ]
    assert DataResource.objects.get().grade == "general"


def test_another_unit_s_code_is_not_taken_over(registry, other_staff):
    run(xlsx_bytes(resource_rows(1)))
    report = run(xlsx_bytes(resource_rows(1, provider="自治区教育厅")), actor=other_staff)
    assert "belongs to a resource of 宁夏回族自治区文化和旅游厅" in words(report)[0]


def test_queue_import_checks_the_permission(registry, other_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("catalog.xlsx", xlsx_bytes(resource_rows(1)))
    with pytest.raises(PermissionDenied):
        imports.queue_import(
            upload,
            actor=other_staff,
            provider=Unit.objects.get(code="nx-culture-tourism"),
            all_or_nothing=False,
        )
