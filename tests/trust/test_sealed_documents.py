"""Sealed documents (issue 10, point 3): the ledger's 督办单 and 情况通报, the assessment report
and the ecocomp allocation and settlement statements, sealed by a unit (``trust.documents``).

Each sealed PDF carries the seal's picture and a signature over its bytes that verifies with
``trust.services`` once detached (``trust.sealed_pdf``); a byte changed fails; sealing needs
``use_seal`` for the unit (403 without it); every seal's use is audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext

from shuzheng.audit.models import AuditEvent
from shuzheng.pdf import PdfDocument
from shuzheng.trust import documents, sealed_pdf, services
from shuzheng.trust.choices import SealKind
from shuzheng.trust.validation import Check, Status, Verdict
from tests.permissions import make_world

pytestmark = pytest.mark.django_db


def _render(seal_png: bytes) -> bytes:
    document = PdfDocument(title="通知", footer="测试")
    document.title_block("关于开展检查的通知").paragraph("各有关单位：请按时报送。")
    document.closing(["宁夏回族自治区财政厅", "2026-12-03"], seal_png=seal_png)
    return document.render()


def _report(data: bytes):
    signed, envelope = sealed_pdf.detach_signature(data)
    return services.verify(signed, envelope)


def _altered(data: bytes) -> bytes:
    """One byte changed inside the signed part (in the page's content, not the header)."""
    signed, _envelope = sealed_pdf.detach_signature(data)
    at = len(signed) // 2
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_a_sealed_pdf_verifies_and_one_changed_byte_fails(units, seal, head):
    data = documents.seal_pdf(
        units["finance"], _render, by=head, subject_kind="notice", subject_ref="财通〔2026〕1号"
    )
    assert data.startswith(b"%PDF-") and b"/Subtype /Image" in data  # the visible seal
    report = _report(data)
    assert report.verdict == Verdict.TOTAL_PASSED
    assert report.attributes.unit_name == "宁夏回族自治区财政厅"
    assert report.attributes.subject_ref == "财通〔2026〕1号"
    changed = _report(_altered(data))
    assert changed.verdict == Verdict.TOTAL_FAILED
    assert changed.result(Check.DOCUMENT).status == Status.FAILED
    assert changed.result(Check.DOCUMENT).reason == "digest_mismatch"
    event = AuditEvent.objects.get(action="trust.sign")
    assert event.actor == head
    assert event.after["subject_kind"] == "notice"


def test_sealing_needs_the_units_sealing_right(units, seal, staff, water_head):
    for user in (staff, water_head):
        with pytest.raises(PermissionDenied):
            documents.seal_pdf(
                units["finance"], _render, by=user, subject_kind="notice", subject_ref="x"
            )
    assert not AuditEvent.objects.filter(action="trust.sign").exists()


def test_a_unit_without_a_seal_in_use_is_told_so(units, admin_user, seal):
    services.revoke_seal(seal, "遗失", by=admin_user)
    with pytest.raises(services.TrustError, match="no seal"):
        documents.seal_pdf(
            units["finance"], _render, by=admin_user, subject_kind="notice", subject_ref="x"
        )


def test_the_official_seal_comes_before_business_seals(units, admin_user, head, staff):
    business = services.create_seal(
        units["finance"], SealKind.BUSINESS, "宁夏回族自治区财政厅业务专用章", by=admin_user
    )
    assert documents.unit_seal(units["finance"]) == business
    official = services.create_seal(
        units["finance"], SealKind.OFFICIAL, "宁夏回族自治区财政厅", by=admin_user
    )
    assert documents.unit_seal(units["finance"]) == official
    assert documents.sealing_units(head) == [units["finance"]]
    assert documents.sealing_units(staff) == []
    assert documents.sealing_units(admin_user, [units["water"]]) == []


# -- the pages' "盖章下载" ----------------------------------------------------------------------


@pytest.fixture
def world(db):
    world = make_world()
    services.create_seal(world.unit, SealKind.OFFICIAL, "矩阵单位", by=None)
    return world


def _post(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


def _check_sealed(response, subject_kind):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert "sealed.pdf" in response["Content-Disposition"]
    data = response.content
    assert _report(data).verdict == Verdict.TOTAL_PASSED
    assert _report(data).attributes.subject_kind == subject_kind
    assert _report(_altered(data)).verdict == Verdict.TOTAL_FAILED
    assert AuditEvent.objects.filter(action="trust.sign").count() == 1


def test_the_supervision_slip_and_the_circular_are_sealed(client, world):
    from tests.tasks.test_permissions import make_tasks

    tasks = make_tasks(world)
    admin, supervisor = world.users["administrator"], world.users["supervisor"]
    slip = reverse("tasks:slip_sealed", args=[tasks["own"].pk])
    _check_sealed(_post(client, admin, slip, {"unit": world.unit.pk}), "tasks.slip")
    # A supervisor issues slips but holds no unit's sealing right.
    assert _post(client, supervisor, slip, {"unit": world.unit.pk}).status_code == 403
    AuditEvent.objects.filter(action="trust.sign").delete()
    circular = reverse("tasks:circular_sealed")
    period = {"start": "2024-01-01", "end": "2024-12-31", "unit": world.unit.pk}
    _check_sealed(_post(client, admin, circular, period), "tasks.circular")
    assert _post(client, supervisor, circular, period).status_code == 403


def test_the_assessment_report_is_sealed(client, world):
    from tests.dashboard.test_permissions import assessed_units

    assessed_units(world)
    path = reverse("dashboard:export_sealed_pdf", args=[2023])
    admin = world.users["administrator"]
    _check_sealed(_post(client, admin, path, {"unit": world.unit.pk}), "dashboard.assessment")
    supervisor = world.users["supervisor"]
    assert _post(client, supervisor, path, {"unit": world.unit.pk}).status_code == 403


def test_the_allocation_and_settlement_statements_are_sealed_by_their_unit(client, world):
    from tests.ecocomp.test_permissions import make_objects

    objects = make_objects(world)
    head, staff = world.users["unit_head"], world.users["unit_staff"]
    run = reverse("ecocomp:run_sealed_pdf", args=[objects["draft"].pk])
    _check_sealed(_post(client, head, run, {"unit": world.unit.pk}), "ecocomp.allocation")
    assert _post(client, staff, run, {"unit": world.unit.pk}).status_code == 403
    AuditEvent.objects.filter(action="trust.sign").delete()
    settlement = reverse("ecocomp:settlement_sealed_pdf", args=[objects["settlement"].pk])
    _check_sealed(_post(client, head, settlement, {"unit": world.unit.pk}), "ecocomp.settlement")
    assert _post(client, staff, settlement, {"unit": world.unit.pk}).status_code == 403


def test_a_document_of_one_unit_is_not_sealed_by_another(client, world):
    from tests.ecocomp.test_permissions import make_objects

    objects = make_objects(world)
    services.create_seal(world.other_unit, SealKind.OFFICIAL, "矩阵其他单位", by=None)
    admin = world.users["administrator"]
    run = reverse("ecocomp:run_sealed_pdf", args=[objects["draft"].pk])
    client.force_login(admin)
    response = client.post(run, {"unit": world.other_unit.pk}, follow=True)
    assert response.redirect_chain == [(reverse("ecocomp:run", args=[objects["draft"].pk]), 302)]
    told = [str(message) for message in response.context["messages"]]
    assert told == [gettext("Choose a unit whose seal you may use for this document.")]
    assert not AuditEvent.objects.filter(action="trust.sign").exists()


def test_the_pages_offer_sealing_only_to_holders_of_the_right(client, world):
    from tests.ecocomp.test_permissions import make_objects

    objects = make_objects(world)
    path = reverse("ecocomp:run", args=[objects["draft"].pk])
    action = reverse("ecocomp:run_sealed_pdf", args=[objects["draft"].pk])
    client.force_login(world.users["unit_head"])
    assert action in client.get(path).content.decode()
    client.force_login(world.users["unit_staff"])
    assert action not in client.get(path).content.decode()
