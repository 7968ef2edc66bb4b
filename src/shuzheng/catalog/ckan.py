"""The CKAN Action API's shapes (issue 11, point 6; docs/ckan-api.md): the mapping between a
catalog entry and CKAN's package, resource, organization and group dicts, the error types
and status codes of the envelope, and the ``fq`` and ``sort`` parameters of
``package_search``.

Source: CKAN 2.10's ``ckan/views/api.py`` (the envelope, error types and status codes) and
``ckan/logic/action/get.py`` (the dicts, ``package_search``'s parameters). Learned from, not
copied: the names and shapes are CKAN's so that its clients (``ckanapi``, harvesters) work.

A package carries the catalog's own fields at the top level, as ckanext-scheming does
(``code``, ``category``, ``share_type``, ``open_type``, ``update_frequency``, ``grade``,
``fields`` …), so that what ``package_show`` answers is what ``package_update`` takes.

Pure module: no Django; the API views pass in the objects and the URLs.
"""

from __future__ import annotations

import datetime as dt
import re

#: The action API level this implements, reported by ``status_show``.
CKAN_VERSION = "2.10.0"

#: A catalog entry's state as CKAN names it: withdrawn is CKAN's deleted, every other state
#: is active (whether the public sees it is ``private``).
DELETED_STATES = frozenset({"withdrawn"})


# --- errors -------------------------------------------------------------------------------


class ActionError(Exception):
    """An error the envelope reports: ``__type`` and status code as CKAN answers them."""

    type_name = ""
    status = 400

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message

    def error_dict(self) -> dict:
        return {"__type": self.type_name, "message": self.message}


class NotFound(ActionError):
    type_name = "Not Found Error"
    status = 404


class NotAuthorized(ActionError):
    type_name = "Authorization Error"
    status = 403


class ValidationError(ActionError):
    """Refused input by field: ``{"field": ["message", …], "__type": "Validation Error"}``."""

    type_name = "Validation Error"
    status = 409

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {' '.join(value)}" for key, value in errors.items()))
        self.errors = errors

    def error_dict(self) -> dict:
        return {**self.errors, "__type": self.type_name}


class SearchQueryError(ActionError):
    type_name = "Search Query Error"
    status = 400


class BadRequest(ActionError):
    """CKAN answers a bad request (unknown action, undecodable data) with a bare JSON string
    ``"Bad request - …"`` and status 400, not with the envelope."""

    status = 400


# --- dicts --------------------------------------------------------------------------------


def timestamp(moment: dt.datetime | None) -> str | None:
    """CKAN's metadata times: ISO 8601 in UTC without the zone (``2023-10-08T03:04:05.123456``)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat()


def organization_dict(unit, *, package_count: int | None = None) -> dict:
    """A provider unit as a CKAN organization."""
    data = {
        "id": str(unit.pk),
        "name": unit.code,
        "title": unit.name,
        "display_name": unit.name,
        "description": "",
        "image_url": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "created": timestamp(unit.updated_at),
        "region": unit.region.code,
        "kind": unit.kind,
        "short_name": unit.short_name,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(category, *, package_count: int | None = None) -> dict:
    """A class (类) of the guide's classification as a CKAN group."""
    data = {
        "id": str(category.pk),
        "name": category.slug,
        "title": category.name,
        "display_name": category.name,
        "description": category.description,
        "image_url": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "code": category.code,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(distribution, *, package_id: str, url: str) -> dict:
    """A distribution as a CKAN resource; ``url`` is its download address (a file) or link."""
    return {
        "id": str(distribution.pk),
        "package_id": package_id,
        "name": distribution.title,
        "description": distribution.description,
        "format": distribution.format,
        "mimetype": distribution.media_type or None,
        "url": url,
        "url_type": "upload" if distribution.kind == "file" else None,
        "size": distribution.byte_size,
        "hash": f"sm3:{distribution.checksum}" if distribution.checksum else "",
        "position": distribution.position - 1,
        "created": timestamp(distribution.created_at),
        "last_modified": timestamp(distribution.modified_at),
        "metadata_modified": timestamp(distribution.modified_at),
        "state": "active",
        "resource_type": distribution.kind,
        "datastore_active": False,
    }


def field_dict(item) -> dict:
    """An information item (信息项) as the package's ``fields`` list holds it."""
    return {
        "name": item.name,
        "column": item.column,
        "data_type": item.data_type,
        "length": item.length,
        "description": item.description,
        "grade": item.grade,
        "share_type": item.share_type,
        "is_authoritative": item.is_authoritative,
    }


def package_dict(
    resource,
    *,
    organization: dict,
    group: dict,
    resources: list[dict],
    fields: list[dict],
    is_public: bool,
) -> dict:
    """A catalog entry as a CKAN package (dataset); ``private`` is "not open to the public"."""
    tags = [
        {"name": keyword, "display_name": keyword, "state": "active", "vocabulary_id": None}
        for keyword in resource.keywords
    ]
    return {
        "id": str(resource.pk),
        "name": resource.name,
        "title": resource.title,
        "notes": resource.summary,
        "type": "dataset",
        "state": "deleted" if resource.state in DELETED_STATES else "active",
        "private": not is_public,
        "owner_org": organization["id"],
        "organization": organization,
        "groups": [group],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "license_id": resource.license_id,
        "url": "",
        "version": str(resource.version),
        "author": "",
        "author_email": "",
        "maintainer": "",
        "maintainer_email": "",
        "metadata_created": timestamp(resource.created_at),
        "metadata_modified": timestamp(resource.modified_at),
        "creator_user_id": str(resource.created_by_id) if resource.created_by_id else None,
        "extras": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        # The catalog's own fields (ckanext-scheming style, top level).
        "code": resource.code,
        "category": resource.category.code,
        "catalog_state": resource.state,
        "grade": resource.grade,
        "share_type": resource.share_type,
        "share_condition": resource.share_condition,
        "share_method": resource.share_method,
        "open_type": resource.open_type,
        "open_condition": resource.open_condition,
        "update_frequency": resource.update_frequency,
        "resource_format": resource.resource_format,
        "domain": resource.domain,
        "published_on": resource.published_on.isoformat() if resource.published_on else None,
        "related_codes": list(resource.related_codes),
        "fields": fields,
    }


# --- package_search: fq and sort ----------------------------------------------------------

#: fq fields and the facet of the dataset search (``portal_selectors.FACETS``) each one
#: filters; ``owner_org`` takes a unit's id, which the API turns into its code.
FQ_FIELDS = {
    "organization": "provider_code",
    "owner_org": "provider_code",
    "groups": "category",
    "res_format": "format",
    "tags": "keyword",
    "license_id": "license",
    "domain": "domain",
    "update_frequency": "frequency",
    "open_type": "open_type",
    "grade": "grade",
}
#: fq terms CKAN's own pages add that every dataset here matches.
FQ_ALWAYS_TRUE = {("dataset_type", "dataset"), ("type", "dataset"), ("state", "active")}
#: facet.field names and the search's facets they count (``organization`` by code).
FACET_FIELDS = {name: facet for name, facet in FQ_FIELDS.items() if name != "owner_org"}
#: The sorts CKAN clients send and the search's orders that give them: relevance, most
#: recently changed first, by name (``title_string`` is CKAN's title order; names here
#: follow titles closely enough that clients asking for it get the name order).
SORTS = {
    ("score", True): "relevance",
    ("metadata_modified", True): "modified",
    ("name", False): "name",
    ("title_string", False): "name",
}
DEFAULT_SORT = "score desc, metadata_modified desc"

_FQ_TERM = re.compile(
    r"""\s*(?P<sign>[+-]?)(?P<field>[A-Za-z_]+):
        (?:"(?P<quoted>[^"]*)"|\((?P<group>[^)]*)\)|(?P<bare>[^\s"()]+))""",
    re.VERBOSE,
)


class FqError(ValueError):
    """An ``fq`` or ``sort`` the API cannot read; ``part`` is the offending text."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part


def parse_fq(fq: str) -> dict[str, list[str]]:
    """Read CKAN's Solr filter query as clients send it: ``field:value``, ``field:"a b"``,
    ``field:(a OR b)`` and ``+field:value`` terms joined by spaces or ``AND``, as values by
    facet (any of a facet's values; every facet must match). Anything else (another Solr
    syntax, an unknown field, an exclusion) raises FqError."""
    filters: dict[str, list[str]] = {}
    rest = (fq or "").strip()
    while rest:
        if rest.upper().startswith("AND "):
            rest = rest[4:].lstrip()
            continue
        match = _FQ_TERM.match(rest)
        if match is None or match["sign"] == "-":
            raise FqError(rest.split()[0])
        name, values = match["field"], _fq_values(match)
        rest = rest[match.end() :].lstrip()
        if all((name, value) in FQ_ALWAYS_TRUE for value in values):
            continue
        if name not in FQ_FIELDS:
            raise FqError(f"{name}:")
        filters.setdefault(FQ_FIELDS[name], []).extend(values)
    return filters


def _fq_values(match: re.Match) -> list[str]:
    if match["quoted"] is not None:
        return [match["quoted"]]
    if match["group"] is not None:
        parts = re.split(r"\s+OR\s+", match["group"].strip())
        return [part.strip().strip('"') for part in parts if part.strip()]
    return [match["bare"]]


def parse_sort(sort: str) -> str:
    """The search's order for CKAN's ``sort`` (``"metadata_modified desc"``): the first
    term decides, the rest are CKAN's tie-breakers, which the search orders by itself."""
    first = (sort or DEFAULT_SORT).split(",")[0].split()
    if not first or len(first) > 2:
        raise FqError(sort)
    direction = first[1].lower() if len(first) == 2 else "asc"
    order = SORTS.get((first[0], direction == "desc"))
    if direction not in ("asc", "desc") or order is None:
        raise FqError(sort)
    return order
