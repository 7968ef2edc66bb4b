"""Real headless Chromium for browser tests, driven by Playwright.

Playwright cannot download its own browser here, so the system Chromium is used
(SHUZHENG_BROWSER, default /usr/bin/chromium).  Without one the browser tests are skipped
with a plain message — except when SHUZHENG_REQUIRE_BROWSER=1 (CI), where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

BROWSER_ARGS = [
    # The machine has no network: background fetches only produce refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--no-sandbox",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def browser_executable() -> str | None:
    configured = os.environ.get("SHUZHENG_BROWSER")
    candidates = [configured] if configured else ["/usr/bin/chromium", "chromium"]
    for candidate in candidates:
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    executable = browser_executable()
    if executable is None:
        message = "browser tests need Chromium (apt-get install chromium, or set SHUZHENG_BROWSER)"
        if os.environ.get("SHUZHENG_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page on the live server; it fails the test if anything is fetched from elsewhere
    (government intranets are offline: no CDN, no web fonts, no analytics)."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    outside = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:", "about:"))
            else outside.append(request.url)
        ),
    )
    yield page
    context.close()
    assert outside == [], f"requests left the platform: {outside}"


def axe_violations(page) -> list[dict]:
    """Serious and critical accessibility violations on the page, as found by axe-core.

    axe is evaluated through the driver, not added as an inline <script>: the pages' CSP
    refuses inline scripts, as it should (issue 9)."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
