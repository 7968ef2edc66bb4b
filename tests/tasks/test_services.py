"""Recording a document's key tasks (issue 3, item 9)."""

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document, Section, SourceFile
from shuzheng.documents.parsing import model as parsed
from shuzheng.orgs.models import Region, Unit
from shuzheng.tasks.models import KeyTask, TaskResponsibility
from shuzheng.tasks.services.recording import record_document_tasks

pytestmark = pytest.mark.django_db

TEXT = "前言\n一、任务\n1. 甲。\n2. 乙。\n"


@pytest.fixture
def document():
    source = SourceFile.objects.create(
        name="t.txt", sha256="b" * 64, size=1, source_format="txt", text="封面\n" + TEXT
    )
    document = Document.objects.create(
        source=source,
        title="测试",
        identity="title:测试|",
        content_sha256="0" * 64,
        text=TEXT,
        start=3,  # the document starts after "封面\n" in its source
        end=3 + len(TEXT),
    )
    Section.objects.create(
        document=document,
        path="一",
        heading="任务",
        level=1,
        start=3,
        end=len(TEXT),
        anchor="s-一",
        position=0,
    )
    return document


def task(number, fragment, **units):
    start = 3 + TEXT.index(fragment)
    return parsed.KeyTask(
        number=number,
        category="一、任务",
        content=fragment,
        raw_responsibility="",
        start=start,
        end=start + len(fragment),
        **units,
    )


def test_offsets_become_relative_to_the_document_and_tasks_find_their_section(document):
    record_document_tasks(document, [task(1, "1. 甲。"), task(2, "2. 乙。")], None)
    first, second = KeyTask.objects.order_by("number")
    assert document.text[first.start : first.end] == "1. 甲。"
    assert first.section.anchor == second.section.anchor == "s-一"
    assert AuditEvent.objects.filter(action="tasks.record_document_tasks").count() == 1


def test_each_resolved_unit_is_one_row_and_unknown_names_are_kept(document):
    region = Region.objects.create(code="640000", name="宁夏", level="province")
    Unit.objects.create(code="nx-finance", name="自治区财政厅", kind="department", region=region)
    lead = parsed.UnitRef("自治区财政厅", ["nx-finance"], resolved=True)
    ghost = parsed.UnitRef("自治区不存在局", ["not-in-registry"])
    record_document_tasks(
        document, [task(1, "1. 甲。", lead_units=[lead], supporting_units=[ghost])], None
    )
    rows = {
        (r.role, r.unit.code if r.unit else None, r.name) for r in TaskResponsibility.objects.all()
    }
    assert rows == {("lead", "nx-finance", "自治区财政厅"), ("supporting", None, "自治区不存在局")}


def test_no_tasks_write_nothing(document):
    assert record_document_tasks(document, [], None) == []
    assert AuditEvent.objects.count() == 0
