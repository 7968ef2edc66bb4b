"""Fixtures shared by the whole suite."""

from tests.permissions import matrix_world  # noqa: E402, F401 - one user per role, for every app
