"""The portal's pages in Chinese carry no English words (issue 11, item 7): what a visitor
reads — text, labels, titles — is Chinese, but for format and standard names and acronyms
(CSV, DCAT-AP, JSON-LD …), identifiers (codes, addresses, file names) and the data itself
(a preview's column names and values are the file's)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from shuzheng.catalog.models import DataResource

pytestmark = pytest.mark.django_db

#: Latin words a Chinese page may show: format and standard names, size units.
ALLOWED = {
    "CSV",
    "XLSX",
    "XLS",
    "JSON",
    "XML",
    "API",
    "PDF",
    "ZIP",
    "DCAT",
    "AP",
    "RDF",
    "LD",
    "Turtle",
    "SHACL",
    "CC",
    "BY",
    "SA",
    "AQI",
    "KB",
    "MB",
    "GB",
    "bytes",
    "A",
    # The language switcher names each language in itself.
    "English",
}
WORD = re.compile(r"[A-Za-z][A-Za-z]+|(?<![A-Za-z0-9/._-])[A-Za-z](?![A-Za-z0-9/._-])")


class Visible(HTMLParser):
    """The text a visitor reads: element text and the title, alt, aria-label and
    placeholder attributes, outside script and style; in a data preview's table only the
    platform's own words (each column's type), not the file's column names and values."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip, self.in_preview, self.in_type = [], 0, False, False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "table" and "preview-types" in (dict(attrs).get("class") or ""):
            self.in_preview = True
        if tag == "small" and self.in_preview:
            self.in_type = True
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "table":
            self.in_preview = False
        if tag == "small":
            self.in_type = False

    def handle_data(self, data):
        if not self.skip and (not self.in_preview or self.in_type):
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = Visible()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"https?://\S+|[\w.-]+\.(?:csv|xlsx|json|ttl|xml|jsonld)\b", " ", text)
    return {word for word in WORD.findall(text) if word not in ALLOWED}


def test_the_portal_pages_in_chinese_have_no_english_words(client, sample_catalog):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    pages = [reverse("catalog_portal:home"), reverse("catalog_portal:home") + "?q=旅游"]
    pages += [
        reverse("catalog_portal:dataset", args=[pk])
        for pk in DataResource.objects.open_to_public().values_list("pk", flat=True)
    ]
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        words = english_words(response.content.decode())
        if words:
            found[path] = sorted(words)
    assert found == {}
