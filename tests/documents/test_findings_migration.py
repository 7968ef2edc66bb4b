"""The migration to coded findings (issue 8, item 4): each stored sentence becomes its code's
values; a sentence that fits no known pattern keeps its text under the generic code; and
back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0001_initial")]
AFTER = [("documents", "0002_finding_codes_and_values")]
#: (code, message as the parser stored it) → (code, params) after the migration.
STORED = [
    (
        ("unit-unresolved", "Task 3: the unit “自治区数据星球局” is not in the registry."),
        ("unit-unresolved", {"number": 3, "unit": "自治区数据星球局"}),
    ),
    (
        ("deadline-unparsed", "Task 12: the deadline “视情况而定” could not be read."),
        ("deadline-unparsed", {"number": 12, "clause": "视情况而定"}),
    ),
    (
        (
            "title-differs",
            "The heading reads 《关于深化改革实施意见》; the transmitting notice names it "
            "《关于深化改革的实施意见》.",
        ),
        ("title-differs", {"heading": "关于深化改革实施意见", "title": "关于深化改革的实施意见"}),
    ),
    (
        ("task-row-unsplit", "A table row without a task number and no task before it."),
        ("task-row-unsplit", {"variant": "no-task-before"}),
    ),
    (
        (
            "task-row-unsplit",
            "The row has 5 cells, the table 4 columns; the extra cells are joined to the last one.",
        ),
        ("task-row-unsplit", {"cells": 5, "columns": 4}),
    ),
    (
        (
            "pdf-page-without-text",
            "第 2, 3 页没有文字层（扫描页），其内容未提取 / page(s) 2, 3 have no text layer "
            "(scanned); their content is missing",
        ),
        ("pdf-page-without-text", {"pages": [2, 3]}),
    ),
    (
        ("encoding-detected", "文件编码为 gb18030 / the file is encoded in gb18030"),
        ("encoding-detected", {"encoding": "gb18030"}),
    ),
    (
        ("html-main-content", "正文取自网页元素 #zoom / article text taken from the element #zoom"),
        ("html-main-content", {"selector": "#zoom"}),
    ),
    (
        ("unit-unresolved", "责任单位未能识别: 自治区大数据中心"),
        (
            "recorded-text",
            {"text": "责任单位未能识别: 自治区大数据中心", "code": "unit-unresolved"},
        ),
    ),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_sentences_become_codes_with_values_and_back():
    old = migrate(BEFORE)
    source = old.get_model("documents", "SourceFile").objects.create(
        name="old.txt", sha256="0" * 64, size=1, source_format="txt", text="正文"
    )
    finding_model = old.get_model("documents", "IngestionFinding")
    for (code, message), _expected in STORED:
        finding_model.objects.create(source=source, severity="warning", code=code, message=message)
    try:
        new = migrate(AFTER)
        migrated = new.get_model("documents", "IngestionFinding").objects.order_by("id")
        assert [(row.code, row.params) for row in migrated] == [item for _, item in STORED]

        back = migrate(BEFORE)
        restored = back.get_model("documents", "IngestionFinding").objects.order_by("id")
        assert [(row.code, row.message) for row in restored][:5] == [
            stored for stored, _ in STORED[:5]
        ]
        assert (restored.last().code, restored.last().message) == STORED[-1][0]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
