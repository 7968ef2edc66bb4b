"""Findings keep their code and values, not the parser's sentence (issue 8, item 4).

Each stored sentence is read back into the values its code's sentence names, by the
patterns the parser wrote them with (bilingual for the format extractors, English for the
structural parser). A sentence that fits none of them becomes the generic code
``recorded-text`` with the old sentence as its ``text`` value and the old code as ``code``,
so nothing is lost. Backwards, the English sentence is written out again.
"""

import re

from django.db import migrations, models

_NUMBER = r"(?P<{}>\d+)"
#: The sentences the parser stored, by code (and variant), as anchored patterns.
STORED_SENTENCES = [
    ("encoding-detected", None, r"文件编码为 (?P<encoding>\S+) / the file is encoded in \S+"),
    (
        "md-tables-converted",
        None,
        rf"{_NUMBER.format('count')} 个 Markdown 表格已转为制表符分隔的行 / .*",
    ),
    ("docx-merged-cells", None, r"表格含合并单元格：.*"),
    ("pdf-page-without-text", None, r"第 (?P<pages>[\d, ]+) 页没有文字层.*"),
    ("pdf-headers-dropped", None, rf"已去掉 {_NUMBER.format('count')} 行页眉.*"),
    ("pdf-table-joined", None, rf"{_NUMBER.format('count')} 个跨页表格已合并.*"),
    ("html-charset-mismatch", None, r"网页声明编码 (?P<charset>\S+)，实际不是.*"),
    ("html-main-content", None, r"正文取自网页元素 (?P<selector>\S+) / .*"),
    ("html-no-main-content", None, r"未找到已知的正文区域.*"),
    ("title-not-found", None, r"No title found; the whole text is read as one untitled document\."),
    (
        "transmitted-not-found",
        None,
        r"The notice transmits 《(?P<title>.*)》 but its text was not found after it\.",
    ),
    (
        "title-differs",
        None,
        r"The heading reads 《(?P<heading>.*)》; the transmitting notice names it 《(?P<title>.*)》\.",
    ),
    (
        "responsibility-missing",
        None,
        rf"Measure {_NUMBER.format('number')} names no responsible unit; assign one in the ledger\.",
    ),
    (
        "deadline-unparsed",
        None,
        rf"Task {_NUMBER.format('number')}: the deadline “(?P<clause>.*)” could not be read\.",
    ),
    (
        "unit-unresolved",
        None,
        rf"Task {_NUMBER.format('number')}: the unit “(?P<unit>.*)” is not in the registry\.",
    ),
    (
        "task-row-unsplit",
        None,
        rf"The row has {_NUMBER.format('cells')} cells, the table {_NUMBER.format('columns')} "
        r"columns; the extra cells are joined to the last one\.",
    ),
    (
        "task-row-unsplit",
        "no-task-before",
        r"A table row without a task number and no task before it\.",
    ),
    (
        "task-row-unsplit",
        "new-category",
        r"A row without a task number under a new category; kept with the task before\.",
    ),
]
_NUMERIC = {"count", "number", "cells", "columns"}


def params_of(code: str, message: str) -> tuple[str, dict]:
    """The code and values a stored sentence says; ``recorded-text`` when none fits."""
    for known, variant, pattern in STORED_SENTENCES:
        match = re.fullmatch(pattern, message, re.DOTALL) if known == code else None
        if match is None:
            continue
        params = {
            name: int(value) if name in _NUMERIC else value
            for name, value in match.groupdict().items()
        }
        if "pages" in params:
            params["pages"] = [int(page) for page in re.findall(r"\d+", params["pages"])]
        if variant:
            params["variant"] = variant
        return code, params
    return "recorded-text", {"text": message, "code": code}


def to_codes(apps, schema_editor):
    finding_model = apps.get_model("documents", "IngestionFinding")
    changed = []
    for finding in finding_model.objects.only("id", "code", "message").iterator():
        finding.code, finding.params = params_of(finding.code, finding.message)
        changed.append(finding)
    finding_model.objects.bulk_update(changed, ["code", "params"], batch_size=500)


def to_sentences(apps, schema_editor):
    from shuzheng.documents.parsing.model import finding_sentence

    finding_model = apps.get_model("documents", "IngestionFinding")
    changed = []
    for finding in finding_model.objects.only("id", "code", "params").iterator():
        if finding.code == "recorded-text":
            finding.code = finding.params.get("code", finding.code)
            finding.message = finding.params.get("text", "")
        else:
            finding.message = finding_sentence(finding.code, finding.params)
        changed.append(finding)
    finding_model.objects.bulk_update(changed, ["code", "message"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ingestionfinding",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="values"),
        ),
        migrations.AlterField(
            model_name="ingestionfinding",
            name="message",
            field=models.TextField(blank=True, verbose_name="message"),
        ),
        migrations.RunPython(to_codes, to_sentences),
        migrations.RemoveField(
            model_name="ingestionfinding",
            name="message",
        ),
    ]
