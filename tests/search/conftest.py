"""Fixtures of the search tests: the sample gazette indexed through the services."""

import pytest

from shuzheng.search import services
from tests.search.sample_items import sample_items


@pytest.fixture
def indexed(db):
    """The sample gazette in the index (both documents, their sections and key tasks)."""
    items = sample_items()
    services.rebuild(items)
    return items


@pytest.fixture
def run_search():
    """search(text, **filters) → SearchResults, as an anonymous visitor."""
    from shuzheng.search.query import SearchQuery

    def run(text="", user=None, **params):
        return services.search(SearchQuery(text=text, **params), user=user)

    return run
