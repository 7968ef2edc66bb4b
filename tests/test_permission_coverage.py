"""Every page and every API operation has a permission-matrix Case (issue 2, "Foundation").

A route without a Case is a route whose access rules nobody wrote down; this test names it.
Cases live in ``tests/<app>/test_permissions.py`` as ``MATRIX = [...]``.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from shuzheng.accounts.permissions import FIELD_GROUPS, ROLES
from tests.permissions import api_operation_paths

TESTS_DIR = Path(__file__).resolve().parent

#: URL namespaces not walked, and why.
EXCLUDED_NAMESPACES = {
    # Django admin guards itself (is_staff, which follows the administrator role; see
    # tests/accounts/test_admin_access.py) and its dozens of generated URLs are Django's.
    "admin",
}
#: URL names (with namespace) not walked, and why.
EXCLUDED_NAMES = {
    # django.conf.urls.i18n: switches the interface language for anyone, stores nothing but a
    # cookie, and is CSRF-protected by Django's middleware.
    "set_language",
    # django-ninja's root pattern only lets it reverse the API prefix; it always answers 404.
    "api:api-root",
}
# Static files are not in the URL configuration at all (served by the web server or by
# runserver's staticfiles handler), so there is nothing to exclude for them.


def all_matrix_cases():
    cases = []
    for module_path in sorted(TESTS_DIR.glob("*/test_permissions.py")):
        app = module_path.parent.name
        assert (module_path.parent / "__init__.py").exists(), (
            f"tests/{app}/__init__.py is missing: without it test modules of the same name "
            "in different apps collide"
        )
        module = importlib.import_module(f"tests.{app}.test_permissions")
        assert hasattr(module, "MATRIX"), f"tests/{app}/test_permissions.py has no MATRIX"
        cases.extend(module.MATRIX)
    return cases


def all_field_cases():
    cases = []
    for module_path in sorted(TESTS_DIR.glob("*/test_permissions.py")):
        module = importlib.import_module(f"tests.{module_path.parent.name}.test_permissions")
        cases.extend(getattr(module, "FIELD_MATRIX", []))
    return cases


def page_route_names(patterns=None, namespace=""):
    """``namespace:name`` of every named URL pattern, except the API's own operations."""
    names = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in EXCLUDED_NAMESPACES:
                continue
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            names |= page_route_names(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in EXCLUDED_NAMES:
                names.add(name)
    return names


def required_routes():
    operations = api_operation_paths()
    api_operation_url_names = set()
    from shuzheng.api import api

    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                url_name = getattr(operation, "url_name", "") or api.get_operation_url_name(
                    operation, router=bound.template
                )
                api_operation_url_names.add(f"api:{url_name}")
    pages = page_route_names() - api_operation_url_names
    return pages | {f"api:{operation_id}" for operation_id in operations}


def test_every_route_has_a_matrix_case():
    covered = {case.route for case in all_matrix_cases()}
    missing = sorted(required_routes() - covered)
    assert not missing, (
        "routes without a permission-matrix Case (add them to tests/<app>/test_permissions.py "
        "MATRIX): " + ", ".join(missing)
    )


def test_every_matrix_case_names_an_existing_route():
    stale = sorted({case.route for case in all_matrix_cases()} - required_routes())
    assert not stale, "MATRIX cases for routes that do not exist: " + ", ".join(stale)


def test_every_api_operation_has_an_explicit_operation_id():
    from shuzheng.api import api

    implicit = sorted(
        api.get_openapi_operation_id(operation)
        for bound in api._get_bound_routers()
        for path_view in bound.path_operations.values()
        for operation in path_view.operations
        if not operation.operation_id
    )
    assert not implicit, "give these API operations an operation_id: " + ", ".join(implicit)


#: POST operations that write nothing and are public by their nature, with the reason.
PUBLIC_READ_ONLY_POSTS = {
    "api:trust_verify": "a validation report of an uploaded file (issue 10: public), throttled",
}


def test_unsafe_api_operations_are_never_anonymous():
    """Writes need an account: a Case allowing anonymous on POST/PUT/PATCH/DELETE is a bug."""
    offending = sorted(
        case.id
        for case in all_matrix_cases()
        if case.is_api and case.method not in ("get", "head", "options")
        if "anonymous" in case.allowed and case.route not in PUBLIC_READ_ONLY_POSTS
    )
    assert not offending, "anonymous writes allowed by: " + ", ".join(offending)


@pytest.mark.parametrize("group", [group.name for group in FIELD_GROUPS])
def test_every_field_group_has_an_allowed_and_a_denied_case(group):
    """Issue 9, point 3: a field group is proven by a case where some role reads it and some
    role does not; a new group in the vocabulary without such a case fails here."""
    cases = [case for case in all_field_cases() if case.group == group]
    assert any(case.allowed and set(ROLES) - case.allowed for case in cases), (
        f"field group {group!r} has no FieldCase where one role reads it and another does "
        "not (add one to a FIELD_MATRIX in tests/<app>/test_permissions.py)"
    )
