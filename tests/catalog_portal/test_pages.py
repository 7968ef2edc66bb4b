"""The portal's pages (issue 11, item 5): the home's search, counts, facets, paging and
sorting; the dataset page; nothing of what is not public shows, whoever asks."""

import pytest
from django.urls import reverse

from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import ANONYMOUS, ROLES
from shuzheng.catalog.models import DataResource
from shuzheng.catalog.portal_views import FACET_SHOWN, PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_the_home_lists_the_open_catalog_with_counts_and_facets(client, sample_catalog):
    response = client.get(reverse("catalog_portal:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "10 open datasets" in page
    for title in DataResource.objects.open_to_public().values_list("title", flat=True):
        assert title in page
    for hidden in DataResource.objects.exclude(
        pk__in=DataResource.objects.open_to_public()
    ).values_list("title", flat=True):
        assert hidden not in page
    names = [facet["name"] for facet in response.context["facets"]]
    assert names == ["provider", "domain", "format", "frequency", "open_type"]
    assert "Open unconditionally" in page


def test_a_facet_link_filters_and_links_back_to_its_removal(client, sample_catalog):
    response = client.get(reverse("catalog_portal:home"), {"open_type": "conditional"})
    assert response.context["results"].total == 2
    open_type = next(f for f in response.context["facets"] if f["name"] == "open_type")
    (active,) = open_type["shown"]
    assert active["active"] and "open_type" not in active["url"]


def test_searching_words_ranks_the_matching_dataset_first(client, sample_catalog):
    response = client.get(reverse("catalog_portal:home"), {"q": "空气质量"})
    assert response.context["datasets"][0].title == "银川市环境空气质量日报"
    assert response.context["sort"] == "relevance"


def test_a_bad_query_is_a_clear_message_not_an_error(client, sample_catalog):
    response = client.get(reverse("catalog_portal:home"), {"q": '"未闭合'})
    assert response.status_code == 400
    assert "A quotation mark is not closed." in response.content.decode()
    response = client.get(reverse("catalog_portal:home"), {"page": "99999999999999999999"})
    assert response.status_code == 200
    assert response.context["page"] == 1


def test_paging_and_sorting_by_name(client, sample_catalog, monkeypatch):
    monkeypatch.setattr("shuzheng.catalog.portal_views.PAGE_SIZE", 4)
    first = client.get(reverse("catalog_portal:home"), {"sort": "name"})
    third = client.get(reverse("catalog_portal:home"), {"sort": "name", "page": "3"})
    names = sorted(DataResource.objects.open_to_public().values_list("name", flat=True))
    assert [d.name for d in first.context["datasets"]] == names[:4]
    assert [d.name for d in third.context["datasets"]] == names[8:]
    assert first.context["next_url"] == "?sort=name&page=2"
    assert third.context["next_url"] == "" and third.context["pages"] == 3


def test_a_long_facet_is_collapsed_after_its_top_values(client, sample_catalog):
    assert FACET_SHOWN == 8 and PAGE_SIZE == 20
    provider = next(
        f
        for f in client.get(reverse("catalog_portal:home")).context["facets"]
        if f["name"] == "provider"
    )
    assert len(provider["shown"]) == 8 and len(provider["more"]) == 2
    assert not provider["more_active"]


def test_the_dataset_page_shows_metadata_items_files_and_dcat_links(client, sample_catalog):
    resource = DataResource.objects.get(title="宁夏A级旅游景区名录")
    response = client.get(reverse("catalog_portal:dataset", args=[resource.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for item in resource.fields.all():
        assert item.name in page
    distribution = resource.distributions.get()
    assert f"/dataset/{resource.pk}/resource/{distribution.pk}/download" in page
    for suffix in ("ttl", "xml", "jsonld"):
        assert f"/dataset/{resource.pk}.{suffix}" in page


def test_a_conditionally_open_dataset_shows_its_conditions_instead_of_a_download(
    client, sample_catalog
):
    resource = DataResource.objects.filter(open_type="conditional").first()
    page = client.get(reverse("catalog_portal:dataset", args=[resource.pk])).content.decode()
    assert "released on application" in page
    assert "/download" not in page
    if resource.open_condition:
        assert resource.open_condition in page


@pytest.mark.parametrize("which", ["core", "important", "draft", "submitted"])
def test_what_is_not_public_is_a_404_for_every_role(client, sample_catalog, which):
    rows = DataResource.objects.all()
    resource = rows.filter(grade=which).first() or rows.filter(state=which).first()
    assert not resource.is_public
    path = reverse("catalog_portal:dataset", args=[resource.pk])
    assert client.get(path).status_code == 404
    for role in ROLES:
        if role == ANONYMOUS:
            continue
        user = User.objects.create_user(f"u-{role}", role=role, unit=resource.provider)
        client.force_login(user)
        assert client.get(path).status_code == 404, role
