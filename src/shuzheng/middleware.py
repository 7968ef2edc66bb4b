"""Response headers Django does not set itself (issue 9 point 10).

Django's own middleware sends the Content-Security-Policy (``SECURE_CSP``), X-Frame-Options,
Referrer-Policy and the rest; this adds ``Permissions-Policy`` from ``PERMISSIONS_POLICY``.
"""

from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` on every response that has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
