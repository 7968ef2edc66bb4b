"""The data API's errors as problem details (RFC 9457, ``application/problem+json``; issue 16,
"Bad input: … a clear error (CKAN-style or problem+json, documented), nothing leaked").

Every refusal of the data API is one :class:`ExchangeProblem` with a documented ``type``
(docs/exchange-data.md, "Errors"): the type is a short relative URI reference, stable for
programs; ``title`` is the type's fixed summary; ``detail`` says what was wrong in this request
without naming anything the caller may not see. ``shuzheng.api`` turns the exception into the
answer (:func:`problem_response`), so a handler, the token check or a selector may raise it.
"""

from __future__ import annotations

import json

from django.http import HttpResponse

MEDIA_TYPE = "application/problem+json"

#: type → (HTTP status, title). The feed's pull API uses ``malformed-cursor`` and
#: ``subscription-paused`` too.
TYPES: dict[str, tuple[int, str]] = {
    "token-missing": (401, "A data-API token is required"),
    "token-invalid": (401, "The token is not a data-API token of this platform"),
    "token-expired": (401, "The token has expired"),
    "token-revoked": (401, "The token has been revoked"),
    "grant-missing": (403, "No live grant covers this resource"),
    "core-data": (403, "Core data is never shared"),
    "not-found": (404, "No such published resource"),
    "ungranted-column": (400, "A column named is not granted"),
    "invalid-filter": (400, "The filter is not valid"),
    "malformed-cursor": (400, "The cursor is not one this platform issued"),
    "subscription-paused": (409, "The subscription is paused"),
    "invalid-rows": (422, "The rows are not valid; nothing was written"),
    "upstream-failed": (502, "The upstream service did not answer"),
}


class ExchangeProblem(Exception):
    """A refused data-API request: ``kind`` is a key of :data:`TYPES`."""

    def __init__(self, kind: str, detail: str = "", **extra):
        if kind not in TYPES:
            raise ValueError(f"undocumented problem type {kind!r}")
        super().__init__(detail or kind)
        self.kind = kind
        self.status, self.title = TYPES[kind]
        self.detail = detail or self.title
        self.extra = extra

    def body(self) -> dict:
        return {
            "type": self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }


def problem_response(request, exc: ExchangeProblem) -> HttpResponse:
    """The answer for ``exc``; a 401 says how to authenticate (RFC 6750)."""
    response = HttpResponse(
        json.dumps(exc.body(), ensure_ascii=False),
        status=exc.status,
        content_type=MEDIA_TYPE,
    )
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="exchange"'
    return response
