"""A real SMTP server on localhost for tests (aiosmtpd), so mail goes over the wire."""

from __future__ import annotations

import email
import socket
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


class LocalSMTPServer:
    def __init__(self) -> None:
        self.handler = MailboxHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

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
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
