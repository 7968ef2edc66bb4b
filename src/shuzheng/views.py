"""Project-level pages: the home page that introduces the platform, the text-size switch, and
the error pages (400, 404, 500 and the CSRF 403) in the site's layout and language."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.documents.selectors import current_documents
from shuzheng.orgs.services import registry_overview
from shuzheng.search.views import HOME_EXAMPLE_QUERY

LATEST_DOCUMENTS = 5

logger = logging.getLogger(__name__)


def home(request):
    """The front door: one search box, the newest documents the visitor may read, the way
    into each area their role opens, and the registry."""
    latest = list(current_documents(request.user)[:LATEST_DOCUMENTS])
    return render(
        request,
        "shuzheng/home.html",
        {"registry": registry_overview(), "latest": latest, "example_query": HOME_EXAMPLE_QUERY},
    )


#: The cookie the base template reads to render ``<html class="large-text">``.
LARGE_TEXT_COOKIE = "large_text"


@require_POST
def text_size(request):
    """Larger-text mode that works without JavaScript (issue 4, item 5: accessibility):
    remember the choice in a cookie for a year and go back to the page. With JavaScript,
    static/shuzheng/text-size.js sets the same cookie and skips the round trip."""
    large = request.POST.get("large") == "1"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        LARGE_TEXT_COOKIE, "1" if large else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


def bad_request(request, exception):
    """``handler400`` (e.g. a Host that is not in SHUZHENG_ALLOWED_HOSTS): Django's own
    handler renders 400.html without the request, so without the layout and the language."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form that lost its token (an expired session, a page left open)
    gets the site's page, not Django's English one; the reason is logged by Django."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """``handler500``: the layout, in the visitor's language. The layout reads the database
    (the inbox count), and the database may be what failed: then a bare page says the same."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("the 500 page could not be rendered in the layout")
        heading = escape(_("Server error"))
        text = escape(
            _(
                "Something went wrong on our side. The error has been logged; please try again later."
            )
        )
        return HttpResponseServerError(
            f"<!DOCTYPE html><title>{heading}</title><h1>{heading}</h1><p>{text}</p>"
        )
