"""The API keeps its OpenAPI contract (issue 9): schemathesis generates requests for every
operation from the live schema, anonymously and with a token of each role, over the sample
data; no answer may be a server error, have a status code the operation does not declare,
another content type, or a body that does not conform to the declared schema.

Bounded so that it runs in ``make test`` and CI: a fixed number of examples per operation
and role, generated deterministically (``derandomize``), without shrinking. To run it
against a live server instead (``make run``), see docs/security.md, "Input validation and
API contract".
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shuzheng.accounts.permissions import ROLES
from shuzheng.accounts.services import create_token
from shuzheng.dashboard.samples import load_sample_rules
from shuzheng.documents.samples import ingest_sample_gazette
from shuzheng.orgs.services import load_sample_registry
from shuzheng.wsgi import application

#: Requests per operation and role: 46 operations × 7 roles stay within about two minutes.
EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction():
    """Requests reach Django through WSGI, in this thread and on this test's connection:
    like Django's test client, keep the request signals from closing that connection
    (which would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sample_world(matrix_world, in_test_transaction):
    """The sample registry, gazette and rules, and a read-write token for each role."""
    load_sample_registry()
    ingest_sample_gazette()
    load_sample_rules()
    headers = {}
    for role in ROLES:
        user = matrix_world.user(role)
        if user is None:
            headers[role] = {}
            continue
        _token, secret = create_token(user, name="contract", scopes=["read", "write"], actor=None)
        headers[role] = {"Authorization": f"Bearer {secret}"}
    return headers


def failures_of(operation, headers: dict) -> list[str]:
    """The contract failures of ``EXAMPLES`` generated requests to ``operation``."""
    found: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failures:
            found.append(str(failures))

    run()
    return found


def test_every_operation_keeps_its_contract_for_every_role(sample_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    report = []
    for role, headers in sample_world.items():
        for operation in operations:
            for failure in failures_of(operation, headers):
                report.append(f"{role} {operation.label}: {failure}")
    assert not report, "\n\n".join(report[:20]) + f"\n\n({len(report)} failures)"
