"""The seal administration pages: list, create (PNG only, size bounds), detail with the
certificate and usage log, revocation with the reason, the CA page."""

import html
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shuzheng.audit.models import AuditEvent
from shuzheng.trust import services
from shuzheng.trust.choices import SealKind, SealStatus
from shuzheng.trust.models import Seal


def _png(side=200) -> bytes:
    buffer = BytesIO()
    Image.new("RGBA", (side, side), (200, 0, 0, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_list_shows_unit_kind_serial_and_status(signed_in, seal):
    page = signed_in.get("/trust/seals/").content.decode()
    assert seal.name in page
    assert seal.certificate.serial in page
    assert "Official seal" in page
    assert "In use" in page


def test_create_a_seal_with_a_png(signed_in, units):
    response = signed_in.post(
        "/trust/seals/new/",
        {
            "unit": units["water"].name,
            "kind": SealKind.BUSINESS,
            "name": "宁夏回族自治区水利厅行政审批专用章",
            "image": SimpleUploadedFile("seal.png", _png(), content_type="image/png"),
        },
    )
    seal = Seal.objects.get(unit=units["water"])
    assert response.status_code == 302
    assert response["Location"] == f"/trust/seals/{seal.pk}/"
    assert bytes(seal.image) == _png()
    assert AuditEvent.objects.filter(action="trust.create_seal", object_id=str(seal.pk)).exists()


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (b"GIF89a not a png", "The seal's picture is not a PNG image."),
        (_png(2100), "The seal's picture is larger than 2000 pixels a side."),
        (
            b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 1),
            "The seal's picture is larger than 1 MB.",
        ),
    ],
)
def test_a_bad_picture_is_refused_naming_why(signed_in, units, image, message):
    response = signed_in.post(
        "/trust/seals/new/",
        {
            "unit": units["water"].name,
            "kind": SealKind.OFFICIAL,
            "name": "宁夏回族自治区水利厅",
            "image": SimpleUploadedFile("seal.png", image),
        },
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not Seal.objects.filter(unit=units["water"]).exists()


def test_the_platform_kind_cannot_be_chosen(signed_in, units):
    response = signed_in.post(
        "/trust/seals/new/", {"unit": units["water"].name, "kind": "platform", "name": "x"}
    )
    assert response.status_code == 400
    assert not Seal.objects.filter(unit=units["water"]).exists()


def test_detail_shows_the_certificate_and_usage_log(signed_in, seal):
    signature = services.sign(seal, b"abc", by=None, subject_kind="notice", subject_ref="N-1")
    page = signed_in.get(f"/trust/seals/{seal.pk}/").content.decode()
    assert seal.certificate.serial in page
    assert signature.number in page
    assert "N-1" in page
    image = signed_in.get(f"/trust/seals/{seal.pk}/image.png")
    assert image["Content-Type"] == "image/png"
    assert image.content == bytes(seal.image)


def test_revoke_with_a_reason(signed_in, seal):
    response = signed_in.post(f"/trust/seals/{seal.pk}/revoke/", {"reason": ""})
    assert response.status_code == 400
    seal.refresh_from_db()
    assert seal.status == SealStatus.ACTIVE
    response = signed_in.post(f"/trust/seals/{seal.pk}/revoke/", {"reason": "印章遗失"})
    assert response.status_code == 302
    seal.refresh_from_db()
    assert seal.status == SealStatus.REVOKED
    assert seal.revocation_reason == "印章遗失"
    crl = signed_in.get("/trust/crl.json").json()
    assert seal.certificate.serial in str(crl)
    page = signed_in.get("/trust/ca/").content.decode()
    assert seal.certificate.serial in page and "印章遗失" in page
    again = signed_in.post(f"/trust/seals/{seal.pk}/revoke/", {"reason": "再次"})
    assert again.status_code == 400


def test_unit_heads_cannot_reach_the_pages(client, head, seal):
    client.force_login(head)
    assert client.get("/trust/seals/").status_code == 403
    assert client.post(f"/trust/seals/{seal.pk}/revoke/", {"reason": "x"}).status_code == 403
    seal.refresh_from_db()
    assert seal.is_active
