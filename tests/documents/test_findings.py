"""Findings are stored as codes with values and worded at display in the reader's language
(issue 8, item 4): every code reads in Chinese in the Chinese UI and in English in the
English one, with its severity as a translated label; the document page in Chinese carries
no English word; the parser's declared errors read in both languages too."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.documents.models import IngestionFinding
from shuzheng.documents.parsing import formats
from shuzheng.documents.parsing.formats_common import ExtractionError, Term
from shuzheng.documents.parsing.model import FINDING_TEXT, finding_sentence
from tests.documents import parsed_samples as samples
from tests.documents.test_services import ingest, units  # noqa: F401 - fixture
from tests.documents.test_views import administrator, stored  # noqa: F401 - fixtures

#: A Latin-alphabet word of three letters or more: the trace of an English sentence.
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: Names that stay as they are in Chinese text: formats, encodings, products.
PROPER_NAMES = {
    "Markdown",
    "PDF",
    "OCR",
    "Word",
    "docx",
    "txt",
    "HTML",
    "UTF",
    "Big",  # Big5
    "Excel",
    "PowerPoint",
    "WPS",
    "wps",
    "RTF",
    "OFD",
    "OpenDocument",
    "odt",
    "CSV",
    "PNG",
    "JPEG",
    "GIF",
    "TIFF",
    "BMP",
    "RAR",
    "Office",
    "doc",
    "xls",
}
#: Values for every placeholder of the finding sentences: Chinese or numbers, as the
#: parser gives them for Chinese documents.
VALUES = {
    "encoding": "gb18030",
    "count": 2,
    "pages": [2, 3],
    "charset": "gb2312",
    "selector": "#zoom",
    "title": "关于推进数据共享的实施方案",
    "heading": "关于推进数据共享实施方案",
    "number": 3,
    "clause": "视情况而定",
    "unit": "自治区数据星球局",
    "cells": 5,
    "columns": 4,
    "text": "旧的说明",
}


def params_for(key: str) -> dict:
    code, _, variant = key.partition("/")
    params = {
        name: value for name, value in VALUES.items() if "{" + name + "}" in FINDING_TEXT[key]
    }
    return params | ({"variant": variant} if variant else {})


def english_leaks(text: str) -> list[str]:
    return [word for word in LATIN_WORD.findall(text) if word not in PROPER_NAMES]


def assert_chinese(text: str, values: dict) -> None:
    """No English word in the sentence itself; the values (an encoding's name, an element's
    id) are data and are left out of the check."""
    for value in values.values():
        if not isinstance(value, Term):
            text = text.replace(str(value), "")
    assert not english_leaks(text), f"English in the Chinese text: {text!r}"
    assert not re.search(r"[,;:](?:\s|$)", text), f"Latin punctuation in: {text!r}"


@pytest.mark.parametrize("key", sorted(FINDING_TEXT))
def test_every_finding_reads_in_chinese_and_in_english(key):
    code = key.partition("/")[0]
    params = params_for(key)
    with translation.override("zh-hans"):
        chinese = finding_sentence(code, params, gettext)
    with translation.override("en"):
        english = finding_sentence(code, params, gettext)
    assert chinese != english or key == "recorded-text"
    if key != "recorded-text":
        assert_chinese(chinese, params)
    assert english == finding_sentence(code, params)  # the English sentence is the msgid


def test_list_values_are_joined_in_the_language_of_the_reader():
    params = {"pages": [2, 3]}
    with translation.override("zh-hans"):
        assert finding_sentence("pdf-page-without-text", params, gettext).startswith("第 2、3 页")
    assert "Page(s) 2, 3 have" in finding_sentence("pdf-page-without-text", params)


def test_an_unknown_code_shows_its_recorded_text_or_itself():
    assert finding_sentence("newer-code", {"text": "旧的说明"}) == "旧的说明"
    assert finding_sentence("newer-code", {}) == "newer-code"


def declared_errors() -> list[ExtractionError]:
    """One of each of the parser's declared errors, with the values they are raised with."""
    cases = [
        (b"", "empty.txt"),
        (b"\r\n \r\n", "blank.txt"),
        (b"\x00\x01\x02\x03" * 50, "data.bin.txt"),
        (b"\xef\xbb\xbf\xff\xfe\xfa", "bom.txt"),
        ("宁政发".encode("gb18030") + b"\x80\xff\x80\xff", "odd.txt"),
        ("正文".encode(), "notice.pdf"),
        ("正文".encode(), "notice.doc"),
        ("正文".encode(), "download"),
        ("正文".encode(), "data.json"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 10, "scan.png"),
        (b"PK\x03\x04broken", "upload.zip"),
        (b"PK\x03\x04broken", "upload.docx"),
        (b"%PDF-1.4\n" + b"garbage " * 20, "broken.pdf"),
        (b"<html><body><script>x</script></body></html>", "page.html"),
    ]
    errors = []
    for data, name in cases:
        with pytest.raises(ExtractionError) as caught:
            formats.extract_text(data, name)
        errors.append(caught.value)
    with pytest.raises(ExtractionError) as caught:
        formats.extract_text(b"a" * 11, "big.txt", max_bytes=10)
    errors.append(caught.value)
    for kind in {*formats.UNSUPPORTED_EXTENSIONS.values(), *(k for _m, k in formats._MAGIC)}:
        errors.append(ExtractionError("unsupported-format", formats._UNSUPPORTED_TEXT, kind=kind))
    return errors


def test_every_declared_error_reads_in_chinese_and_in_english():
    for error in declared_errors():
        with translation.override("zh-hans"):
            chinese = error.describe(gettext)
        with translation.override("en"):
            english = error.describe(gettext)
        assert english == str(error)
        assert chinese != english
        assert_chinese(chinese.replace("（.doc/.xls/.wps）", ""), error.params)


def test_a_term_value_is_translated_with_its_sentence():
    error = ExtractionError("unsupported-format", formats._UNSUPPORTED_TEXT, kind=Term("image"))
    with translation.override("zh-hans"):
        assert error.describe(gettext).startswith("不支持的文件格式：图片。")


def findings_section(body: str) -> str:
    """The visible text of the document page's findings section."""
    section = body[body.index('aria-labelledby="findings-heading"') :]
    section = section[: section.index("</section>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section.split(">", 1)[1]))


@pytest.mark.django_db
@pytest.mark.chinese_ui
def test_the_chinese_document_page_words_findings_in_chinese(client, stored, administrator):  # noqa: F811
    client.force_login(administrator)
    body = client.get(stored["opinion"].get_absolute_url()).content.decode()
    shown = findings_section(body)
    assert "警告" in shown
    assert "第 1 项任务：单位“自治区大数据中心”不在单位名录中。" in shown
    assert not english_leaks(shown), shown
    assert 'data-code="unit-unresolved"' in body


@pytest.mark.django_db
def test_the_english_document_page_words_findings_in_english(client, stored, administrator):  # noqa: F811
    client.force_login(administrator)
    body = client.get(stored["opinion"].get_absolute_url()).content.decode()
    shown = findings_section(body)
    assert "Warning" in shown
    assert "Task 1: the unit “自治区大数据中心” is not in the registry." in shown
    assert "警告" not in shown


@pytest.mark.django_db
def test_a_stored_finding_keeps_the_code_and_values_only(stored):  # noqa: F811
    finding = IngestionFinding.objects.get(code="unit-unresolved")
    assert finding.params == {"number": 1, "unit": "自治区大数据中心"}
    assert "message" not in {field.name for field in IngestionFinding._meta.get_fields()}
    with translation.override("zh-hans"):
        assert finding.message == "第 1 项任务：单位“自治区大数据中心”不在单位名录中。"
        assert finding.severity_label == "警告"


@pytest.mark.django_db
def test_the_api_report_gives_code_values_and_the_sentence_in_the_requesters_language(units):  # noqa: F811
    report = ingest(samples.build_result())
    with translation.override("zh-hans"):
        [finding] = report.to_dict()["findings"]
    assert finding["code"] == "unit-unresolved"
    assert finding["params"] == {"number": 1, "unit": "自治区大数据中心"}
    assert finding["message"] == "第 1 项任务：单位“自治区大数据中心”不在单位名录中。"
