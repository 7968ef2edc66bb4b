"""The permission-matrix machinery: every route, every role, one expectation.

Each app declares, in ``tests/<app>/test_permissions.py`` (with a ``tests/<app>/__init__.py``
beside it)::

    from tests.permissions import Case, matrix_test, SIGNED_IN

    MATRIX = [
        Case("orgs:registry", allowed=EVERYONE),
        Case("api:audit_events", allowed={"supervisor", "administrator"}),
        Case("api:tasks_report", method="post", path=lambda w: f"/api/v1/tasks/{w.objects['task'].pk}/reports",
             json={"text": "done"}, allowed=UNIT_MEMBERS, auth="token"),
    ]
    test_matrix = matrix_test(MATRIX, setup=make_objects)   # setup(world) -> dict, optional

For each case and each role the runner signs in a user of that role (``client.force_login``,
or a bearer token when ``auth="token"``), performs the request and asserts:

* allowed → neither 401/403, nor 404/405 (a wrong path must not pass as "allowed"), nor a
  redirect to the login page;
* denied → 401 or 403, or for anonymous visitors of HTML pages a redirect to the login page.

``tests/test_permission_coverage.py`` fails naming every URL and API operation that no
``MATRIX`` covers.

Field groups (issue 9, point 3): a route lets a reader reach an object, each field group
of ``permissions.FIELD_GROUPS`` decides which parts of it they read. Beside ``MATRIX``, an
app declares ``FIELD_MATRIX`` of :class:`FieldCase`: a path, a marker text that only that
group's data carries, and the roles that read it::

    FIELD_MATRIX = [
        FieldCase("task.reports", path=page("theirs"), marker="REPORT-OTHER-UNIT",
                  allowed=SUPERVISORS),
    ]
    test_field_matrix = field_matrix_test(FIELD_MATRIX, setup=make_story)

Allowed roles get a 200 answer with the marker in it; denied roles never see the marker
(whatever the status). The coverage test fails for a field group without a case that has
both an allowed and a denied role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from ninja.utils import normalize_path

from shuzheng.accounts.permissions import (
    ADMINISTRATOR,
    ANONYMOUS,
    CITIZEN,
    ENTERPRISE,
    ROLES,
    SUPERVISOR,
    UNIT_HEAD,
    UNIT_STAFF,
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
UNIT_MEMBERS = frozenset({UNIT_STAFF, UNIT_HEAD, ADMINISTRATOR})
UNIT_READERS = UNIT_MEMBERS | {SUPERVISOR}
SUPERVISORS = frozenset({SUPERVISOR, ADMINISTRATOR})
ADMINISTRATORS = frozenset({ADMINISTRATOR})
OWN_AFFAIRS = frozenset({CITIZEN, ENTERPRISE})

API_PREFIX = "/api/v1/"


@dataclass(frozen=True)
class Case:
    """One route and who may use it.

    ``route``: a URL name (``"orgs:registry"``) for pages, ``"api:<operation_id>"`` for API
    operations. ``path``: the concrete path, or a callable taking the :class:`World`; when
    omitted it is reversed from ``route`` (pages without arguments) or taken from the API
    operation's path (operations without path parameters).
    """

    route: str
    allowed: Iterable[str]
    method: str = "get"
    path: str | Callable[[World], str] | None = None
    data: dict | Callable[[World], dict] | None = None
    json: Any = None
    auth: str = "session"
    label: str = ""

    def __post_init__(self):
        unknown = set(self.allowed) - set(ROLES)
        if unknown:
            raise ValueError(f"{self.route}: unknown role(s) {sorted(unknown)}")
        if self.auth not in ("session", "token"):
            raise ValueError(f"{self.route}: auth must be 'session' or 'token'")
        object.__setattr__(self, "allowed", frozenset(self.allowed))
        object.__setattr__(self, "method", self.method.lower())

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api:")

    @property
    def id(self) -> str:
        suffix = f"-{self.label}" if self.label else ""
        return f"{self.route}-{self.method.upper()}-{self.auth}{suffix}"


@dataclass
class World:
    """The fixture data of a matrix test: one user per role, their unit, and an app's objects."""

    region: Any
    unit: Any
    other_unit: Any
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)
    #: The role the current request is made as, for paths that depend on it ("my token").
    role: str = ANONYMOUS

    def user(self, role: str):
        return self.users.get(role)


def make_world() -> World:
    """Create a region, two units and one active user per signed-in role.

    Unit staff and the unit head belong to ``unit``; ``other_unit`` is a unit they do not
    act for. Passwords are unusable: the runner signs in with ``force_login`` or a token.
    """
    from shuzheng.accounts.models import User
    from shuzheng.orgs.models import Region, Unit

    region = Region.objects.create(code="649900", name="Matrix Region", level="city")
    unit = Unit.objects.create(
        code="matrix-unit", name="Matrix Unit", kind="department", region=region
    )
    other_unit = Unit.objects.create(
        code="matrix-other-unit", name="Matrix Other Unit", kind="department", region=region
    )
    users = {ANONYMOUS: None}
    for role in ROLES[1:]:
        user = User(
            username=f"matrix_{role}",
            role=role,
            unit=unit if role in (UNIT_STAFF, UNIT_HEAD) else None,
        )
        user.set_unusable_password()
        user.save()
        users[role] = user
    return World(region=region, unit=unit, other_unit=other_unit, users=users)


@pytest.fixture
def matrix_world(db) -> World:
    """One user per role (see :func:`make_world`); usable by any test, not only matrices."""
    return make_world()


def api_operation_paths() -> dict[str, tuple[set[str], str]]:
    """``operation_id → (methods, path template)`` for every operation of ``shuzheng.api``."""
    from shuzheng.api import api

    found = {}
    api.urls  # noqa: B018 - binds the routers, so that operations know their final settings
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = normalize_path("/".join(part for part in (bound.prefix, path) if part))
            for operation in path_view.operations:
                operation_id = operation.operation_id or api.get_openapi_operation_id(operation)
                found[operation_id] = ({m.lower() for m in operation.methods}, full)
    return found


def resolve_path(case: Case, world: World) -> str:
    if callable(case.path):
        return case.path(world)
    if case.path is not None:
        return case.path
    if case.is_api:
        operation_id = case.route.removeprefix("api:")
        operations = api_operation_paths()
        if operation_id in operations:
            template = operations[operation_id][1]
            if "{" in template:
                raise AssertionError(f"{case.id}: path has parameters, give Case(path=...)")
            return API_PREFIX + template.lstrip("/")
    return reverse(case.route)


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return response["Location"].split("?")[0].endswith(reverse("accounts:login"))


def perform(client, case: Case, world: World, role: str):
    """Sign ``client`` in as ``role`` the way ``case`` asks and perform its request."""
    world.role = role
    user = world.user(role)
    headers = {}
    if user is not None and case.auth == "session":
        client.force_login(user)
    elif user is not None:
        from shuzheng.accounts.services import create_token

        _token, secret = create_token(user, name="matrix", scopes=["read", "write"], actor=None)
        headers["Authorization"] = f"Bearer {secret}"
    path = resolve_path(case, world)
    request = getattr(client, case.method)
    kwargs: dict[str, Any] = {"headers": headers}
    if case.json is not None:
        kwargs["data"] = case.json(world) if callable(case.json) else case.json
        kwargs["content_type"] = "application/json"
    elif case.data is not None:
        kwargs["data"] = case.data(world) if callable(case.data) else case.data
    return request(path, **kwargs)


def check_case(client, case: Case, world: World, role: str) -> None:
    response = perform(client, case, world, role)
    status = response.status_code
    where = f"{case.id} as {role}: {case.method.upper()} {response.request['PATH_INFO']} → {status}"
    if role in case.allowed:
        assert status not in (401, 403), f"{where}, but {role} is allowed"
        assert status not in (404, 405), f"{where}: allowed but route not found (check path)"
        assert not _is_login_redirect(response), f"{where} (login redirect), but {role} is allowed"
    else:
        denied = status in (401, 403) or (
            role == ANONYMOUS and not case.is_api and _is_login_redirect(response)
        )
        assert denied, f"{where}, but {role} must be denied"


def each_role(client, world: World, check: Callable[[Any, World, str], None]) -> None:
    """Run ``check(client, world, role)`` for every role, each in a savepoint rolled back
    after it, so that one role's request (a POST that creates, changes or deletes) is not
    seen by the next, as if each ran in a test of its own; the world and the app's objects
    are built once per case instead of once per role. Every role is checked: the failures
    are reported together."""
    from django.db import transaction

    failures = []
    for role in ROLES:
        client.logout()
        try:
            with transaction.atomic():
                check(client, world, role)
                transaction.set_rollback(True)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, "\n".join(failures)


def matrix_test(matrix: list[Case], setup: Callable[[World], dict] | None = None):
    """A pytest test function parametrized over every case of ``matrix``, each checked as
    every role (:func:`each_role`).

    ``setup(world)`` may create the app's objects; its dict lands in ``world.objects``.
    """
    ids = [case.id for case in matrix]
    duplicates = {case_id for case_id in ids if ids.count(case_id) > 1}
    if duplicates:
        raise ValueError(f"duplicate cases (give them a label): {sorted(duplicates)}")
    params = [pytest.param(case, id=case.id) for case in matrix]

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", params)
    def test_permission_matrix(case, client, matrix_world):
        if setup is not None:
            matrix_world.objects = setup(matrix_world) or {}
        each_role(client, matrix_world, lambda c, w, role: check_case(c, case, w, role))

    test_permission_matrix.matrix = matrix
    return test_permission_matrix


@dataclass(frozen=True)
class FieldCase:
    """One field group on one path: who reads it there, proven by a marker in the answer."""

    group: str
    #: A path, or a callable taking the :class:`World`; its ``where`` attribute names it in ids.
    path: str | Callable[[World], str]
    marker: str
    allowed: Iterable[str]
    auth: str = "session"
    label: str = ""

    def __post_init__(self):
        from shuzheng.accounts.permissions import field_group

        field_group(self.group)  # a misspelt group fails at collection
        unknown = set(self.allowed) - set(ROLES)
        if unknown:
            raise ValueError(f"{self.group}: unknown role(s) {sorted(unknown)}")
        object.__setattr__(self, "allowed", frozenset(self.allowed))

    @property
    def id(self) -> str:
        where = self.path if isinstance(self.path, str) else getattr(self.path, "where", "")
        return f"{self.group}-{where}-{self.auth}-{self.label or self.marker}"

    def as_case(self) -> Case:
        return Case(
            route=f"field:{self.group}", allowed=self.allowed, path=self.path, auth=self.auth
        )


def answer_text(response) -> str:
    """The answer as a reader gets it: JSON decoded (so that escaped characters compare)."""
    if response.get("Content-Type", "").startswith("application/json"):
        import json

        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def check_field_case(client, case: FieldCase, world: World, role: str) -> None:
    response = perform(client, case.as_case(), world, role)
    status = response.status_code
    where = f"{case.id} as {role}: GET {response.request['PATH_INFO']} → {status}"
    text = answer_text(response)
    if role in case.allowed:
        assert status == 200, f"{where}, but {role} reads {case.group}"
        assert case.marker in text, f"{where}: {case.marker!r} missing, but {role} reads it"
    else:
        assert status < 500, where
        assert case.marker not in text, f"{where}: {role} must not read {case.group}"


def field_matrix_test(matrix: list[FieldCase], setup: Callable[[World], dict] | None = None):
    """A pytest test function parametrized over every field case of ``matrix``, each checked
    as every role (:func:`each_role`)."""
    ids = [case.id for case in matrix]
    duplicates = {case_id for case_id in ids if ids.count(case_id) > 1}
    if duplicates:
        raise ValueError(f"duplicate field cases (give them a label): {sorted(duplicates)}")
    params = [pytest.param(case, id=case.id) for case in matrix]

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", params)
    def test_field_group_matrix(case, client, matrix_world):
        if setup is not None:
            matrix_world.objects = setup(matrix_world) or {}
        each_role(client, matrix_world, lambda c, w, role: check_field_case(c, case, w, role))

    test_field_group_matrix.matrix = matrix
    return test_field_group_matrix
