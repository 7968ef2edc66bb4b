"""Fixtures of the catalog import page and API tests: the catalog's (registry, a provider's
staff, the catalog office, a temporary MEDIA_ROOT)."""

from tests.catalog.conftest import (  # noqa: F401
    make_user,
    media,
    office,
    other_staff,
    provider_staff,
    registry,
)
