"""The catalog office's statistics page (issue 11, point 7): entries by unit, grade, share
type and open type, and the coverage of the one ledger (一本账) — the registry's units that
have registered nothing, withdrawn entries not counted."""

import pytest
from django.urls import reverse

from shuzheng.catalog import services
from shuzheng.catalog.models import DataResource
from shuzheng.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_the_statistics_count_every_entry_and_list_the_units_without_any(
    client, sample_catalog, office
):
    client.force_login(office)
    response = client.get(reverse("catalog:statistics"))
    assert response.status_code == 200
    counted = DataResource.objects.exclude(state="withdrawn")
    assert sum(bar.count for bar in response.context["bars"]["grade"]) == counted.count()
    providers = set(counted.values_list("provider_id", flat=True))
    missing = list(response.context["missing_units"])
    assert {unit.pk for unit in missing} == set(
        Unit.objects.exclude(pk__in=providers).values_list("pk", flat=True)
    )
    coverage = response.context["coverage"]
    assert coverage == {
        "units": Unit.objects.count(),
        "registered": len(providers),
        "missing": len(missing),
    }
    page = response.content.decode()
    assert missing and missing[0].name in page


def test_a_unit_whose_only_entry_is_withdrawn_counts_as_registering_nothing(
    client, sample_catalog, office
):
    resource = DataResource.objects.get(title="宁夏A级旅游景区名录")
    assert DataResource.objects.filter(provider=resource.provider).count() == 1
    client.force_login(office)
    before = client.get(reverse("catalog:statistics")).context
    assert resource.provider not in list(before["missing_units"])
    services.withdraw(actor=None, resource=resource, reason="示例撤回")
    after = client.get(reverse("catalog:statistics")).context
    assert resource.provider in list(after["missing_units"])
    assert after["coverage"]["missing"] == before["coverage"]["missing"] + 1
