"""The input kinds the platform verifies, registered with ``trust.verification`` from the
app's ``ready``: a licence's number (typed, or from its QR code with the short digest), a
signature's number, a licence's PDF, any sealed PDF, a licence's signed envelope and any
signed envelope. Each answers an :class:`~shuzheng.trust.verification.Outcome`; none
raises on bad input."""

from __future__ import annotations

import hmac
import json
import re

from django.core.cache import cache
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from shuzheng.client_address import client_address
from shuzheng.text.translation import gettext_noop
from shuzheng.trust import licences, sealed_pdf, services, validation
from shuzheng.trust.certificates import FormatError
from shuzheng.trust.licence_models import Licence
from shuzheng.trust.licence_services import PDF_KIND, RECORD_KIND, stored_record_matches
from shuzheng.trust.models import Signature
from shuzheng.trust.verification import (
    Outcome,
    OutcomeBuilder,
    Submission,
    register_verify_input,
    set_unknown_input,
)

SIGNATURE_NUMBER = re.compile(r"^[0-9A-F]{20}$")
#: Verifications one client address may ask for in a minute (page and API together).
VERIFY_PER_MINUTE = 30


def show_time(moment) -> str:
    return format_date(timezone.localtime(moment), "Y-m-d H:i:s")


def _day(day) -> str:
    return day.strftime("%Y-%m-%d") if day else _("No expiry")


# -- licences --------------------------------------------------------------------------------


def _licence(number: str) -> Licence | None:
    return (
        Licence.objects.select_related(
            "licence_type__issuer", "record_signature__seal__certificate", "pdf_signature"
        )
        .defer("pdf")
        .filter(number=number.strip().upper())
        .first()
    )


def _add_licence(outcome: OutcomeBuilder, licence: Licence, *, show_holder: bool) -> None:
    """The licence's signed record checked, its status, and its facts (the holder's name
    only to who holds the licence's file or its QR code: a number alone can be guessed)."""
    outcome.reports.append(
        (
            _("The licence's record"),
            services.verify(licence.record.encode("utf-8"), licence.record_signature),
        )
    )
    if not stored_record_matches(licence):
        outcome.problems.append(_("The licence's record differs from what was signed."))
    status = licence.status_today
    if status != "valid":
        reason = f"（{licence.status_reason}）" if licence.status_reason else ""
        outcome.problems.append(
            _("The licence is not in force: %(status)s%(reason)s.")
            % {"status": licence.status_label, "reason": reason}
        )
    outcome.facts += [
        (_("Licence"), licence.licence_type.name),
        (_("Licence number"), licence.number),
        (_("Issuing unit"), licence.licence_type.issuer.name),
        (_("Issued on"), _day(licence.issued_on)),
        (_("Valid until"), _day(licence.valid_until)),
        (_("Status"), licence.status_label),
    ]
    if show_holder:
        outcome.facts.append((_("Holder"), licence.holder_name))


def _is_licence_number(submission: Submission) -> bool:
    return not submission.is_file and licences.number_is_well_formed(submission.number)


def _verify_licence_number(submission: Submission) -> Outcome:
    number = submission.number.strip().upper()
    outcome = OutcomeBuilder("licence", _("Electronic licence %(number)s") % {"number": number})
    licence = _licence(number)
    if licence is None:
        outcome.problems.append(_("No licence of this platform has this number."))
        return outcome.build()
    digest = submission.digest.strip().lower()
    if digest and not hmac.compare_digest(
        digest.encode("ascii", "replace"), licences.short_digest(licence.digest).encode("ascii")
    ):
        outcome.problems.append(
            _(
                "The QR code's digest does not match this licence's record: the code is "
                "forged or belongs to another licence."
            )
        )
        return outcome.build()
    _add_licence(outcome, licence, show_holder=bool(digest))
    return outcome.build()


# -- signature numbers -----------------------------------------------------------------------


def _is_signature_number(submission: Submission) -> bool:
    return not submission.is_file and bool(
        SIGNATURE_NUMBER.match(submission.number.strip().upper())
    )


def verify_signature_number(submission: Submission) -> Outcome:
    number = submission.number.strip().upper()
    outcome = OutcomeBuilder("signature", _("Signature %(number)s") % {"number": number})
    signature = (
        Signature.objects.select_related("seal__certificate", "seal__unit")
        .filter(number=number)
        .first()
    )
    if signature is None:
        outcome.problems.append(_("No signature of this platform has this number."))
        return outcome.build()
    outcome.reports.append((_("The signature"), services.verify(None, signature)))
    outcome.facts += [
        (_("Seal"), signature.seal.name),
        (_("Document reference"), signature.subject_ref),
        (_("Signed at"), show_time(signature.signed_at)),
    ]
    return outcome.build()


def _unknown_number(submission: Submission) -> Outcome:
    if submission.is_file:
        return Outcome(
            "unknown",
            _("Uploaded file"),
            problems=(
                _(
                    "The file is neither a PDF nor a signed JSON file of this platform "
                    "(truncated, or another kind of file)."
                ),
            ),
        )
    return Outcome(
        "unknown",
        submission.number.strip()[:60],
        problems=(_("This is neither a licence number nor a signature number."),),
    )


# -- files -----------------------------------------------------------------------------------


def _pdf_envelope(data: bytes):
    try:
        return sealed_pdf.detach_signature(data)
    except sealed_pdf.SealedPdfError:
        return None


def _subject(envelope) -> tuple[str, str]:
    """The signed subject (kind, reference) an envelope names, ("", "") when unreadable."""
    try:
        signature = envelope.get("signature") if isinstance(envelope, dict) else None
        _document, attributes = validation.parse_signed_attributes(signature)
    except (FormatError, AttributeError, TypeError, KeyError):
        return "", ""
    return attributes.subject_kind, attributes.subject_ref


def _is_pdf(submission: Submission) -> bool:
    return submission.is_file and submission.data.lstrip()[:5] == b"%PDF-"


def _is_licence_pdf(submission: Submission) -> bool:
    if not _is_pdf(submission):
        return False
    detached = _pdf_envelope(submission.data)
    return detached is not None and _subject(detached[1])[0] == PDF_KIND


def _pdf_report(data: bytes):
    try:
        signed, envelope = sealed_pdf.detach_signature(data)
    except sealed_pdf.SealedPdfError as error:
        return validation.format_failure(FormatError(error.code)), None
    return services.verify(signed, envelope), envelope


def _verify_sealed_pdf(submission: Submission) -> Outcome:
    outcome = OutcomeBuilder("sealed_pdf", _("Sealed PDF document"))
    report, _envelope = _pdf_report(submission.data)
    outcome.reports.append((_("The PDF"), report))
    return outcome.build()


def _verify_licence_pdf(submission: Submission) -> Outcome:
    report, envelope = _pdf_report(submission.data)
    number = _subject(envelope)[1]
    outcome = OutcomeBuilder("licence", _("Electronic licence %(number)s") % {"number": number})
    outcome.reports.append((_("The licence's PDF"), report))
    licence = _licence(number)
    if licence is None:
        outcome.problems.append(_("No licence of this platform has this number."))
        return outcome.build()
    if report.attributes is not None and report.attributes.number != licence.pdf_signature.number:
        outcome.problems.append(_("This PDF is not the one the platform issued for the licence."))
    _add_licence(outcome, licence, show_holder=True)
    return outcome.build()


def _json_envelope(submission: Submission):
    if not submission.is_file or submission.data.lstrip()[:1] != b"{":
        return None
    try:
        envelope = json.loads(submission.data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return envelope if isinstance(envelope, dict) else None


def _is_json(submission: Submission) -> bool:
    return submission.is_file and submission.data.lstrip()[:1] == b"{"


def _is_licence_envelope(submission: Submission) -> bool:
    envelope = _json_envelope(submission)
    return envelope is not None and _subject(envelope)[0] == RECORD_KIND


def _verify_envelope(submission: Submission) -> Outcome:
    outcome = OutcomeBuilder("envelope", _("Signed JSON file"))
    outcome.reports.append((_("The signed file"), services.verify(None, submission.data)))
    return outcome.build()


def _verify_licence_envelope(submission: Submission) -> Outcome:
    envelope = _json_envelope(submission)
    number = _subject(envelope)[1]
    outcome = OutcomeBuilder("licence", _("Electronic licence %(number)s") % {"number": number})
    report = services.verify(None, submission.data)
    outcome.reports.append((_("The signed file"), report))
    licence = _licence(number)
    if licence is None:
        outcome.problems.append(_("No licence of this platform has this number."))
        return outcome.build()
    _add_licence(outcome, licence, show_holder=True)
    return outcome.build()


def throttled(request) -> bool:
    """True once this client address has asked for more than ``VERIFY_PER_MINUTE``
    verifications in the current minute."""
    minute = int(timezone.now().timestamp() // 60)
    key = f"trust.verify:{client_address(request) or 'unknown'}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        count = 1
    return count > VERIFY_PER_MINUTE


def outcome_data(outcome: Outcome) -> dict:
    """The outcome as the page and the API show it, worded in the active language."""
    return {
        "kind": outcome.kind,
        "title": str(outcome.title),
        "verdict": outcome.verdict.value,
        "verdict_text": _(VERDICT_WORDS[outcome.verdict.value]),
        "problems": [str(problem) for problem in outcome.problems],
        "facts": [{"label": str(label), "value": str(value)} for label, value in outcome.facts],
        "reports": [
            {"label": str(label), **report.as_data(_, show_time)}
            for label, report in outcome.reports
        ],
    }


VERDICT_WORDS = {
    "TOTAL_PASSED": gettext_noop("Valid"),
    "TOTAL_FAILED": gettext_noop("Invalid"),
    "INDETERMINATE": gettext_noop("Indeterminate"),
}


def register() -> None:
    register_verify_input("licence_number", _is_licence_number, _verify_licence_number)
    register_verify_input("signature_number", _is_signature_number, verify_signature_number)
    register_verify_input("licence_pdf", _is_licence_pdf, _verify_licence_pdf)
    register_verify_input("sealed_pdf", _is_pdf, _verify_sealed_pdf)
    register_verify_input("licence_envelope", _is_licence_envelope, _verify_licence_envelope)
    register_verify_input("envelope", _is_json, _verify_envelope)
    set_unknown_input(_unknown_number)
