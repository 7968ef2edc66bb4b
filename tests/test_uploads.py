"""The kernel's judgement of an upload's kind by its content (shuzheng.uploads)."""

import hashlib
import io

import pytest

from shuzheng import uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 16
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 16


@pytest.mark.parametrize(
    ("head", "extension", "matches"),
    [
        (PNG, ".png", True),
        (b"%PDF-1.7\n", ".pdf", True),
        (b"\xff\xd8\xff\xe0", ".jpg", True),
        (b"GIF89a", ".gif", True),
        (WEBP, ".webp", True),
        (WAV, ".webp", False),  # RIFF, but a sound file
        (b"MZ\x90\x00", ".png", False),  # a renamed executable
        (b"MZ\x90\x00", ".pdf", False),
        (PNG, ".pdf", False),
        ("纯文本".encode(), ".txt", True),
        (b"\x00\x01", ".csv", False),
    ],
)
def test_content_decides_the_kind(head, extension, matches):
    assert uploads.content_matches(head, extension) is matches


def test_base_name_drops_any_folder():
    assert uploads.base_name("C:\\Users\\me\\照片.png") == "照片.png"
    assert uploads.base_name("../../etc/passwd") == "passwd"
    assert uploads.base_name(None) == ""


class Chunked(io.BytesIO):
    def chunks(self, size=7):
        while chunk := self.read(size):
            yield chunk


def test_read_digests_in_chunks_and_rewinds():
    content = b"%PDF-1.7\n" + bytes(range(256)) * 4
    upload = Chunked(content)
    read = uploads.read(upload)
    assert read.size == len(content)
    assert read.head == content[: uploads.HEAD_BYTES]
    assert read.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.tell() == 0


def test_read_takes_a_plain_file_object_too():
    upload = io.BytesIO(b"GIF89a" + b"\x00" * 10)
    read = uploads.read(upload)
    assert read.size == 16 and read.head.startswith(b"GIF89a") and upload.tell() == 0
