"""CKAN's own client against a live server: ``ckanapi.RemoteCKAN`` lists, shows, searches,
creates and patches datasets and uploads a resource; ``ckanapi dump datasets --all`` (the
command, in a subprocess) dumps the sample catalog as JSON lines."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError
from ckanapi.errors import CKANAPIError, SearchQueryError

from shuzheng.accounts.choices import Role
from shuzheng.accounts.services import create_token
from shuzheng.catalog.models import DataResource
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from tests.catalog.conftest import make_user
from tests.catalog_ckan.test_read import CORE, PUBLIC

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_sample_registry()
    load_sample_catalog()
    return live_server.url


def token_of(username, role, unit_code=None):
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    user = make_user(username, role, unit)
    _token, secret = create_token(user, name="ckanapi", scopes=["read", "write"], actor=user)
    return secret


def test_remote_ckan_reads_the_public_catalog(site):
    with RemoteCKAN(site) as public:
        assert set(public.action.package_list()) == PUBLIC
        package = public.action.package_show(id="nx-schools")
        assert package["organization"]["name"] == "nx-education"
        assert public.action.resource_show(id=package["resources"][0]["id"])["format"] == "CSV"
        assert "nx-education" in public.action.organization_list()
        groups = public.action.group_list(all_fields=True)
        assert sum(group["package_count"] for group in groups) == len(PUBLIC)
        assert public.action.status_show()["ckan_version"].startswith("2.")
        with pytest.raises(NotFound):
            public.action.package_show(id=CORE)
        with pytest.raises(NotAuthorized):
            public.action.package_create(name="x")
        with pytest.raises(CKANAPIError):  # CKAN's bare "Bad request" string
            public.call_action("package_shwo", {})
    with RemoteCKAN(site, get_only=True) as by_get:
        assert by_get.action.package_show(id="nx-schools")["id"] == package["id"]


def test_remote_ckan_searches_by_post_and_by_get(site):
    office = token_of("office", Role.SUPERVISOR)
    with RemoteCKAN(site) as public, RemoteCKAN(site, get_only=True) as by_get:
        for client in (public, by_get):
            found = client.action.package_search(
                q="学校",
                fq="organization:nx-education",
                rows=5,
                **{"facet.field": ["res_format", "organization"], "facet.limit": 10},
            )
            assert [item["name"] for item in found["results"]] == ["nx-schools"]
            assert found["count"] == 1 and found["facets"]["organization"] == {"nx-education": 1}
            everything = client.action.package_search(rows=1000, include_private=True)
            assert {item["name"] for item in everything["results"]} == PUBLIC
            with pytest.raises(ValidationError):
                client.action.package_search(rows="many")
            with pytest.raises(SearchQueryError):
                client.action.package_search(fq="colour:red")
    with RemoteCKAN(site, apikey=office) as catalog_office:
        private = catalog_office.action.package_search(rows=1000, include_private=True)
        names = {item["name"] for item in private["results"]}
        assert names > PUBLIC and CORE not in names and private["count"] == len(names)


def test_remote_ckan_creates_patches_and_uploads(site):
    secret = token_of("yjt", Role.UNIT_STAFF, "nx-emergency-management")
    with RemoteCKAN(site, apikey=secret) as provider:
        created = provider.action.package_create(
            name="nx-emergency-shelters",
            title="应急避难场所名录",
            notes="全区应急避难场所。",
            owner_org="nx-emergency-management",
            category="304001",
            share_type="unconditional",
            open_type="unconditional",
            update_frequency="yearly",
            tags=[{"name": "应急"}],
            fields=[{"name": "场所名称", "data_type": "string"}],
        )
        assert created["private"] is True
        patched = provider.action.package_patch(id=created["id"], title="避难场所名录")
        assert patched["title"] == "避难场所名录" and patched["notes"] == "全区应急避难场所。"
        with pytest.raises(ValidationError) as refused:
            provider.action.package_patch(id=created["id"], share_type="sometimes")
        assert "share_type" in refused.value.error_dict
        data = "场所名称\n示例避难场所\n".encode("gb18030")
        uploaded = provider.action.resource_create(
            package_id=created["id"], name="名录", upload=("shelters.csv", io.BytesIO(data))
        )
        assert uploaded["url_type"] == "upload" and uploaded["format"] == "CSV"
        private = provider.action.package_list(include_private=True)
        assert "nx-emergency-shelters" in private
        found = provider.action.package_show(id="nx-emergency-shelters")
        assert [item["id"] for item in found["resources"]] == [uploaded["id"]]
    stored = DataResource.objects.get(name="nx-emergency-shelters").distributions.get()
    assert Path(stored.file.path).read_bytes() == data
    with RemoteCKAN(site) as public, pytest.raises(NotFound):
        public.action.package_show(id="nx-emergency-shelters")


def test_ckanapi_dump_datasets_all_yields_the_public_catalog(site):
    bin_dir = Path(sys.executable).parent
    environment = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [str(bin_dir / "ckanapi"), "dump", "datasets", "--all", "-q", "-r", site],
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    packages = [json.loads(line) for line in lines]
    assert {package["name"] for package in packages} == PUBLIC
    assert all(package["private"] is False for package in packages)
    assert CORE not in done.stdout.decode()
