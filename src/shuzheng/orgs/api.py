"""JSON API of the organisations registry: /api/v1/orgs/... — public and read-only.

Changes go through the Django admin (audited by orgs.services) or ``shuzheng loadorgs``.
"""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shuzheng.accounts.api_auth import PUBLIC
from shuzheng.accounts.authorization import api_requires
from shuzheng.api_contract import Key, Pagination, Text
from shuzheng.filtersets import filter_or_422, query_schema
from shuzheng.orgs import selectors, services
from shuzheng.orgs.filtersets import RegionFilterSet, UnitFilterSet
from shuzheng.orgs.models import Region, Unit

router = Router(tags=["orgs"], auth=PUBLIC)
#: The longest 责任单位 text resolved (the sample gazette's longest has 95 characters): longer
#: ones are refused rather than walked, and the query string stays within what servers read.
RESOLVE_MAX_LENGTH = 300


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    aliases: list[str]
    kind: str
    region_code: str
    parent_code: str | None

    @staticmethod
    def resolve_region_code(obj: Unit) -> str:
        return obj.region.code

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id else None


RegionFilterIn = query_schema(RegionFilterSet, "RegionFilterIn")
UnitFilterIn = query_schema(UnitFilterSet, "UnitFilterIn")


class ResolutionOut(Schema):
    name: str
    written: str
    unit_codes: list[str]
    group: str | None
    group_name: str | None
    open_group: bool
    resolved: bool
    matched_by: str
    candidates: list[str]


class ResponsibilityOut(Schema):
    raw: str
    lead: list[ResolutionOut]
    owner: list[ResolutionOut]
    supporting: list[ResolutionOut]
    unresolved: list[str]


@router.get("/regions", response=list[RegionOut], operation_id="orgs_list_regions")
@api_requires("view_published")
def list_regions(request, filters: Query[RegionFilterIn]):
    """Administrative regions, by GB/T 2260 code; filter by level and parent region code."""
    return filter_or_422(RegionFilterSet, request, selectors.regions())


@router.get("/regions/{code}", response=RegionOut, operation_id="orgs_get_region")
@api_requires("view_published")
def get_region(request, code: Key):
    return get_object_or_404(Region.objects.select_related("parent"), code=code)


@router.get("/units", response=list[UnitOut], operation_id="orgs_list_units")
@api_requires("view_published")
@paginate(Pagination, page_size=50)
def list_units(request, filters: Query[UnitFilterIn]):
    """Units, by code; filter by region (with the regions below it), kind and text."""
    return filter_or_422(UnitFilterSet, request, selectors.units())


@router.get("/units/{code}", response=UnitOut, operation_id="orgs_get_unit")
@api_requires("view_published")
def get_unit(request, code: Key):
    return get_object_or_404(Unit.objects.select_related("region", "parent"), code=code)


@router.get("/resolve", response=ResponsibilityOut, operation_id="orgs_resolve")
@api_requires("view_published")
def resolve(request, text: Annotated[Text, Field(max_length=RESOLVE_MAX_LENGTH)]):
    """How a 责任单位 text resolves: lead, owner and supporting units, groups (open groups
    have no members), and the names that are not in the registry."""
    return services.resolve_responsibility(text).to_dict()
