"""How API callers prove who they are: a session (browsers, with CSRF) or a bearer token.

``SIGNED_IN`` is the API's default; public read operations say ``auth=PUBLIC``. What a caller
may then do is checked by ``@api_requires`` (``shuzheng.accounts.authorization``).
"""

from __future__ import annotations

from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from shuzheng.accounts.permissions import WRITE
from shuzheng.accounts.services import authenticate_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer sz_<prefix>_<secret>`` (issue 2: API tokens for programs).

    A token that does not authenticate is refused with 401 at once, never treated as an
    anonymous visit; a read-only token is refused (403) on any unsafe method.
    """

    def authenticate(self, request, token):
        api_token = authenticate_token(token)
        if api_token is None:
            raise AuthenticationError()
        if request.method not in SAFE_METHODS and WRITE not in api_token.scopes:
            raise HttpError(403, "this API token is read-only")
        request.api_token = api_token
        request.user = api_token.user
        return api_token.user


class SessionCsrfAuth(SessionAuth):
    """Django's session, with the CSRF check on unsafe methods (django-ninja's SessionAuth).

    Visitors without a signed-in session fall through to the next method (or a 401) instead
    of receiving a CSRF 403 for a session they do not have.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class AllowAnonymous:
    """Lets the public through, as Django's AnonymousUser, for public read operations."""

    def __call__(self, request):
        return request.user


bearer_token_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()

#: Default of every operation: a bearer token or a signed-in session.
SIGNED_IN = [bearer_token_auth, session_auth]
#: Public reads (issue 2: the public reads published content): anyone, signed in or not.
PUBLIC = [bearer_token_auth, session_auth, AllowAnonymous()]
