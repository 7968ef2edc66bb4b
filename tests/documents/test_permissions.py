"""Who may use the document pages and API (issue 3, item 7; roles from issue 2).

Published documents are for everyone; documents not marked public for government roles;
ingesting for the roles holding ``ingest_documents`` in the accounts table.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.accounts.permissions import ROLES, role_has
from shuzheng.documents.models import Document, IngestJob
from shuzheng.documents.services import ingest_file
from tests.documents import parsed_samples as samples
from tests.permissions import EVERYONE, UNIT_READERS, Case, matrix_test

INGESTERS = frozenset(role for role in ROLES if role_has(role, "ingest_documents"))


def make_documents(world) -> dict:
    result = samples.build_result()
    ingest_file(result.text.encode(), "notice.txt", actor=None, parse=lambda data, name: result)
    internal = Document.objects.get(doc_number=samples.NOTICE_NUMBER)
    Document.objects.filter(pk=internal.pk).update(disclosure="not_public")
    return {
        "public": Document.objects.get(title=samples.OPINION_TITLE),
        "internal": internal,
        "job": IngestJob.objects.create(
            filename="gazette.txt", size=3 * 1024 * 1024, language="en"
        ),
    }


def upload(world) -> dict:
    return {"file": SimpleUploadedFile("matrix.txt", "关于测试的通知\n".encode())}


def detail(kind, suffix=""):
    return lambda w: f"/documents/{w.objects[kind].pk}/{suffix}"


def job_page(w):
    return w.objects["job"].get_absolute_url()


def api_job(w):
    return f"/api/v1/documents/ingest/jobs/{w.objects['job'].pk}"


def api_detail(kind, suffix=""):
    return lambda w: f"/api/v1/documents/{w.objects[kind].pk}{suffix}"


MATRIX = [
    Case("documents:list", allowed=EVERYONE),
    Case("documents:detail", path=detail("public"), allowed=EVERYONE, label="public"),
    Case("documents:detail", path=detail("internal"), allowed=UNIT_READERS, label="internal"),
    Case("documents:print", path=detail("public", "print/"), allowed=EVERYONE, label="public"),
    Case(
        "documents:print",
        path=detail("internal", "print/"),
        allowed=UNIT_READERS,
        label="internal",
    ),
    Case(
        "documents:original",
        path=detail("public", "original/"),
        allowed=EVERYONE,
        label="public",
    ),
    Case(
        "documents:original",
        path=detail("internal", "original/"),
        allowed=UNIT_READERS,
        label="internal",
    ),
    Case("documents:ingest", allowed=INGESTERS),
    Case(
        "documents:topics",
        method="post",
        path=detail("public", "topics/"),
        data=lambda w: {"topics": ["09"]},
        allowed=INGESTERS,
    ),
    Case("documents:ingest", method="post", data=upload, allowed=INGESTERS),
    Case("api:documents_list", allowed=EVERYONE),
    Case("api:documents_detail", path=api_detail("public"), allowed=EVERYONE, label="public"),
    Case(
        "api:documents_detail",
        path=api_detail("internal"),
        allowed=UNIT_READERS,
        label="internal",
    ),
    Case(
        "api:documents_tasks", path=api_detail("public", "/tasks"), allowed=EVERYONE, label="public"
    ),
    Case(
        "api:documents_tasks",
        path=api_detail("internal", "/tasks"),
        allowed=UNIT_READERS,
        label="internal",
    ),
    Case("api:documents_ingest", method="post", data=upload, allowed=INGESTERS),
    Case("api:documents_ingest", method="post", data=upload, allowed=INGESTERS, auth="token"),
    Case("api:documents_list", allowed=EVERYONE, auth="token"),
    Case("documents:ingest_job", path=job_page, allowed=INGESTERS),
    Case("api:documents_ingest_job", path=api_job, allowed=INGESTERS),
    Case("api:documents_ingest_job", path=api_job, allowed=INGESTERS, auth="token"),
]

test_matrix = matrix_test(MATRIX, setup=make_documents)
