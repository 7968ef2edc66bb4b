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

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from shuzheng.accounts.authorization import has_perm
from shuzheng.accounts.permissions import scopes_allow
from shuzheng.accounts.services import authenticate_token
from shuzheng.catalog import ckan, downloads, packages, portal_selectors, services
from shuzheng.catalog.choices import (
    DataType,
    DistributionKind,
    Grade,
    OpenType,
    ShareType,
    UpdateFrequency,
)
from shuzheng.catalog.models import DataResource, Distribution, ResourceCategory
from shuzheng.catalog.services import (
    CatalogError,
    DistributionInput,
    FieldInput,
    ResourceInput,
)
from shuzheng.orgs import services as orgs_services
from shuzheng.orgs.choices import UnitKind
from shuzheng.orgs.models import Region, Unit
from shuzheng.search.query import QueryError

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


class Params:
    """Typed reads of a parameter dict; every refusal is kept by field name (``prefix``
    names an item of a list) and :meth:`done` raises them together, as CKAN reports them."""

    def __init__(self, data: dict, prefix: str = "", errors: dict | None = None):
        self.data = data
        self.prefix = prefix
        self.errors: dict[str, list[str]] = {} if errors is None else errors

    def fail(self, key: str, message: str, default=None):
        self.errors.setdefault(self.prefix + key, []).append(message)
        return default

    def done(self) -> None:
        if self.errors:
            raise ckan.ValidationError(self.errors)

    def string(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            return self.fail(key, _("Missing value"), default) if required else default
        if isinstance(value, bool) or not isinstance(value, str | int):
            return self.fail(key, _("Must be a string"), default)
        return str(value).strip()

    def integer(self, key: str, *, default: int | None, maximum: int | None = None):
        value = self.data.get(key)
        if value is None or value == "":
            return default
        try:
            if isinstance(value, bool | float):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            return self.fail(key, _("Invalid integer"), default)
        if number < 0:
            return self.fail(key, _("Must be a natural number"), default)
        return min(number, maximum) if maximum is not None else number

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        return self.fail(key, _("Value must be one of: true, false"), default)

    def choice(self, key: str, choices, *, default: str | None = None) -> str:
        """One of ``choices``' values; required unless a ``default`` (maybe "") is given."""
        value = self.string(key, required=default is None, default=default or "")
        if value and value not in choices.values:
            allowed = ", ".join(choices.values)
            return self.fail(key, _("Value must be one of: %(values)s") % {"values": allowed})
        return value

    def strings(self, key: str) -> list[str]:
        """A list of strings (a lone string is a list of one)."""
        value = self.data.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return self.fail(key, _("Must be a list of strings"), [])
        return value

    def objects(self, key: str) -> list[Params]:
        """A list of JSON objects, each read with its position in the field names."""
        value = self.data.get(key)
        if value is None or value == "":
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            return self.fail(key, _("Must be a list of objects"), [])
        return [
            Params(item, prefix=f"{self.prefix}{key}[{index}].", errors=self.errors)
            for index, item in enumerate(value)
        ]


class Call:
    """One action call: the request, the caller (from the token), and its parameters."""

    def __init__(self, request, user, token, data: dict):
        self.request = request
        self.user = user
        self.token = token
        self.data = data

    def params(self) -> Params:
        return Params(self.data)

    def string(self, key: str, *, required: bool = False, default: str = "") -> str:
        return self._one("string", key, required=required, default=default)

    def integer(self, key: str, *, default: int, maximum: int | None = None) -> int:
        return self._one("integer", key, default=default, maximum=maximum)

    def boolean(self, key: str, *, default: bool = False) -> bool:
        return self._one("boolean", key, default=default)

    def _one(self, kind: str, key: str, **options):
        params = self.params()
        value = getattr(params, kind)(key, **options)
        params.done()
        return value

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
    try:
        return _posted(request)
    except RequestDataTooBig:
        raise ckan.BadRequest(_("The request is too large.")) from None


def _posted(request) -> dict:
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
    """The answer as JSON; ``packages.RawJSON`` parts (the stored package texts) go in as
    they are: each is encoded as a marker no caller's text can hold (a fresh random nonce),
    then the markers are replaced in one pass."""
    raw: list[str] = []
    nonce = secrets.token_hex(8)

    def marker(value):
        if isinstance(value, packages.RawJSON):
            raw.append(value.text)
            return f"{nonce}:{len(raw) - 1}"
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    text = json.dumps(body, ensure_ascii=False, default=marker)
    if raw:
        text = re.sub(f'"{nonce}:(\\d+)"', lambda match: raw[int(match[1])], text)
    return HttpResponse(text, status=status, content_type=JSON_TYPE)


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
    """Resource dicts for one call (package dicts are ``catalog.packages``' stored texts,
    spliced by ``packages.Splicer``)."""

    def __init__(self, request):
        self.request = request

    def url_of(self, distribution: Distribution) -> str:
        if distribution.kind == DistributionKind.FILE:
            return self.request.build_absolute_uri(packages.download_path(distribution))
        return distribution.url

    def resource(self, distribution: Distribution) -> dict:
        """A resource dict as the package's ``resources`` hold it, its download counts
        included (``tracking_summary``)."""
        data = ckan.resource_dict(
            distribution,
            package_id=str(distribution.resource_id),
            url=self.url_of(distribution),
        )
        counts = downloads.counts_of([distribution.resource_id])
        data["tracking_summary"] = counts.of_distribution(distribution.pk)
        return data


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
    return packages.Splicer(call.request).package(resource.pk)


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


#: Rows ``package_search`` answers when not told (CKAN's default).
DEFAULT_ROWS = 10
#: Values a facet lists when ``facet.limit`` is not given (CKAN's ``search.facets.default``).
DEFAULT_FACET_LIMIT = 50
#: Facets whose values are choices: their display names are the choices' labels.
FACET_CHOICES = {
    "update_frequency": UpdateFrequency,
    "open_type": OpenType,
    "grade": Grade,
}


def _facet_names(params: Params) -> list[str]:
    """``facet.field``: a JSON list (CKAN's clients send it so, also in a GET), a list, or
    one name; every name one of ``ckan.FACET_FIELDS``."""
    value = params.data.get("facet.field")
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = [value]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return params.fail("facet.field", _("Must be a list of strings"), [])
    unknown = [name for name in value if name not in ckan.FACET_FIELDS]
    if unknown:
        allowed = ", ".join(ckan.FACET_FIELDS)
        return params.fail(
            "facet.field",
            _("Cannot count by %(fields)s; use: %(allowed)s")
            % {"fields": ", ".join(unknown), "allowed": allowed},
            [],
        )
    return list(dict.fromkeys(value))


def _facet_limit(params: Params) -> int | None:
    """``facet.limit``: values a facet lists, ``-1`` (or any negative) for all of them."""
    value = params.data.get("facet.limit")
    if value is None or value == "":
        return DEFAULT_FACET_LIMIT
    try:
        if isinstance(value, bool | float):
            raise ValueError
        number = int(value)
    except (TypeError, ValueError):
        return params.fail("facet.limit", _("Invalid integer"), DEFAULT_FACET_LIMIT)
    return None if number < 0 else number


def _fq_filters(fq: str) -> dict[str, list[str]]:
    """``fq`` as the search's filters; ``owner_org`` names a unit by id, which becomes its
    code (``organization`` names it by code already)."""
    try:
        filters = ckan.parse_fq(fq)
    except ckan.FqError as error:
        raise ckan.SearchQueryError(
            _("Search error: cannot read the filter %(part)s") % {"part": error.part}
        ) from None
    ids = [int(value) for value in filters.get("provider_code", ()) if value.isdigit()]
    if ids:
        codes = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "code"))
        filters["provider_code"] = [
            codes.get(int(value), value) if value.isdigit() else value
            for value in filters["provider_code"]
        ]
    return filters


def _display_names(field: str, values: list[str]) -> dict[str, str]:
    """What a facet's values are called: a unit's name, a class's name, a choice's label."""
    if field == "organization":
        return dict(Unit.objects.filter(code__in=values).values_list("code", "name"))
    if field == "groups":
        return portal_selectors.category_names(values)
    choices = FACET_CHOICES.get(field)
    if choices is not None:
        return {value: str(choices(value).label) for value in values if value in choices.values}
    return {}


def _search_facets(facets: dict, limit: int | None) -> tuple[dict, dict]:
    """CKAN's ``facets`` (value → count) and ``search_facets`` (title and items with display
    names, most frequent first)."""
    plain, detailed = {}, {}
    for field, values in facets.items():
        values = values if limit is None else values[:limit]
        names = _display_names(field, [value.value for value in values])
        plain[field] = {value.value: value.count for value in values}
        detailed[field] = {
            "title": field,
            "items": [
                {
                    "name": value.value,
                    "display_name": names.get(value.value, value.value),
                    "count": value.count,
                }
                for value in values
            ],
        }
    return plain, detailed


@action(reads=True)
def package_search(call: Call) -> dict:
    """Search the datasets: ``q`` words in the portal's query language ("a phrase",
    -excluded; ``*:*`` or nothing for all), ``fq`` filters (``organization:``,
    ``owner_org:``, ``groups:``, ``res_format:``, ``tags:``, ``license_id:``, ``domain:``,
    ``update_frequency:``, ``open_type:``, ``grade:``; ``field:"a b"``, ``field:(a OR b)``,
    terms joined by spaces or AND), ``rows`` (default 10, at most 1000), ``start``, ``sort``
    (``score desc``, ``metadata_modified desc``, ``name asc``, ``title_string asc``),
    ``facet.field`` (a JSON list of those names) with ``facet.limit`` (default 50, -1 for
    all), ``facet`` (false: no counts). ``include_private`` adds the published datasets that
    are not open, for the catalog office only; drafts and core data are never found.
    Answers ``count``, ``results`` (package dicts), ``facets``, ``search_facets``, ``sort``."""
    params = call.params()
    text = params.string("q")
    fq = params.string("fq")
    rows = params.integer("rows", default=DEFAULT_ROWS, maximum=MAX_ROWS)
    start = params.integer("start", default=0)
    include_private = params.boolean("include_private")
    counting = params.boolean("facet", default=True)
    facet_names = _facet_names(params) if counting else []
    facet_limit = _facet_limit(params)
    sort_text = params.string("sort") or ckan.DEFAULT_SORT
    params.done()
    try:
        order = ckan.parse_sort(sort_text)
    except ckan.FqError:
        raise ckan.ValidationError(
            {"sort": [_("Cannot sort by %(sort)s") % {"sort": sort_text}]}
        ) from None
    filters = _fq_filters(fq)
    if text in ("*:*", "*"):
        text = ""
    if order == "relevance" and not text:
        # Nothing to rank by: CKAN's tie-breaker, the most recently changed first.
        order = "modified"
    try:
        found = portal_selectors.search_datasets(
            text,
            filters=filters,
            sort=order,
            offset=start,
            limit=rows,
            facet_fields=[ckan.FACET_FIELDS[name] for name in facet_names],
            include_private=include_private,
            user=call.user,
        )
    except QueryError as error:
        raise ckan.SearchQueryError(
            _("Search error: %(message)s") % {"message": error.describe(_)}
        ) from None
    private = include_private and portal_selectors.sees_private(call.user)
    visible = visible_resources(call.user, include_private=private).filter(pk__in=found.hits)
    by_facet = {facet: name for name, facet in ckan.FACET_FIELDS.items() if name in facet_names}
    facets, search_facets = _search_facets(
        {by_facet[facet]: values for facet, values in found.facets.items() if facet in by_facet},
        facet_limit,
    )
    return {
        "count": found.total,
        "results": packages.Splicer(call.request).packages(visible, order=found.hits),
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort_text,
    }


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
        data["packages"] = packages.Splicer(call.request).packages(
            visible.order_by("name")[:MAX_ROWS]
        )
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
        data["packages"] = packages.Splicer(call.request).packages(
            visible.order_by("name")[:MAX_ROWS]
        )
    return data


# --- writes: packages -----------------------------------------------------------------------


def _unit(params: Params, key: str):
    value = params.string(key, required=True)
    if not value:
        return None
    lookup = Q(code=value) | (Q(pk=int(value)) if value.isdigit() else Q())
    unit = Unit.objects.filter(lookup).first()
    if unit is None:
        return params.fail(key, _("Organization does not exist: %(value)s") % {"value": value})
    return unit


def _category(params: Params):
    value = params.string("category", required=True)
    if not value:
        return None
    category = ResourceCategory.objects.filter(code=value).first()
    if category is None:
        return params.fail(
            "category", _("No resource category has the code %(value)s.") % {"value": value}
        )
    return category


def _date(params: Params, key: str):
    value = params.string(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return params.fail(key, _("Date format incorrect: use a date such as 2023-06-30."))


def _keywords(params: Params) -> list[str]:
    """``tags`` as CKAN gives them (objects with a name, or plain names), or ``tag_string``."""
    tags = params.data.get("tags")
    if isinstance(tags, list) and all(isinstance(tag, dict) for tag in tags):
        return [tag.string("name", required=True) for tag in params.objects("tags")]
    if tags not in (None, ""):
        return params.strings("tags")
    return [word.strip() for word in params.string("tag_string").split(",") if word.strip()]


def _field_input(item: Params) -> FieldInput:
    return FieldInput(
        name=item.string("name", required=True),
        data_type=item.choice("data_type", DataType),
        column=item.string("column"),
        length=item.integer("length", default=None),
        description=item.string("description"),
        grade=item.choice("grade", Grade, default=Grade.GENERAL),
        share_type=item.choice("share_type", ShareType, default=""),
        is_authoritative=item.boolean("is_authoritative"),
    )


def _resource_input(data: dict) -> ResourceInput:
    """A package dict as the catalog services take it; every bad field reported at once."""
    params = Params(data)
    values = ResourceInput(
        title=params.string("title", required=True),
        summary=params.string("notes", required=True),
        name=params.string("name"),
        code=params.string("code"),
        provider=_unit(params, "owner_org"),
        category=_category(params),
        share_type=params.choice("share_type", ShareType),
        open_type=params.choice("open_type", OpenType),
        update_frequency=params.choice("update_frequency", UpdateFrequency),
        grade=params.choice("grade", Grade, default=Grade.GENERAL),
        resource_format=params.string("resource_format"),
        keywords=_keywords(params),
        domain=params.string("domain"),
        license_id=params.string("license_id"),
        share_condition=params.string("share_condition"),
        share_method=params.string("share_method"),
        open_condition=params.string("open_condition"),
        published_on=_date(params, "published_on"),
        related_codes=params.strings("related_codes"),
        fields=[_field_input(item) for item in params.objects("fields")],
    )
    if not values.fields and "fields" not in params.errors:
        params.fail("fields", _("A resource needs at least one information item."))
    if values.grade == Grade.CORE:
        params.fail("grade", _("Core data is never registered or shown through this API."))
    params.done()
    return values


def _shown(call: Call, resource: DataResource) -> dict:
    """The package as package_show answers it, decoded (package_patch merges into it)."""
    return packages.Splicer(call.request).package(resource.pk).decoded()


def _editable_package(call: Call) -> DataResource:
    resource = _package_of(call)
    call.require("manage_catalog", resource.provider)
    return resource


@action()
def package_create(call: Call) -> dict:
    """Register a dataset (a draft entry of the catalog) for ``owner_org``, the caller's
    unit: ``name``, ``title``, ``notes``, ``category`` (classification code),
    ``share_type``, ``open_type``, ``update_frequency``, ``grade``, ``fields`` (information
    items: ``name``, ``data_type`` …), ``tags`` and the catalog's other fields. It is
    private until the catalog office publishes it."""
    call.require("manage_catalog")
    data = _resource_input(call.data)
    call.require("manage_catalog", data.provider)
    return _shown(call, services.register_resource(actor=call.user, data=data))


def _update(call: Call, resource: DataResource, data: dict) -> dict:
    values = _resource_input(data)
    reason = Params(data).string("grade_reason")
    updated = services.update_resource(
        actor=call.user, resource=resource, data=values, grade_reason=reason
    )
    return _shown(call, updated)


@action()
def package_update(call: Call) -> dict:
    """Replace a dataset's fields (``id`` or name; what is not given is emptied, as in
    CKAN); a published entry goes back to draft until the catalog office publishes the
    change. A change of grade needs ``grade_reason``. Resources are changed with the
    resource actions."""
    resource = _editable_package(call)
    return _update(call, resource, call.data)


@action()
def package_patch(call: Call) -> dict:
    """Change only the given fields of a dataset (``id`` or name); as package_update
    otherwise."""
    resource = _editable_package(call)
    current = _shown(call, resource)
    return _update(call, resource, {**current, **call.data})


@action()
def package_delete(call: Call) -> None:
    """Withdraw a published or submitted dataset (``id`` or name; ``reason`` optional): CKAN's
    deleted state; the entry stays in the catalog with its history. Its provider or the
    catalog office may."""
    resource = _package_of(call)
    if has_perm(call.user, "review_catalog"):
        call.require("review_catalog")
    else:
        call.require("manage_catalog", resource.provider)
    reason = call.string("reason") or _("Withdrawn through the open data API.")
    services.withdraw(actor=call.user, resource=resource, reason=reason)
    return None


# --- writes: resources ----------------------------------------------------------------------


def _upload(params: Params):
    value = params.data.get("upload")
    if value is None or value == "":
        return None
    if not isinstance(value, UploadedFile):
        return params.fail("upload", _("Send the file as a multipart upload."))
    return value


def _distribution_input(data: dict, *, keep_file_url: str = "") -> DistributionInput:
    """A resource dict as the services take it: an ``upload`` is a file, a ``url`` a link;
    ``keep_file_url`` is the download address of the file a resource already has, which a
    client sends back unchanged (package_show → edit → resource_update)."""
    params = Params(data)
    upload = _upload(params)
    url = params.string("url")
    if upload is not None or (keep_file_url and url in ("", keep_file_url)):
        kind, url = DistributionKind.FILE, ""
    else:
        kind = DistributionKind.LINK
    name = params.string("name") or (upload.name if upload is not None else url)
    values = DistributionInput(
        title=name,
        kind=kind,
        url=url,
        format=params.string("format") or _format_from(upload.name if upload else url),
        description=params.string("description"),
        media_type=params.string("mimetype") or getattr(upload, "content_type", "") or "",
        upload=upload,
    )
    if kind == DistributionKind.LINK and not url:
        params.fail("url", _("Give a url or an upload."))
    params.done()
    return values


def _format_from(name: str) -> str:
    """``CSV`` from ``schools.csv``: what CKAN guesses when no format is given."""
    tail = name.rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[1].upper() if "." in tail else ""


def _editable_distribution(call: Call) -> Distribution:
    value = call.string("id", required=True)
    visible = visible_resources(call.user, include_private=True)
    distribution = (
        Distribution.objects.filter(pk=int(value), resource__in=visible).first()
        if value.isdigit()
        else None
    )
    if distribution is None:
        raise ckan.NotFound(_("Not found: %(what)s") % {"what": _("Resource not found")})
    call.require("manage_catalog", distribution.resource.provider)
    return distribution


def _resource_shown(call: Call, distribution: Distribution) -> dict:
    return Serializer(call.request).resource(Distribution.objects.get(pk=distribution.pk))


@action()
def resource_create(call: Call) -> dict:
    """Add a resource to the dataset ``package_id``: an ``upload`` (multipart) or a ``url``;
    ``name``, ``format``, ``description``, ``mimetype``."""
    resource = _package_of(call, "package_id")
    call.require("manage_catalog", resource.provider)
    data = _distribution_input(call.data)
    created = services.add_distribution(actor=call.user, resource=resource, data=data)
    return _resource_shown(call, created)


def _update_distribution(call: Call, distribution: Distribution, data: dict) -> dict:
    serializer = Serializer(call.request)
    keep = serializer.url_of(distribution) if distribution.kind == DistributionKind.FILE else ""
    values = _distribution_input(data, keep_file_url=keep)
    updated = services.update_distribution(actor=call.user, distribution=distribution, data=values)
    return _resource_shown(call, updated)


@action()
def resource_update(call: Call) -> dict:
    """Replace a resource's fields (``id``); a new ``upload`` replaces its file."""
    distribution = _editable_distribution(call)
    return _update_distribution(call, distribution, call.data)


@action()
def resource_patch(call: Call) -> dict:
    """Change only the given fields of a resource (``id``)."""
    distribution = _editable_distribution(call)
    current = Serializer(call.request).resource(distribution)
    return _update_distribution(call, distribution, {**current, **call.data})


@action()
def resource_delete(call: Call) -> None:
    """Remove a resource (``id``) from its dataset."""
    distribution = _editable_distribution(call)
    services.delete_distribution(actor=call.user, distribution=distribution)
    return None


# --- writes: organizations ------------------------------------------------------------------

#: The organization dict's names of the unit's fields, for Validation Errors.
UNIT_FIELDS = {"code": "name", "name": "title", "short_name": "short_name", "region": "region"}


def _save_unit(call: Call, unit: Unit, data: dict) -> dict:
    """Fill ``unit`` from an organization dict and save it through the registry's service."""
    params = Params(data)
    unit.code = params.string("name", required=True)
    unit.name = params.string("title", required=True)
    unit.short_name = params.string("short_name")
    unit.kind = params.choice("kind", UnitKind, default=unit.kind or UnitKind.DEPARTMENT)
    region = params.string("region", required=unit.region_id is None)
    if region:
        unit.region = Region.objects.filter(code=region).first() or params.fail(
            "region", _("No region has the division code %(value)s.") % {"value": region}
        )
    try:
        unit.full_clean()
    except DjangoValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                params.fail(UNIT_FIELDS.get(key, key), message)
    params.done()
    orgs_services.save_record(unit, call.user)
    return ckan.organization_dict(unit)


@action()
def organization_create(call: Call) -> dict:
    """Add a unit to the registry (administrators): ``name`` (its code), ``title`` (its full
    name), ``region`` (division code), ``kind``, ``short_name``."""
    call.require("administer")
    return _save_unit(call, Unit(), call.data)


@action()
def organization_update(call: Call) -> dict:
    """Change a unit of the registry (administrators), ``id`` or name; fields as
    organization_create."""
    call.require("administer")
    unit = _find(
        Unit.objects.all(), "code", call.string("id", required=True), _("Organization not found")
    )
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        return _save_unit(call, unit, call.data)
