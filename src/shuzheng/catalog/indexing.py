"""The catalog's datasets in the one search index (issue 11, item 5: the portal's search).

The catalog's index source (``search.sources``): one ``dataset`` item per published entry
that is not core data, grouped apart from the library's documents
(``search.items.dataset_group``). An entry the public rule admits
(``grading.is_open_to_public``) is indexed as public; a published general entry that is not
open, or an important one, only for the catalog office (``include_private``). Core data is
never indexed at all (GB/T 43697-2024: core data never reaches a public path, issue 11,
item 3), nor is an entry before publication or after withdrawal.

``refresh`` puts one entry's item in step after a service changed it (publish, withdraw,
edit, a new distribution): through ``search.services``, whose outbox carries the change to
the engine after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.db.models import Prefetch

from shuzheng.catalog import grading
from shuzheng.catalog.models import DataField, DataResource, Distribution
from shuzheng.search import services as search
from shuzheng.search.items import DATASET, IndexItem, dataset_group, dataset_of_group

#: Entries read at a time when the whole catalog is indexed.
CHUNK_SIZE = 2000


def indexed_resources():
    """The entries the index holds: published, and never core data."""
    return DataResource.objects.filter(
        state__in=[state.value for state in grading.PUBLIC_STATES]
    ).exclude(grade=grading.Grade.CORE.value)


def dataset_index_items(group_ids: Collection[int] | None) -> Iterator[IndexItem]:
    """The index source: the dataset items of the groups ``group_ids`` (every indexed entry
    when None); a document's id names no dataset."""
    resources = indexed_resources()
    if group_ids is not None:
        ids = [dataset_of_group(group) for group in group_ids]
        resources = resources.filter(pk__in=[pk for pk in ids if pk is not None])
    resources = (
        resources.order_by("pk")
        .select_related("provider", "category")
        .prefetch_related(
            Prefetch("fields", queryset=DataField.objects.only("resource_id", "name", "position")),
            Prefetch(
                "distributions",
                queryset=Distribution.objects.only("resource_id", "title", "format", "position"),
            ),
        )
    )
    tops: dict[int, str] = {}
    for resource in resources.iterator(chunk_size=CHUNK_SIZE):
        yield dataset_item(resource, _top_slug(resource, tops))


def _top_slug(resource: DataResource, tops: dict[int, str]) -> str:
    """The slug of the class (类) of the entry's category, walked up once per category."""
    if resource.category_id not in tops:
        tops[resource.category_id] = resource.category.top.slug
    return tops[resource.category_id]


def dataset_item(resource: DataResource, category_slug: str) -> IndexItem:
    """One entry as the index holds it: its title, its text (summary, keywords, the names of
    its information items and distributions, its provider) and its facets."""
    fields = [item.name for item in resource.fields.all()]
    distributions = list(resource.distributions.all())
    formats = sorted({d.format.upper() for d in distributions if d.format})
    keywords = [str(word) for word in resource.keywords if str(word).strip()]
    body = "\n".join(
        part
        for part in (
            resource.summary,
            " ".join(keywords),
            " ".join(fields),
            " ".join(d.title for d in distributions),
            resource.provider.name,
            resource.domain,
        )
        if part
    )
    facets = [
        ("provider", resource.provider.name),
        ("provider_code", resource.provider.code),
        ("category", category_slug),
        ("frequency", resource.update_frequency),
        ("open_type", resource.open_type),
        ("grade", resource.grade),
    ]
    facets += [("domain", resource.domain)] if resource.domain else []
    facets += [("license", resource.license_id)] if resource.license_id else []
    facets += [("keyword", word) for word in keywords]
    facets += [("format", name) for name in formats]
    return IndexItem(
        kind=DATASET,
        object_id=resource.pk,
        document_id=dataset_group(resource.pk),
        title=resource.title,
        body=body,
        published_on=resource.modified_at.date(),
        is_public=resource.is_public,
        facets=tuple(facets),
        sort_name=resource.name,
    )


def refresh(resource: DataResource, *, actor=None) -> None:
    """Put the entry's item in the index in step with the entry, in the caller's
    transaction: replaced when the entry is indexed, removed when it is not (any more)."""
    group = dataset_group(resource.pk)
    items = list(dataset_index_items([group]))
    if items:
        search.replace_document_entries(group, items, actor=actor)
    else:
        search.delete_document_entries(group, actor=actor)
