"""Factor workbooks and monitoring data: every bad row named by row and column, nothing
half-imported (issue 12, "Bad input")."""

from decimal import Decimal as D

import pytest

from shuzheng.ecocomp import imports, services
from shuzheng.ecocomp.models import CountyFactor, ImportJob, WaterQualityReading
from shuzheng.ecocomp.samples import sample_file
from tests.ecocomp.workbooks import as_csv, as_xlsx, factor_table

pytestmark = pytest.mark.django_db


def messages(error):
    return [str(problem) for problem in error.value.problems]


def test_a_clean_workbook_is_stored_with_its_provenance(rule_set, clerk):
    job = services.import_factors(
        actor=clerk,
        rule_set=rule_set,
        file_name="因素.xlsx",
        data=as_xlsx(factor_table()),
        source="统计年鉴（测试）",
    )
    assert job.rows == 22 and job.encoding == "xlsx" and job.imported_by == clerk
    entry = CountyFactor.objects.get(year=2024, region__code="640104", factor="population")
    assert (entry.value, entry.import_job, entry.row, entry.source) == (
        D(100),
        job,
        2,
        "统计年鉴（测试）",
    )


def test_gb18030_csv_is_decoded(rule_set):
    job = services.import_factors(
        actor=None,
        rule_set=rule_set,
        file_name="因素.csv",
        data=as_csv(factor_table(), "gb18030"),
    )
    assert job.encoding == "gb18030"
    assert CountyFactor.objects.filter(year=2024).count() == 44


def test_every_bad_row_is_named_and_nothing_is_stored(rule_set):
    rows = factor_table()
    rows[3][2] = "约五万"  # text in a number column (row 4)
    rows[5][3] = "-12"  # a negative area (row 6)
    rows[7][0] = rows[2][0]  # a duplicated county (row 8 repeats row 3)
    del rows[9]  # a missing county
    with pytest.raises(imports.ImportRefused) as error:
        services.import_factors(
            actor=None, rule_set=rule_set, file_name="坏.csv", data=as_csv(rows)
        )
    found = messages(error)
    assert "Row 4, column 常住人口: “约五万” is not a number." in found
    assert "Row 6, column 森林面积: -12 is negative." in found
    assert any(
        m.startswith("Row 8, column 区划代码: county 640105 is listed already in row 3")
        for m in found
    )
    assert any(m.startswith("County 640221 (平罗县) has no row.") for m in found)
    assert CountyFactor.objects.count() == 0 and ImportJob.objects.count() == 0


def test_money_needs_its_unit_and_wan_yuan_are_converted(rule_set):
    rows = factor_table(headers=("标准财政收支缺口",))
    with pytest.raises(imports.ImportRefused) as error:
        services.import_factors(actor=None, rule_set=rule_set, file_name="a.csv", data=as_csv(rows))
    assert messages(error) == [
        "Column “标准财政收支缺口” is money: say 元 or 万元 in its header or a 金额单位 column."
    ]
    rows = factor_table(headers=("标准财政收支缺口（万元）",))
    services.import_factors(actor=None, rule_set=rule_set, file_name="b.csv", data=as_csv(rows))
    gap = CountyFactor.objects.get(region__code="640104", factor="fiscal_gap")
    assert gap.value == D(1000000)


def test_a_unit_column_mixing_yuan_and_wan_yuan(rule_set):
    rows = factor_table(headers=("生态环保支出",))
    rows[0].append("金额单位")
    for index, row in enumerate(rows[1:]):
        row.append("元" if index % 2 else "万元")
    services.import_factors(actor=None, rule_set=rule_set, file_name="c.csv", data=as_csv(rows))
    values = dict(
        CountyFactor.objects.filter(factor="eco_spending").values_list("region__code", "value")
    )
    assert values["640104"] == D(1000000) and values["640105"] == D(101)
    rows = factor_table(headers=("生态环保支出（万元）",))
    rows[0].append("金额单位")
    for row in rows[1:]:
        row.append("万元")
    rows[2][-1] = "元"
    with pytest.raises(imports.ImportRefused) as error:
        services.import_factors(actor=None, rule_set=rule_set, file_name="d.csv", data=as_csv(rows))
    assert messages(error) == [
        "Row 3, column 生态环保支出（万元）: the header says 万元 but the unit column says 元."
    ]


def test_monitoring_gaps_are_flagged_and_stored_as_gaps(sample_data):
    rows = [
        ["断面编码", "月份", "氨氮（mg/L）", "总磷（mg/L）"],
        ["wufosi", "2025-01", "0.2", "0.05"],
        ["wufosi", "2025-02", "", "0.05"],
        ["wufosi", "2025-04", "0.2", "0.05"],
    ]
    result = services.import_monitoring(actor=None, file_name="m.csv", data=as_csv(rows))
    assert [str(flag) for flag in result.flags] == [
        "Row 3, column 氨氮（mg/L）: no value for section wufosi in 2025-02.",
        "Section wufosi: no row for 2025-03.",
    ]
    gap = WaterQualityReading.objects.get(section__code="wufosi", month="2025-02", indicator="nh3n")
    assert gap.value is None


def test_bad_monitoring_rows_import_nothing(sample_data):
    before = WaterQualityReading.objects.count()
    rows = [
        ["断面编码", "月份", "氨氮"],
        ["wufosi", "2025-01", "0.2"],
        ["nowhere", "2025-01", "0.2"],
        ["wufosi", "2025-13", "0.2"],
        ["wufosi", "2025-01", "高"],
    ]
    with pytest.raises(imports.ImportRefused) as error:
        services.import_monitoring(actor=None, file_name="m.csv", data=as_csv(rows))
    assert messages(error) == [
        "Row 3, column 断面编码: no monitoring section “nowhere”.",
        "Row 4, column 月份: “2025-13” is no month (2024-03).",
        "Row 5: section wufosi, month 2025-01 is listed already in row 2.",
    ]
    assert WaterQualityReading.objects.count() == before


def test_the_sample_files_are_valid():
    table = imports.read_table(
        "sample-monitoring-2024.csv", sample_file("sample-monitoring-2024.csv")
    )
    rows = imports.monitoring_rows(
        table,
        ["wufosi", "xiaheyan", "yeshengqiao", "mahuanggou", "ditch3-inbound", "ditch3-outfall"],
    )
    assert len(rows.flags) == 1 and "2024-08" in str(rows.flags[0])


def test_key_function_counties_are_a_list_to_fill(rule_set, clerk, client, head):
    """Measure （八）'s 12 key ecological-function counties: no public source naming them was
    found, so the list is empty until imported (1 designated, 0 not), with its source; any
    other value is refused by row and column."""
    from django.urls import reverse

    from shuzheng.ecocomp.selectors import key_function_counties

    assert key_function_counties(2024) == []
    client.force_login(head)
    page = client.get(reverse("ecocomp:rule_set", args=[rule_set.pk]))
    assert "neither the gazette nor a public source found names them" in page.text
    rows = factor_table(
        ("重点生态功能区县",), value=lambda index, column: "1" if index < 2 else "0"
    )
    bad = [row[:] for row in rows]
    bad[3][2] = "2"
    with pytest.raises(imports.ImportRefused) as error:
        services.import_factors(
            actor=clerk, rule_set=rule_set, file_name="坏.csv", data=as_csv(bad)
        )
    assert messages(error) == ["Row 4, column 重点生态功能区县: 2 is neither 1 (yes) nor 0 (no)."]
    services.import_factors(
        actor=clerk, rule_set=rule_set, file_name="名单.csv", data=as_csv(rows), source="某某文件"
    )
    designated = key_function_counties(2024)
    assert [entry.region.code for entry in designated] == [rows[1][0], rows[2][0]]
    page = client.get(reverse("ecocomp:rule_set", args=[rule_set.pk]))
    assert "2 of the 12 counties the measure names are designated for 2024" in page.text
    assert "某某文件" in page.text
