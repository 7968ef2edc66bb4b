"""我的工单 exported as filtered, as CSV and Excel (issue 15, point 7): Chinese headers, UTF-8
with a BOM, the caller in full only for the handling unit (each such row audited), masked
for everyone else."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuzheng.audit.models import AuditEvent
from shuzheng.hotline.exports import HEADERS
from shuzheng.hotline.services import Intake, submit_request

pytestmark = pytest.mark.django_db

#: A character outside the BMP (GB 18030's four-byte range) and a formula-like start.
RARE = "𠀀"


def wage_request(**changes):
    values = {
        "service_code": "wage-arrears",
        "description": f"老板拖欠工资三个月，多次讨要未果。{RARE}",
        "address_string": "银川市兴庆区解放西街12号",
        "name": "张三丰",
        "phone": "13912345678",
        "email": "zhangsan@example.org",
        "caller_address": "兴庆区丽景街道3号楼2单元",
    }
    values.update(changes)
    return submit_request(Intake(**values))


def rows_of(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_handling_unit_exports_its_callers_in_full_and_each_read_is_audited(client, unit_staff):
    mine = wage_request()
    client.force_login(unit_staff)
    response = client.get(reverse("hotline:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    header, row = rows_of(response)
    assert header == HEADERS and header[10:12] == ["来电人", "联系电话"]
    assert row[0] == mine.number
    assert row[10:] == [
        "张三丰",
        "13912345678",
        "zhangsan@example.org",
        "兴庆区丽景街道3号楼2单元",
        "完整",
    ]
    assert row[6].endswith(RARE)
    row[6].encode("gb18030")  # every cell is GB 18030 text
    event = AuditEvent.objects.get(action="hotline.read_caller")
    assert (event.actor, event.object_id) == (unit_staff, str(mine.pk))
    assert event.after == {"unit": unit_staff.unit.code, "export": "csv"}


def test_a_supervisor_exports_every_request_with_the_caller_masked(client, operator):
    wage_request()
    client.force_login(operator)
    _header, row = rows_of(client.get(reverse("hotline:export_csv")))
    assert row[10:] == ["张**", "139****5678", "z***@example.org", "兴庆区丽景街****", "已脱敏"]
    assert "张三丰" not in row and "13912345678" not in row
    assert not AuditEvent.objects.filter(action="hotline.read_caller").exists()


def test_the_export_takes_the_list_s_filters(client, operator):
    first = wage_request()
    wage_request(description="拖欠工资两个月。")
    client.force_login(operator)
    everything = rows_of(client.get(reverse("hotline:export_csv")))
    assert len(everything) == 3
    received = first.requested_at.date().isoformat()
    none_yet = rows_of(client.get(reverse("hotline:export_csv"), {"state": "resolved"}))
    assert none_yet == [HEADERS]
    same_day = rows_of(client.get(reverse("hotline:export_csv"), {"since": received}))
    assert len(same_day) == 3
    page = client.get(reverse("hotline:mine"), {"state": "received"})
    assert 'href="/hotline/mine/export.csv?state=received"' in page.content.decode()


def test_a_bad_filter_is_a_message_not_a_500(client, operator):
    client.force_login(operator)
    response = client.get(reverse("hotline:export_csv"), {"since": "2026-13-40"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hotline:mine")
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]]


def test_a_formula_in_the_caller_s_words_is_kept_as_text(client, operator):
    wage_request(description='=HYPERLINK("http://example.org")拖欠工资')
    client.force_login(operator)
    _header, row = rows_of(client.get(reverse("hotline:export_csv")))
    assert row[6] == '\'=HYPERLINK("http://example.org")拖欠工资'


def test_the_excel_export_has_the_same_rows_and_a_chinese_sheet(client, unit_staff):
    mine = wage_request()
    client.force_login(unit_staff)
    response = client.get(reverse("hotline:export_xlsx"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["12345热线工单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("12345热线工单（导出于")
    assert list(rows[1]) == HEADERS
    assert rows[2][0] == mine.number and rows[2][10] == "张三丰"
    assert AuditEvent.objects.get(action="hotline.read_caller").after["export"] == "xlsx"
