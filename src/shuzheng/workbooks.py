"""One way to lay out an exported Excel sheet: a bold title row, bold headers, the rows, frozen
panes below the headers and columns as wide as their text. The assessment's and the ledger's
exports both use it, so the two workbooks an office receives look alike."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def fill_sheet(
    sheet, headers: list[str], rows: list[list], title: str, *, max_width: int, sampled_rows=None
) -> None:
    """Fill ``sheet``; column widths are measured over ``sampled_rows`` rows (all when None),
    so that a very long ledger is not read twice to size its columns."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A3"
    measured = rows if sampled_rows is None else rows[:sampled_rows]
    for index, header in enumerate(headers, start=1):
        widest = max([len(str(row[index - 1])) for row in measured] + [len(header)])
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(widest * 1.6, 8), max_width
        )
