"""The licence pages: a type defined in a form, a licence issued by the form, a batch from
Excel (refused whole with row and column named, or issued whole), status, "my licences"."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuzheng.accounts.choices import Role
from shuzheng.trust import licence_services, sealed_pdf
from shuzheng.trust.licence_models import Licence, LicenceType
from shuzheng.trust.models import Signature
from tests.trust.licence_fixtures import (
    CREDIT_CODE,
    IDENTITY,
    draft,
    head_of,
    make_type,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def head(unit, client):
    user = head_of(unit)
    client.force_login(user)
    return user


@pytest.fixture
def licence_type(unit):
    return make_type(unit)


def test_a_type_is_defined_in_a_form_one_field_a_line(client, head, licence_type):
    response = client.post(
        reverse("licences:type_create"),
        {
            "code": "QSXK",
            "name": "取水许可证",
            "seal": licence_type.seal_id,
            "face_fields": "intake_place，取水地点，text，必填\nvolume, 年取水量（万立方米）, decimal, 选填",
            "validity_kind": "years",
            "validity_years": "5",
        },
    )
    created = LicenceType.objects.get(code="QSXK")
    assert response.status_code == 302
    assert response["Location"] == reverse("licences:type_detail", args=[created.pk])
    assert created.face_fields[1] == {
        "name": "volume",
        "label": "年取水量（万立方米）",
        "kind": "decimal",
        "required": False,
    }
    page = client.get(response["Location"]).content.decode()
    assert "年取水量（万立方米）" in page and "5 years from the issue date" in page


def test_a_bad_type_is_refused_beside_its_field_and_nothing_is_saved(client, head, licence_type):
    response = client.post(
        reverse("licences:type_create"),
        {
            "code": "QSXK",
            "name": "取水许可证",
            "seal": licence_type.seal_id,
            "face_fields": "Intake Place，取水地点",
            "validity_kind": "years",
            "validity_years": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Face field 1: the name “Intake Place” must start with a small letter" in page
    assert "Enter a validity of 1 to 50 years." in page
    assert not LicenceType.objects.filter(code="QSXK").exists()


def test_a_licence_is_issued_by_the_form_and_refused_by_field(client, head, licence_type):
    path = reverse("licences:issue", args=[licence_type.pk])
    form = {
        "holder_name": "宁夏清真餐饮有限公司",
        "holder_kind": "credit_code",
        "holder_code": "91350100M000100Y44",
        "face_business_name": "宁夏清真餐饮有限公司",
        "face_premises": "",
    }
    refused = client.post(path, form)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "check character is wrong" in page and "经营场所: Required." in page
    assert Licence.objects.count() == 0 and Signature.objects.count() == 0
    form.update(holder_code=CREDIT_CODE, face_premises="银川市兴庆区解放西街1号")
    issued = client.post(path, form)
    licence = Licence.objects.get()
    assert issued["Location"] == reverse("licences:detail", args=[licence.number])
    detail = client.get(issued["Location"]).content.decode()
    assert licence.number in detail and "913501********0Y43" in detail
    assert CREDIT_CODE not in detail


def _filled_template(client, licence_type, rows) -> BytesIO:
    template = client.get(reverse("licences:template", args=[licence_type.pk]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(template.content))
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "licences.xlsx"
    return out


def test_a_workbook_with_a_bad_cell_issues_nothing_and_names_row_and_column(
    client, head, licence_type
):
    workbook = _filled_template(
        client,
        licence_type,
        [
            ["甲公司", "统一社会信用代码", CREDIT_CODE, "2026-12-01", "甲", "银川", None],
            ["张三", "身份证号", "110105194912310021", None, "张三小吃", "吴忠", "2024年13月1日"],
        ],
    )
    response = client.post(reverse("licences:bulk", args=[licence_type.pk]), {"workbook": workbook})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was issued" in page
    assert "<td>4</td><td>C（证件号码）</td>" in page
    assert "<td>4</td><td>G（开业日期）</td>" in page
    assert Licence.objects.count() == 0


def test_a_good_workbook_issues_every_row(client, head, licence_type):
    rows = [
        [f"公司{n}", "统一社会信用代码", CREDIT_CODE, None, f"公司{n}", "银川", None]
        for n in range(3)
    ]
    workbook = _filled_template(client, licence_type, rows)
    response = client.post(reverse("licences:bulk", args=[licence_type.pk]), {"workbook": workbook})
    assert response.status_code == 302
    assert Licence.objects.count() == 3
    listing = client.get(response["Location"]).content.decode()
    assert all(f"公司{n}" in listing for n in range(3))


def test_another_units_head_reaches_nothing_of_the_type(client, licence_type):
    client.force_login(head_of(make_unit("other", "吴忠市市场监督管理局")))
    assert client.get(reverse("licences:type_detail", args=[licence_type.pk])).status_code == 403
    assert client.get(reverse("licences:list")).content.decode().count("<tr>") == 0


def test_a_status_change_needs_a_reason(client, head, licence_type):
    licence = licence_services.issue_licence(licence_type, draft(), by=None)
    path = reverse("licences:status", args=[licence.number])
    refused = client.post(path, {"status": "revoked", "reason": ""})
    assert refused.status_code == 400 and "Give the reason." in refused.content.decode()
    client.post(path, {"status": "revoked", "reason": "以欺骗手段取得"})
    licence.refresh_from_db()
    assert licence.status == "revoked" and licence.status_reason == "以欺骗手段取得"


def test_the_holder_sees_downloads_and_shares_their_licence(client, licence_type):
    licence = licence_services.issue_licence(
        licence_type, draft("张三", IDENTITY, "identity_card"), by=None
    )
    holder = make_user("zhangsan", Role.CITIZEN)
    client.force_login(holder)
    empty = client.get(reverse("licences:mine")).content.decode()
    assert "No holder code is bound" in empty and licence.number not in empty
    licence_services.bind_holder(holder, "identity_card", IDENTITY, by=None)
    page = client.get(reverse("licences:mine")).content.decode()
    assert licence.number in page and "110105********002X" in page
    assert f"/trust/verify/?licence={licence.number}&amp;digest={licence.digest[:16]}" in page
    download = client.get(reverse("licences:pdf", args=[licence.number]))
    assert download["Content-Type"] == "application/pdf"
    signed, _envelope = sealed_pdf.detach_signature(download.content)
    assert signed.startswith(b"%PDF-")
    client.force_login(make_user("lisi", Role.CITIZEN))
    assert client.get(reverse("licences:pdf", args=[licence.number])).status_code == 403


def test_the_pages_are_in_chinese_by_default(client, head, licence_type):
    licence_services.issue_licence(licence_type, draft(), by=None)
    client.cookies.pop("django_language", None)
    page = client.get(reverse("licences:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已签发的证照" in page and "证照编号" in page
