"""Fixtures shared by the whole suite."""

import pytest

from tests.permissions import matrix_world  # noqa: F401 - one user per role, for every app
from tests.smtp import LocalSMTPServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; the platform's mailer is pointed at it."""
    with LocalSMTPServer() as server:
        settings.MAILERS = server.mailer_settings()
        yield server
