"""The ingestion service: storing parse results, idempotently, atomically (issue 3, item 7)."""

from unittest import mock

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.documents.choices import Disclosure, Outcome
from shuzheng.documents.models import (
    Citation,
    Document,
    IngestionFinding,
    Section,
    SourceFile,
)
from shuzheng.documents.parsing import model as parsed
from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.documents.selectors import search_documents
from shuzheng.documents.services import IngestionError, ingest_file, ingest_paths
from shuzheng.orgs.models import Region, Unit
from shuzheng.tasks import hooks as task_hooks
from shuzheng.tasks.models import KeyTask, Milestone, TaskResponsibility
from tests.documents import parsed_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    region = Region.objects.create(code="640000", name="宁夏回族自治区", level="province")
    made = {}
    for code, name, short in [
        ("nx-gov-office", "宁夏回族自治区人民政府办公厅", "自治区政府办公厅"),
        ("yinchuan-gov", "银川市人民政府", "银川市政府"),
        ("shizuishan-gov", "石嘴山市人民政府", "石嘴山市政府"),
    ]:
        made[code] = Unit.objects.create(
            code=code, name=name, short_name=short, kind="government", region=region
        )
    return made


def ingest(result: parsed.ParseResult, actor=None):
    """Ingest a hand-built result; its text's bytes stand for the file."""
    return ingest_file(
        result.text.encode(), result.source_name, actor=actor, parse=lambda data, name: result
    )


def test_a_notice_and_the_opinion_it_transmits_are_stored(units):
    report = ingest(samples.build_result())

    assert report.status == "stored"
    assert [item.outcome for item in report.documents] == [Outcome.CREATED, Outcome.CREATED]
    notice = Document.objects.get(doc_number=samples.NOTICE_NUMBER)
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    assert opinion.transmitted_by == notice
    assert list(notice.issuers.all()) == [units["nx-gov-office"]]
    assert notice.issuer_names == ["宁夏回族自治区人民政府办公厅"]
    assert notice.addressees == ["各市、县（区）人民政府", "自治区政府各部门"]
    assert opinion.disclosure == Disclosure.PUBLIC  # inherits the notice's 此件公开发布
    assert opinion.text.startswith(samples.OPINION_TITLE)
    source = SourceFile.objects.get()
    assert source.text[opinion.start : opinion.end] == opinion.text
    assert source.sha256 == report.sha256 and source.size == len(source.text.encode())
    assert notice.attachments.get().title == "重点任务分工表"


def test_sections_keep_offsets_relative_to_the_document_and_get_anchors(units):
    ingest(samples.build_result())
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    sections = list(opinion.sections.all())
    assert [s.anchor for s in sections] == ["s-一", "s-二", "s-二-一", "s-二-二"]
    assert sections[0].text.startswith("一、总体要求")
    assert sections[2].text.startswith("（一）建设共享平台。")


def test_tasks_responsibilities_and_milestones_are_stored(units):
    report = ingest(samples.build_result())
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    assert report.tasks == 3
    tasks = list(opinion.tasks.order_by("number"))
    assert [t.number for t in tasks] == [1, 2, 3]
    assert tasks[0].section.path == "二/(一)"
    assert tasks[2].section.path == "二/(二)"
    assert opinion.text[tasks[1].start : tasks[1].end] == "2. 编制政务数据资源目录。"
    owners = TaskResponsibility.objects.filter(task=tasks[0], role="owner")
    assert {r.unit.code for r in owners} == {"yinchuan-gov", "shizuishan-gov"}
    assert {r.group for r in owners} == {"all-cities-and-counties"}
    unresolved = TaskResponsibility.objects.get(task=tasks[0], role="lead")
    assert unresolved.unit is None and unresolved.name == "自治区大数据中心"
    assert Milestone.objects.get(task=tasks[1]).due_on.isoformat() == "2023-12-31"
    assert Milestone.objects.get(task=tasks[2]).kind == "ongoing"
    assert not any(t.is_public for t in tasks)


def test_findings_are_stored_and_returned_with_their_document(units):
    report = ingest(samples.build_result())
    finding = IngestionFinding.objects.get()
    assert finding.code == "unit-unresolved"
    assert finding.document.title == samples.OPINION_TITLE
    assert [f.code for f in report.findings] == ["unit-unresolved"]
    assert report.findings_by_severity()["warning"] == 1


def test_the_same_bytes_twice_change_nothing(units):
    first = ingest(samples.build_result())
    counts = _counts()
    events = AuditEvent.objects.count()

    again = ingest(samples.build_result())

    assert again.status == "unchanged"
    assert {item.outcome for item in again.documents} == {Outcome.UNCHANGED}
    assert [item.id for item in again.documents] == [item.id for item in first.documents]
    assert again.tasks == 0 and again.documents[1].tasks == 3
    assert _counts() == counts
    assert AuditEvent.objects.count() == events


def test_the_same_documents_in_other_bytes_are_unchanged(units):
    ingest(samples.build_result())
    other_bytes = samples.build_result(name="copy.txt")
    other_bytes.text += "\n（本期完）\n"  # outside every document's span

    report = ingest(other_bytes)

    assert report.status == "unchanged"
    assert {item.outcome for item in report.documents} == {Outcome.UNCHANGED}
    assert Document.objects.count() == 2
    assert SourceFile.objects.count() == 2  # the new bytes' provenance is still recorded


def test_changed_text_becomes_a_new_version_and_the_old_one_is_kept(units):
    ingest(samples.build_result())
    old = Document.objects.get(title=samples.OPINION_TITLE)

    report = ingest(samples.build_result(opinion_extra="本意见自印发之日起施行。\n"))

    outcomes = {item.title: item.outcome for item in report.documents}
    assert outcomes == {
        samples.NOTICE_TITLE: Outcome.UNCHANGED,
        samples.OPINION_TITLE: "new_version",
    }
    versions = list(Document.objects.filter(title=samples.OPINION_TITLE).order_by("version"))
    assert [(d.version, d.is_current) for d in versions] == [(1, False), (2, True)]
    assert versions[1].previous_version == old
    assert versions[1].text.endswith("本意见自印发之日起施行。\n")
    assert versions[1].tasks.count() == 3 and old.tasks.count() == 3
    assert versions[1].transmitted_by.doc_number == samples.NOTICE_NUMBER
    event = AuditEvent.objects.get(action="documents.new_version")
    assert event.before["version"] == 1 and event.after["version"] == 2


def test_one_audit_event_per_created_document(units):
    ingest(samples.build_result())
    assert AuditEvent.objects.filter(action="documents.ingest").count() == 2
    assert AuditEvent.objects.filter(action="tasks.record_document_tasks").count() == 1


def test_a_failure_midway_leaves_nothing_behind(units):
    with (
        mock.patch.object(
            task_hooks, "write_document_tasks", side_effect=RuntimeError("database went away")
        ),
        pytest.raises(RuntimeError),
    ):
        ingest(samples.build_result())
    assert _counts() == (0, 0, 0, 0, 0, 0)
    assert AuditEvent.objects.count() == 0


def test_a_parser_error_stores_nothing_and_says_why():
    def refuse(data, name):
        raise ExtractionError("scanned-pdf", "The PDF has no text layer (a scanned image).")

    with pytest.raises(IngestionError, match="no text layer"):
        ingest_file(b"%PDF-1.7 ...", "scan.pdf", actor=None, parse=refuse)
    assert SourceFile.objects.count() == 0


def test_error_findings_reject_the_file_and_are_returned(units):
    result = samples.build_result(
        findings=[parsed.Finding(parsed.Severity.ERROR, "no-document", {"text": "未找到公文"})]
    )
    with pytest.raises(IngestionError) as caught:
        ingest(result)
    assert caught.value.message == "未找到公文"
    assert {f.code for f in caught.value.findings} == {"no-document", "unit-unresolved"}
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_an_empty_file_is_refused():
    with pytest.raises(IngestionError, match="empty"):
        ingest_file(b"", "empty.txt", actor=None, parse=lambda data, name: None)


def test_citations_resolve_when_the_cited_document_arrives_later(units):
    ingest(samples.build_result())
    citation = Citation.objects.get()
    assert citation.target is None

    ingest(samples.cited_result())

    citation.refresh_from_db()
    assert citation.target.doc_number == samples.CITED_NUMBER
    assert citation.document.text[citation.start : citation.end] == citation.raw


def test_citations_resolve_against_documents_already_in_the_library(units):
    ingest(samples.cited_result())
    ingest(samples.build_result())
    assert Citation.objects.get().target.doc_number == samples.CITED_NUMBER


def test_a_citation_follows_the_cited_document_to_its_new_version(units):
    ingest(samples.build_result())
    cited = samples.cited_result()
    ingest(cited)
    changed = samples.cited_result(name="cited-v2.txt")
    changed.text += "特此通知。\n"
    changed.documents[0].end = len(changed.text)
    ingest(changed)
    target = Citation.objects.get().target
    assert target.version == 2 and target.is_current


def test_ingest_paths_reports_each_file_and_goes_on_after_a_failure(tmp_path, units):
    good = tmp_path / "a.txt"
    good.write_text(samples.build_result().text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "ignored.bin").write_bytes(b"x")
    seen = []

    batch = ingest_paths(
        [tmp_path],
        None,
        progress=lambda path, report: seen.append(path.name),
        parse=lambda data, name: samples.build_result(name=name),
    )

    assert seen == ["a.txt", "b.txt"]
    assert [r.status for r in batch.reports] == ["stored", "failed"]
    assert batch.failed[0].error == "The file is empty."
    assert batch.count(Outcome.CREATED) == 2 and batch.tasks == 3


def test_search_normalises_the_brackets_of_a_typed_number(units):
    ingest(samples.build_result())
    for typed in [
        "宁政办发[2023]5号",
        "宁政办发［2023］5号",
        "宁政办发〔2023〕5号",
        "政务数据共享",
    ]:
        found = search_documents(None, q=typed)
        assert samples.NOTICE_NUMBER in {d.doc_number for d in found}, typed


def _counts():
    return (
        SourceFile.objects.count(),
        Document.objects.count(),
        Section.objects.count(),
        Citation.objects.count(),
        KeyTask.objects.count(),
        IngestionFinding.objects.count(),
    )


def test_bytes_committed_concurrently_by_another_upload_report_unchanged(units):
    result = samples.build_result()
    first = ingest(result)

    real_filter = SourceFile.objects.filter

    def missing_once(*args, **kwargs):
        """The other upload had not committed yet when this one looked for the hash."""
        SourceFile.objects.filter = real_filter
        return SourceFile.objects.none()

    with mock.patch.object(SourceFile.objects, "filter", side_effect=missing_once):
        again = ingest(result)

    assert again.status == "unchanged"
    assert [item.id for item in again.documents] == [item.id for item in first.documents]
    assert SourceFile.objects.count() == 1
