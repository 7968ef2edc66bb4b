"""The JSON API under /api/v1/, with its OpenAPI page at /api/v1/docs.

Each domain app contributes one router from its own ``api.py``. Every operation needs a
bearer token or a signed-in session unless it says ``auth=PUBLIC``
(``shuzheng.accounts.api_auth``); what the caller may do is checked by ``@api_requires``,
or, for the routers of apps below accounts (audit), by ``operation_requires`` applied here.

The OpenAPI schema is kept truthful (issue 9, point 11) by :class:`ContractSchema`: two
different schemas may not share a name, public operations say that anonymous callers are
let in, and every operation declares the error answers it can give.
"""

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import BODY_CONTENT_TYPES, OpenAPISchema

from shuzheng.accounts.api import router as accounts_router
from shuzheng.accounts.api_auth import SIGNED_IN, AllowAnonymous
from shuzheng.accounts.authorization import operation_requires
from shuzheng.api_contract import STATUS_TEXT, ErrorOut, worded_checks, worded_detail
from shuzheng.audit.api import router as audit_router
from shuzheng.catalog.api import router as catalog_router
from shuzheng.catalog.import_api import router as catalog_imports_router
from shuzheng.catalog.quality_api import router as catalog_quality_router
from shuzheng.dashboard.api import router as dashboard_router
from shuzheng.documents.api import router as documents_router
from shuzheng.ecocomp.api import router as ecocomp_router
from shuzheng.exchange.data_api import router as exchange_data_router
from shuzheng.exchange.feed_api import router as exchange_feed_router
from shuzheng.exchange.problems import ExchangeProblem, problem_response
from shuzheng.hotline.api import router as hotline_router
from shuzheng.notifications.api import router as notifications_router
from shuzheng.orgs.api import router as orgs_router
from shuzheng.search.api import router as search_router
from shuzheng.subscriptions.api import router as subscriptions_router
from shuzheng.tasks.api import document_tasks_router
from shuzheng.tasks.api import router as tasks_router
from shuzheng.trust.api import router as trust_router
from shuzheng.trust.licence_api import router as licences_router


class SchemaNameCollision(ImproperlyConfigured):
    """Two different schemas have one name: the document would describe one of them twice
    and callers of the other would read a contract it does not keep."""


#: The answers every operation may give: a bearer token that does not authenticate (also on
#: public operations), and a caller without the permission, a read-only token on a write,
#: or a session request without its CSRF token.
EVERY_OPERATION = {401: "Unauthorized", 403: "Forbidden"}
#: An operation with a path parameter: the object it names does not exist.
WITH_PATH = {404: "Not Found"}
#: An operation with parameters or a body: they fail validation.
WITH_INPUT = {422: "Unprocessable Content"}
#: An operation with a body: the body cannot be parsed (not JSON, not multipart).
WITH_BODY = {400: "Bad Request"}


class ContractSchema(OpenAPISchema):
    """django-ninja's OpenAPI document, made to say what the API does."""

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                raise SchemaNameCollision(f"two different schemas are named {name!r}")
        super().add_schema_definitions(definitions)

    def operation_security(self, operation) -> list[dict] | None:
        """The schemes an operation accepts; ``{}`` (no credentials) where it lets the
        public in, as OpenAPI writes optional authentication."""
        security = super().operation_security(operation)
        if security is not None and any(
            isinstance(auth, AllowAnonymous) for auth in operation.auth_callbacks
        ):
            security.append({})
        return security

    def responses(self, operation) -> dict[int, dict]:
        """The operation's own responses, and the errors it may answer with ErrorOut."""
        result = super().responses(operation)
        errors = dict(EVERY_OPERATION)
        if "{" in operation.path:
            errors.update(WITH_PATH)
        if operation.models:
            errors.update(WITH_INPUT)
        if any(model.__ninja_param_source__ in BODY_CONTENT_TYPES for model in operation.models):
            errors.update(WITH_BODY)
        error_schema = self._create_schema_from_model(
            operation._create_response_model(ErrorOut), mode="serialization"
        )[0]
        for status, description in errors.items():
            result.setdefault(
                status,
                {
                    "description": description,
                    "content": {self.api.renderer.media_type: {"schema": error_schema}},
                },
            )
        return result


class ShuzhengAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ContractSchema(api=self, path_prefix=path_prefix)


api = ShuzhengAPI(
    title="shuzheng API",
    version="1",
    description="数政 — digital-government platform API",
    urls_namespace="api",
    auth=SIGNED_IN,
)


@api.exception_handler(ValidationError)
def validation_failed(request, exc: ValidationError):
    """422 with the failed checks worded in the caller's language."""
    return api.create_response(request, {"detail": worded_checks(exc.errors)}, status=422)


@api.exception_handler(HttpError)
def refused(request, exc: HttpError):
    return api.create_response(request, {"detail": worded_detail(str(exc))}, status=exc.status_code)


# The data exchange answers its refusals as problem details (exchange-data, issue 16).
api.add_exception_handler(ExchangeProblem, problem_response)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(STATUS_TEXT[404])}, status=404)


api.add_router("/orgs/", orgs_router)
api.add_router("/accounts/", accounts_router)
audit_router.add_decorator(operation_requires("view_audit"))
api.add_router("/audit/", audit_router, auth=SIGNED_IN)
api.add_router("/documents/", documents_router)
api.add_router("/documents/", document_tasks_router)
api.add_router("/tasks/", tasks_router)
api.add_router("/search", search_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/dashboard/", dashboard_router)
api.add_router("/subscriptions/", subscriptions_router)
api.add_router("/hotline/", hotline_router)
api.add_router("/catalog/", catalog_router)
api.add_router("/catalog/", catalog_quality_router)
api.add_router("/catalog/", catalog_imports_router)
api.add_router("/trust/", licences_router)
api.add_router("/trust/", trust_router)
api.add_router("/ecocomp/", ecocomp_router)
api.add_router("/exchange/", exchange_feed_router)
api.add_router("/exchange/", exchange_data_router)
