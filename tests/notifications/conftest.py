"""Fixtures of the notification tests: a recipient, and a real HTTP server for webhooks."""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from shuzheng.accounts.models import User
from shuzheng.notifications import wording
from tests.smtp import refused_port


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that records POSTs and answers with ``statuses`` in turn
    (the last one repeating)."""

    server: http.server.ThreadingHTTPServer
    received: list[ReceivedRequest] = field(default_factory=list)
    statuses: list[int] = field(default_factory=lambda: [200])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def next_status(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


@pytest.fixture
def webhook_receiver():
    receiver: WebhookReceiver

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver.received.append(
                ReceivedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status = receiver.next_status()
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = WebhookReceiver(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with refused_port() as port:
        yield f"http://127.0.0.1:{port}/hook"


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    """The test receivers listen on 127.0.0.1, which the destination policy refuses unless an
    administrator allow-lists it: the tests do, as a deployment would for an internal host."""
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["127.0.0.1"]


@pytest.fixture(autouse=True)
def deliver_only_when_asked(settings):
    """Tests call deliver_due themselves, so what is sent when is deterministic."""
    settings.NOTIFICATIONS_DELIVER_INLINE = False


@pytest.fixture
def recipient(db):
    return User.objects.create(
        username="reader", email="reader@example.gov.cn", role="unit_staff", first_name="读者"
    )


def as_given(params) -> wording.Wording:
    return wording.Wording(params["title"], params.get("body", ""), params.get("reason", ""))


@pytest.fixture(autouse=True)
def worded_as_given(monkeypatch):
    """The channels are tested with notifications worded as each test gives them: the kinds
    they use read their title, body and reason from the parameters (the apps' own wordings
    are tested with the apps)."""
    for kind in ("policy_match", "task_assigned", "task_reminder"):
        monkeypatch.setitem(wording._kinds, kind, as_given)
