"""A file whose first lines read as no title is one document titled by its file name (with
the parser's warning), never a 500: every stored document and index entry needs a title."""

import pytest

from shuzheng.documents.models import Document
from shuzheng.documents.parsing.parser import parse
from shuzheng.documents.services import ingest_file

UNTITLED = "联系电话：0951-1234567。\n\n一、总体要求\n\n加强数据共享，推进政务服务。\n".encode()


def test_the_parser_titles_an_untitled_text_by_its_file_name():
    result = parse(UNTITLED, "数据共享工作要点.txt")
    assert [document.title for document in result.documents] == ["数据共享工作要点"]
    assert "title-not-found" in {finding.code for finding in result.findings}


@pytest.mark.django_db
def test_an_untitled_text_is_stored_and_searchable_under_its_file_name():
    report = ingest_file(UNTITLED, "数据共享工作要点.txt", actor=None)
    assert report.count("created") == 1
    assert Document.objects.get().title == "数据共享工作要点"
