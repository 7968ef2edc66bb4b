"""A detached signature carried inside the PDF it signs (issue 10, point 3: sealed documents).

Pure Python, no Django. The signature covers the PDF exactly as rendered, every byte up to
its ``%%EOF``. It travels in an incremental update appended after those bytes (ISO 32000-1,
7.5.6: a PDF may be extended by appending objects, a cross-reference section and a trailer
whose ``/Prev`` points at the previous one), so the file stays one PDF that every reader
opens as before, and the verifier reads back both the signed bytes and the signature:

    <the rendered PDF, ending in %%EOF>
    %shuzheng-seal-1
    N 0 obj << /Type /ShuzhengSignature /Envelope <hex of the signature envelope, JSON> >> endobj
    xref / trailer << … /Prev … /ShuzhengSignature N 0 R >> / startxref / %%EOF

This is the shape of a PAdES signature (ISO 32000-1, 12.8: a ``/ByteRange`` of the signed
bytes and the signature in the file), simplified: the byte range is always "everything
before the marker", and the signature is the platform's envelope (an SM2 signature over the
SM3 digest of those bytes, docs/trust.md) rather than a CMS object, which tongsuopy cannot
build. A byte changed anywhere before the marker changes the digest ("document changed");
anything appended after the update is refused as a change too.
"""

from __future__ import annotations

import json
import re

MARKER = b"%shuzheng-seal-1\n"
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.DOTALL)
_REFERENCE = rb"\s+(\d+\s+\d+\s+R)"
_ENVELOPE = re.compile(rb"/Envelope\s*<([0-9A-Fa-f]*)>")
_END = re.compile(rb"startxref\s+\d+\s+%%EOF\s*\Z")


class SealedPdfError(ValueError):
    """A file that is no sealed PDF of the platform; ``code`` says what is wrong."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def attach_signature(pdf: bytes, envelope: dict) -> bytes:
    """``pdf`` with ``envelope`` appended in an incremental update (see the module)."""
    start = _STARTXREF.search(pdf)
    trailers = _TRAILER.findall(pdf)
    if not pdf.startswith(b"%PDF-") or start is None or not trailers:
        raise SealedPdfError("not_pdf")
    trailer = trailers[-1]
    size = int(_required(trailer, rb"/Size\s+(\d+)"))
    entries = [b"/Size %d" % (size + 1), b"/Prev " + start.group(1)]
    entries.append(b"/Root " + _required(trailer, rb"/Root" + _REFERENCE))
    for key in (rb"/Info", rb"/ID"):
        value = _optional(trailer, key)
        if value:
            entries.append(key + b" " + value)
    entries.append(b"/ShuzhengSignature %d 0 R" % size)
    body = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    body += MARKER
    offset = len(body)
    payload = json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body += b"%d 0 obj\n<< /Type /ShuzhengSignature /Envelope <%s> >>\nendobj\n" % (
        size,
        payload.hex().encode("ascii"),
    )
    xref = len(body)
    body += b"xref\n%d 1\n%010d 00000 n\r\n" % (size, offset)
    body += b"trailer\n<< " + b" ".join(entries) + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(body)


def detach_signature(data: bytes) -> tuple[bytes, dict]:
    """The signed bytes and the envelope of a sealed PDF; :class:`SealedPdfError` with
    ``not_pdf``, ``not_sealed``, ``envelope_malformed`` or ``appended_after_sealing``."""
    if not data.startswith(b"%PDF-"):
        raise SealedPdfError("not_pdf")
    position = data.rfind(MARKER)
    if position < 0:
        raise SealedPdfError("not_sealed")
    update = data[position + len(MARKER) :]
    match = _ENVELOPE.search(update)
    if match is None:
        raise SealedPdfError("envelope_malformed")
    if not _END.search(update):
        raise SealedPdfError("appended_after_sealing")
    try:
        envelope = json.loads(bytes.fromhex(match.group(1).decode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise SealedPdfError("envelope_malformed") from None
    if not isinstance(envelope, dict):
        raise SealedPdfError("envelope_malformed")
    return data[:position], envelope


def _required(trailer: bytes, pattern: bytes) -> bytes:
    match = re.search(pattern, trailer)
    if match is None:
        raise SealedPdfError("not_pdf")
    return match.group(1)


def _optional(trailer: bytes, key: bytes) -> bytes:
    """A trailer entry's value: a reference (``/Info 7 0 R``) or an array (``/ID [<…><…>]``,
    which reportlab writes after a comment line)."""
    match = re.search(key + rb"\s*(?:%[^\n]*\n\s*)?(\[[^\]]*\]|\d+\s+\d+\s+R)", trailer)
    return match.group(1) if match else b""
