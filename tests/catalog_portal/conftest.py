"""Fixtures of the portal tests: the catalog's (registry, sample catalog, provider staff,
the catalog office) and the sample catalog in the search index."""

import pytest

from tests.catalog.conftest import make_user, media, office, provider_staff, registry  # noqa: F401


@pytest.fixture
def sample_catalog(registry):  # noqa: F811
    """The sample catalog loaded through the services: its published entries are indexed
    by the publish step itself."""
    from shuzheng.catalog.samples import load_sample_catalog

    load_sample_catalog()
