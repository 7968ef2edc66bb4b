"""``loadsample`` keeps creating the demo administrator with a password printed once."""

import io
import re

import pytest

from shuzheng.accounts.models import User
from shuzheng.management.commands.loadsample import DEMO_ADMIN, Command

pytestmark = pytest.mark.django_db


def test_demo_administrator_is_an_administrator_with_admin_access():
    out = io.StringIO()
    Command(stdout=out).create_demo_administrator()
    password = re.search(r"with password: (\S+)", out.getvalue())[1]
    admin = User.objects.get(username=DEMO_ADMIN)
    assert admin.check_password(password)
    assert (admin.role, admin.is_staff, admin.is_superuser) == ("administrator", True, True)
    again = io.StringIO()
    Command(stdout=again).create_demo_administrator()
    assert "exists already" in again.getvalue()
    assert password not in again.getvalue()
