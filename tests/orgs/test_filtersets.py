"""The units list's FilterSet (used by /api/v1/orgs/units)."""

import pytest

from shuzheng.orgs import selectors, services
from shuzheng.orgs.filtersets import UnitFilterSet

pytestmark = pytest.mark.django_db


def search_units(**data):
    filterset = UnitFilterSet(data, queryset=selectors.units())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def test_search_units_by_region_kind_and_alias():
    services.load_sample_registry()
    in_yinchuan = search_units(region="640100")
    assert in_yinchuan.count() == 7
    assert set(search_units(kind="vertical").values_list("code", flat=True)) >= {
        "nx-taxation",
        "nx-securities-regulatory",
    }
    assert list(search_units(q="发改委").values_list("code", flat=True)) == [
        "nx-development-reform"
    ]


def test_an_unknown_kind_is_refused_with_the_choices_message():
    filterset = UnitFilterSet({"kind": "ministry"}, queryset=selectors.units())
    assert not filterset.is_valid()
    assert "ministry" in filterset.error_text()


def test_regions_by_level_and_parent(client):
    services.load_sample_registry()
    counties = client.get("/api/v1/orgs/regions", {"parent": "640500"}).json()
    assert counties and {region["parent_code"] for region in counties} == {"640500"}
    cities = client.get("/api/v1/orgs/regions", {"level": "city"}).json()
    assert cities and {region["level"] for region in cities} == {"city"}
    assert client.get("/api/v1/orgs/regions", {"level": "planet"}).status_code == 422
