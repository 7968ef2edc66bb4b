"""Project-level pages: the home page that introduces the platform, the text-size switch."""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shuzheng.documents.services import search_documents
from shuzheng.orgs.services import registry_overview

LATEST_DOCUMENTS = 5


def home(request):
    """The front door: one search box, the newest documents the visitor may read, the way
    into each area their role opens, and the registry."""
    latest = list(search_documents(request.user)[:LATEST_DOCUMENTS])
    return render(
        request, "shuzheng/home.html", {"registry": registry_overview(), "latest": latest}
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
