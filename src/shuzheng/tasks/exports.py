"""The ledger's files (issue 14, point 6): the ledger as filtered in Excel and CSV, the
督办单 (supervision slip) of one task and the 情况通报 (circular) of a period, as PDF.

The Excel and CSV headers are Chinese (the files go to offices whose papers are Chinese);
the cells — lights' reasons, states — are worded in the requester's language. CSV is UTF-8
with a byte-order mark, so Excel opens it with its Chinese intact. The PDFs are built by the
platform's one PDF module (``shuzheng.pdf``), which embeds their font.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from io import BytesIO, StringIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from shuzheng.pdf import PdfDocument
from shuzheng.tasks.choices import StatusLight
from shuzheng.tasks.models import ExtensionRequest, KeyTask, ProgressReport
from shuzheng.tasks.selectors import LedgerRow
from shuzheng.workbooks import fill_sheet

LEDGER_HEADERS = [
    "序号",
    "任务内容",
    "类别",
    "来源文件",
    "责任单位（原文）",
    "承办单位",
    "完成时限",
    "最近反馈",
    "进度（%）",
    "状态",
    "原因",
    "办结情况",
]
CHUNK = 500


def ledger_rows(listing) -> list[list]:
    """One line per ledger row of ``listing`` (a LedgerListing), read a chunk at a time."""
    lines = []
    total = listing.count()
    for start in range(0, total, CHUNK):
        for row in listing[start : start + CHUNK]:
            lines.append(_ledger_line(row))
    return lines


def _ledger_line(row: LedgerRow) -> list:
    task = row.task
    document = task.source_document
    return [
        task.number,
        task.content,
        task.category,
        (document.doc_number or document.title) if document else _("Entered by hand"),
        task.raw_responsibility,
        "、".join(unit.name for unit in row.units),
        task.deadline_text,
        row.last_report_on.isoformat() if row.last_report_on else "",
        "" if row.last_percent is None else row.last_percent,
        str(StatusLight(row.light).label) if row.light else "",
        row.reason_text,
        task.get_closure_display(),
    ]


def ledger_csv(lines: list[list]) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEDGER_HEADERS)
    writer.writerows(lines)
    return buffer.getvalue().encode("utf-8-sig")


def ledger_workbook(lines: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "重点任务台账"
    fill_sheet(sheet, LEDGER_HEADERS, lines, title, max_width=60, sampled_rows=200)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def supervision_slip(
    task: KeyTask, row: LedgerRow, *, office: str, today: dt.date, seal_png: bytes = b""
) -> bytes:
    """督办单: what a supervisor sends a unit about one task — the task, its source, units,
    milestones with their lights, assignments, the latest report and what is asked; with
    ``seal_png``, the issuing unit's seal over its name and the date (``trust.documents``)."""
    document = task.source_document
    number = _("Supervision slip No. %(year)d-%(id)d") % {"year": today.year, "id": task.pk}
    pdf = PdfDocument(title=_("Supervision slip (督办单)"), footer=f"{office} · {number}")
    pdf.title_block(_("Supervision slip (督办单)")).note(number).spacer(3)
    source = _("Entered by hand")
    if document is not None:
        source = document.title + (f"（{document.doc_number}）" if document.doc_number else "")
    open_due = row.next_due_on
    pdf.fields(
        [
            (_("Task"), f"{task.number}. {task.content}"),
            (_("Category"), task.category or "—"),
            (_("Source"), source),
            (_("Responsible units as written"), task.raw_responsibility or "—"),
            (_("Assigned units"), "、".join(unit.name for unit in row.units) or "—"),
            (_("Deadline"), task.deadline_text or "—"),
            (_("Status"), row.reason_text or "—"),
            (
                _("Latest report"),
                (row.last_report_on.isoformat() if row.last_report_on else _("none"))
                + ("" if row.last_percent is None else f" · {row.last_percent}%"),
            ),
        ]
    )
    pdf.heading(_("Milestones"), level=2)
    pdf.table(
        [[_("Milestone"), _("Due on"), _("Achieved on"), _("Status")]]
        + [
            [
                item.milestone.text or item.milestone.get_kind_display(),
                item.milestone.due_on.isoformat()
                if item.milestone.due_on
                else (f"{item.milestone.year}-12-31" if item.milestone.year else _("ongoing")),
                item.milestone.achieved_on.isoformat() if item.milestone.achieved_on else "—",
                item.text,
            ]
            for item in row.milestones
        ],
        widths=[70, 30, 30, 50],
    )
    if row.assignments:
        pdf.heading(_("Assignments"), level=2)
        pdf.table(
            [[_("Unit"), _("Assigned on"), _("Due on"), _("State")]]
            + [
                [
                    a.unit.name,
                    a.assigned_on.isoformat(),
                    a.due_on.isoformat() if a.due_on else "—",
                    a.get_state_display(),
                ]
                for a in row.assignments
            ]
        )
    pdf.heading(_("Supervision requirements"), level=2)
    if open_due:
        pdf.paragraph(
            _(
                "Please report the progress of this task on the ledger before %(due)s, with "
                "evidence; if the milestone cannot be met, request an extension with reasons."
            )
            % {"due": open_due.isoformat()}
        )
    else:
        pdf.paragraph(_("Please keep reporting the progress of this task on the ledger."))
    _sign_off(pdf, office, today, seal_png)
    return pdf.render()


def circular(
    rows: list[LedgerRow],
    *,
    start: dt.date,
    end: dt.date,
    office: str,
    today: dt.date,
    seal_png: bytes = b"",
) -> bytes:
    """情况通报: the ledger's state for the period ``start``–``end`` — tasks by light, the
    milestones that fell due in the period and how they went, reports and extensions in it,
    each unit's tally, and the red tasks named with their reasons."""
    period = _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    title = _("Circular on the key tasks (情况通报), %(period)s") % {"period": period}
    pdf = PdfDocument(title=title, footer=f"{office} · {period}")
    pdf.title_block(_("Circular on the key tasks (情况通报)")).note(period).spacer(3)
    lights = Counter(str(row.light) for row in rows)
    task_ids = [row.task.pk for row in rows]
    due = achieved = late = missed = 0
    for row in rows:
        for item in row.milestones:
            on = item.milestone.due_on
            if on is None or not start <= on <= end:
                continue
            due += 1
            if item.milestone.achieved_on is None:
                missed += 1 if on < today else 0
            elif item.milestone.achieved_on <= on:
                achieved += 1
            else:
                late += 1
    reports = ProgressReport.objects.filter(
        task_id__in=task_ids, reported_on__range=(start, end)
    ).count()
    extensions = ExtensionRequest.objects.filter(
        milestone__task_id__in=task_ids,
        requested_at__date__range=(start, end),
    ).count()
    pdf.heading(_("Overview"), level=2)
    pdf.paragraph(
        _(
            "%(total)d key tasks: %(red)d red, %(yellow)d yellow, %(green)d green, %(grey)d "
            "closed or achieved. %(due)d milestones fell due in the period: %(achieved)d "
            "achieved on time, %(late)d late, %(missed)d overdue. %(reports)d progress "
            "reports and %(extensions)d extension requests were made."
        )
        % {
            "total": len(rows),
            "red": lights["red"],
            "yellow": lights["yellow"],
            "green": lights["green"],
            "grey": lights["grey"],
            "due": due,
            "achieved": achieved,
            "late": late,
            "missed": missed,
            "reports": reports,
            "extensions": extensions,
        }
    )
    tally: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        for unit in row.units or [None]:
            name = unit.name if unit is not None else _("Not assigned yet.")
            tally[name][str(row.light)] += 1
            tally[name]["total"] += 1
    pdf.heading(_("By unit"), level=2)
    pdf.table(
        [[_("Unit"), _("Tasks"), _("Red"), _("Yellow"), _("Green"), _("Grey")]]
        + [
            [name, c["total"], c["red"], c["yellow"], c["green"], c["grey"]]
            for name, c in sorted(tally.items(), key=lambda item: (-item[1]["red"], item[0]))
        ],
        widths=[80, 20, 20, 20, 20, 20],
    )
    red = [row for row in rows if str(row.light) == "red"]
    pdf.heading(_("Red tasks"), level=2)
    if red:
        pdf.table(
            [[_("Number"), _("Task"), _("Units"), _("Reason")]]
            + [
                [
                    row.task.number,
                    row.task.content[:120],
                    "、".join(unit.name for unit in row.units) or row.task.raw_responsibility,
                    row.reason_text,
                ]
                for row in red
            ],
            widths=[15, 85, 40, 40],
        )
    else:
        pdf.paragraph(_("No task is red."))
    _sign_off(pdf, office, today, seal_png)
    return pdf.render()


def _sign_off(pdf: PdfDocument, office: str, today: dt.date, seal_png: bytes) -> None:
    """The issuer and the date at the foot; sealed, the seal stands over them (GB/T 9704)."""
    if seal_png:
        pdf.spacer(8).closing([office, today.isoformat()], seal_png=seal_png)
    else:
        pdf.spacer(8).paragraph(f"{office}　{today.isoformat()}")
