"""Checking evidence files (佐证材料) attached to progress reports, before anything is stored.

Issue 5, item 2: uploads are stored under MEDIA_ROOT, their size and type checked, with
clear errors. The type is judged from the file's first bytes as well as its name, so a
renamed executable does not pass as a PDF; the stored name is random, so a file name can
neither escape the evidence folder nor overwrite another unit's file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from shuzheng import uploads
from shuzheng.tasks.policy import evidence_max_bytes

#: Accepted extensions (their kinds and signatures are the kernel's, shuzheng.uploads).
ACCEPTED = uploads.kinds(
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".doc",
    ".xls",
    ".ofd",
    ".zip",
    ".txt",
    ".csv",
)


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
    name = uploads.base_name(upload.name)
    if not name:
        raise EvidenceError(_("An evidence file has no name."))
    extension = uploads.extension_of(name)
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
    read = uploads.read(upload)
    if ACCEPTED[extension].signatures is None:
        if not uploads.content_matches(read.head, extension):
            raise EvidenceError(_("%(name)s is not a text file.") % {"name": name})
    elif not uploads.content_matches(read.head, extension):
        raise EvidenceError(
            _("%(name)s does not contain what its name says (%(extension)s).")
            % {"name": name, "extension": extension}
        )
    return CheckedUpload(name[:255], size, ACCEPTED[extension].content_type, read.sha256)


def stored_name(name: str) -> str:
    """A random file name keeping the (checked) extension."""
    return uuid.uuid4().hex + PurePath(name).suffix.lower()
