"""How a notification reads: its kind and parameters, worded in the reader's language.

A notification stores no sentence (issue 8: text is translated at display). ``notify`` keeps
the event's ``kind`` and its ``params`` (names, dates, counts, codes — data, never prose);
the app that sends a kind registers, from its ``AppConfig.ready()``, the function that words
it (:func:`register_notification_kind`), and that function runs in the active language each
time the notification is shown: on the inbox page and in the API in the reader's language,
in an e-mail in the recipient's, in a webhook in the site's (docs/notifications.md).

Notifications stored before this (migration 0003) keep the text they were written with,
under ``params["stored"]``, and read as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    title: str
    body: str = ""
    #: Why the person gets it (shown in the inbox and the e-mail).
    reason: str = ""


WordNotification = Callable[[Mapping], Wording]

_kinds: dict[str, WordNotification] = {}


def register_notification_kind(kind: str, word: WordNotification) -> None:
    """Word notifications of ``kind`` with ``word(params)``; registering again replaces it."""
    _kinds[kind] = word


def is_registered(kind: str) -> bool:
    return kind in _kinds


def word(kind: str, params: Mapping) -> Wording:
    """The notification in the active language."""
    stored = params.get("stored")
    if stored is not None:
        return Wording(stored.get("title", ""), stored.get("body", ""), stored.get("reason", ""))
    return _kinds[kind](params)
