"""A licence as a PDF in Chinese (issue 10, point 2): its face, the issuing unit under its
seal, and a QR code of the verification link, built with the kernel ``shuzheng.pdf`` (the
font embedded). The PDF is then signed over its bytes and the signature carried inside it
(``trust.sealed_pdf``), by the services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from shuzheng.pdf import PdfDocument

#: The public verification page (trust's ``/trust/verify/``).
VERIFY_PATH = "/trust/verify/"


def verification_url(number: str, short_digest: str) -> str:
    """The public link a licence's QR code carries: the verify page with the licence's
    number and the first digits of its record's SM3 digest (a forged code names a number
    whose record has another digest)."""
    query = urlencode({"licence": number, "digest": short_digest})
    return f"{settings.PUBLIC_URL.rstrip('/')}{VERIFY_PATH}?{query}"


def long_date(day: dt.date) -> str:
    return _("%(year)d-%(month)02d-%(day)02d") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def licence_document(
    *,
    type_name: str,
    number: str,
    holder_name: str,
    holder_kind_label: str,
    holder_masked: str,
    face: list[tuple[str, str]],
    issuer_name: str,
    issued_on: dt.date,
    valid_until: dt.date | None,
    seal_png: bytes,
    verify_url: str,
    character_base: str = "",
) -> PdfDocument:
    """The licence's document: every text in the active language, Chinese by default.
    ``character_base``: the characters of the batch it is rendered with (``shuzheng.pdf``)."""
    validity = (
        _("%(start)s to %(end)s") % {"start": long_date(issued_on), "end": long_date(valid_until)}
        if valid_until
        else _("From %(start)s, without expiry") % {"start": long_date(issued_on)}
    )
    document = PdfDocument(
        title=type_name,
        footer=_("Electronic licence %(number)s") % {"number": number},
        author=issuer_name,
        subject=number,
        character_base=character_base,
    )
    document.title_block(type_name)
    document.fields(
        [
            (_("Licence number"), number),
            (_("Holder"), holder_name),
            (holder_kind_label, holder_masked),
            *face,
            (_("Validity"), validity),
            (_("Issuing unit"), issuer_name),
        ]
    )
    document.spacer(8)
    document.closing([issuer_name, long_date(issued_on)], seal_png=seal_png, qr_text=verify_url)
    document.spacer(4)
    document.note(
        _(
            "This electronic licence is sealed with the issuing unit's electronic seal. Scan "
            "the QR code, or upload this file or enter its number on the platform's "
            "verification page, to check that it is genuine, unchanged and in force."
        )
    )
    return document


#: The seal picture, language and characters the forked rendering processes of
#: :func:`render_licences` use: set before the fork, so they are not pickled with every licence.
_batch: dict = {}


def _render(fields: dict) -> bytes:
    with translation.override(_batch["language"]):
        document = licence_document(
            seal_png=_batch["seal_png"], character_base=_batch["base"], **fields
        )
        return document.render()


def render_licences(jobs: list[dict], seal_png: bytes, *, workers: int = 1) -> list[bytes]:
    """The PDFs of many licences (:func:`licence_document`'s arguments but the seal), in
    ``workers`` forked processes when more than one. All of them share one font made of the
    batch's characters (``shuzheng.pdf``'s ``character_base``: one font conversion for the
    batch, a subset of it embedded in each PDF); the first is rendered here first, so that
    the font is converted once and the processes inherit it."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        characters = set()
        for fields in jobs:
            characters.update(licence_document(seal_png=b"", **fields).text())
    _batch.update(seal_png=seal_png, language=language, base="".join(sorted(characters)))
    try:
        if workers <= 1 or len(jobs) < 2 * workers:
            return [_render(fields) for fields in jobs]
        import multiprocessing

        first = _render(jobs[0])
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, min(100, len(jobs) // (workers * 4)))
            return [first, *pool.map(_render, jobs[1:], chunksize=chunk)]
    finally:
        _batch.clear()
