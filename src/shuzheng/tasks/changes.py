"""Telling read models of other apps that the ledger changed, without importing them.

The dashboard keeps a per-day snapshot of the ledger's numbers; it must learn when a task,
its milestones, assignments or reports change. ``tasks`` sits below ``dashboard`` in the
layers, so the dashboard registers a callback here from its ``AppConfig.ready()`` and the
services announce every change explicitly: ``services.lights.refresh_lights`` — which
every write of a task calls inside its transaction, and the scheduled refresh calls for
the passage of time — calls :func:`ledger_changed`. Model signals are not used: bulk
``update()`` and ``bulk_create()`` send none.
"""

from collections.abc import Callable

from django.db import transaction

_listeners: list[Callable[[], None]] = []


def on_ledger_change(callback: Callable[[], None]) -> None:
    """Run ``callback`` after every transaction that changed the ledger (once per change)."""
    if callback not in _listeners:
        _listeners.append(callback)


def ledger_changed() -> None:
    """The ledger changed in the current transaction: tell the listeners once it commits."""
    for callback in _listeners:
        transaction.on_commit(callback)
