"""The sample gazette end to end through the real parser (issue 3, items 7 and 9)."""

from pathlib import Path

import pytest
from django.conf import settings

from shuzheng.documents.choices import Outcome
from shuzheng.documents.models import Citation, Document, IngestionFinding, SourceFile
from shuzheng.documents.samples import ingest_sample_gazette
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.models import KeyTask, TaskResponsibility

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"


@pytest.fixture
def report():
    load_sample_registry()
    return ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


def test_three_documents_with_the_opinion_linked_to_its_notice(report):
    assert [item.outcome for item in report.documents] == [Outcome.CREATED] * 3
    opinion = Document.objects.get(doc_number="宁政发〔2023〕17号")
    notice = Document.objects.get(doc_number="宁党办〔2023〕32号")
    transmitted = Document.objects.get(transmitted_by=notice)
    assert transmitted.title == "关于深化生态保护补偿制度改革的实施意见"
    assert opinion.gazette.issue_no == "2023年第10期" and opinion.gazette.serial_no == 715
    assert {d.disclosure for d in Document.objects.all()} == {"public"}
    source = SourceFile.objects.get()
    for document in Document.objects.all():
        assert source.text[document.start : document.end] == document.text


def test_every_task_of_the_table_and_every_inline_measure_is_stored(report):
    opinion = Document.objects.get(doc_number="宁政发〔2023〕17号")
    transmitted = Document.objects.get(title="关于深化生态保护补偿制度改革的实施意见")
    table = KeyTask.objects.filter(document=opinion, form="table")
    assert table.count() == 124
    assert table.values("category").distinct().count() == 16
    # All 20 measures; （十八）–（二十） name no unit
    # (tests/documents/test_parse_sample.py::test_inline_measures).
    assert KeyTask.objects.filter(document=transmitted, form="inline").count() == 20
    assert report.tasks == 124 + 20


def test_task_37_is_owned_by_the_city_governments_and_all_regional_departments(report):
    task = KeyTask.objects.get(document__doc_number="宁政发〔2023〕17号", number=37)
    rows = TaskResponsibility.objects.filter(task=task)
    assert {row.role for row in rows} == {"owner"}
    cities = rows.filter(name="各地级市")
    assert cities.count() == 5 and all(row.unit and row.group for row in cities)
    assert task.deadline_text == "2024年"
    assert task.milestones.get().year == 2024
    assert task.document.text[task.start : task.end].startswith(
        "\t37. 按需建设政务数据实时交换系统"
    )


def test_the_citation_of_the_state_council_opinion_is_kept(report):
    cited = Citation.objects.filter(doc_number="国发〔2022〕14号")
    assert cited.exists() and cited.first().target is None


def test_findings_are_all_stored(report):
    assert IngestionFinding.objects.count() == len(report.findings)


def test_loading_the_sample_twice_is_idempotent():
    load_sample_registry()
    assert ingest_sample_gazette().startswith("stored: 3 documents created")
    assert ingest_sample_gazette().startswith("unchanged: 0 documents created")
    assert Document.objects.count() == 3
