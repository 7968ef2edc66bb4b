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


def chinese_font_config(folder: Path) -> Path:
    """A fontconfig file with the system fonts and Noto Sans SC from the package the PDF
    exports embed (``pylopdf-fonts-zh-cn``): layouts are measured with real Chinese glyphs
    even on a machine without a CJK font (issue 14: a header that fits with fallback boxes
    wrapped with the real font). scripts/screenshots.py does the same."""
    import pylopdf_fonts_zh_cn

    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{Path(pylopdf_fonts_zh_cn.sans_path()).parent}</dir>\n"
        f"  <cachedir>{folder / 'fontcache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
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
        fonts = chinese_font_config(tmp_path_factory.mktemp("fonts"))
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=BROWSER_ARGS,
            env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
        )
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
    # Only violations are collected: the passes' node lists cost most of axe's time.
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
