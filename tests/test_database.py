"""Guards that the CI's two runs really use the database they claim to."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_expected_database():
    expected = os.environ.get("SHUZHENG_EXPECT_DATABASE")
    if expected is None:
        pytest.skip("SHUZHENG_EXPECT_DATABASE not set (only CI pins the database)")
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone()[0] == 1
