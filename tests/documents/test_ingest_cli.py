"""``shuzheng ingest``: summary, per-file errors and the exit status (issue 3, item 7)."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from shuzheng.documents import services
from shuzheng.documents.models import Document
from tests.documents import parsed_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_built_parser():
    """The parser stand-in: every file parses into the hand-built notice and opinion."""
    with mock.patch.object(
        services, "_default_parse", side_effect=lambda data, name: samples.build_result(name=name)
    ):
        yield


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_summary_counts_documents_tasks_and_findings(tmp_path, hand_built_parser):
    path = tmp_path / "notice.txt"
    path.write_text(samples.build_result().text, encoding="utf-8")

    out, _err, error = run(str(path))

    assert error is None
    assert "Files: 1 (0 failed)" in out
    assert "Documents: 2 created, 0 new versions, 0 unchanged" in out
    assert "Key tasks stored: 3" in out
    assert "Findings: 0 errors, 1 warning, 0 notes" in out
    assert Document.objects.count() == 2


def test_running_twice_reports_unchanged(tmp_path, hand_built_parser):
    path = tmp_path / "notice.txt"
    path.write_text(samples.build_result().text, encoding="utf-8")
    run(str(path))

    out, _err, error = run(str(path), "--no-progress")

    assert error is None
    assert "Documents: 0 created, 0 new versions, 2 unchanged" in out
    assert "Key tasks stored: 0" in out


def test_a_bad_file_is_reported_the_others_proceed_and_the_exit_status_fails(
    tmp_path, hand_built_parser
):
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-notice.txt").write_text(samples.build_result().text, encoding="utf-8")

    out, err, error = run(str(tmp_path))

    assert error is not None and error.returncode == 1
    assert "1 of 2 files failed" in str(error)
    assert "a-empty.txt: failed: The file is empty." in err
    assert "Failed: a-empty.txt: The file is empty." in out
    assert "Documents: 2 created" in out
    assert Document.objects.count() == 2


def test_a_missing_path_is_a_failed_file(tmp_path, hand_built_parser):
    _out, _err, error = run(str(tmp_path / "missing.txt"))
    assert error is not None and "1 of 1 file failed" in str(error)


def test_an_unknown_user_is_refused(tmp_path):
    _out, _err, error = run(str(tmp_path), "--user", "nobody")
    assert error is not None and "No user named 'nobody'" in str(error)


def test_the_summary_speaks_chinese_by_default_outside_the_tests(tmp_path, hand_built_parser):
    path = tmp_path / "notice.txt"
    path.write_text(samples.build_result().text, encoding="utf-8")

    out, _err, error = run(str(path), "--no-progress", "--language", "zh-hans")

    assert error is None
    assert "文件：1 个（失败 0 个）" in out
    assert "发现的问题：0 个错误、1 个警告、0 条提示" in out
    assert "Findings" not in out and "error" not in out
