"""Invariants the database itself keeps for the document library."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from shuzheng.documents.models import Document, Gazette, Section, SourceFile
from shuzheng.documents.services import document_identity, section_anchor

pytestmark = pytest.mark.django_db


def make_document(source, **fields):
    values = {
        "source": source,
        "title": "关于测试的通知",
        "identity": "number:宁政发〔2023〕1号",
        "content_sha256": "0" * 64,
        "text": "正文",
        "start": 0,
        "end": 2,
    }
    return Document.objects.create(**(values | fields))


@pytest.fixture
def source():
    return SourceFile.objects.create(
        name="a.txt", sha256="a" * 64, size=1, source_format="txt", text="正文"
    )


def test_only_one_version_of_a_document_is_current(source):
    make_document(source)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_document(source, version=2)


def test_a_version_number_is_used_once_per_document(source):
    make_document(source, is_current=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_document(source, is_current=False)


def test_the_same_bytes_are_one_source_file(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFile.objects.create(
            name="b.txt", sha256="a" * 64, size=1, source_format="txt", text="正文"
        )


def test_a_gazette_issue_is_stored_once():
    Gazette.objects.create(title="宁夏回族自治区人民政府公报", issue_no="2023年第10期")
    with pytest.raises(IntegrityError), transaction.atomic():
        Gazette.objects.create(title="宁夏回族自治区人民政府公报", issue_no="2023年第10期")


def test_identity_is_the_number_else_title_and_issuers():
    assert document_identity("宁政发〔2023〕17号", "标题", ["甲"]) == "number:宁政发〔2023〕17号"
    assert document_identity(None, "标题", ["乙", "甲"]) == document_identity(
        None, "标题", ["甲", "乙"]
    )
    assert document_identity(None, "标题", ["甲"]) != document_identity(None, "标题", ["乙"])


def test_section_anchors_are_readable_and_unique():
    taken: set[str] = set()
    assert section_anchor("三/(三)/2", taken) == "s-三-三-2"
    assert section_anchor("三/(三)/2", taken) == "s-三-三-2-2"
    assert section_anchor("", taken) == "s-section"


def test_the_year_is_that_of_writing_else_of_publication(source):
    document = make_document(source, published_on=datetime.date(2023, 5, 31))
    assert document.year == 2023
    assert document.get_absolute_url() == f"/documents/{document.pk}/"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("三", "三、"),
        ("三/(三)", "（三）"),
        ("三/(三)/2", "2."),
        ("三/(三)/2/(1)", "（1）"),
        ("附件2", ""),
    ],
)
def test_section_number_label_prints_the_official_marker(path, label):
    assert Section(path=path).number_label == label
