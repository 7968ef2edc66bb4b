"""The CKAN-compatible Action API at ``/api/3/action/`` and ``/api/action/`` (issue 11,
point 6; docs/ckan-api.md).

Every answer is CKAN's envelope ``{"help", "success", "result" | "error"}`` with its error
types and status codes (``catalog.ckan``). Reads take GET query parameters or a POST body;
writes only a POST: JSON, a form, or multipart with an upload. Unknown parameters are
ignored, as CKAN does.

Callers authenticate with a platform API token in ``Authorization`` (bare, as CKAN's
clients send it, or ``Bearer …``) or ``X-CKAN-API-Key``; a session cookie is not read
here, which is why these routes alone are exempt from CSRF. A read sees what
``DataResource.objects.open_to_public()`` admits, and with ``include_private`` (or on
``package_show``) also the not yet public entries of the caller's own unit (the catalog
office: every unit's). Core data (核心数据) is in no answer of this API, to anyone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from shuzheng.accounts.authorization import has_perm
from shuzheng.accounts.permissions import scopes_allow
from shuzheng.accounts.services import authenticate_token
from shuzheng.catalog import ckan
from shuzheng.catalog.choices import DistributionKind, Grade
from shuzheng.catalog.models import DataResource, Distribution, ResourceCategory
from shuzheng.catalog.services import CatalogError
from shuzheng.orgs.models import Unit

JSON_TYPE = "application/json;charset=utf-8"
#: Rows a list or search answers at most (CKAN's ``ckan.search.rows_max`` default).
MAX_ROWS = 1000
TRUE_WORDS = frozenset({"true", "1", "yes", "on", "t", "y"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", "f", "n", ""})


@dataclass(frozen=True)
class Action:
    function: Callable
    #: CKAN's ``side_effect_free``: a read, callable with GET.
    reads: bool


ACTIONS: dict[str, Action] = {}


def action(reads: bool = False):
    """Register an action function under its own name."""

    def decorator(function):
        ACTIONS[function.__name__] = Action(function, reads)
        return function

    return decorator


# --- the request ----------------------------------------------------------------------------


class Call:
    """One action call: the request, the caller (from the token), and its parameters."""

    def __init__(self, request, user, token, data: dict):
        self.request = request
        self.user = user
        self.token = token
        self.data = data

    def string(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise ckan.ValidationError({key: [_("Missing value")]})
            return default
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ckan.ValidationError({key: [_("Must be a string")]})
        return str(value).strip()

    def integer(self, key: str, *, default: int, maximum: int | None = None) -> int:
        value = self.data.get(key)
        if value is None or value == "":
            return default
        try:
            if isinstance(value, bool | float):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            raise ckan.ValidationError({key: [_("Invalid integer")]}) from None
        if number < 0:
            raise ckan.ValidationError({key: [_("Must be a natural number")]})
        return min(number, maximum) if maximum is not None else number

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        raise ckan.ValidationError({key: [_("Value must be one of: true, false")]})

    def require(self, perm: str, unit=None) -> None:
        """Authorization Error unless the caller and its token may use ``perm`` for ``unit``."""
        if self.user is None or not has_perm(self.user, perm, unit):
            raise ckan.NotAuthorized(_("Access denied: you may not do this."))
        if not scopes_allow(self.token.scopes, perm):
            raise ckan.NotAuthorized(_("Access denied: this API token has no write scope."))


def _caller(request):
    """The token's user, or (None, None) for the public; a token that proves nothing is an
    Authorization Error rather than silently the public."""
    header = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    raw = header.strip()
    if raw.lower().startswith("bearer "):
        raw = raw[7:].strip()
    if not raw:
        return None, None
    token = authenticate_token(raw)
    if token is None:
        raise ckan.NotAuthorized(_("Access denied: this API token is not valid."))
    return token.user, token


def _mixed(query) -> dict:
    """A query dict with one value as the value, several as a list (CKAN's ``mixed``)."""
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()}


def _request_data(request, reads: bool) -> dict:
    """The parameters as CKAN reads them: the query string of a GET (reads only), else the
    POST's form (a lone key with an empty value is a JSON body sent as a form), multipart
    fields and files, or a JSON body."""
    if request.method == "GET":
        if not reads:
            raise ckan.BadRequest(
                _("JSON Error: Invalid request. Please use POST method for your request")
            )
        return _mixed(request.GET)
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = request.POST
        if len(form) == 1 and next(iter(form.values())) in ("", "1") and not request.FILES:
            return _json_object(next(iter(form.keys())))
        data = _mixed(form)
        data.update(request.FILES.items())
        return data
    if not request.body:
        return {}
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise ckan.BadRequest(_("JSON Error: the request body is not UTF-8.")) from None
    return _json_object(text)


def _json_object(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ckan.BadRequest(
            _("JSON Error: Error decoding JSON data at line %(line)d, column %(column)d.")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    if not isinstance(data, dict):
        raise ckan.BadRequest(
            _("JSON Error: Request data JSON decoded to %(data)s but it needs to be a dictionary.")
            % {"data": json.dumps(data, ensure_ascii=False)[:100]}
        )
    return data


# --- the envelope ---------------------------------------------------------------------------


def _json(body, status: int) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)


def _help_url(request, name: str) -> str:
    base = request.path.rsplit("/", 1)[0]
    return request.build_absolute_uri(f"{base}/help_show?name={name}")


def _bad_request(message: str) -> HttpResponse:
    """CKAN's 400: a bare JSON string, no envelope."""
    return _json(_("Bad request - %(message)s") % {"message": message}, 400)


def _error(help_url: str, error: ckan.ActionError) -> HttpResponse:
    if isinstance(error, ckan.BadRequest):
        return _bad_request(error.message)
    return _json({"help": help_url, "success": False, "error": error.error_dict()}, error.status)


def _validation_error(error: CatalogError) -> ckan.ValidationError:
    """The services' field names as the package dict names them."""
    renamed = {"summary": "notes", "file": "upload", "title": "title"}
    return ckan.ValidationError(
        {renamed.get(key, key): [message] for key, message in error.errors.items()}
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def dispatch(request, name: str) -> HttpResponse:
    """One action of ``ACTIONS``: parameters in, the envelope out."""
    help_url = _help_url(request, name)
    entry = ACTIONS[name]
    try:
        user, token = _caller(request)
        call = Call(request, user, token, _request_data(request, entry.reads))
        result = entry.function(call)
    except ckan.ActionError as error:
        return _error(help_url, error)
    except CatalogError as error:
        return _error(help_url, _validation_error(error))
    except PermissionDenied:
        return _error(help_url, ckan.NotAuthorized(_("Access denied: you may not do this.")))
    return _json({"help": help_url, "success": True, "result": result}, 200)


@csrf_exempt
def unknown(request, name: str) -> HttpResponse:
    """CKAN's answer to an action name it does not know."""
    return _bad_request(_("Action name not known: %(name)s") % {"name": name})


# --- reads: what the caller sees ------------------------------------------------------------


def visible_resources(user, *, include_private: bool):
    """The entries the caller may read: the public ones, and with ``include_private`` the
    caller's own unit's (the catalog office's: every unit's) — never core data."""
    public = DataResource.objects.open_to_public()
    if user is None or not include_private:
        return public
    if has_perm(user, "review_catalog"):
        return DataResource.objects.exclude(grade=Grade.CORE)
    if user.unit_id is not None and has_perm(user, "manage_catalog", user.unit_id):
        own = DataResource.objects.filter(provider_id=user.unit_id).exclude(grade=Grade.CORE)
        return public | own
    return public


def _find(queryset, key: str, value: str, label: str):
    """One object by id or name (CKAN takes either), else Not Found Error."""
    lookup = Q(**{key: value})
    if value.isdigit():
        lookup |= Q(pk=int(value))
    found = queryset.filter(lookup).first()
    if found is None:
        raise ckan.NotFound(_("Not found: %(what)s") % {"what": label})
    return found


def _class_of(categories: dict[int, ResourceCategory], category_id: int) -> ResourceCategory:
    """The class (类) above a category, from the loaded classification (no query a row)."""
    category = categories[category_id]
    while category.parent_id is not None:
        category = categories[category.parent_id]
    return category


class Serializer:
    """Package dicts for one call: the classification loaded once (groups are classes)."""

    def __init__(self, request):
        self.request = request
        self.categories = {category.pk: category for category in ResourceCategory.objects.all()}

    def top(self, category_id: int) -> ResourceCategory:
        return _class_of(self.categories, category_id)

    def url_of(self, distribution: Distribution) -> str:
        if distribution.kind == DistributionKind.FILE:
            path = reverse(
                "catalog_dcat:download", args=[distribution.resource_id, distribution.pk]
            )
            return self.request.build_absolute_uri(path)
        return distribution.url

    def resource(self, distribution: Distribution) -> dict:
        return ckan.resource_dict(
            distribution,
            package_id=str(distribution.resource_id),
            url=self.url_of(distribution),
        )

    def package(self, resource: DataResource) -> dict:
        resource.category = self.categories[resource.category_id]
        return ckan.package_dict(
            resource,
            organization=ckan.organization_dict(resource.provider),
            group=ckan.group_dict(self.top(resource.category_id)),
            resources=[self.resource(item) for item in resource.distributions.all()],
            fields=[ckan.field_dict(item) for item in resource.fields.all()],
            is_public=resource.is_public,
        )

    def packages(self, queryset) -> list[dict]:
        rows = queryset.select_related("provider__region").prefetch_related(
            "fields", "distributions"
        )
        return [self.package(resource) for resource in rows]


def _package_of(call: Call, key: str = "id") -> DataResource:
    value = call.string(key, required=True)
    visible = visible_resources(call.user, include_private=True)
    return _find(visible, "name", value, _("Dataset not found"))


# --- read actions ---------------------------------------------------------------------------


@action(reads=True)
def status_show(call: Call) -> dict:
    """What this site is and which action API level it speaks."""
    return {
        "site_title": _("Shuzheng open data"),
        "site_description": _("The government data-resource catalog's open datasets."),
        "site_url": call.request.build_absolute_uri("/"),
        "ckan_version": ckan.CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "zh_Hans_CN",
        "extensions": [],
    }


@action(reads=True)
def help_show(call: Call) -> str:
    """The documentation of the action ``name``."""
    name = call.string("name", required=True)
    if name not in ACTIONS:
        raise ckan.NotFound(_("Not found: %(what)s") % {"what": name})
    return (ACTIONS[name].function.__doc__ or "").strip()


@action(reads=True)
def package_list(call: Call) -> list[str]:
    """The names of the datasets the caller sees (``limit``, ``offset``;
    ``include_private`` adds the caller's unit's own), in name order."""
    offset = call.integer("offset", default=0)
    limit = call.integer("limit", default=MAX_ROWS, maximum=MAX_ROWS)
    visible = visible_resources(call.user, include_private=call.boolean("include_private"))
    names = visible.order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit])


@action(reads=True)
def package_show(call: Call) -> dict:
    """One dataset by ``id`` or name, with its resources; a dataset the caller may not see is
    Not Found, so that its existence is not confirmed."""
    resource = _package_of(call)
    return Serializer(call.request).package(
        DataResource.objects.select_related("provider__region").get(pk=resource.pk)
    )


@action(reads=True)
def resource_show(call: Call) -> dict:
    """One resource (distribution) by ``id`` of a dataset the caller sees."""
    value = call.string("id", required=True)
    if not value.isdigit():
        raise ckan.NotFound(_("Not found: %(what)s") % {"what": _("Resource not found")})
    visible = visible_resources(call.user, include_private=True)
    distribution = Distribution.objects.filter(pk=int(value), resource__in=visible).first()
    if distribution is None:
        raise ckan.NotFound(_("Not found: %(what)s") % {"what": _("Resource not found")})
    return Serializer(call.request).resource(distribution)


def _sorted(rows: list[dict], sort: str) -> list[dict]:
    """CKAN's ``sort`` of organizations and groups: ``name``, ``title`` or
    ``package_count``, ``asc`` or ``desc``."""
    words = (sort or "name asc").split()
    if not words or len(words) > 2 or words[0] not in ("name", "title", "package_count"):
        raise ckan.ValidationError(
            {"sort": [_("Cannot sort by field %(field)s") % {"field": sort}]}
        )
    descending = len(words) == 2 and words[1].lower() == "desc"
    return sorted(rows, key=lambda row: row[words[0]], reverse=descending)


def _listing(call: Call, rows: list[dict]) -> list:
    rows = _sorted(rows, call.string("sort", default="name asc"))
    offset = call.integer("offset", default=0)
    limit = call.integer("limit", default=MAX_ROWS, maximum=MAX_ROWS)
    rows = rows[offset : offset + limit]
    if call.boolean("all_fields"):
        return rows
    return [row["name"] for row in rows]


def _counts_by(field: str) -> dict[int, int]:
    public = DataResource.objects.open_to_public()
    return dict(public.values_list(field).annotate(count=Count("pk")).order_by())


@action(reads=True)
def organization_list(call: Call) -> list:
    """The provider units (CKAN organizations): names, or dicts with ``all_fields``;
    ``sort``, ``limit``, ``offset``. ``package_count`` counts public datasets."""
    counts = _counts_by("provider_id")
    units = Unit.objects.select_related("region")
    return _listing(
        call,
        [ckan.organization_dict(unit, package_count=counts.get(unit.pk, 0)) for unit in units],
    )


@action(reads=True)
def organization_show(call: Call) -> dict:
    """One provider unit by ``id`` or name; ``include_datasets`` adds its datasets the
    caller sees (at most 1000)."""
    unit = _find(
        Unit.objects.select_related("region"),
        "code",
        call.string("id", required=True),
        _("Organization not found"),
    )
    public_count = DataResource.objects.open_to_public().filter(provider=unit).count()
    data = ckan.organization_dict(unit, package_count=public_count)
    if call.boolean("include_datasets"):
        visible = visible_resources(call.user, include_private=True).filter(provider=unit)
        data["packages"] = Serializer(call.request).packages(visible.order_by("name")[:MAX_ROWS])
    return data


def _classes():
    return ResourceCategory.objects.filter(parent__isnull=True)


def _class_counts() -> dict[int, int]:
    """Public datasets by class (a dataset's category sits anywhere below its class)."""
    categories = {category.pk: category for category in ResourceCategory.objects.all()}
    counts: dict[int, int] = {}
    for category_id, count in _counts_by("category_id").items():
        top = _class_of(categories, category_id)
        counts[top.pk] = counts.get(top.pk, 0) + count
    return counts


@action(reads=True)
def group_list(call: Call) -> list:
    """The classes (类) of the guide's classification (CKAN groups): names, or dicts with
    ``all_fields``; ``sort``, ``limit``, ``offset``."""
    counts = _class_counts()
    return _listing(
        call,
        [ckan.group_dict(group, package_count=counts.get(group.pk, 0)) for group in _classes()],
    )


@action(reads=True)
def group_show(call: Call) -> dict:
    """One class by ``id`` or name; ``include_datasets`` adds its datasets the caller sees
    (at most 1000)."""
    group = _find(_classes(), "slug", call.string("id", required=True), _("Group not found"))
    data = ckan.group_dict(group, package_count=_class_counts().get(group.pk, 0))
    if call.boolean("include_datasets"):
        prefix = Q(category__code__startswith=group.code)
        visible = visible_resources(call.user, include_private=True).filter(prefix)
        data["packages"] = Serializer(call.request).packages(visible.order_by("name")[:MAX_ROWS])
    return data
