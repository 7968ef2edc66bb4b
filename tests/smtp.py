"""A real SMTP server on localhost for tests (aiosmtpd), so mail goes over the wire."""

from __future__ import annotations

import contextlib
import email
import errno
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))

    @property
    def body(self) -> str:
        part = next(p for p in self.message.walk() if p.get_content_type() == "text/plain")
        return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


@dataclass
class MailboxHandler:
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            ReceivedMail(
                sender=envelope.mail_from,
                recipients=list(envelope.rcpt_tos),
                message=email.message_from_bytes(envelope.original_content or envelope.content),
            )
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for as long as the block runs.

    The socket stays bound without listening, so no other test worker can take the port.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


# Parallel test workers pick free ports at the same moment; a port taken between the pick and
# the bind is retried on another one.
START_ATTEMPTS = 5


class LocalSMTPServer:
    def __init__(self) -> None:
        self.handler = MailboxHandler()
        self.port = 0
        self.controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedMail]:
        return self.handler.received

    def mailer_settings(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }

    def __enter__(self) -> LocalSMTPServer:
        self.controller = self._start_on_a_free_port()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def _start_on_a_free_port(self) -> Controller:
        attempts_left = START_ATTEMPTS
        while True:
            self.port = free_port()
            controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
                return controller
            except OSError as error:
                attempts_left -= 1
                if error.errno != errno.EADDRINUSE or not attempts_left:
                    raise
