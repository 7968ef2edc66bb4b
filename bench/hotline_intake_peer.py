"""The peer of bench/hotline_intake_bench.py: a minimal Django view beside the product.

``hotline_intake_peer:application()`` is the production WSGI application
(``shuzheng.wsgi:warm_application()``) with one more route, ``POST /bench/peer-intake.json``:
a plain Django view that checks the same API key, validates the same form fields with a
Django form and inserts the same ``ServiceRequest`` row, and nothing else — no classification,
no routing by the duty map, no statutory-calendar deadlines, no caller's record, no audit
event, no Open311 rendering. Served by the same gunicorn processes in the same run, the gap
between the two is what the product's own work on an intake costs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid

from django.http import HttpResponse

#: Set by application() once Django is set up (the URLconf needs the apps).
urlpatterns: list = []


def _json(rows, status: int = 200) -> HttpResponse:
    body = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def peer_intake(request):
    """Validate and insert, the least an intake endpoint does."""
    from django import forms

    from shuzheng import clock
    from shuzheng.accounts.services import authenticate_token
    from shuzheng.hotline import geography
    from shuzheng.hotline.choices import Channel
    from shuzheng.hotline.models import ServiceCategory, ServiceRequest
    from shuzheng.orgs.models import Region

    class IntakeForm(forms.Form):
        service_code = forms.SlugField(max_length=64)
        description = forms.CharField(max_length=4000, required=False)
        address_string = forms.CharField(max_length=200, required=False)
        lat = forms.DecimalField(max_digits=9, decimal_places=6, required=False)
        long = forms.DecimalField(max_digits=9, decimal_places=6, required=False)

    if request.method != "POST":
        return _json([{"code": 405, "description": "POST only"}], 405)
    if authenticate_token(request.POST.get("api_key", "")) is None:
        return _json([{"code": 403, "description": "api_key"}], 403)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return _json([{"code": 400, "description": form.errors.as_text()}], 400)
    data = form.cleaned_data
    category = ServiceCategory.objects.filter(code=data["service_code"], is_active=True).first()
    if category is None:
        return _json([{"code": 404, "description": "service_code"}], 404)
    if data["lat"] is not None and data["long"] is not None:
        code = geography.nearest_city(float(data["lat"]), float(data["long"]))
    else:
        rows = list(Region.objects.values_list("code", "name", "short_name"))
        code = geography.region_named_in(data["address_string"], rows)
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        return _json([{"code": 400, "description": "address_string"}], 400)
    now = clock.now()
    created = ServiceRequest.objects.create(
        number=uuid.uuid4().hex[:20],
        token=uuid.uuid4().hex,
        category=category,
        chosen_category=category,
        channel=Channel.OPEN311,
        description=data["description"],
        address_string=data["address_string"],
        lat=data["lat"],
        long=data["long"],
        region=region,
        requested_at=now,
        updated_at=now,
        response_due_at=now + dt.timedelta(days=1),
        resolution_due_at=now + dt.timedelta(days=15),
    )
    return _json([{"service_request_id": created.number}])


def application():
    """gunicorn's factory: the product's warmed application plus the peer's route."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    from django.conf import settings

    settings.ROOT_URLCONF = __name__
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    from shuzheng.wsgi import application as product
    from shuzheng.wsgi import warm_up

    urlpatterns[:] = [
        path("bench/peer-intake.json", csrf_exempt(peer_intake)),
        path("", include("shuzheng.urls")),
    ]
    warm_up()
    return product
