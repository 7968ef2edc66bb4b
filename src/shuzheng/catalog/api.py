"""JSON API of the data catalog: /api/v1/catalog/resources (issue 11, points 1 and 7).

The list takes the pages' FilterSet (``ResourceFilterSet``) and lists what the caller may
read: the provider's staff their unit's entries, the catalog office every entry, everyone
the public ones (``grading.is_open_to_public``: never core data). Registering, editing and
the workflow steps go through ``catalog.services``, which checks the permission for the
provider unit; a refused entry answers 422 naming its fields, a step the state does not allow
409, and nothing changes.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from shuzheng.accounts.api_auth import PUBLIC, SIGNED_IN
from shuzheng.accounts.authorization import api_principal, api_requires, check_api_perm
from shuzheng.api_contract import ErrorOut, Id, InputSchema, Key, Pagination, Text
from shuzheng.catalog import selectors, services
from shuzheng.catalog.choices import DataType, Grade, OpenType, ShareType, UpdateFrequency
from shuzheng.catalog.filtersets import ResourceFilterSet
from shuzheng.catalog.models import DataResource, ResourceCategory
from shuzheng.documents.api import UnitRefOut
from shuzheng.filtersets import filter_or_422, query_schema
from shuzheng.orgs.models import Unit

router = Router(tags=["catalog"])

GradeCode = Literal[tuple(Grade.values)]
ShareTypeCode = Literal[tuple(ShareType.values)]
OpenTypeCode = Literal[tuple(OpenType.values)]
FrequencyCode = Literal[tuple(UpdateFrequency.values)]
DataTypeCode = Literal[tuple(DataType.values)]
CatalogResourceFilterIn = query_schema(ResourceFilterSet, "CatalogResourceFilterIn")


class CatalogCategoryOut(Schema):
    code: str
    name: str


class CatalogFieldOut(Schema):
    name: str
    column: str
    data_type: str
    description: str
    grade: str
    is_authoritative: bool


class CatalogDistributionOut(Schema):
    id: int
    title: str
    kind: str
    format: str
    url: str
    byte_size: int | None
    checksum: str


class CatalogResourceOut(Schema):
    id: int
    code: str
    name: str
    title: str
    category: CatalogCategoryOut
    provider: UnitRefOut
    summary: str
    resource_format: str
    keywords: list[str]
    domain: str
    license_id: str
    share_type: str
    share_condition: str
    share_method: str
    open_type: str
    open_condition: str
    update_frequency: str
    published_on: datetime.date | None
    related_codes: list[str]
    grade: str
    state: str
    version: int
    is_sample: bool
    modified_at: datetime.datetime


class CatalogResourceDetailOut(CatalogResourceOut):
    return_reason: str
    fields: list[CatalogFieldOut]
    distributions: list[CatalogDistributionOut]


class CatalogFieldIn(InputSchema):
    name: Text = Field(min_length=1, max_length=128)
    column: Text = Field("", max_length=128)
    data_type: DataTypeCode = DataType.STRING.value
    description: Text = Field("", max_length=1000)
    grade: GradeCode = Grade.GENERAL.value
    is_authoritative: bool = False


class CatalogResourceIn(InputSchema):
    """A resource with the guide's fields; ``provider`` defaults to the caller's unit, an
    empty ``code`` is generated under the category."""

    title: Text = Field(max_length=200)
    category: Key
    provider: Key | None = None
    summary: Text = Field(max_length=10000)
    share_type: ShareTypeCode
    open_type: OpenTypeCode
    update_frequency: FrequencyCode
    grade: GradeCode = Grade.GENERAL.value
    code: Text = Field("", max_length=40)
    name: Text = Field("", max_length=100)
    resource_format: Text = Field("", max_length=64)
    keywords: list[Text] = Field([], max_length=50)
    domain: Text = Field("", max_length=64)
    license_id: Text = Field("", max_length=64)
    share_condition: Text = Field("", max_length=2000)
    share_method: Text = Field("", max_length=200)
    open_condition: Text = Field("", max_length=2000)
    published_on: datetime.date | None = None
    related_codes: list[Text] = Field([], max_length=50)
    fields: list[CatalogFieldIn] = Field(max_length=500)


class CatalogResourceUpdateIn(CatalogResourceIn):
    #: Required when the resource's or an item's grade changes.
    grade_reason: Text = Field("", max_length=2000)


class CatalogReasonIn(InputSchema):
    reason: Text = Field(max_length=2000)


def _resource_out(resource: DataResource) -> dict:
    return {
        **{name: getattr(resource, name) for name in services.SCALAR_FIELDS},
        "id": resource.pk,
        "category": {"code": resource.category.code, "name": resource.category.name},
        "provider": {"code": resource.provider.code, "name": resource.provider.name},
        "published_on": resource.published_on,
        "state": resource.state,
        "version": resource.version,
        "modified_at": resource.modified_at,
    }


def _detail_out(resource: DataResource) -> dict:
    resource = selectors.resource_with_parts(resource.pk)
    return {
        **_resource_out(resource),
        "return_reason": resource.return_reason,
        "fields": list(resource.fields.all()),
        "distributions": list(resource.distributions.all()),
    }


def _readable(request, resource_id: int) -> DataResource:
    """The resource if the caller reads it: its provider's staff, the office, or anyone
    when it is public; else 401 for the public, 403 for the signed-in."""
    resource = get_object_or_404(
        DataResource.objects.select_related(*selectors.LISTED), pk=resource_id
    )
    user = api_principal(request)
    if resource.is_public or selectors.can_read(user, resource):
        return resource
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    raise HttpError(403, "this resource is not public")


def _refused(error: services.CatalogError) -> Status:
    """422 naming each refused field, as pydantic's checks are reported."""
    return Status(
        422,
        {
            "detail": [
                {"type": "catalog", "loc": ["body", key], "msg": message}
                for key, message in error.errors.items()
            ]
        },
    )


def _input(request, payload: CatalogResourceIn) -> services.ResourceInput:
    category = ResourceCategory.objects.filter(code=payload.category).first()
    if category is None:
        raise HttpError(422, f"there is no resource category with code {payload.category!r}")
    user = api_principal(request)
    if payload.provider:
        provider = Unit.objects.filter(code=payload.provider).first()
        if provider is None:
            raise HttpError(422, f"there is no unit with code {payload.provider!r}")
    elif getattr(user, "unit_id", None):
        provider = user.unit
    else:
        raise HttpError(422, "name the provider unit (field 'provider')")
    check_api_perm(request, "manage_catalog", provider)
    data = payload.dict(exclude={"category", "provider", "fields", "grade_reason"})
    fields = [services.FieldInput(**item.dict()) for item in payload.fields]
    return services.ResourceInput(**data, category=category, provider=provider, fields=fields)


def _step(request, resource: DataResource, step):
    """Run a service step as the caller; its refusals as 403, 409 (state) or 422."""
    try:
        resource = step(api_principal(request))
    except PermissionDenied as denied:
        raise HttpError(403, "permission 'manage_catalog' required for this unit") from denied
    except services.CatalogError as error:
        if set(error.errors) == {"state"}:
            return Status(409, {"detail": error.errors["state"]})
        return _refused(error)
    return Status(200, _detail_out(resource))


@router.get(
    "/resources",
    response=list[CatalogResourceOut],
    operation_id="catalog_resources_list",
    auth=PUBLIC,
)
@api_requires("view_published")
@paginate(Pagination, page_size=50)
def list_resources(request, filters: Query[CatalogResourceFilterIn]):
    """Catalog entries the caller reads (the public: published, open, never core data),
    filtered by state, category code (a node and all under it), share type, open type,
    grade, update frequency, provider unit code and words; sorted by ``code``, ``title``,
    ``modified`` or ``-modified``."""
    rows = selectors.visible_resources(api_principal(request))
    return filter_or_422(ResourceFilterSet, request, rows)


@router.post(
    "/resources",
    response={201: CatalogResourceDetailOut, 422: ErrorOut},
    operation_id="catalog_resources_create",
    auth=SIGNED_IN,
)
@api_requires("manage_catalog")
def create_resource(request, payload: CatalogResourceIn):
    """Register an entry (a draft) for the caller's unit or, for a role not bound to a unit,
    the ``provider`` it names; the code is generated when none is given."""
    data = _input(request, payload)
    try:
        resource = services.register_resource(actor=api_principal(request), data=data)
    except services.CatalogError as error:
        return _refused(error)
    return Status(201, _detail_out(resource))


@router.get(
    "/resources/{resource_id}",
    response=CatalogResourceDetailOut,
    operation_id="catalog_resources_detail",
    auth=PUBLIC,
)
def resource_detail(request, resource_id: Id):
    """One entry with its information items and distributions."""
    return _detail_out(_readable(request, resource_id))


@router.put(
    "/resources/{resource_id}",
    response={200: CatalogResourceDetailOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="catalog_resources_update",
    auth=SIGNED_IN,
)
@api_requires("manage_catalog")
def update_resource(request, resource_id: Id, payload: CatalogResourceUpdateIn):
    """Replace an entry's fields and items: a new version (a published entry goes back to
    draft for review); a change of grade needs ``grade_reason``."""
    resource = _readable(request, resource_id)
    check_api_perm(request, "manage_catalog", resource.provider)
    data = _input(request, payload)
    return _step(
        request,
        resource,
        lambda actor: services.update_resource(
            actor=actor, resource=resource, data=data, grade_reason=payload.grade_reason
        ),
    )


@router.post(
    "/resources/{resource_id}/submit",
    response={200: CatalogResourceDetailOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="catalog_resources_submit",
    auth=SIGNED_IN,
)
@api_requires("manage_catalog")
def submit_resource(request, resource_id: Id):
    """Send a draft, returned or withdrawn entry to the catalog office."""
    resource = _readable(request, resource_id)
    check_api_perm(request, "manage_catalog", resource.provider)
    return _step(request, resource, lambda actor: services.submit(actor=actor, resource=resource))


@router.post(
    "/resources/{resource_id}/publish",
    response={200: CatalogResourceDetailOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="catalog_resources_publish",
    auth=SIGNED_IN,
)
@api_requires("review_catalog")
def publish_resource(request, resource_id: Id):
    """The catalog office publishes a submitted entry."""
    resource = _readable(request, resource_id)
    return _step(request, resource, lambda actor: services.publish(actor=actor, resource=resource))


@router.post(
    "/resources/{resource_id}/return",
    response={200: CatalogResourceDetailOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="catalog_resources_return",
    auth=SIGNED_IN,
)
@api_requires("review_catalog")
def return_resource(request, resource_id: Id, payload: CatalogReasonIn):
    """The catalog office returns a submitted entry to its provider with the reason."""
    resource = _readable(request, resource_id)
    return _step(
        request,
        resource,
        lambda actor: services.return_resource(
            actor=actor, resource=resource, reason=payload.reason
        ),
    )


@router.post(
    "/resources/{resource_id}/withdraw",
    response={200: CatalogResourceDetailOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="catalog_resources_withdraw",
    auth=SIGNED_IN,
)
def withdraw_resource(request, resource_id: Id, payload: CatalogReasonIn):
    """Take a published or submitted entry off the catalog with the reason: its provider's
    staff (``manage_catalog``) or the catalog office (``review_catalog``)."""
    resource = _readable(request, resource_id)
    user = api_principal(request)
    if not selectors.reviews_catalog(user):
        check_api_perm(request, "manage_catalog", resource.provider)
    else:
        check_api_perm(request, "review_catalog")
    return _step(
        request,
        resource,
        lambda actor: services.withdraw(actor=actor, resource=resource, reason=payload.reason),
    )
