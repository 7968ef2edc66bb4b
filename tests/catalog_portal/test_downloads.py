"""Download counts (issue 11, point 5): counted on the file's public download address only
(not on a page view, a 304 or a resumed range), shown on the dataset page, in
``package_show``/``package_search``/``resource_show`` as CKAN's ``tracking_summary``, and
the portal's list ordered by them (下载最多)."""

import datetime as dt

import pytest
from django.urls import reverse

from shuzheng import clock
from shuzheng.catalog import tracking
from shuzheng.catalog.models import DataResource, DownloadCount
from tests.catalog_portal.test_previews_and_downloads import add_file, scenic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "header", "counted"),
    [
        (200, None, True),
        (200, "", True),
        (206, "bytes=0-", True),
        (206, "bytes=0-99", True),
        (206, "bytes=100-", False),
        (206, "bytes=-500", False),
        (200, "items=5-", True),
        (304, None, False),
        (404, None, False),
    ],
)
def test_what_counts_as_a_download(status, header, counted):
    assert tracking.is_new_download(status=status, range_header=header) is counted


def test_recent_is_the_last_fourteen_days_today_included():
    assert tracking.recent_since(dt.date(2026, 12, 14)) == dt.date(2026, 12, 1)


def download(client, resource, item, **headers):
    return client.get(
        reverse("catalog_dcat:download", args=[resource.pk, item.pk]), headers=headers
    )


def package(client, resource):
    response = client.get("/api/3/action/package_show", {"id": resource.name})
    return response.json()["result"]


def test_downloads_count_on_the_download_address_only(client, sample_catalog):
    resource = scenic()
    item = resource.distributions.get()
    client.get(reverse("catalog_portal:dataset", args=[resource.pk]))
    client.get(reverse("catalog_portal:distribution", args=[resource.pk, item.pk]))
    assert not DownloadCount.objects.exists()  # page views and previews are not downloads
    first = download(client, resource, item)
    assert first.status_code == 200
    download(client, resource, item, **{"If-None-Match": first["ETag"]})  # 304
    download(client, resource, item, Range="bytes=100-")  # a resume
    download(client, resource, item, Range="bytes=0-")
    assert DownloadCount.objects.get(distribution=item).count == 2


def test_counts_in_ckan_answers_and_the_dataset_page(client, sample_catalog):
    resource = scenic()
    item = resource.distributions.get()
    other = add_file(resource, "more.csv", b"a,b\n1,2\n", fmt="CSV", title="景区补充")
    DownloadCount.objects.create(
        distribution=item, day=clock.today() - dt.timedelta(days=30), count=5
    )
    for _ in range(2):
        download(client, resource, item)
    download(client, resource, other)
    shown = package(client, resource)
    assert shown["tracking_summary"] == {"total": 8, "recent": 3}
    by_id = {r["id"]: r["tracking_summary"] for r in shown["resources"]}
    assert by_id == {
        str(item.pk): {"total": 7, "recent": 2},
        str(other.pk): {"total": 1, "recent": 1},
    }
    resource_show = client.get("/api/3/action/resource_show", {"id": item.pk}).json()["result"]
    assert resource_show["tracking_summary"] == {"total": 7, "recent": 2}
    found = client.get("/api/3/action/package_search", {"q": "景区", "rows": 50}).json()
    [hit] = [p for p in found["result"]["results"] if p["name"] == resource.name]
    assert hit == shown
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = client.get(reverse("catalog_portal:dataset", args=[resource.pk]))
    assert page.context["downloads"] == {"total": 8, "recent": 3}
    assert [d.downloads for d in page.context["distributions"]] == [7, 1]
    text = page.content.decode()
    assert "下载次数" in text and "8 次（近 14 天 3 次）" in text


def test_the_portal_lists_the_most_downloaded_first(client, sample_catalog):
    public = list(DataResource.objects.open_to_public().order_by("pk"))
    first = scenic()
    extra = next(r for r in public if r.provider_id != first.provider_id)
    item = add_file(extra, "x.csv", b"a\n1\n", fmt="CSV")
    for _ in range(3):
        download(client, extra, item)
    download(client, first, first.distributions.get())
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.get(reverse("catalog_portal:home"), {"sort": "downloads"})
    assert response.status_code == 200
    ids = [dataset.pk for dataset in response.context["datasets"]]
    assert ids[:2] == [extra.pk, first.pk]
    assert sorted(ids) == [r.pk for r in public] and response.context["results"].total == len(ids)
    newest_first = client.get(reverse("catalog_portal:home"), {"sort": "modified"})
    rest = [dataset.pk for dataset in newest_first.context["datasets"]]
    assert ids[2:] == [pk for pk in rest if pk not in (extra.pk, first.pk)]
    text = response.content.decode()
    assert "下载最多" in text and "下载 3 次" in text
    by_provider = client.get(
        reverse("catalog_portal:home"), {"sort": "downloads", "provider": first.provider.name}
    )
    shown = [dataset.pk for dataset in by_provider.context["datasets"]]
    assert shown[0] == first.pk and extra.pk not in shown
