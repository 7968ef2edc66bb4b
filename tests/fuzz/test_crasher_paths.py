"""A file that once crashed the parser, through every way in (issue 9, point 7): the upload
page, the API and ``shuzheng ingest`` answer with the declared error's sentence and store
nothing; none of them answers 500 or prints a traceback."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from shuzheng.accounts.models import User
from shuzheng.accounts.services import create_token
from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document, IngestionFinding, SourceFile

pytestmark = pytest.mark.django_db

CRASHERS = Path(__file__).parent / "crashers"
#: One crasher per format library, with the sentence its damage is reported with.
SAMPLES = [
    ("docx-negative-seek.docx", "The .docx file is damaged or truncated and cannot be read."),
    ("docx-zip-version.docx", "The .docx file is damaged or truncated and cannot be read."),
    ("pdf-mediabox-missing.pdf", "The PDF is damaged or encrypted and cannot be read."),
]
CHINESE = {
    "docx-negative-seek.docx": "Word 文件已损坏或不完整，无法读取。",
    "pdf-mediabox-missing.pdf": "PDF 文件已损坏或已加密，无法读取。",
}


def nothing_stored() -> bool:
    return not (
        SourceFile.objects.exists()
        or Document.objects.exists()
        or IngestionFinding.objects.exists()
        or AuditEvent.objects.filter(action__startswith="documents.").exists()
    )


@pytest.fixture
def administrator():
    return User.objects.create_user("crash-admin", role="administrator")


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (CRASHERS / name).read_bytes())


@pytest.mark.parametrize(("name", "sentence"), SAMPLES)
def test_the_upload_page_explains_and_stores_nothing(client, administrator, name, sentence):
    client.force_login(administrator)
    page = client.post(reverse("documents:ingest"), {"file": upload(name)})
    assert page.status_code == 400
    body = page.content.decode()
    assert "Nothing was stored:" in body and sentence in body
    assert nothing_stored()


@pytest.mark.chinese_ui
@pytest.mark.parametrize("name", sorted(CHINESE))
def test_the_chinese_upload_page_explains_in_chinese(client, administrator, name):
    client.force_login(administrator)
    page = client.post(reverse("documents:ingest"), {"file": upload(name)})
    assert page.status_code == 400
    body = page.content.decode()
    assert CHINESE[name] in body
    assert "damaged" not in body
    assert nothing_stored()


@pytest.mark.parametrize(("name", "sentence"), SAMPLES)
def test_the_api_answers_400_with_the_reason_and_stores_nothing(
    client, administrator, name, sentence
):
    _token, secret = create_token(administrator, name="t", scopes=["read", "write"], actor=None)
    response = client.post(
        "/api/v1/documents/ingest",
        {"file": upload(name)},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400
    report = response.json()
    assert report["status"] == "failed" and report["error"] == sentence
    assert nothing_stored()


def test_the_cli_reports_each_file_and_stores_nothing(tmp_path):
    for name, _sentence in SAMPLES:
        (tmp_path / name).write_bytes((CRASHERS / name).read_bytes())
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="3 of 3 file"):
        call_command("ingest", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    for name, sentence in SAMPLES:
        assert f"Failed: {name}: {sentence}" in out.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert nothing_stored()
