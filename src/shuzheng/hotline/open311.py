"""Open311 GeoReport v2 at ``/open311/v2/`` (issue 15, point 1; docs/hotline.md).

The six resources of the specification, each in XML (required) and JSON: the service list,
service definitions, POST and GET requests, one request, and tokens. ``api_key`` is a platform
API token with the ``write`` scope whose owner may submit requests (``submit_own_requests``);
it may also come as ``Authorization: Bearer``. Errors are ``[{"code", "description"}]`` (or
``<errors>``) with the specification's status codes: 403 for the key, 404 for an unknown
service, request, token or jurisdiction, 400 for the rest. Times are ISO 8601 with the zone.

The requests' public view carries no personal information: name, phone, email and the
caller's address live apart (``Caller``) and are never read here.
"""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from shuzheng import clock
from shuzheng.accounts.authorization import has_perm
from shuzheng.accounts.permissions import WRITE
from shuzheng.accounts.services import authenticate_token
from shuzheng.hotline import selectors
from shuzheng.hotline.choices import CLOSED_STATES, Channel
from shuzheng.hotline.rendering import open311_status, routing_reason, state_label
from shuzheng.hotline.services import Intake, IntakeError, submit_request

#: The jurisdiction this endpoint serves: Ningxia, by its GB/T 2260 code.
JURISDICTION = "640000"
#: Rows one GET requests answers at most (the specification allows a server's cap).
MAX_ROWS = 1000
#: A date range of GET requests is at most 90 days (specification).
MAX_RANGE = dt.timedelta(days=90)
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ----------------------------------------------------------------------------


def _xml_value(parent: ElementTree.Element, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, list):
        child_name = {"attributes": "attribute", "values": "value"}.get(name, "item")
        for item in value:
            _xml_item(element, child_name, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def _xml_item(parent: ElementTree.Element, name: str, item: dict) -> None:
    element = ElementTree.SubElement(parent, name)
    for key, value in item.items():
        _xml_value(element, key, value)


def render(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    """A list of objects as JSON, or as ``<root><item>…</item></root>`` XML."""
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False)
    else:
        element = ElementTree.Element(root)
        for row in rows:
            _xml_item(element, item, row)
        body = '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(
            element, encoding="unicode"
        )
    return HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS[fmt])


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    rows = [{"code": error.status, "description": error.description}]
    return render(fmt if fmt in FORMATS else "xml", "errors", "error", rows, error.status)


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the zone, in the platform's time zone (e.g. 2026-10-08T23:59:59+08:00)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def open311_view(methods=("GET",)):
    """Checks the format and jurisdiction, turns Open311Error into the error body."""

    def decorator(view):
        @csrf_exempt
        @require_http_methods(list(methods))
        def wrapper(request, fmt: str, **kwargs):
            if fmt not in FORMATS:
                return render_error("xml", Open311Error(404, _("Unknown format: use xml or json.")))
            try:
                jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get(
                    "jurisdiction_id"
                )
                if jurisdiction and jurisdiction != JURISDICTION:
                    raise Open311Error(
                        404,
                        _("Unknown jurisdiction_id: this endpoint serves %(code)s.")
                        % {"code": JURISDICTION},
                    )
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                return render_error(fmt, error)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorator


# --- services -----------------------------------------------------------------------------


def service_row(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes.all()),
        "type": category.service_type,
        "keywords": ",".join(category.keywords),
        "group": category.group,
    }


@open311_view()
def services(request, fmt):
    """GET services.{fmt}: the service list."""
    return render(fmt, "services", "service", [service_row(c) for c in selectors.active_services()])


@open311_view()
def service_definition(request, fmt, code):
    """GET services/{service_code}.{fmt}: the attributes of one service."""
    category = selectors.service(code)
    if category is None:
        raise Open311Error(404, _("Unknown service code: %(code)s.") % {"code": code})
    attributes = [
        {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description,
            "order": attribute.order,
            "description": attribute.description,
            "values": [{"key": v["key"], "name": v["name"]} for v in attribute.values],
        }
        for attribute in category.attributes.all()
    ]
    row = {"service_code": category.code, "attributes": attributes}
    if fmt == "json":
        body = json.dumps(row, ensure_ascii=False)
        return HttpResponse(body.encode("utf-8"), content_type=FORMATS["json"])
    element = ElementTree.Element("service_definition")
    for key, value in row.items():
        _xml_value(element, key, value)
    body = '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(element, "unicode")
    return HttpResponse(body.encode("utf-8"), content_type=FORMATS["xml"])


# --- requests -----------------------------------------------------------------------------


def request_row(service_request) -> dict:
    """The public fields of a request: no name, phone, email or caller's address."""
    unit = selectors.handling_unit(service_request)
    note = state_label(service_request.state)
    reason = routing_reason(service_request.routing)
    if service_request.master_id is not None:
        reason = _("merged under %(number)s, which reports the same matter") % {
            "number": service_request.master.number
        }
    if reason:
        note = _("%(state)s: %(reason)s") % {"state": note, "reason": reason}
    return {
        "service_request_id": service_request.number,
        "status": open311_status(service_request.state),
        "status_notes": note,
        "service_name": service_request.category.name,
        "service_code": service_request.category.code,
        "description": service_request.description,
        "agency_responsible": unit.name if unit is not None else "",
        "service_notice": "",
        "requested_datetime": iso(service_request.requested_at),
        "updated_datetime": iso(service_request.updated_at),
        "expected_datetime": iso(service_request.resolution_due_at),
        "address": service_request.address_string,
        "address_id": "",
        "zipcode": "",
        "lat": str(service_request.lat) if service_request.lat is not None else "",
        "long": str(service_request.long) if service_request.long is not None else "",
        "media_url": service_request.media_url,
    }


def _submitter(request):
    """The user whose API token the request carries, allowed to submit; else Open311Error 403."""
    key = request.POST.get("api_key", "")
    header = request.headers.get("Authorization", "")
    if not key and header.lower().startswith("bearer "):
        key = header[7:]
    if not key:
        raise Open311Error(403, _("api_key is required: a platform API token with write scope."))
    token = authenticate_token(key)
    if token is None:
        raise Open311Error(403, _("This api_key is not valid."))
    if WRITE not in token.scopes or not has_perm(token.user, "submit_own_requests"):
        raise Open311Error(403, _("This api_key may not submit requests (write scope needed)."))
    return token.user


def _attributes(post) -> dict:
    """``attribute[code]=v`` and ``attribute[code][]=v1&…`` (multivaluelist) as a dict."""
    found = {}
    for key in post:
        if not (key.startswith("attribute[") and key.endswith("]")):
            continue
        if key.endswith("][]"):
            found[key[len("attribute[") : -3]] = post.getlist(key)
        else:
            found[key[len("attribute[") : -1]] = post.get(key)
    return found


@open311_view(methods=("GET", "POST"))
def requests(request, fmt):
    """POST requests.{fmt}: create a request; GET requests.{fmt}: find requests."""
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _create(request, fmt):
    user = _submitter(request)
    post = request.POST
    if post.get("address_id") and not (post.get("address_string") or post.get("lat")):
        raise Open311Error(
            400, _("address_id is not supported here: give address_string or lat and long.")
        )
    name = " ".join(
        part for part in (post.get("last_name", ""), post.get("first_name", "")) if part
    )
    intake = Intake(
        service_code=post.get("service_code", ""),
        description=post.get("description", ""),
        address_string=post.get("address_string", ""),
        lat=post.get("lat"),
        long=post.get("long"),
        attributes=_attributes(post),
        name=name,
        phone=post.get("phone", ""),
        email=post.get("email", ""),
        media_url=post.get("media_url", ""),
        channel=Channel.OPEN311,
    )
    if not intake.service_code:
        raise Open311Error(400, _("service_code is required."))
    try:
        created = submit_request(intake, actor=user)
    except IntakeError as error:
        raise Open311Error(404 if error.not_found else 400, f"{error.field}: {error}") from None
    row = {
        "service_request_id": created.number,
        "service_notice": _("Routed to %(unit)s; expected by %(due)s.")
        % {
            "unit": selectors.current_lead_unit(created).name,
            "due": iso(created.resolution_due_at),
        },
        "account_id": post.get("account_id") or None,
    }
    return render(fmt, "service_requests", "request", [row])


def _date_param(request, name: str):
    text = request.GET.get(name)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, _("%(name)s is not an ISO 8601 date-time.") % {"name": name}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


def _search(request, fmt):
    rows = selectors.requests_with_lead()
    ids = [
        part.strip()
        for part in request.GET.get("service_request_id", "").split(",")
        if part.strip()
    ]
    if ids:
        rows = rows.filter(number__in=ids[:MAX_ROWS])
    else:
        end = _date_param(request, "end_date") or clock.now()
        start = _date_param(request, "start_date") or end - MAX_RANGE
        if start > end:
            raise Open311Error(400, _("start_date is after end_date."))
        if end - start > MAX_RANGE:
            raise Open311Error(400, _("The date range is at most 90 days."))
        rows = rows.filter(requested_at__gte=start, requested_at__lte=end)
        codes = [c for c in request.GET.get("service_code", "").split(",") if c]
        if codes:
            rows = rows.filter(category__code__in=codes)
        status = request.GET.get("status", "")
        if status == "open":
            rows = rows.exclude(state__in=CLOSED_STATES)
        elif status == "closed":
            rows = rows.filter(state__in=CLOSED_STATES)
        elif status:
            raise Open311Error(400, _("status is open or closed."))
    return render(fmt, "service_requests", "request", [request_row(r) for r in rows[:MAX_ROWS]])


@open311_view()
def request_detail(request, fmt, number):
    """GET requests/{service_request_id}.{fmt}."""
    found = selectors.requests_with_lead().filter(number=number).first()
    if found is None:
        raise Open311Error(404, _("Unknown service_request_id: %(id)s.") % {"id": number})
    return render(fmt, "service_requests", "request", [request_row(found)])


@open311_view()
def token(request, fmt, token):
    """GET tokens/{token}.{fmt}: the request a token stands for."""
    found = selectors.requests_with_lead().filter(token=token).first()
    if found is None:
        raise Open311Error(404, _("Unknown token: %(token)s.") % {"token": token})
    return render(
        fmt, "service_requests", "request", [{"service_request_id": found.number, "token": token}]
    )
