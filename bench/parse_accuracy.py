"""Field accuracy of the document parser on labelled documents (issue 13, point 5).

    .venv/bin/python bench/parse_accuracy.py

Two sets, each a list of (field, expected) labels read off the text by hand:

* **held out** — the layout classes of issue 13 (numbered measures closed by a bracketed
  responsibility, task tables named otherwise in Markdown, tab-separated, Word and PDF form,
  section rows spanning a table, a notice transmitting two documents, a jointly issued
  document, documents of the 1990s), written after published documents for
  tests/documents/test_parse_official_layouts.py and never seen by the parser before;
* **sample** — the sample gazette (data/samples/ningxia-gazette-2023-10.txt): documents,
  metadata, task counts and the roles of its responsibilities.

Prints the share of labels the parser gets right per set.  To compare with another version
of the parser, run the same script with that version's ``src`` first on the path, e.g.
``git archive <commit> src | tar -x -C /tmp/before`` and
``PYTHONPATH=/tmp/before/src:. .venv/bin/python bench/parse_accuracy.py`` (the labels here
stay the same; a field the old parser lacks counts as a miss).  Not a test.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shuzheng.documents.parsing.parser import parse  # noqa: E402
from shuzheng.orgs.resolution import Registry  # noqa: E402
from tests.documents import test_parse_official_layouts as layouts  # noqa: E402

REGISTRY = ROOT / "src/shuzheng/orgs/data/ningxia.json"
SAMPLE = ROOT / "data/samples/ningxia-gazette-2023-10.txt"


def _roles(task) -> tuple:
    return (
        [unit.name for unit in task.lead_units],
        [unit.name for unit in task.owner_units],
        [unit.name for unit in task.supporting_units],
    )


def _get(getter):
    try:
        return getter()
    except (AttributeError, IndexError, KeyError, TypeError):
        return "<missing>"


def held_out_labels(resolve) -> list[tuple[str, object, object]]:
    """(label, expected, found) for every labelled field of the held-out documents."""
    labels = []

    def check(label, expected, getter):
        labels.append((label, expected, _get(getter)))

    def txt(text, name="document.txt"):
        return parse(text.encode("utf-8"), name, resolve_responsibility=resolve)

    measures = txt(layouts.MEASURES)
    docs = measures.documents
    check("measures: documents", 2, lambda: len(docs))
    check("measures: title", "宁夏回族自治区优化营商环境若干措施", lambda: docs[1].title)
    check("measures: issuers", ["自治区人民政府办公厅"], lambda: docs[1].issuers)
    check("measures: written_on", date(2024, 3, 20), lambda: docs[1].written_on)
    check("measures: tasks", [1, 2, 3, 4, 5, 6], lambda: [t.number for t in docs[1].tasks])
    expected_roles = {
        1: ([], ["自治区市场监督管理厅", "自治区政务服务管理局"], []),
        2: (["自治区住房城乡建设厅"], [], ["自治区自然资源厅", "自治区发展改革委"]),
        3: (["自治区发展改革委"], [], ["自治区财政厅"]),
        4: ([], ["自治区市场监督管理厅"], ["自治区发展改革委"]),
        5: (["自治区发展改革委", "自治区市场监督管理厅"], [], ["各市、县（区）人民政府"]),
    }
    for number, expected in expected_roles.items():
        check(
            f"measures: task {number} roles",
            expected,
            lambda number=number: _roles({t.number: t for t in docs[1].tasks}[number]),
        )

    promotion = txt(layouts.PROMOTION_TABLE, "promotion.md").documents[0]
    check("md table: tasks", [1, 2, 3], lambda: [t.number for t in promotion.tasks])
    check("md table: category", "一、投资管理领域", lambda: promotion.tasks[0].category)
    check("md table: category 2", "二、贸易便利化领域", lambda: promotion.tasks[2].category)
    check(
        "md table: supporting",
        ["住房城乡建设部", "自然资源部"],
        lambda: [u.name for u in promotion.tasks[1].supporting_units],
    )

    tab = txt(layouts.TAB_TABLE).documents[0]
    check("tsv table: written_on", date(2024, 1, 10), lambda: tab.written_on)
    check("tsv table: tasks", [1, 2], lambda: [t.number for t in tab.tasks])
    check(
        "tsv table: task 1 roles",
        (["自治区大数据中心"], [], ["自治区财政厅"]),
        lambda: _roles(tab.tasks[0]),
    )

    word_rows = [
        ["序号", "改革举措", "主要内容", "责任单位", "完成时限"],
        ["一、审批流程（共2项）", "", "", "", ""],
        ["1", "投资项目“承诺制”", "对备案类项目推行告知承诺。", "自治区发展改革委牵头，自治区自然资源厅配合", "2024年9月底前"],
        ["2", "联合验收", "竣工验收实行“一家牵头、联合验收”。", "自治区住房城乡建设厅负责", "2024年底前"],
    ]  # fmt: skip
    word = parse(layouts._docx(word_rows, {1}), "tasks.docx", resolve_responsibility=resolve)
    word_doc = word.documents[0]
    check("docx table: tasks", [1, 2], lambda: [t.number for t in word_doc.tasks])
    check("docx table: category", "一、审批流程", lambda: word_doc.tasks[0].category)
    check(
        "docx table: task 1 roles",
        (["自治区发展改革委"], [], ["自治区自然资源厅"]),
        lambda: _roles(word_doc.tasks[0]),
    )

    pdf_rows = [
        ["序号", "主要内容", "牵头单位", "配合单位", "完成时限"],
        ["1", "完成黄河干流入河排污口整治。", "自治区生态环境厅", "自治区水利厅", "2024年底前"],
        ["2", "开展重点行业清洁生产审核。", "自治区工业和信息化厅", "自治区生态环境厅", "2024年10月底前"],
    ]  # fmt: skip
    pdf = parse(layouts._pdf(pdf_rows), "tasks.pdf", resolve_responsibility=resolve)
    pdf_doc = pdf.documents[0]
    check("pdf table: tasks", [1, 2], lambda: [t.number for t in pdf_doc.tasks])
    check(
        "pdf table: task 1 roles",
        (["自治区生态环境厅"], [], ["自治区水利厅"]),
        lambda: _roles(pdf_doc.tasks[0]),
    )

    two = txt(layouts.TWO_DOCUMENTS).documents
    check("two documents: documents", 3, lambda: len(two))
    check(
        "two documents: titles",
        ["宁夏回族自治区政务数据共享管理办法", "宁夏回族自治区公共数据开放管理办法"],
        lambda: [document.title for document in two[1:]],
    )
    check("two documents: written_on", date(2024, 2, 6), lambda: two[2].written_on)

    joint = txt(layouts.JOINT).documents[0]
    check("joint: issuers", ["财政部", "发展改革委", "人民银行"], lambda: joint.issuers)
    check("joint: signatories", ["财政部", "发展改革委", "人民银行"], lambda: joint.signatories)
    check("joint: written_on", date(2015, 5, 19), lambda: joint.written_on)

    for number in ("国发〔1996〕12号", "国发[1996]12号", "国发（1996）12号"):
        text = (
            f"国务院关于加强流通领域价格管理的通知\n{number}\n各省、自治区、直辖市人民政府：\n"
            "为稳定市场物价，现就有关问题通知如下：\n一、各地区要加强价格监测。\n国务院\n"
            "一九九六年三月五日\n"
        )
        old = txt(text).documents[0]
        check(f"1990s {number}: doc_number", "国发〔1996〕12号", lambda old=old: old.doc_number)
        check(f"1990s {number}: written_on", date(1996, 3, 5), lambda old=old: old.written_on)
    return labels


def sample_labels(resolve) -> list[tuple[str, object, object]]:
    """Labels of the sample gazette (the values tests/documents/test_parse_sample.py reads)."""
    result = parse(SAMPLE.read_bytes(), SAMPLE.name, resolve_responsibility=resolve)
    docs = result.documents
    rows = []

    def check(label, expected, getter):
        rows.append((label, expected, _get(getter)))

    check("documents", 3, lambda: len(docs))
    check("opinion doc_number", "宁政发〔2023〕17号", lambda: docs[0].doc_number)
    check("opinion written_on", date(2023, 5, 16), lambda: docs[0].written_on)
    check("opinion tasks", 124, lambda: len(docs[0].tasks))
    check("notice doc_number", "宁党办〔2023〕32号", lambda: docs[1].doc_number)
    check("notice written_on", date(2023, 5, 12), lambda: docs[1].written_on)
    check("notice transmits", 2, lambda: docs[1].transmits)
    check("transmitted measures", list(range(1, 21)), lambda: [t.number for t in docs[2].tasks])
    check("transmitted written_on", date(2023, 5, 12), lambda: docs[2].written_on)
    check("transmitted issuers", ["自治区党委办公厅", "人民政府办公厅"], lambda: docs[2].issuers)
    check(
        "task 1 lead",
        ["自治区发展改革委", "自治区工业和信息化厅"],
        lambda: [u.name for u in docs[0].tasks[0].lead_units],
    )
    check(
        "task 1 supporting",
        ["自治区有关部门（单位）", "银川市", "中卫市"],
        lambda: [u.name for u in docs[0].tasks[0].supporting_units],
    )
    return rows


def main() -> None:
    registry = Registry.from_data(json.loads(REGISTRY.read_text(encoding="utf-8")))
    for name, labels in (
        ("held out", held_out_labels(registry.parse_responsibility)),
        ("sample", sample_labels(registry.parse_responsibility)),
    ):
        right = [row for row in labels if row[1] == row[2]]
        print(f"{name}: {len(right)}/{len(labels)} = {len(right) / len(labels):.3f}")
        for label, expected, found in labels:
            if expected != found:
                print(f"  miss  {label}: expected {expected!r}, found {found!r}")


if __name__ == "__main__":
    main()
