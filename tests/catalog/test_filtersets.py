"""The catalog's FilterSets: every filter, the order, and bad values dropped with a
message (never a guess, never a 500)."""

import pytest

from shuzheng.catalog.filtersets import ResourceFilterSet, ReviewQueueFilterSet
from shuzheng.catalog.models import DataResource

pytestmark = pytest.mark.django_db


def codes(data):
    return [r.code for r in ResourceFilterSet(data, queryset=DataResource.objects.all()).qs]


@pytest.mark.parametrize(
    "name",
    ["state", "share_type", "open_type", "grade", "update_frequency"],
)
def test_each_choice_filter_keeps_only_its_value(sample_catalog, name):
    values = set(DataResource.objects.values_list(name, flat=True))
    assert len(values) > 1, f"the sample catalog has one {name} only"
    for value in values:
        found = codes({name: value})
        expected = DataResource.objects.filter(**{name: value}).values_list("code", flat=True)
        assert sorted(found) == sorted(expected) and found


def test_category_keeps_the_node_and_everything_under_it(sample_catalog):
    top = DataResource.objects.order_by("code").first().category.code[:1]
    found = codes({"category": top})
    assert found and all(code.startswith(top) for code in found)
    assert len(found) == DataResource.objects.filter(code__startswith=top).count()


def test_provider_and_words(sample_catalog):
    assert set(codes({"provider": "nx-culture-tourism"})) == set(
        DataResource.objects.filter(provider__code="nx-culture-tourism").values_list(
            "code", flat=True
        )
    )
    assert codes({"q": "A级旅游景区"}) == ["304001/000001"]


def test_sorting(sample_catalog):
    assert codes({}) == sorted(codes({}))
    by_title = [
        r.title
        for r in ResourceFilterSet({"sort": "title"}, queryset=DataResource.objects.all()).qs
    ]
    assert by_title == sorted(by_title)


def test_a_bad_value_is_dropped_and_named():
    filterset = ResourceFilterSet({"grade": "secret"}, queryset=DataResource.objects.all())
    assert not filterset.is_valid()
    assert "Grade" in filterset.error_text()


def test_the_review_queue_lists_submitted_entries_oldest_first(sample_catalog):
    rows = list(ReviewQueueFilterSet({}, queryset=DataResource.objects.all()).qs)
    assert rows and {row.state for row in rows} == {"submitted"}
    assert [row.submitted_at for row in rows] == sorted(row.submitted_at for row in rows)
