"""Inputs that once crashed the parser stay fixed (issue 9, point 7; tests/fuzz/README.md):
each damaged .docx or .pdf is refused with the declared "damaged" error, and each deeply
nested web page is read."""

from pathlib import Path

import pytest

from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.documents.parsing.parser import parse

CRASHERS = sorted((Path(__file__).parent / "crashers").iterdir())


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
