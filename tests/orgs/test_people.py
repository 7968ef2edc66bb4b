"""People and units managed in the product (issue 14, point 5): unit heads staff their own
unit, roles never above one's own, generated passwords changed at the first sign-in,
deactivation refuses the sign-in, units picked by name, every change audited."""

import pytest

from shuzheng.accounts import services
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import may_manage_account, roles_assignable_by
from shuzheng.audit.models import AuditEvent
from shuzheng.orgs.forms import UnitField
from shuzheng.orgs.services import UnitNotFound, unit_named, unit_suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(matrix_world):
    return matrix_world.users["unit_head"]


def test_a_unit_head_gives_staff_and_head_roles_only():
    assert roles_assignable_by(Role.UNIT_HEAD) == (Role.UNIT_STAFF, Role.UNIT_HEAD)
    assert Role.SUPERVISOR in roles_assignable_by(Role.ADMINISTRATOR)
    assert roles_assignable_by(Role.UNIT_STAFF) == ()
    assert roles_assignable_by(Role.SUPERVISOR) == ()


def test_a_unit_head_manages_their_own_unit_only():
    assert may_manage_account(Role.UNIT_HEAD, 1, Role.UNIT_STAFF, 1)
    assert not may_manage_account(Role.UNIT_HEAD, 1, Role.UNIT_STAFF, 2)
    assert not may_manage_account(Role.UNIT_HEAD, 1, Role.ADMINISTRATOR, 1)
    assert not may_manage_account(Role.UNIT_STAFF, 1, Role.UNIT_STAFF, 1)
    assert may_manage_account(Role.ADMINISTRATOR, None, Role.SUPERVISOR, None)


def test_creating_staff_generates_a_password_to_change_and_audits(head, matrix_world):
    user, password = services.create_account(
        head, username="cz_li", full_name="李明", role=Role.UNIT_STAFF, unit=matrix_world.unit
    )
    assert user.unit == matrix_world.unit and user.must_change_password
    assert user.check_password(password) and len(password) >= 16
    event = AuditEvent.objects.get(action="accounts.create_user", object_id=str(user.pk))
    assert event.actor == head and password not in str(event.after)


def test_a_unit_head_cannot_give_a_higher_role_or_another_unit(head, matrix_world):
    with pytest.raises(services.AccountError):
        services.create_account(head, username="x1", role=Role.SUPERVISOR)
    with pytest.raises(services.AccountError):
        services.create_account(
            head, username="x2", role=Role.UNIT_STAFF, unit=matrix_world.other_unit
        )
    staff = matrix_world.users["unit_staff"]
    with pytest.raises(services.AccountError):
        services.give_role(head, staff, Role.ADMINISTRATOR)
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()
    staff.refresh_from_db()
    assert staff.role == Role.UNIT_STAFF


def test_nobody_manages_their_own_account_here(head):
    with pytest.raises(services.AccountError):
        services.set_account_active(head, head, False)


def test_a_taken_username_is_refused(head, matrix_world):
    with pytest.raises(services.AccountError, match="taken"):
        services.create_account(
            head, username="MATRIX_unit_staff", role=Role.UNIT_STAFF, unit=matrix_world.unit
        )


def test_deactivation_refuses_the_sign_in_and_is_audited(client, head, matrix_world):
    user, password = services.create_account(
        head, username="cz_wang", role=Role.UNIT_STAFF, unit=matrix_world.unit
    )
    assert client.login(username="cz_wang", password=password)
    services.set_account_active(head, user, False)
    client.logout()
    assert not client.login(username="cz_wang", password=password)
    assert AuditEvent.objects.filter(action="accounts.deactivate_user").count() == 1
    services.set_account_active(head, user, True)
    assert client.login(username="cz_wang", password=password)


def test_reset_password_is_shown_once_and_must_be_changed(client, head, matrix_world):
    staff = matrix_world.users["unit_staff"]
    client.force_login(head)
    response = client.post(f"/orgs/people/{staff.pk}/password/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    staff.refresh_from_db()
    assert staff.check_password(password) and staff.must_change_password
    event = AuditEvent.objects.get(action="accounts.reset_password")
    assert event.before is None and event.after is None


def test_another_units_staff_are_not_found_for_a_unit_head(client, head, matrix_world):
    other = User.objects.create_user(
        "other_staff", role=Role.UNIT_STAFF, unit=matrix_world.other_unit
    )
    client.force_login(head)
    assert client.get(f"/orgs/people/{other.pk}/").status_code == 404
    assert client.post(f"/orgs/people/{other.pk}/active/", {"active": "0"}).status_code == 404
    other.refresh_from_db()
    assert other.is_active
    listed = client.get("/orgs/people/").context["table"].rows
    assert other not in listed and matrix_world.users["unit_staff"] in listed


def test_the_people_page_is_in_chinese(client, head):
    client.force_login(head)
    html = client.get("/orgs/people/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新建账号" in html and "用户名" in html
    assert "Username" not in html and "New account" not in html


def test_an_administrator_picks_the_unit_by_name(client, matrix_world):
    client.force_login(matrix_world.users["administrator"])
    response = client.post(
        "/orgs/people/new/", {"username": "mx_zhao", "role": "unit_staff", "unit": "Matrix Unit"}
    )
    assert response.status_code == 200
    assert User.objects.get(username="mx_zhao").unit == matrix_world.unit


def test_a_unit_name_matching_several_units_is_refused_with_their_names(client, matrix_world):
    client.force_login(matrix_world.users["administrator"])
    response = client.post(
        "/orgs/people/new/", {"username": "mx_qian", "role": "unit_staff", "unit": "Matrix"}
    )
    assert response.status_code == 400
    error = " ".join(response.context["form"].errors["unit"])
    assert "Matrix Unit" in error and "Matrix Other Unit" in error
    assert not User.objects.filter(username="mx_qian").exists()


def test_unit_names_resolve_through_the_resolver(matrix_world):
    assert unit_named("Matrix Other Unit") == matrix_world.other_unit
    assert unit_named("Other") == matrix_world.other_unit
    with pytest.raises(UnitNotFound) as error:
        unit_named("Nowhere")
    assert error.value.candidates == []
    assert unit_suggestions("Matrix") == ["Matrix Unit", "Matrix Other Unit"]
    field = UnitField()
    assert field.clean("Matrix Unit") == matrix_world.unit


def test_the_suggestions_answer_datalist_options(client, matrix_world):
    html = client.get("/orgs/suggest/units/", {"unit": "Other"}).content.decode()
    assert '<option value="Matrix Other Unit">' in html


def test_the_supervisors_page_says_who_supervises_what(client, matrix_world):
    from shuzheng.audit.services import record_change

    supervisor = matrix_world.users["supervisor"]
    record_change(
        actor=supervisor,
        action="tasks.assign",
        object_type="tasks.keytask",
        object_repr="重点任务 7",
    )
    client.force_login(supervisor)
    html = client.get("/orgs/supervisors/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "matrix_supervisor" in html and "交办任务" in html and "重点任务 7" in html
