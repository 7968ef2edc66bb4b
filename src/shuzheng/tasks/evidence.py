"""Checking evidence files (佐证材料) attached to progress reports, before anything is stored.

Issue 5, item 2: uploads are stored under MEDIA_ROOT, their size and type checked, with
clear errors. The type is judged from the file's first bytes as well as its name, so a
renamed executable does not pass as a PDF; the stored name is random, so a file name can
neither escape the evidence folder nor overwrite another unit's file.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from shuzheng.tasks.policy import evidence_max_bytes

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls / .ppt
#: Accepted extensions → (content type, accepted leading bytes; None = text).
ACCEPTED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".ofd": ("application/ofd", (ZIP,)),
    ".zip": ("application/zip", (ZIP,)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}


class EvidenceError(ValueError):
    """An evidence file that cannot be accepted; the message names the file and the fix."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    size: int
    content_type: str
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """Size, type and content checks of one uploaded file (a Django UploadedFile)."""
    name = PurePath((upload.name or "").replace("\\", "/")).name.strip()
    if not name:
        raise EvidenceError(_("An evidence file has no name."))
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED:
        raise EvidenceError(
            _("%(name)s: files of this type are not accepted; use one of %(types)s.")
            % {"name": name, "types": ", ".join(sorted(ACCEPTED))}
        )
    limit = evidence_max_bytes()
    size = upload.size or 0
    if size == 0:
        raise EvidenceError(_("%(name)s is empty.") % {"name": name})
    if size > limit:
        raise EvidenceError(
            _("%(name)s is %(size).1f MB; evidence files may be at most %(limit)d MB.")
            % {"name": name, "size": size / 1024 / 1024, "limit": limit // 1024 // 1024}
        )
    content_type, signatures = ACCEPTED[extension]
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise EvidenceError(_("%(name)s is not a text file.") % {"name": name})
    elif not head.startswith(signatures):
        raise EvidenceError(
            _("%(name)s does not contain what its name says (%(extension)s).")
            % {"name": name, "extension": extension}
        )
    return CheckedUpload(name[:255], size, content_type, digest.hexdigest())


def stored_name(name: str) -> str:
    """A random file name keeping the (checked) extension."""
    return uuid.uuid4().hex + PurePath(name).suffix.lower()
