"""A large upload as an ingester meets it in a real browser (issue 9, item 5): the upload
page answers at once with the job's page, which follows the worker's progress by itself
(htmx polling the status fragment) until the report is there, with links to the documents.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.documents.models import Document, IngestJob
from shuzheng.orgs.services import load_sample_registry
from tests.browser.conftest import axe_violations
from tests.documents.test_large_files import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
PASSWORD = "Shuzheng-2023!"


@pytest.fixture
def ingester(live_server, settings, tmp_path):
    settings.INGEST_BACKGROUND_MB = 0  # the 104 KB sample stands for a large file
    settings.MEDIA_ROOT = tmp_path / "media"
    load_sample_registry()
    return User.objects.create_user("wang_admin", password=PASSWORD, role=Role.ADMINISTRATOR)


def test_a_large_upload_shows_its_progress_until_the_report(page, live_server, ingester):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("wang_admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto("/documents/ingest/")
    page.get_by_label("File").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Ingest", exact=True).click()

    job = IngestJob.objects.get()
    expect(page).to_have_url(f"{live_server.url}{job.get_absolute_url()}")
    status = page.locator("#ingest-job")
    expect(status).to_have_attribute("data-status", "queued")
    expect(page.get_by_role("status")).to_contain_text("The file waits for the background worker.")
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    run_queued_jobs()  # the worker takes the job; the page polls on its own

    expect(status).to_have_attribute("data-status", "done", timeout=15_000)
    expect(page.get_by_text("The file was stored.")).to_be_visible()
    opinion = Document.objects.get(doc_number="宁政发〔2023〕17号")
    page.get_by_role("link", name=opinion.title).click()
    expect(page).to_have_url(f"{live_server.url}{opinion.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(opinion.title)
