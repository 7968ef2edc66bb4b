"""The sample catalog of Ningxia's units (示例数据): ``shuzheng loadsample`` loads it so that
``make run`` shows a living catalog and portal. Every entry is marked ``is_sample`` and its
data files say 示例 in each row; none of it is a real unit's catalog.

The entries go through the services (audited, graded, versioned) and then the workflow to
the state the file names (published, submitted, returned, draft), so the review queue has
work in it too.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.files import File
from django.db import transaction

from shuzheng.catalog import services
from shuzheng.catalog.choices import CategoryLevel, DistributionKind, State
from shuzheng.catalog.models import DataResource, ResourceCategory
from shuzheng.orgs.models import Unit

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_CATALOG = DATA / "sample-catalog.json"
_LEVELS = {1: CategoryLevel.CLASS, 3: CategoryLevel.ITEM, 6: CategoryLevel.CATEGORY}


def category_level(code: str) -> str:
    return _LEVELS.get(len(code), CategoryLevel.SUBCATEGORY)


def load_categories(rows) -> dict[str, ResourceCategory]:
    """Create the classification nodes that are missing; returns all of them by code."""
    stored = {category.code: category for category in ResourceCategory.objects.all()}
    for code, name, parent in rows:
        if code not in stored:
            stored[code] = ResourceCategory.objects.create(
                code=code,
                name=name,
                level=category_level(code),
                parent=stored[parent] if parent else None,
                slug=f"c{code}",
            )
    return stored


@transaction.atomic
def load_sample_catalog() -> str:
    """Load the sample catalog unless it was loaded before; a line for loadsample's output."""
    if DataResource.objects.filter(is_sample=True).exists():
        return "loaded before, kept"
    spec = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    categories = load_categories(spec["categories"])
    units = {unit.code: unit for unit in Unit.objects.all()}
    for entry in spec["resources"]:
        resource = services.register_resource(actor=None, data=_input(entry, categories, units))
        if entry.get("file"):
            with (DATA / entry["file"]).open("rb") as handle:
                services.add_distribution(
                    actor=None,
                    resource=resource,
                    data=services.DistributionInput(
                        title=f"{entry['title']}（CSV）",
                        kind=DistributionKind.FILE,
                        format="CSV",
                        media_type="text/csv",
                        upload=File(handle, name=entry["file"]),
                    ),
                )
        _advance(resource, entry)
    return f"{len(spec['resources'])} sample resources (示例数据)"


def _input(entry, categories, units) -> services.ResourceInput:
    return services.ResourceInput(
        code=entry["code"],
        name=entry["name"],
        title=entry["title"],
        category=categories[entry["code"].split("/")[0]],
        provider=units[entry["provider"]],
        summary=entry["summary"],
        resource_format=entry.get("resource_format", ""),
        keywords=entry.get("keywords", []),
        domain=entry.get("domain", ""),
        license_id="cc-by-4.0" if entry["open_type"] != "none" else "",
        share_type=entry["share_type"],
        share_condition=entry.get("share_condition", ""),
        share_method=entry.get("share_method", ""),
        open_type=entry["open_type"],
        open_condition=entry.get("open_condition", ""),
        update_frequency=entry["update_frequency"],
        grade=entry["grade"],
        is_sample=True,
        fields=[
            services.FieldInput(
                name=name,
                column=column,
                data_type=data_type,
                grade=grade,
                is_authoritative=authoritative,
            )
            for name, column, data_type, grade, authoritative in entry["fields"]
        ],
    )


def _advance(resource: DataResource, entry) -> None:
    state = entry.get("state", State.DRAFT)
    if state == State.DRAFT:
        return
    resource = services.submit(actor=None, resource=resource)
    if state == State.PUBLISHED:
        services.publish(actor=None, resource=resource)
    elif state == State.RETURNED:
        services.return_resource(actor=None, resource=resource, reason=entry["return_reason"])
