"""What the public verification page and API verify (issue 10, item 4: 验章验签), as
registered input kinds: each kind has a *detector* (is this submission mine?) and a
*verifier* (its outcome). Sealed PDFs, signed envelopes, licences and signature numbers
register themselves (``trust.verify_inputs``, from the app's ``ready``); the page and the
API only call :func:`verify_submission` and show the :class:`Outcome`.

Pure: no Django models here. An outcome is never "valid" unless it holds at least one
validation report, every report passed, and no problem was found besides the signatures
(a licence revoked, a forged QR code).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from shuzheng.trust.validation import ValidationReport, Verdict

#: The largest file the verification page and API read (a larger one gets a clear message).
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """What a verifier gave: a file's bytes, or a number typed in (with the short digest a
    licence's QR code carries, when it came from the QR code)."""

    data: bytes | None = None
    number: str = ""
    digest: str = ""

    @property
    def is_file(self) -> bool:
        return self.data is not None


@dataclass(frozen=True)
class Outcome:
    """The answer: what was verified (``title``), its signatures' reports, facts to show
    (label, value) and the problems found besides the signatures, already worded."""

    kind: str
    title: str
    #: (what was signed, its report), e.g. ("the licence's record", report).
    reports: tuple[tuple[str, ValidationReport], ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        if self.problems or not self.reports:
            return Verdict.TOTAL_FAILED
        verdicts = {report.verdict for _label, report in self.reports}
        if Verdict.TOTAL_FAILED in verdicts:
            return Verdict.TOTAL_FAILED
        if Verdict.INDETERMINATE in verdicts:
            return Verdict.INDETERMINATE
        return Verdict.TOTAL_PASSED


Detector = Callable[[Submission], bool]
Verifier = Callable[[Submission], Outcome]


@dataclass(frozen=True)
class VerifyInput:
    kind: str
    detector: Detector
    verifier: Verifier


_INPUTS: list[VerifyInput] = []
_unknown: list[Verifier] = []


def register_verify_input(kind: str, detector: Detector, verifier: Verifier) -> None:
    """Add an input kind; detectors are asked in the order registered (a more specific
    kind, a licence's PDF, registers before the general one, any sealed PDF). Registering a
    kind again replaces it in place."""
    entry = VerifyInput(kind, detector, verifier)
    for index, existing in enumerate(_INPUTS):
        if existing.kind == kind:
            _INPUTS[index] = entry
            return
    _INPUTS.append(entry)


def set_unknown_input(verifier: Verifier) -> None:
    """The outcome of a submission no kind claims."""
    _unknown[:] = [verifier]


def registered_kinds() -> list[str]:
    return [entry.kind for entry in _INPUTS]


def verify_submission(submission: Submission) -> Outcome:
    for entry in _INPUTS:
        if entry.detector(submission):
            return entry.verifier(submission)
    if _unknown:
        return _unknown[0](submission)
    return Outcome("unknown", "", problems=("unrecognised input",))


@dataclass
class OutcomeBuilder:
    """Collects an outcome's parts while a verifier works."""

    kind: str
    title: str
    reports: list[tuple[str, ValidationReport]] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def build(self) -> Outcome:
        return Outcome(
            self.kind, self.title, tuple(self.reports), tuple(self.facts), tuple(self.problems)
        )
