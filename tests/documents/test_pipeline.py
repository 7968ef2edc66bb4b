"""The ingest pipeline (issue 8, item 1): steps registered by other apps run in order inside
ingestion's one transaction, and documents imports none of the apps that extend it."""

import grimp
import pytest
from django.db import connection

from shuzheng.audit.models import AuditEvent
from shuzheng.documents import pipeline
from shuzheng.documents.models import Document, Section, SourceFile
from shuzheng.documents.parsing import model as parsed
from shuzheng.documents.services import ingest_file
from shuzheng.search.models import SearchEntry
from shuzheng.tasks.models import KeyTask
from tests.documents import parsed_samples as samples


def ingest(result: parsed.ParseResult, actor=None):
    return ingest_file(
        result.text.encode(), result.source_name, actor=actor, parse=lambda data, name: result
    )


@pytest.fixture
def register(monkeypatch):
    """Register a step for one test only: the registry is restored afterwards."""

    def add(name, run, order):
        monkeypatch.setitem(pipeline._steps, name, pipeline.IngestStep(name, run, order))

    return add


def test_the_apps_steps_run_in_the_order_of_the_flow():
    names = [step.name for step in pipeline.ingest_steps()]
    assert names == ["tasks.record", "documents.index", "subscriptions.match"]


@pytest.mark.django_db(transaction=True)
def test_a_registered_step_runs_inside_the_ingest_transaction(register):
    seen = []

    def look(context):
        seen.append(
            {
                "in_transaction": connection.in_atomic_block,
                "stored": Document.objects.filter(pk__in=[d.pk for d in context.documents]).count(),
                "titles": [item.title for _, item in context.stored],
                "tasks": KeyTask.objects.filter(document__in=context.documents).count(),
                "indexed": {entry.document_id for entry in context.ingested},
                "actor": context.actor,
            }
        )

    register("test.look", look, pipeline.INDEX_FOR_SEARCH + 1)
    result = samples.build_result()
    ingest(result, actor="someone")

    assert (
        not connection.in_atomic_block
    )  # no test transaction around it: the atomic is ingestion's
    assert seen == [
        {
            "in_transaction": True,
            "stored": 2,
            "titles": [item.title for item in result.documents],
            "tasks": 3,  # the tasks step ran before
            "indexed": set(Document.objects.values_list("pk", flat=True)),
            "actor": "someone",
        }
    ]


@pytest.mark.django_db
def test_a_failing_step_rolls_the_whole_ingestion_back(register):
    def fail(context):
        raise RuntimeError("the step failed")

    register("test.fail", fail, pipeline.MATCH_SUBSCRIPTIONS + 1)
    with pytest.raises(RuntimeError, match="the step failed"):
        ingest(samples.build_result())

    assert not SourceFile.objects.exists() and not Document.objects.exists()
    assert not Section.objects.exists() and not KeyTask.objects.exists()
    assert not SearchEntry.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_same_file_again_runs_no_step(register):
    calls = []
    register("test.count", lambda context: calls.append(len(context.stored)), 1)
    ingest(samples.build_result())
    ingest(samples.build_result())
    assert calls == [2]


@pytest.mark.parametrize("app", ["shuzheng.tasks", "shuzheng.subscriptions"])
def test_documents_imports_none_of_the_apps_that_extend_it(app):
    graph = grimp.build_graph("shuzheng", cache_dir=None)
    chain = graph.find_shortest_chain(importer="shuzheng.documents", imported=app, as_packages=True)
    assert chain is None, " -> ".join(chain)
