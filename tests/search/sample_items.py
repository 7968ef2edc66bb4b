"""Index items cut from the sample gazette, for the search tests and the benchmark.

Until the documents ingestion indexes real Documents, the search tests build their index
directly from :class:`IndexItem` objects: the two documents of the sample gazette
(宁政发〔2023〕17号 and 宁党办〔2023〕32号), one section per paragraph and one task per row of
the key-task table. A deliberately simple splitter: the real parser lives in
``shuzheng.documents.parsing``.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from shuzheng.search.items import DOCUMENT, SECTION, TASK, IndexItem

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "ningxia-gazette-2023-10.txt"
PUBLISHED_ON = datetime.date(2023, 5, 31)
DIGITAL_GOVERNMENT = 1
ECO_COMPENSATION = 2

_DOCUMENTS = {
    DIGITAL_GOVERNMENT: {
        "title": "自治区人民政府关于加强数字政府建设的实施意见",
        "doc_number": "宁政发〔2023〕17号",
        "issuers": ("宁夏回族自治区人民政府",),
        "issuer_codes": ("gov-640000",),
        "doc_type": "意见",
        "lines": (117, 306),
    },
    ECO_COMPENSATION: {
        "title": "自治区党委办公厅 人民政府办公厅印发《关于深化生态保护补偿制度改革的实施意见》的通知",
        "doc_number": "宁党办〔2023〕32号",
        "issuers": ("中共宁夏回族自治区委员会办公厅", "宁夏回族自治区人民政府办公厅"),
        "issuer_codes": (),
        "doc_type": "通知",
        "lines": (476, 555),
    },
}
_ENUMERATED = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]\s*")
_LEAD = re.compile(r"^([^。；]{2,24})。")
_UNIT_SUFFIXES = re.compile(r"(牵头负责|具体负责|分别负责|分别牵头负责|牵头|负责|配合)$")
_UNIT_END = re.compile(r"(厅|委|局|办|社|室|院|部|会|校|委员会|管理局|法工委)$")


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def _document_item(document_id: int, body: str) -> IndexItem:
    return IndexItem(
        kind=DOCUMENT,
        object_id=document_id,
        document_id=document_id,
        body=body,
        **_common(document_id),
    )


def _common(document_id: int) -> dict:
    meta = _DOCUMENTS[document_id]
    return {
        "title": meta["title"],
        "doc_number": meta["doc_number"],
        "issuers": meta["issuers"],
        "issuer_codes": meta["issuer_codes"],
        "year": 2023,
        "doc_type": meta["doc_type"],
        "validity": "现行有效",
        "published_on": PUBLISHED_ON,
    }


def section_heading(paragraph: str, current: str) -> str:
    """（一）驱动数字经济发展。… → 驱动数字经济发展; 强化安全管理责任。… → 强化安全管理责任."""
    stripped = _ENUMERATED.sub("", paragraph)
    lead = _LEAD.match(stripped)
    return lead.group(1) if lead else current


def sections(document_id: int, first_id: int) -> list[IndexItem]:
    start, end = _DOCUMENTS[document_id]["lines"]
    lines = sample_lines()[start - 1 : end]
    items = []
    current = ""
    top = 0
    for line in lines:
        text = line.strip()
        if not text or "\t" in text:
            continue
        if text.startswith("#"):
            current = text.lstrip("# ").strip()
            top += 1
            continue
        if len(text) < 30:
            continue
        heading = section_heading(text, current)
        number = first_id + len(items)
        items.append(
            IndexItem(
                kind=SECTION,
                object_id=number,
                document_id=document_id,
                body=text,
                heading=heading,
                path=f"{top}/{len(items) + 1}",
                anchor=f"s-{number}",
                **_common(document_id),
            )
        )
    return items


def responsible_units(text: str) -> tuple[str, ...]:
    """Unit names of a 责任单位 cell, without 牵头负责/配合 and the like."""
    names = []
    for part in re.split(r"[，,、；;]|及", text):
        part = re.sub(r"等.*$", "", part.strip())
        part = _UNIT_SUFFIXES.sub("", part).strip()
        if len(part) < 2 or not _UNIT_END.search(part) or part.startswith("各"):
            continue
        if not part.startswith(("自治区", "宁夏", "中")):
            part = "自治区" + part
        names.append(part)
    return tuple(dict.fromkeys(names))


def tasks(first_id: int) -> list[IndexItem]:
    items = []
    category = ""
    for line in sample_lines()[310:470]:
        cells = line.split("\t")
        if len(cells) != 4 or cells[1].startswith("重点内容"):
            continue
        category = cells[0].strip() or category
        number_match = re.match(r"\s*(\d+)\.\s*", cells[1])
        if not number_match:
            continue
        number = number_match.group(1)
        years = tuple(sorted({int(y) for y in re.findall(r"(20\d\d)\s*年", cells[3])}))
        items.append(
            IndexItem(
                kind=TASK,
                object_id=first_id + len(items),
                document_id=DIGITAL_GOVERNMENT,
                body=f"{cells[1][number_match.end() :]} 责任单位：{cells[2]} 完成时限：{cells[3]}",
                heading=category,
                path=f"附件2/{number}",
                anchor=f"task-{number}",
                task_number=number,
                unit_names=responsible_units(cells[2]),
                deadline_years=years,
                **_common(DIGITAL_GOVERNMENT),
            )
        )
    return items


def sample_items() -> list[IndexItem]:
    """Two documents, their paragraphs and the 124 key tasks of the sample gazette."""
    lines = sample_lines()
    items = []
    for document_id, meta in _DOCUMENTS.items():
        start, end = meta["lines"]
        body = "\n".join(line for line in lines[start - 1 : end] if "\t" not in line)
        items.append(_document_item(document_id, body))
    items += sections(DIGITAL_GOVERNMENT, 100)
    items += sections(ECO_COMPENSATION, 500)
    items += tasks(1000)
    return items
