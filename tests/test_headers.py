"""Issue 9 point 10: every response carries a Content-Security-Policy that allows no inline
script (nor inline style) and a Permissions-Policy — pages, API, admin, errors — with DEBUG
off and on, in-process and from the servers ``make run`` and ``make dev`` start."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shuzheng.middleware import permissions_policy_header
from tests.processes import DatabaseForProcesses, platform_env

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "shuzheng" / "templates"
START_SECONDS = 30


def directives(response_headers) -> dict[str, list[str]]:
    policy = response_headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_protected(response_headers):
    policy = directives(response_headers)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response_headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response_headers["Content-Security-Policy"]
    features = response_headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in features


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/?q=数据",
        "/documents/",
        "/tasks/",
        "/accounts/login/",
        "/admin/login/",
        "/api/v1/docs",
        "/api/v1/documents/",
        "/api/v1/notifications/",
    ],
)
def test_every_response_carries_the_policies(client, settings, debug, path):
    settings.DEBUG = debug
    response = client.get(path)
    assert response.status_code < 500
    assert_protected(response.headers)


@pytest.mark.django_db
def test_the_404_page_carries_the_policies(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_protected(response.headers)


@pytest.mark.django_db
def test_djangos_debug_pages_alone_go_without_the_csp(client, settings):
    """With DEBUG on, Django's technical 404 and 500 pages (never shown in production) drop
    the CSP on purpose (``csp_override({})`` in django.views.debug), so their inline style and
    script work; the Permissions-Policy stays."""
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()
    assert "Content-Security-Policy" not in response.headers
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_the_admin_and_signed_in_pages_carry_them_too(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="root", role="administrator"))
    for path in ("/admin/", "/admin/notifications/delivery/", "/inbox/settings/", "/dashboard/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_protected(response.headers)


def test_the_permissions_policy_header_is_built_from_the_setting():
    header = permissions_policy_header({"camera": [], "fullscreen": ["self"]})
    assert header == "camera=(), fullscreen=(self)"


@pytest.mark.parametrize("debug", ["0", "1"])
def test_the_policies_are_configured_alike_with_debug_off_and_on(debug):
    """`make run` and `make dev` differ by SHUZHENG_DEBUG only: the settings they load send
    the same headers."""
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.MIDDLEWARE, s.SECURE_CSP, s.PERMISSIONS_POLICY]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHUZHENG_")}
    env |= {"SHUZHENG_DEBUG": debug, "DJANGO_SETTINGS_MODULE": "shuzheng.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    is_debug, middleware, csp, features = json.loads(result.stdout)
    assert is_debug is (debug == "1")
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in middleware
    assert "shuzheng.middleware.PermissionsPolicyMiddleware" in middleware
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert features["camera"] == []


INLINE_CODE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
        "inline script",
    ),
    (re.compile(r"<style\b"), "style element"),
    (re.compile(r"\sstyle=\""), "style attribute"),
    (re.compile(r"\son[a-z]+=\""), "event-handler attribute"),
    (re.compile(r"\bhx-on\b|\bhx-on:"), "htmx inline handler"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_template_has_inline_code_or_style_the_policy_would_block(template):
    text = template.read_text(encoding="utf-8")
    found = [name for pattern, name in INLINE_CODE if pattern.search(text)]
    assert not found, f"{template.relative_to(TEMPLATES)}: {', '.join(found)}"


# -- the servers of `make run` and `make dev` ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch_headers(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return dict(response.headers)
    except urllib.error.HTTPError as error:
        return dict(error.headers)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [["serve"], ["serve", "--dev"]], ids=["make-run", "make-dev"])
def test_the_servers_send_the_policies(tmp_path, mode):
    env = platform_env(DatabaseForProcesses(tmp_path), tmp_path)
    if "--dev" in mode:
        env["SHUZHENG_DEBUG"] = "1"
    else:
        subprocess.run(
            [sys.executable, "-m", "shuzheng", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "shuzheng", *mode, "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, "the server exited early"
            try:
                headers = fetch_headers(f"{base}/")
                break
            except OSError:
                assert time.monotonic() < deadline, f"nothing served after {START_SECONDS} s"
                time.sleep(0.3)
        assert_protected(headers)
        assert_protected(fetch_headers(f"{base}/api/v1/documents/"))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
