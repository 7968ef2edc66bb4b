"""Issue 9, point 11: the OpenAPI schema tells the truth — one schema per name, anonymous
access declared where the public is let in, and every error answer declared."""

import json

import pytest
from ninja import Router, Schema

from shuzheng.accounts.api_auth import PUBLIC
from shuzheng.api import SchemaNameCollision, ShuzhengAPI, api


@pytest.fixture(scope="module")
def schema():
    return json.loads(json.dumps(api.get_openapi_schema()))  # as served: keys are text


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_two_different_schemas_with_one_name_are_refused():
    """The two TaskOut of issue 9 (one requiring fields the other does not return) would
    have been one entry in the document; now building the document fails."""
    first, second = Router(), Router()

    class TaskOut(Schema):
        id: int

    @first.get("/a", response=TaskOut)
    def a(request):
        return {"id": 1}

    class TaskOut(Schema):  # noqa: F811 - the collision under test
        id: int
        reports: list[str]

    @second.get("/b", response=TaskOut)
    def b(request):
        return {"id": 1, "reports": []}

    colliding = ShuzhengAPI(urls_namespace="colliding")
    colliding.add_router("/first/", first)
    colliding.add_router("/second/", second)
    with pytest.raises(SchemaNameCollision, match="TaskOut"):
        colliding.get_openapi_schema(path_prefix="")


def test_the_api_schema_builds_with_unique_names(schema):
    assert {"TaskOut", "TaskRowOut", "DocumentTaskOut", "UnitOut", "UnitRefOut"} <= set(
        schema["components"]["schemas"]
    )


def test_resolve_documents_the_fields_it_returns(schema, client, db):
    """/orgs/resolve answers with ResponsibilityOut, as the schema says."""
    reference = schema["paths"]["/api/v1/orgs/resolve"]["get"]["responses"]["200"]
    ref = reference["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    declared = schema["components"]["schemas"][ref]
    answer = client.get("/api/v1/orgs/resolve", {"text": "自治区财政厅牵头"}).json()
    assert set(answer) == set(declared["properties"]) == set(declared["required"])


def test_public_operations_declare_anonymous_access(schema):
    public = {
        op.operation_id
        for router in (api._get_bound_routers())
        for view in router.path_operations.values()
        for op in view.operations
        if any(auth is PUBLIC[-1] for auth in op.auth_callbacks)
    }
    assert {"documents_list", "tasks_detail", "search", "orgs_resolve"} <= public
    for _path, _method, operation in operations(schema):
        anonymous = {} in operation["security"]
        assert anonymous == (operation["operationId"] in public), operation["operationId"]


def test_every_operation_declares_its_error_answers(schema):
    for path, _method, operation in operations(schema):
        declared = set(operation["responses"])
        assert {"401", "403"} <= declared, operation["operationId"]
        if "{" in path:
            assert "404" in declared, operation["operationId"]
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in declared, operation["operationId"]
        if operation.get("requestBody"):
            assert "400" in declared, operation["operationId"]
        for status in declared - {"200", "201", "204"}:
            content = operation["responses"][status].get("content", {})
            assert content, f"{operation['operationId']} {status} has no body schema"


def test_a_body_that_cannot_be_parsed_is_a_declared_400(schema, client, matrix_world):
    client.force_login(matrix_world.users["supervisor"])
    response = client.post("/api/v1/tasks/", "{", content_type="application/json")
    assert response.status_code == 400
    assert "400" in schema["paths"]["/api/v1/tasks/"]["post"]["responses"]


def test_declared_answers_of_handlers_that_refuse(schema):
    """Codes handlers give themselves: search's 400, a refused task step's 409, a
    subscription to a document that does not exist (404)."""
    paths = schema["paths"]
    assert "400" in paths["/api/v1/search"]["get"]["responses"]
    assert "409" in paths["/api/v1/tasks/{task_id}/close"]["post"]["responses"]
    assert "409" in paths["/api/v1/accounts/tokens/{prefix}"]["delete"]["responses"]
    assert "404" in paths["/api/v1/subscriptions/"]["post"]["responses"]
