"""Server-side SVG charts for the leadership dashboard (驾驶舱): bar, stacked bar, line.

Issue 5, item 3 asks for a one-screen overview that works on a wall screen without scripts
or a CDN, so charts are drawn on the server as inline SVG. Every chart is accessible the same
way: the ``<svg>`` has an ``aria-label`` and a ``<title>`` and is ``role="img"`` (``group``
when its marks are links); every number is a link to the list behind it (drill-down); and
the same numbers come as an HTML table inside ``<details>`` for screen readers and copying. Plain Python, no Django: callers pass
already translated labels, and everything given is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 60
CHART_WIDTH = 640
LINE_HEIGHT = 240
LINE_MARGIN = 40


@dataclass(frozen=True, slots=True)
class Series:
    """One colour of a stacked bar: ``key`` becomes the CSS class ``series-<key>``."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Segment:
    series: str  # a Series.key
    value: int
    href: str = ""


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    href: str = ""  # the whole bar's list

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    value: float | None  # None: nothing to measure in this period (a gap in the line)
    detail: str = ""  # e.g. "3 of 4 on time", shown in the tooltip and the table
    href: str = ""


@dataclass(frozen=True, slots=True)
class Chart:
    """The SVG and its data-table alternative; both are safe HTML."""

    svg: str
    table: str


def bar_chart(title: str, bars: Sequence[Bar], series: Sequence[Series]) -> Chart:
    """Horizontal bars, one per entry, split into segments when there are several series.

    Horizontal because the labels (unit names, task categories) are long Chinese phrases
    that need room; the bars share one scale, the largest total filling the width.
    """
    scale_max = max((bar.total for bar in bars), default=0) or 1
    plot_width = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    parts = []
    for index, bar in enumerate(bars):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        parts.append(
            _text(LABEL_WIDTH - 6, y + BAR_HEIGHT * 0.7, _shorten(bar.label, 14), "end", bar.label)
        )
        x = float(LABEL_WIDTH)
        for segment in bar.segments:
            if segment.value <= 0:
                continue
            width = plot_width * segment.value / scale_max
            name = _series_label(series, segment.series)
            rect = (
                f'<rect class="series-{escape(segment.series)}" x="{x:.1f}" y="{y}" '
                f'width="{width:.1f}" height="{BAR_HEIGHT}">'
                f"<title>{escape(bar.label)} · {escape(name)}: {segment.value}</title></rect>"
            )
            parts.append(_link(segment.href or bar.href, rect))
            x += width
        parts.append(_link(bar.href, _text(x + 6, y + BAR_HEIGHT * 0.7, str(bar.total), "start")))
    svg = _svg(title, CHART_WIDTH, height, "".join(parts))
    return Chart(svg, _bar_table(title, bars, series))


def line_chart(title: str, points: Sequence[Point], value_label: str, detail_label: str) -> Chart:
    """A line of shares (0 … 1) over periods, drawn as a percentage; gaps where None."""
    width = CHART_WIDTH
    plot_left, plot_right = LINE_MARGIN + 10, width - LINE_MARGIN / 2
    plot_top, plot_bottom = LINE_MARGIN / 2, LINE_HEIGHT - LINE_MARGIN
    step = (plot_right - plot_left) / max(len(points) - 1, 1)
    parts = []
    for share in (0, 0.5, 1):
        y = plot_bottom - (plot_bottom - plot_top) * share
        parts.append(
            f'<line class="grid" x1="{plot_left}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}"/>'
        )
        parts.append(_text(plot_left - 6, y + 4, f"{share:.0%}", "end"))
    coordinates: list[tuple[float, float] | None] = []
    for index, point in enumerate(points):
        x = plot_left + step * index if len(points) > 1 else (plot_left + plot_right) / 2
        parts.append(_text(x, LINE_HEIGHT - LINE_MARGIN / 2, point.label, "middle"))
        if point.value is None:
            coordinates.append(None)
            continue
        y = plot_bottom - (plot_bottom - plot_top) * point.value
        coordinates.append((x, y))
    for run in _runs(coordinates):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        parts.append(f'<polyline class="line" points="{path}"/>')
    for point, at in zip(points, coordinates, strict=True):
        if at is None:
            continue
        tip = f"{point.label}: {point.value:.1%}" + (f" ({point.detail})" if point.detail else "")
        dot = (
            f'<circle class="dot" cx="{at[0]:.1f}" cy="{at[1]:.1f}" r="5">'
            f"<title>{escape(tip)}</title></circle>"
        )
        parts.append(_link(point.href, dot))
    svg = _svg(title, width, LINE_HEIGHT, "".join(parts))
    return Chart(svg, _line_table(title, points, value_label, detail_label))


def _svg(title: str, width: int, height: float, body: str) -> str:
    """``role="img"`` for a picture; a chart whose marks are drill-down links is a ``group``
    instead, because an image's children are hidden from assistive technology and links
    nested in it would be unreachable (axe-core: nested-interactive)."""
    label = escape(title)
    role = "group" if "<a " in body else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="{role}" '
        f'aria-label="{label}" viewBox="0 0 {width} {height:.0f}" '
        f'preserveAspectRatio="xMinYMin meet"><title>{label}</title>{body}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str, full: str = "") -> str:
    tooltip = f"<title>{escape(full)}</title>" if full and full != text else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{tooltip}{escape(text)}</text>'


def _link(href: str, inner: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}">{inner}</a>'


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _series_label(series: Sequence[Series], key: str) -> str:
    for entry in series:
        if entry.key == key:
            return entry.label
    raise ValueError(f"segment of unknown series {key!r}")


def _runs(coordinates):
    """Consecutive measured points; a None (no data) breaks the line."""
    run: list[tuple[float, float]] = []
    for at in coordinates:
        if at is None:
            if len(run) > 1:
                yield run
            run = []
        else:
            run.append(at)
    if len(run) > 1:
        yield run


def _cell(value, href: str = "") -> str:
    text = escape(str(value))
    return f'<td><a href="{escape(href)}">{text}</a></td>' if href else f"<td>{text}</td>"


def _bar_table(title: str, bars: Sequence[Bar], series: Sequence[Series]) -> str:
    head = "".join(f'<th scope="col">{escape(entry.label)}</th>' for entry in series)
    rows = []
    for bar in bars:
        by_series = {segment.series: segment for segment in bar.segments}
        cells = "".join(
            _cell(by_series[entry.key].value, by_series[entry.key].href)
            if entry.key in by_series
            else _cell(0)
            for entry in series
        )
        rows.append(
            f'<tr><th scope="row">{escape(bar.label)}</th>{cells}{_cell(bar.total, bar.href)}</tr>'
        )
    return (
        f"<table><caption>{escape(title)}</caption><thead><tr><td></td>{head}"
        f'<th scope="col">Σ</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _line_table(title: str, points: Sequence[Point], value_label: str, detail_label: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(point.label)}</th>'
        f"{_cell('–' if point.value is None else f'{point.value:.1%}', point.href)}"
        f"{_cell(point.detail)}</tr>"
        for point in points
    )
    return (
        f"<table><caption>{escape(title)}</caption><thead><tr><td></td>"
        f'<th scope="col">{escape(value_label)}</th><th scope="col">{escape(detail_label)}</th>'
        f"</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


@dataclass(frozen=True, slots=True)
class LevelSeries:
    """One line of a :func:`level_chart`: a level index (0 = the first level) per period,
    None where nothing was measured; ``href`` the page behind it."""

    label: str
    levels: tuple[int | None, ...]
    href: str = ""


#: Lines of a level chart cycle through this many CSS classes (``line-0`` … ``line-5``).
LINE_CLASSES = 6


def level_chart(
    title: str,
    periods: Sequence[str],
    lines: Sequence[LevelSeries],
    levels: Sequence[str],
) -> Chart:
    """Lines over periods on an axis of named levels, the first at the top (e.g. water
    quality Classes I … 劣V by month, issue 12 point 4); a None breaks the line. Each line
    has its own CSS class and a legend entry; the table gives every level by name."""
    width = CHART_WIDTH
    plot_left, plot_right = LINE_MARGIN + 30, width - LINE_MARGIN / 2
    plot_top, plot_bottom = LINE_MARGIN / 2, LINE_HEIGHT - LINE_MARGIN
    steps = max(len(levels) - 1, 1)
    step = (plot_right - plot_left) / max(len(periods) - 1, 1)

    def y_of(level: int) -> float:
        return plot_top + (plot_bottom - plot_top) * level / steps

    parts = []
    for index, name in enumerate(levels):
        y = y_of(index)
        parts.append(
            f'<line class="grid" x1="{plot_left}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}"/>'
        )
        parts.append(_text(plot_left - 6, y + 4, name, "end"))
    for index, period in enumerate(periods):
        x = plot_left + step * index if len(periods) > 1 else (plot_left + plot_right) / 2
        if len(periods) <= 12 or index % 2 == 0:
            parts.append(_text(x, LINE_HEIGHT - LINE_MARGIN / 2, period[-5:], "middle"))
    legend_y = LINE_HEIGHT + 6
    for number, line in enumerate(lines):
        css = f"line-{number % LINE_CLASSES}"
        coordinates: list[tuple[float, float] | None] = []
        for index, level in enumerate(line.levels):
            x = plot_left + step * index if len(periods) > 1 else (plot_left + plot_right) / 2
            coordinates.append(None if level is None else (x, y_of(level)))
        for run in _runs(coordinates):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(f'<polyline class="line {css}" points="{path}"/>')
        for period, level, at in zip(periods, line.levels, coordinates, strict=True):
            if at is None or level is None:
                continue
            tip = f"{line.label} · {period}: {levels[level]}"
            dot = (
                f'<circle class="dot {css}" cx="{at[0]:.1f}" cy="{at[1]:.1f}" r="4">'
                f"<title>{escape(tip)}</title></circle>"
            )
            parts.append(_link(line.href, dot))
        y = legend_y + number * (BAR_HEIGHT - 4)
        parts.append(
            f'<line class="legend {css}" x1="{plot_left}" y1="{y + 10}" '
            f'x2="{plot_left + 24}" y2="{y + 10}"/>'
        )
        parts.append(_link(line.href, _text(plot_left + 30, y + 14, line.label, "start")))
    height = legend_y + len(lines) * (BAR_HEIGHT - 4) + BAR_GAP
    svg = _svg(title, width, height, "".join(parts))
    return Chart(svg, _level_table(title, periods, lines, levels))


def _level_table(
    title: str, periods: Sequence[str], lines: Sequence[LevelSeries], levels: Sequence[str]
) -> str:
    head = "".join(f'<th scope="col">{escape(period)}</th>' for period in periods)
    rows = "".join(
        f'<tr><th scope="row">{escape(line.label)}</th>'
        + "".join(_cell("–" if level is None else levels[level]) for level in line.levels)
        + "</tr>"
        for line in lines
    )
    return (
        f"<table><caption>{escape(title)}</caption><thead><tr><td></td>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
