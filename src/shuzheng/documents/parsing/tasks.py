"""Key tasks (重点任务): task tables, numbered task lists, and 〔责任单位：…〕 after a measure.

GLOSSARY (key tasks): a KeyTask has a number, a category (主要任务), content (重点内容), the
责任单位 text split into lead / owner / supporting units, and 完成时限 read into milestones.

Tables come as one row per line, cells separated by tabs (docs/formats.md) or pipes, or —
from some PDF and web layouts — one cell per line under a header with one column name per
line.  Gazettes repeat the header after each page break, repeat the category cell on the
first row of the new page and may continue a cell there: such rows carry no task number and
are joined to the task before (issue 3: "joined, not split or duplicated").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from shuzheng.documents.parsing.lines import Line, chinese_number, squeeze
from shuzheng.documents.parsing.milestones import parse_deadline
from shuzheng.documents.parsing.model import Finding, KeyTask, Severity, UnitRef
from shuzheng.documents.parsing.sections import SectionSpan
from shuzheng.text.responsibility import looks_like_responsibility

CATEGORY, CONTENT, RESPONSIBILITY, DEADLINE, NUMBER = (
    "category",
    "content",
    "responsibility",
    "deadline",
    "number",
)
SUBJECT, LEAD_UNITS, SUPPORTING_UNITS, GUIDING_UNITS = ("subject", "lead", "supporting", "guiding")
_COLUMN_NAMES = {
    CATEGORY: ("主要任务", "任务类别", "类别", "工作类别", "重点领域", "领域", "改革领域"),
    # The name of a measure, when another column holds its text (改革举措 / 主要内容).
    SUBJECT: ("改革举措", "改革事项", "任务名称", "举措名称", "事项名称", "工作事项", "政策措施"),
    CONTENT: (
        "重点内容",
        "工作内容",
        "任务内容",
        "具体任务",
        "主要内容",
        "工作任务",
        "重点任务",
        "目标与任务",
        "目标任务",
        "具体内容",
        "工作措施",
        "主要举措",
        "具体措施",
        "任务举措",
    ),
    RESPONSIBILITY: ("责任单位", "责任部门", "责任主体", "负责单位", "负责部门", "承办单位"),
    LEAD_UNITS: ("牵头单位", "牵头部门", "牵头责任单位", "牵头组织实施单位", "主办单位"),
    SUPPORTING_UNITS: ("配合单位", "配合部门", "参与单位", "协办单位", "协助单位"),
    GUIDING_UNITS: ("指导部门", "指导单位"),
    DEADLINE: (
        "完成时限",
        "完成时间",
        "时间节点",
        "时限要求",
        "时限",
        "完成期限",
        "时间安排",
        "进度安排",
    ),
    NUMBER: ("序号", "编号"),
}
#: The label each responsibility column gives its cell in the task's 责任单位 text, which the
#: one grammar (shuzheng.text.responsibility) reads: "牵头单位：X；配合单位：Y".
_UNIT_COLUMN_LABELS = {
    LEAD_UNITS: "牵头单位",
    RESPONSIBILITY: "责任单位",
    SUPPORTING_UNITS: "配合单位",
    GUIDING_UNITS: "指导单位",
}
_ROLE_OF_NAME = {name: role for role, names in _COLUMN_NAMES.items() for name in names}
_TASK_NUMBER = re.compile(r"^(?P<num>\d{1,3})\s*[.．、]\s*(?!\d)")
_CATEGORY_MARKER = re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十百]+)\s*[)）]\s*")
_PIPE_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$")
# A row spanning the table that opens a group of tasks: "一、投资管理领域（共5项）".
_SECTION_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十]+部分)"
    r"|[（(]\s*共\s*\d+\s*(?:项|条)\s*[)）]$"
)
_ITEM_COUNT = re.compile(r"\s*[（(]\s*共\s*\d+\s*(?:项|条)\s*[)）]\s*$")
_BRACKET_LABEL = re.compile(
    r"[〔\[［【(（]\s*(?P<label>责\s*任\s*单\s*位|牵\s*头\s*单\s*位)\s*[：:]\s*"
    r"(?P<body>(?:[^〔〕\[\]［］【】()（）]|[（(][^（）()]*[)）])*)"
    r"[〕\]］】)）]"
)
_LINE_LABEL = re.compile(
    r"^(?P<label>责任单位|完成时限|完成时间|时间节点)\s*[：:]\s*(?P<value>.*)$"
)
_DEADLINE_LABEL = re.compile(r"[；;，,]?\s*(?:完成时限|完成时间|时间节点)\s*[：:]\s*")


# ``parse(…, resolve_responsibility=…)``: e.g. orgs.resolution.Registry.parse_responsibility.
# It returns an object with ``lead``, ``owner`` and ``supporting`` lists whose items have
# ``name``, ``written``, ``unit_codes``, ``group`` and ``resolved``.
ResolveResponsibility = Callable[[str], object]


@dataclass
class _Row:
    cells: dict[str, str]
    first: Line
    last: Line


@dataclass
class TaskFinder:
    """Collects the tasks of one document and the problems met on the way."""

    text: str
    resolve: ResolveResponsibility | None
    tasks: list[KeyTask] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)  # not headings: cells of a table
    _category: str = ""
    _category_raw: str = ""

    # --- tables ----------------------------------------------------------------------

    def read_tables(self, lines: list[Line], first: int, stop: int) -> None:
        """Tab/pipe tables and one-cell-per-line tables in ``lines[first:stop]``."""
        columns: list[str] | None = None
        index = first
        while index < stop:
            line = lines[index]
            header = _header_of(line)
            if header is not None:
                columns = header
                index += 1
                continue
            broken = _line_broken_header(lines, index, stop)
            if broken is not None:
                columns_count, roles = broken
                end = self._read_line_broken(lines, index + columns_count, stop, roles)
                self.table_lines.update(range(index, end))
                index, columns = end, None
                continue
            if columns is not None:
                if line.is_table_row:
                    self._table_row(columns, line)
                elif _SECTION_ROW.search(line.content) and _ITEM_COUNT.search(line.content):
                    self._set_category(line.content)  # a spanning row written outside the grid
                elif not line.blank and not _PAGE_NUMBER.match(line.content):
                    columns = None  # the table has ended
            index += 1

    def _table_row(self, columns: list[str], line: Line) -> None:
        cells = _cells(line)
        if _PIPE_DELIMITER.match(line.content.replace(" ", "")):
            return
        filled = [cell for cell in cells if cell.strip()]
        if len(filled) == 1 and cells[0].strip() and _SECTION_ROW.search(cells[0].strip()):
            # "一、投资管理领域（共5项）" across the table (merged cells: the others are empty).
            self._set_category(cells[0])
            return
        if len(cells) > len(columns):
            self._finding("task-row-unsplit", {"cells": len(cells), "columns": len(columns)}, line)
            cells = [*cells[: len(columns) - 1], "".join(cells[len(columns) - 1 :])]
        self._add_row(_Row(_row_cells(columns, cells), line, line))

    def _read_line_broken(self, lines: list[Line], index: int, stop: int, roles: list[str]) -> int:
        """One cell per line: [category] [number] content, then the remaining cells."""
        after_content = roles[roles.index(CONTENT) + 1 :] if CONTENT in roles else []
        while index < stop:
            line = lines[index]
            if line.blank or _PAGE_NUMBER.match(line.content):
                index += 1
                continue
            repeated = _line_broken_header(lines, index, stop)
            if repeated is not None:
                index += repeated[0]
                continue
            if line.heading_level is not None or line.is_table_row:
                return index
            if CATEGORY in roles and _CATEGORY_MARKER.match(line.content):
                self._set_category(line.content)
                index += 1
                continue
            if not _TASK_NUMBER.match(line.content):
                return index  # past the table
            roles_here, values = [CONTENT], [line.content]
            last = line
            for role in after_content:
                following = _next_nonblank(lines, last.index + 1, stop)
                if following is None:
                    break
                last = lines[following]
                roles_here.append(role)
                values.append(last.content)
            self._add_row(_Row(_row_cells(roles_here, values), line, last))
            index = last.index + 1
        return index

    def _add_row(self, row: _Row) -> None:
        category = row.cells.get(CATEGORY, "").strip()
        number_cell = squeeze(row.cells.get(NUMBER, ""))
        content = row.cells.get(CONTENT, "").strip()
        numbered = _TASK_NUMBER.match(content)
        if number_cell.isdigit() or numbered:
            if category:
                self._set_category(category)
            number = int(number_cell) if number_cell.isdigit() else int(numbered.group("num"))
            self._start_task(number, content[numbered.end() :] if numbered else content, row)
            return
        if not self.tasks or self.tasks[-1].form != "table":
            if any(value.strip() for value in row.cells.values()):
                self._finding("task-row-unsplit", {"variant": "no-task-before"}, row.first)
            return
        if category and _normal_category(category) != self._category:
            self._finding("task-row-unsplit", {"variant": "new-category"}, row.first)
        self._continue_task(row)

    def _set_category(self, raw: str) -> None:
        raw = re.sub(r"\s+$", "", raw)
        self._category_raw = raw.strip()
        self._category = _normal_category(raw)

    def _start_task(self, number: int, content: str, row: _Row) -> None:
        self.tasks.append(
            KeyTask(
                number=number,
                category=self._category,
                category_raw=self._category_raw,
                content=content,
                raw_responsibility=row.cells.get(RESPONSIBILITY, "").strip(),
                deadline_text=row.cells.get(DEADLINE, "").strip(),
                start=row.first.start,
                end=row.last.end,
                form="table",
            )
        )

    def _continue_task(self, row: _Row) -> None:
        """A cell continued after a page break or a repeated header: join, don't split."""
        task = self.tasks[-1]
        task.content += row.cells.get(CONTENT, "").strip()
        task.raw_responsibility += row.cells.get(RESPONSIBILITY, "").strip()
        task.deadline_text += row.cells.get(DEADLINE, "").strip()
        task.end = row.last.end

    # --- measures with a 责任单位 label ------------------------------------------------

    def read_sections(self, lines: list[Line], spans: list[SectionSpan]) -> None:
        """Numbered measures followed by 〔责任单位：…〕 (form "inline") or by 责任单位：
        and 完成时限： lines (form "list"); the category is the enclosing section.

        A measure that continues the numbered series of labelled measures without a label of
        its own (（十八）–（二十） of the sample's second opinion) is still one of the
        document's measures: it becomes a task with no responsible unit, and a finding asks
        for one to be assigned, rather than the measure silently dropping out of the ledger.
        """
        last_number_at_rank: dict[float, int] = {}
        for span in spans:
            heading = span.heading
            if heading.number is None:
                continue
            own = lines[span.first_line : span.own_end_line]
            task = _bracket_task(self.text, own, span) or _labelled_lines_task(own, span)
            if task is None and last_number_at_rank.get(heading.rank) == heading.number - 1:
                task = self._measure_without_units(own, span)
            if task is not None:
                self.tasks.append(task)
                last_number_at_rank[heading.rank] = heading.number

    def _measure_without_units(self, own: list[Line], span: SectionSpan) -> KeyTask:
        joined = _Joined.of(self.text, own)
        category, category_raw = section_category(span)
        self.findings.append(
            Finding(
                Severity.WARNING,
                "responsibility-missing",
                {"number": span.heading.number},
                offset=span.section.start,
                context=joined.text[:120],
            )
        )
        return KeyTask(
            number=span.heading.number,
            category=category,
            category_raw=category_raw,
            content=_without_marker(joined.text, span),
            raw_responsibility="",
            start=span.section.start,
            end=joined.offsets[-1] + 1 if joined.offsets else span.section.end,
            form="inline",
        )

    # --- after reading -----------------------------------------------------------------

    def finish(self) -> None:
        """Milestones and responsible units of every task, with findings for what failed."""
        for task in self.tasks:
            self._read_deadline(task)
            if self.resolve is not None and task.raw_responsibility:
                self._resolve_units(task)

    def _read_deadline(self, task: KeyTask) -> None:
        if not task.deadline_text:
            return
        deadline = parse_deadline(task.deadline_text)
        task.milestones = deadline.milestones
        for clause in deadline.unparsed:
            self.findings.append(
                Finding(
                    Severity.WARNING,
                    "deadline-unparsed",
                    {"number": task.number, "clause": clause},
                    offset=self._offset_of(task.deadline_text, task),
                    context=task.deadline_text,
                )
            )

    def _resolve_units(self, task: KeyTask) -> None:
        responsibility = self.resolve(task.raw_responsibility)
        task.lead_units = [_unit_ref(item) for item in responsibility.lead]
        task.owner_units = [_unit_ref(item) for item in responsibility.owner]
        task.supporting_units = [_unit_ref(item) for item in responsibility.supporting]
        for item in [*responsibility.lead, *responsibility.owner, *responsibility.supporting]:
            if item.resolved:
                continue
            written = getattr(item, "written", "") or item.name
            self.findings.append(
                Finding(
                    Severity.WARNING,
                    "unit-unresolved",
                    {"number": task.number, "unit": item.name},
                    offset=self._offset_of(written, task),
                    context=task.raw_responsibility,
                )
            )

    def _offset_of(self, fragment: str, task: KeyTask) -> int:
        found = self.text.find(fragment, task.start, task.end) if fragment else -1
        return found if found >= 0 else task.start

    def _finding(self, code: str, params: dict, line: Line) -> None:
        self.findings.append(
            Finding(Severity.WARNING, code, params, offset=line.start, context=line.content[:120])
        )


def _unit_ref(item) -> UnitRef:
    return UnitRef(
        name=item.name,
        unit_codes=list(item.unit_codes),
        group=item.group,
        resolved=item.resolved,
    )


def _cells(line: Line) -> list[str]:
    if "\t" in line.raw:
        return [cell.strip() for cell in line.raw.split("\t")]
    cells = [cell.strip() for cell in line.content.strip().strip("|").split("|")]
    return cells


def _header_of(line: Line) -> list[str] | None:
    """Column roles of a header row, if the line is one (content and another column)."""
    if not line.is_table_row:
        return None
    roles = [_ROLE_OF_NAME.get(re.sub(r"\s+", "", cell), "") for cell in _cells(line)]
    return roles if _is_task_header(roles) else None


def _is_task_header(roles: list[str]) -> bool:
    """A task table names its measures and who does them or when."""
    has_text = CONTENT in roles or SUBJECT in roles
    return has_text and (DEADLINE in roles or any(role in _UNIT_COLUMN_LABELS for role in roles))


def _row_cells(roles: list[str], cells: list[str]) -> dict[str, str]:
    """A row's cells by role: the measure's name joined to its text (改革举措：主要内容),
    and several unit columns joined into one labelled 责任单位 text."""
    cells = cells + [""] * (len(roles) - len(cells))
    row: dict[str, str] = {}
    units: list[tuple[str, str]] = []
    for role, cell in zip(roles, cells, strict=True):
        if role in _UNIT_COLUMN_LABELS:
            if cell.strip():
                units.append((role, cell.strip()))
        elif role in row and cell.strip():
            row[role] = f"{row[role]}{cell.strip()}"
        else:
            row[role] = cell
    subject = row.pop(SUBJECT, "").strip()
    content = row.get(CONTENT, "").strip()
    if subject:
        row[CONTENT] = f"{subject}：{content}" if content else subject
    if len(units) == 1 and units[0][0] == RESPONSIBILITY:
        row[RESPONSIBILITY] = units[0][1]
    elif units:
        row[RESPONSIBILITY] = "；".join(
            f"{_UNIT_COLUMN_LABELS[role]}：{cell}" for role, cell in units
        )
    return row


def _line_broken_header(lines: list[Line], index: int, stop: int) -> tuple[int, list[str]] | None:
    """A header with one column name per line: (lines it spans, roles)."""
    roles: list[str] = []
    position = index
    while position < stop:
        line = lines[position]
        role = _ROLE_OF_NAME.get(re.sub(r"\s+", "", line.content))
        if line.is_table_row or line.heading_level is not None or role is None:
            break
        roles.append(role)
        position = _next_nonblank(lines, position + 1, stop) or stop
    if len(roles) >= 3 and CONTENT in roles and any(r in _UNIT_COLUMN_LABELS for r in roles):
        return position - index, roles
    return None


def _next_nonblank(lines: list[Line], first: int, stop: int) -> int | None:
    for index in range(first, stop):
        if not lines[index].blank:
            return index
    return None


def _normal_category(raw: str) -> str:
    """ "（十一） 提升 精细智能的 社会管理 能力" → "(十一) 提升精细智能的社会管理能力"."""
    text = _ITEM_COUNT.sub("", raw.strip())
    marker = _CATEGORY_MARKER.match(text)
    if marker is None:
        return squeeze(text)
    return f"({marker.group('num')}) {squeeze(text[marker.end() :])}"


def section_category(span: SectionSpan) -> tuple[str, str]:
    """The category of a measure: its enclosing section, number and heading."""
    parent = span.parent
    if parent is None:
        return "", ""
    marker = parent.heading.marker
    separator = "" if marker.endswith("、") or not marker else " "
    return f"{marker}{separator}{parent.heading.title}", parent.heading.line.content


@dataclass
class _Joined:
    """Lines joined into one paragraph, with the offset of every character kept."""

    text: str
    offsets: list[int]

    @classmethod
    def of(cls, source: str, lines: list[Line]) -> _Joined:
        parts: list[str] = []
        offsets: list[int] = []
        for line in lines:
            stripped = line.raw.strip()
            if not stripped:
                continue
            begin = line.start + line.raw.index(stripped)
            parts.append(stripped)
            offsets.extend(range(begin, begin + len(stripped)))
        return cls("".join(parts), offsets)


def _bracket_task(text: str, own: list[Line], span: SectionSpan) -> KeyTask | None:
    joined = _Joined.of(text, own)
    labels = list(_BRACKET_LABEL.finditer(joined.text))
    if labels:
        found = labels[-1]  # the label closes the measure
        body = found.group("body")
        if squeeze(found.group("label")) != "责任单位":
            body = f"{squeeze(found.group('label'))}：{body}"  # 牵头单位：X；责任单位：Y
    else:
        found = _closing_bracket(joined.text)
        if found is None:
            return None
        body = found.group("body")
    responsibility, deadline = _split_deadline(body)
    content = joined.text[: found.start()] + joined.text[found.end() :]
    category, category_raw = section_category(span)
    return KeyTask(
        number=span.heading.number,
        category=category,
        category_raw=category_raw,
        content=_without_marker(content, span),
        raw_responsibility=responsibility,
        deadline_text=deadline,
        start=span.section.start,
        end=joined.offsets[found.end() - 1] + 1,
        form="inline",
    )


# The bracket that closes a numbered measure: "…。（X、Y负责）", "…（X牵头，Y配合）。"
_CLOSING_BRACKET = re.compile(
    r"[（(〔【]\s*(?P<body>(?:[^（）()〔〕【】]|[（(][^（）()]*[)）])+)[)）〕】]\s*[。；;]?\s*$"
)


def _closing_bracket(text: str) -> re.Match | None:
    """The bracket a measure ends with, when it names who is responsible (the one grammar
    tells a responsibility from an aside such as "（2023—2025年）")."""
    found = _CLOSING_BRACKET.search(text)
    if found is None:
        return None
    responsibility, _deadline = _split_deadline(found.group("body"))
    return found if responsibility and looks_like_responsibility(responsibility) else None


def _split_deadline(body: str) -> tuple[str, str]:
    """〔责任单位：X；完成时限：2024年〕 or 〔责任单位：X，2024年建成〕 → (X, deadline)."""
    labelled = _DEADLINE_LABEL.search(body)
    if labelled:
        return body[: labelled.start()].strip(), body[labelled.end() :].strip()
    head, separator, tail = body.rpartition("，")
    if separator and _reads_as_deadline(tail):
        return head.strip(), tail.strip()
    return body.strip(), ""


def _reads_as_deadline(text: str) -> bool:
    deadline = parse_deadline(text)
    return bool(deadline.milestones) and not deadline.unparsed


def _labelled_lines_task(own: list[Line], span: SectionSpan) -> KeyTask | None:
    labels: dict[str, str] = {}
    content_lines: list[Line] = []
    last = own[0]
    for line in own:
        found = _LINE_LABEL.match(line.content)
        if found:
            label = "responsibility" if found.group("label") == "责任单位" else "deadline"
            labels[label] = found.group("value").strip()
            last = line
        elif not labels and not line.blank:
            content_lines.append(line)
    if "responsibility" not in labels:
        return None
    category, category_raw = section_category(span)
    content = "".join(line.content for line in content_lines)
    return KeyTask(
        number=span.heading.number,
        category=category,
        category_raw=category_raw,
        content=_without_marker(content, span),
        raw_responsibility=labels["responsibility"],
        deadline_text=labels.get("deadline", ""),
        start=span.section.start,
        end=last.end,
        form="list",
    )


def _without_marker(content: str, span: SectionSpan) -> str:
    """The measure's text without its number ("（一）", "1.")."""
    for pattern in (_CATEGORY_MARKER, _TASK_NUMBER, re.compile(r"^[（(]\s*\d{1,3}\s*[)）]\s*")):
        found = pattern.match(content)
        if found and chinese_number(_digits(found.group(0))) == span.heading.number:
            return content[found.end() :].strip()
    return content.strip()


def _digits(marker: str) -> str:
    return re.sub(r"[^\d一二三四五六七八九十百]", "", marker)
