"""The citizens' pages: submission form, tracking by number (no personal information)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuzheng.hotline.models import Attachment, Caller, ServiceRequest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form(**changes):
    data = {
        "service_code": "wage-arrears",
        "description": "公司拖欠三个月工资",
        "address_string": "银川市兴庆区",
        "name": "王五",
        "phone": "13912345678",
        "email": "",
    }
    return data | changes


def test_the_form_lists_the_catalog_and_counts_characters(client, catalog):
    page = client.get(reverse("hotline:submit"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert "劳动保障" in html and "其他/综合" in html
    assert 'data-counter="description-counter"' in html
    # The street-light service's required attributes are asked for, named by their service.
    assert 'name="attr__street-light__pole_number"' in html


def test_a_citizen_submits_and_follows_the_request_by_number(client, catalog):
    answer = client.post(
        reverse("hotline:submit"),
        form(media=SimpleUploadedFile("现场.png", PNG, content_type="image/png")),
    )
    request = ServiceRequest.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("hotline:track_detail", args=[request.number])
    assert request.channel == "web"
    assert Caller.objects.get().phone == "13912345678"
    assert Attachment.objects.get().name == "现场.png"

    found = client.get(reverse("hotline:track"), {"number": request.number})
    assert found.status_code == 302 and found.url == answer.url
    page = client.get(answer.url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert "兴庆区人力资源和社会保障局" in html and "已派单" in html
    # The public view shows none of the caller's personal information.
    assert "王五" not in html and "13912345678" not in html and "139****5678" not in html


def test_a_general_request_is_classified_from_its_description(client, catalog):
    client.post(reverse("hotline:submit"), form(service_code="general"))
    request = ServiceRequest.objects.get()
    assert request.chosen_category.code == "general"
    assert request.category.code == "wage-arrears"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": "字" * 4001}, "description", "4000"),
        ({"address_string": "北京市朝阳区"}, "address_string", "宁夏"),
        ({"address_string": "", "lat": "39.9", "long": "116.4"}, "lat", "宁夏"),
        ({"service_code": "street-light"}, "attr__street-light__pole_number", "pole_number"),
        ({"service_code": "no-such-thing"}, "service_code", ""),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(client, catalog, changes, field, message):
    answer = client.post(reverse("hotline:submit"), form(**changes), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not ServiceRequest.objects.exists() and not Caller.objects.exists()


def test_an_upload_that_is_no_image_or_pdf_is_refused(client, catalog):
    upload = SimpleUploadedFile("说明.png", b"MZ\x90\x00 not an image", content_type="image/png")
    answer = client.post(reverse("hotline:submit"), form(media=upload))
    assert answer.status_code == 400
    assert "media" in answer.context["form"].errors
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()


def test_the_street_light_attributes_go_with_the_request(client, catalog):
    answer = client.post(
        reverse("hotline:submit"),
        form(
            service_code="street-light",
            description="路灯不亮",
            **{"attr__street-light__pole_number": "YC-0042", "attr__street-light__fault": "dark"},
        ),
    )
    assert answer.status_code == 302, answer.context["form"].errors
    assert ServiceRequest.objects.get().attributes == {"pole_number": "YC-0042", "fault": "dark"}


def test_an_unknown_number_is_said_so_and_a_missing_one_is_404(client, catalog):
    page = client.get(reverse("hotline:track"), {"number": "2099010100001"})
    assert page.status_code == 200 and "2099010100001" in page.content.decode()
    assert client.get(reverse("hotline:track_detail", args=["2099010100001"])).status_code == 404
