"""Inputs that once crashed the parser stay fixed (issue 9, point 7; tests/fuzz/README.md):
each damaged .docx or .pdf is refused with the declared "damaged" error, and each deeply
nested web page is read; and any failure of a format library is that error."""

from pathlib import Path

import pytest

from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.documents.parsing.parser import parse

CRASHERS = sorted((Path(__file__).parent / "crashers").iterdir())
FIXTURES = Path(__file__).parent.parent / "documents" / "fixtures"


def test_the_corpus_has_a_crasher_of_every_format():
    assert {path.suffix for path in CRASHERS} == {".docx", ".pdf", ".html"}


@pytest.mark.parametrize(
    "path", [path for path in CRASHERS if path.suffix != ".html"], ids=lambda path: path.name
)
def test_a_damaged_file_is_refused_with_the_declared_error(path):
    with pytest.raises(ExtractionError) as error:
        parse(path.read_bytes(), f"upload{path.suffix}")
    assert error.value.code == "damaged"
    assert "damaged" in str(error.value)


@pytest.mark.parametrize(
    "path", [path for path in CRASHERS if path.suffix == ".html"], ids=lambda path: path.name
)
def test_a_deeply_nested_page_is_read(path):
    result = parse(path.read_bytes(), path.name)
    assert "正文内容" in result.text


@pytest.mark.parametrize(
    ("library", "fixture"),
    [
        ("formats_docx.Document", "notice.docx"),
        ("formats_pdf.pdfplumber.open", "notice.pdf"),
        ("formats_html.BeautifulSoup", "gov-article.html"),
    ],
)
def test_any_failure_of_a_format_library_is_the_declared_error(monkeypatch, library, fixture):
    """Not only the kinds fuzzing found: whatever a library raises while reading, the
    extractor's boundary turns it into "damaged"."""

    class LibraryBug(Exception):
        pass

    def failing(*args, **kwargs):
        raise LibraryBug("a failure nobody has seen yet")

    monkeypatch.setattr(f"shuzheng.documents.parsing.{library}", failing)
    with pytest.raises(ExtractionError) as error:
        parse((FIXTURES / fixture).read_bytes(), fixture)
    assert error.value.code == "damaged"
    assert isinstance(error.value.__cause__, LibraryBug)
