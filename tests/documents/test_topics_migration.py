"""The migration to 主题分类 (issue 14, point 3): every stored document gets the topics the
ingest rule proposes for its title and text."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0004_source_original")]
AFTER = [("documents", "0005_document_topics")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_documents_get_proposed_topics():
    old = migrate(BEFORE)
    source = old.get_model("documents", "SourceFile").objects.create(
        name="old.txt", sha256="0" * 64, size=1, source_format="txt", text="正文"
    )
    document_model = old.get_model("documents", "Document")
    for title, text in [
        ("关于深化生态保护补偿制度改革的实施意见", "完善生态保护补偿制度，加强生态环境保护。"),
        ("关于召开会议的通知", "定于下周召开会议。"),
    ]:
        document_model.objects.create(
            source=source,
            title=title,
            identity=title,
            content_sha256="1" * 64,
            text=text,
            start=0,
            end=len(text),
        )
    try:
        new = migrate(AFTER)
        stored = new.get_model("documents", "Document").objects.order_by("id")
        assert [(row.topics, row.topics_edited) for row in stored] == [
            (["09"], False),
            (["21"], False),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
