"""Fixtures shared by the whole suite."""

import os

import pytest
from django.conf import settings
from django.utils import translation

from tests.permissions import matrix_world  # noqa: F401 - one user per role, for every app
from tests.smtp import LocalSMTPServer


def pytest_configure(config):
    """Tests read static files where they lie, as runserver does: production's hashed and
    compressed copies exist only after ``collectstatic`` (tests/test_serve.py runs it
    to check them)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tests never commit (their transactions are rolled back): index changes are applied to
    # the search engine in the writing transaction, not after its commit.
    settings.SEARCH_INDEX_AT_ONCE = True
    # whitenoise warns that STATIC_ROOT is missing: tests serve nothing from it.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


#: The fixtures through which a test reaches the database (pytest-django's).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def pytest_collection_modifyitems(config, items):
    """``SHUZHENG_DATABASE_TESTS_ONLY=1`` (.ci/run's second run, on PostgreSQL) runs only the
    tests that reach the database: the others — parsers, pure rules, fuzzing, the deploy
    check's subprocesses — gave their result on the first run and would give it again; so
    did the ``presentation`` checks (axe on every page, layout, the content policy in the
    browser), whose pages every route's permission case also renders on PostgreSQL."""
    if os.environ.get("SHUZHENG_DATABASE_TESTS_ONLY") != "1":
        return
    kept, left = [], []
    for item in items:
        reaches = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        )
        reaches = reaches and not item.get_closest_marker("presentation")
        (kept if reaches else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(autouse=True)
def search_index(settings):
    """Each test its own search engine index, in memory (as each test has its own
    rolled-back database); tests of the index on disk set ``SEARCH_INDEX_IN_MEMORY`` off
    and ``SEARCH_INDEX_DIR`` to a directory of their own."""
    from shuzheng.search.services import forget_memory_engine

    settings.SEARCH_INDEX_IN_MEMORY = True
    forget_memory_engine()
    yield
    forget_memory_engine()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; the platform's mailer is pointed at it."""
    with LocalSMTPServer() as server:
        settings.MAILERS = server.mailer_settings()
        yield server


@pytest.fixture(autouse=True)
def english_ui(request, settings):
    """Tests assert the English msgids unless marked ``chinese_ui``.

    The product's default language is Simplified Chinese; its catalogue is checked by
    tests/test_translations.py and by the tests marked ``chinese_ui`` (and browsers that
    send ``Accept-Language: zh-CN`` still get Chinese pages).
    """
    if request.node.get_closest_marker("chinese_ui"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
