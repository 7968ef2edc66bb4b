"""The main pages under the Content-Security-Policy in a real browser (issue 9 point 10):
not one violation — no inline script, no inline style, nothing from elsewhere — and htmx
still swaps (it is told not to inject its indicator style; site.css carries the rule)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.documents.models import Document
from shuzheng.documents.services import ingest_file
from shuzheng.notifications import services as notifications
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.models import KeyTask

pytestmark = [
    pytest.mark.browser,
    pytest.mark.presentation,
    pytest.mark.django_db(transaction=True),
]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
PASSWORD = "Shuzheng-2023!"

#: Runs in every document before its own scripts (through the driver, so the CSP does not
#: apply to it) and records every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def world():
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    User.objects.create_user("root", password=PASSWORD, role=Role.ADMINISTRATOR)
    return {"document": Document.objects.first(), "task": KeyTask.objects.first()}


@pytest.fixture
def watched(page):
    """The page, recording CSP violations and console errors; asserts none at the end."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: console.append(message.text) if blocking(message) else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    page.on(
        "response",
        lambda response: (
            console.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )

    def violations():
        return page.evaluate("window.__cspViolations") or []

    page.violations = violations
    yield page
    assert console == [], console


def blocking(message) -> bool:
    """A console error other than a failed load (the browser's own favicon request answers
    404; the pages' own requests are checked by status in ``watched``)."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


def log_in(page, username="root"):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_the_main_pages_load_without_a_single_violation(watched, world):
    document, task = world["document"], world["task"]
    log_in(watched)
    paths = [
        "/",
        "/search/?q=数据共享",
        "/documents/",
        f"/documents/{document.pk}/",
        "/tasks/",
        f"/tasks/{task.pk}/",
        "/dashboard/",
        "/orgs/",
        "/inbox/settings/",
        "/admin/",
        "/admin/documents/document/",
        f"/admin/documents/document/{document.pk}/change/",
        "/admin/notifications/delivery/",
        "/api/v1/docs",
    ]
    seen = {}
    for path in paths:
        response = watched.goto(path)
        assert response.status < 400, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        watched.wait_for_load_state("networkidle")
        seen[path] = watched.violations()
    assert {path: found for path, found in seen.items() if found} == {}


def test_htmx_swaps_under_the_policy_and_injects_no_style(watched, world):
    document = world["document"]
    watched.goto(f"/documents/{document.pk}/")
    watched.wait_for_load_state("networkidle")
    assert watched.evaluate("htmx.config.includeIndicatorStyles") is False
    assert watched.evaluate("document.querySelectorAll('style').length") == 0

    header = watched.locator("#task-table th a").nth(1)
    with watched.expect_request(lambda r: r.headers.get("hx-request") == "true") as swap:
        header.click()
    assert "sort=" in swap.value.url
    expect(watched.locator("#task-table th[aria-sort='ascending']")).to_have_count(1)

    watched.goto("/orgs/")
    with watched.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        watched.get_by_label("按名称筛选").fill("银川")
    expect(watched).to_have_url(re.compile(r"[?&]q="))
    assert watched.violations() == []


def test_htmx_posts_with_its_csrf_header_under_the_policy(watched, world):
    staff = User.objects.create_user("yc_wang", password=PASSWORD, role=Role.UNIT_STAFF)
    notifications.notify(
        staff, kind="policy_match", params={"stored": {"title": "新政策"}}, dedupe_key="csp:1"
    )
    log_in(watched, "yc_wang")
    watched.goto("/inbox/")
    with watched.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as read:
        watched.get_by_role("button", name="将“新政策”标为已读").click()
    assert read.value.status == 200
    expect(watched.locator(".notification-unread")).to_have_count(0)
    assert watched.violations() == []
