"""Bounded fuzzing of the parser (issue 9, point 7; tests/fuzz/README.md).

Mutated copies of every format fixture and random bytes go through ``parse``; whatever the
input, the parser returns a result or raises its one declared error, ``ExtractionError``.
Derandomized (the same inputs on every run, nothing read from or written to an example
database), a fixed number of examples per test and a deadline per input: the file runs in
well under a minute on a loaded two-core machine.
"""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.documents.parsing.parser import parse

FIXTURES = Path(__file__).parent.parent / "documents" / "fixtures"
SAMPLES = {
    name: (FIXTURES / name).read_bytes()
    for name in (
        "notice.docx",
        "notice.pdf",
        "scanned.pdf",
        "gov-article.html",
        "notice-gb18030.txt",
        "notice-utf16.txt",
        "task-list.txt",
        "tasks-utf8-bom.md",
    )
}
#: One parse is milliseconds; an input that takes seconds is itself a finding (a hang).
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A mutation: (operation, position, length, bytes); positions wrap around the data.
mutations = st.lists(
    st.tuples(
        st.sampled_from(["replace", "delete", "insert", "copy"]),
        st.integers(min_value=0, max_value=2**32),
        st.integers(min_value=1, max_value=128),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=8,
)


def mutated(data: bytes, steps) -> bytes:
    data = bytearray(data)
    for operation, position, length, chunk in steps:
        at = position % (len(data) + 1)
        if operation == "replace":
            data[at : at + len(chunk)] = chunk
        elif operation == "delete":
            del data[at : at + length]
        elif operation == "insert":
            data[at:at] = chunk
        else:
            source = position % max(len(data), 1)
            data[at:at] = data[source : source + length]
    return bytes(data)


def with_parts_mutated(package: bytes, member_steps: dict[int, list]) -> bytes:
    """The .docx re-zipped with some of its XML parts mutated: the zip stays valid, so the
    damage reaches python-docx and lxml instead of stopping at zipfile's checks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w") as target:
        for index, item in enumerate(source.infolist()):
            content = source.read(item)
            if index in member_steps:
                content = mutated(content, member_steps[index])
            target.writestr(item.filename, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def assert_parses_or_refuses(data: bytes, filename: str) -> None:
    try:
        parse(data, filename)
    except ExtractionError as error:
        assert error.code and str(error)


@settings(FUZZ, max_examples=1500)
@given(name=st.sampled_from(sorted(SAMPLES)), steps=mutations)
def test_mutated_samples_give_a_result_or_the_declared_error(name, steps):
    assert_parses_or_refuses(mutated(SAMPLES[name], steps), name)


@settings(FUZZ, max_examples=200)
@given(parts=st.dictionaries(st.integers(min_value=0, max_value=20), mutations, max_size=3))
def test_docx_with_mutated_xml_parts_gives_a_result_or_the_declared_error(parts):
    assert_parses_or_refuses(with_parts_mutated(SAMPLES["notice.docx"], parts), "notice.docx")


@settings(FUZZ, max_examples=400)
@given(
    prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"\xef\xbb\xbf"]),
    data=st.binary(min_size=1, max_size=4096),
    filename=st.sampled_from(["upload.txt", "upload.pdf", "upload.docx", "upload.html", "x"]),
)
def test_random_bytes_give_a_result_or_the_declared_error(prefix, data, filename):
    assert_parses_or_refuses(prefix + data, filename)


@settings(FUZZ, max_examples=30)
@given(
    tags=st.lists(
        st.sampled_from(["div", "span", "p", "table", "tr", "td", "h1", "h2", "li", "b"]),
        min_size=1,
        max_size=4,
    ),
    depth=st.integers(min_value=1, max_value=1500),
)
def test_deeply_nested_pages_give_a_result_or_the_declared_error(tags, depth):
    opening = "".join(f"<{tag}>" for tag in tags) * depth
    page = f"<html><body>{opening}自治区人民政府关于推进数据共享的通知</body></html>"
    assert_parses_or_refuses(page.encode(), "page.html")
