"""``shuzheng deliver --once``: one pass of the worker, state in the database only."""

import pytest
from django.core.management import CommandError, call_command

from shuzheng.notifications import services

pytestmark = pytest.mark.django_db


def test_deliver_once_sends_and_a_restart_sends_nothing_again(recipient, smtp_server, capsys):
    services.notify(
        recipient, kind="task_assigned", params={"title": "新任务交办"}, dedupe_key="task:1"
    )
    call_command("deliver", "--once")
    assert "sent 1" in capsys.readouterr().out
    call_command("deliver", "--once")  # a restarted worker: only the database carries over
    assert "claimed 0" in capsys.readouterr().out
    assert [m.subject for m in smtp_server.received] == ["新任务交办"]


def test_deliver_refuses_a_bad_interval():
    with pytest.raises(CommandError):
        call_command("deliver", "--interval", "0")
