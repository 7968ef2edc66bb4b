"""What an uploaded file is, judged by its content as well as its name (kernel, no Django).

Every app that takes files (the ledger's evidence, the hotline's attachments) checks them
here: the extension names a kind, and the file's first bytes must be that kind's, so a
renamed executable does not pass as a PDF or a photo. The apps keep their own lists of the
kinds they accept, their size limits and their messages; the signatures live here only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

#: How many leading bytes are kept to judge a file's kind.
HEAD_BYTES = 512

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls / .ppt


@dataclass(frozen=True)
class Kind:
    """A kind of file: its content type and the leading bytes it starts with (``None``: a
    text file, which has no signature but holds no NUL byte)."""

    content_type: str
    signatures: tuple[bytes, ...] | None


#: Known extensions → their kind.
KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", (b"%PDF-",)),
    ".png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    # RIFF is a container (WAV, AVI ...): a WebP image says WEBP at bytes 8–11 as well.
    ".webp": Kind("image/webp", (b"RIFF",)),
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)
    ),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)
    ),
    ".odt": Kind("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": Kind("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".doc": Kind("application/msword", (OLE,)),
    ".xls": Kind("application/vnd.ms-excel", (OLE,)),
    ".ofd": Kind("application/ofd", (ZIP,)),
    ".zip": Kind("application/zip", (ZIP,)),
    ".txt": Kind("text/plain", None),
    ".csv": Kind("text/csv", None),
}


def kinds(*extensions: str) -> dict[str, Kind]:
    """The kinds of ``extensions`` (an app's accepted list), each a known one."""
    return {extension: KINDS[extension] for extension in extensions}


def base_name(raw: str | None) -> str:
    """The file's own name, without any folder a browser or a client sent along."""
    return PurePath((raw or "").replace("\\", "/")).name.strip()


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def content_matches(head: bytes, extension: str) -> bool:
    """Whether a file starting with ``head`` is of the kind ``extension`` names."""
    kind = KINDS[extension]
    if kind.signatures is None:
        return b"\x00" not in head
    if not head.startswith(kind.signatures):
        return False
    return extension != ".webp" or head[8:12] == b"WEBP"


@dataclass(frozen=True)
class Read:
    """One pass over an upload: its size, SHA-256 and leading bytes."""

    size: int
    sha256: str
    head: bytes


def read(upload) -> Read:
    """Read an upload (Django's UploadedFile, or any binary file object) once in chunks, and
    rewind it for storing."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    if hasattr(upload, "chunks"):
        chunks = upload.chunks()
    else:
        chunks = iter(lambda: upload.read(64 * 1024), b"")
    for chunk in chunks:
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return Read(size, digest.hexdigest(), head)
