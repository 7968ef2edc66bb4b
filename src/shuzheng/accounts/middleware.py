"""Session policy on every request (issue 9, points 4 and 5).

After Django's authentication middleware: a signed-in session past its idle timeout or its
absolute lifetime is signed out and sent to the login page with the reason; an account whose
password was set by someone else is led to the password change, from every page, until its
owner has chosen a new one. API calls with a bearer token carry no session and pass untouched.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from shuzheng.accounts import sessions

API_PREFIX = "/api/"
#: What a session that must change its password may still reach.
OPEN_WHILE_CHANGE_PENDING = (
    "accounts:password_change",
    "accounts:password_changed",
    "accounts:logout",
    "set_language",
)


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = sessions.expiry_reason(request)
            if reason is not None:
                return self.sign_out(request, reason)
            sessions.touch(request)
            if request.user.must_change_password and not self.open_while_change_pending(request):
                return self.require_password_change(request)
        return self.get_response(request)

    def sign_out(self, request, reason: str):
        sessions.end(request, reason)
        if request.path.startswith(API_PREFIX):
            # The API answers the now anonymous call itself: 401 where it needs a login.
            return self.get_response(request)
        messages.info(request, expiry_message(reason))
        return redirect_or_tell_htmx(request, redirect_to_login(request.get_full_path()))

    def require_password_change(self, request):
        message = _("Please choose a new password of your own before you go on.")
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return redirect_or_tell_htmx(request, redirect("accounts:password_change"))

    @staticmethod
    def open_while_change_pending(request) -> bool:
        return request.path in {reverse(name) for name in OPEN_WHILE_CHANGE_PENDING}


def expiry_message(reason: str) -> str:
    if reason == sessions.IDLE_TIMEOUT:
        return _(
            "You were signed out after %(minutes)d minutes without activity. Please log in again."
        ) % {"minutes": settings.SESSION_IDLE_MINUTES}
    return _("Your session ended %(hours)d hours after you logged in. Please log in again.") % {
        "hours": settings.SESSION_MAX_HOURS
    }


def redirect_or_tell_htmx(request, response):
    """htmx would swap a redirected page into a fragment: it is told to load the page whole."""
    if request.headers.get("HX-Request"):
        told = HttpResponse(status=204)
        told["HX-Redirect"] = resolve_url(response["Location"])
        return told
    return response
