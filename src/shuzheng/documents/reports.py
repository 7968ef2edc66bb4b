"""What an ingestion did, for the CLI, the upload page and the API (issue 3, item 7)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext

from shuzheng.documents.choices import SEVERITY_LABELS, Outcome
from shuzheng.documents.parsing.model import Severity, finding_sentence


@dataclass
class DocumentOutcome:
    id: int
    title: str
    doc_number: str
    version: int
    outcome: str  # Outcome value
    tasks: int


@dataclass
class FindingOut:
    severity: str
    code: str
    params: dict
    offset: int | None = None
    context: str = ""
    document_id: int | None = None

    @property
    def message(self) -> str:
        """The finding's sentence in the active language (the reader's, the requester's)."""
        return finding_sentence(self.code, self.params, gettext)

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity))


@dataclass
class IngestionReport:
    """What ingesting one file did; the CLI, the upload page and the API all show it."""

    filename: str
    sha256: str = ""
    status: str = "stored"  # stored / unchanged / failed
    source_id: int | None = None
    error: str = ""
    documents: list[DocumentOutcome] = field(default_factory=list)
    findings: list[FindingOut] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.documents if item.outcome == outcome)

    @property
    def tasks(self) -> int:
        return sum(item.tasks for item in self.documents if item.outcome != Outcome.UNCHANGED)

    def findings_by_severity(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts

    @classmethod
    def from_dict(cls, data: dict) -> IngestionReport:
        """The report :meth:`to_dict` gave (a job keeps its report so); what it derived —
        the summary, the findings' sentences — is derived again, in the reader's language."""
        fields = {key: value for key, value in data.items() if key != "summary"}
        fields["documents"] = [DocumentOutcome(**item) for item in data["documents"]]
        fields["findings"] = [
            FindingOut(**{key: value for key, value in item.items() if key != "message"})
            for item in data["findings"]
        ]
        return cls(**fields)

    def to_dict(self) -> dict:
        data = asdict(self)
        for finding, item in zip(self.findings, data["findings"], strict=True):
            item["message"] = finding.message
        data["summary"] = {
            "created": self.count(Outcome.CREATED),
            "new_versions": self.count(Outcome.NEW_VERSION),
            "unchanged": self.count(Outcome.UNCHANGED),
            "tasks": self.tasks,
            "findings": self.findings_by_severity(),
        }
        return data


@dataclass
class BatchReport:
    """The reports of ``ingest_paths``, one per file, in the order the files were read."""

    reports: list[IngestionReport] = field(default_factory=list)

    @property
    def failed(self) -> list[IngestionReport]:
        return [report for report in self.reports if report.failed]

    def count(self, outcome: str) -> int:
        return sum(report.count(outcome) for report in self.reports)

    @property
    def tasks(self) -> int:
        return sum(report.tasks for report in self.reports)

    def findings_by_severity(self) -> dict[str, int]:
        totals = {severity.value: 0 for severity in Severity}
        for report in self.reports:
            for severity, number in report.findings_by_severity().items():
                totals[severity] = totals.get(severity, 0) + number
        return totals
