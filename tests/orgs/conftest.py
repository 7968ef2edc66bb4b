import pytest

from shuzheng.orgs.services import load_sample_registry


@pytest.fixture
def sample_registry(db):
    """The shipped Ningxia registry, loaded through the service."""
    load_sample_registry()
