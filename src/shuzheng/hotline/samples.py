"""The hotline's sample data for ``shuzheng loadsample`` (示例数据): the service catalog with
its duty map and bureaus, and the knowledge base's sample entries, each citing a paragraph
of the sample gazette (so it needs the gazette ingested first)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from shuzheng import clock
from shuzheng.documents.selectors import current_section
from shuzheng.hotline.models import KnowledgeEntry, ServiceCategory
from shuzheng.hotline.services import (
    load_sample_catalog,
    review_knowledge,
    save_knowledge,
)
from shuzheng.orgs.models import Unit

SAMPLE_KNOWLEDGE = Path(__file__).resolve().parent / "data" / "knowledge.json"
#: Sample entries are due for review a year after they are loaded.
SAMPLE_REVIEW_DAYS = 365


def load_sample_hotline() -> str:
    """Catalog and knowledge entries; idempotent (entries matched by their question)."""
    catalog = load_sample_catalog()
    return f"{catalog}; knowledge entries: {load_sample_knowledge()}"


def load_sample_knowledge() -> str:
    data = json.loads(SAMPLE_KNOWLEDGE.read_text(encoding="utf-8"))
    created = kept = skipped = 0
    review_on = clock.today() + dt.timedelta(days=SAMPLE_REVIEW_DAYS)
    for item in data["entries"]:
        if KnowledgeEntry.objects.filter(question=item["question"], is_sample=True).exists():
            kept += 1
            continue
        sections = [current_section(title, path) for title, path in item["sources"]]
        owner = Unit.objects.filter(code=item["owner"]).first()
        if owner is None or None in sections:
            skipped += 1  # the sample gazette or the registry is not loaded
            continue
        with transaction.atomic():
            entry = save_knowledge(
                None,
                question=item["question"],
                answer=item["answer"],
                keywords=item.get("keywords", ""),
                category=ServiceCategory.objects.filter(code=item.get("category", "")).first(),
                owner=owner,
                review_on=review_on,
                sections=sections,
                actor=None,
                is_sample=True,
            )
            review_knowledge(entry, review_on=review_on, actor=None)
        created += 1
    return f"{created} created, {kept} kept, {skipped} skipped"
