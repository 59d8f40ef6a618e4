"""Server-drawn charts: geometry for SVG, computed from plain values (no JavaScript).

A chart is drawn once per width class (phone, tablet, desktop) and the page shows the one
that fits, so its text is drawn near the size it is read at: an SVG scales its text with
its bars, and one drawing squeezed into a phone would have 4-pixel labels. Each drawing
bins by month when months are wide enough to see and by year when they are not, and
places every label so that no two overlap, whatever the span.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date

# How long a drawn chart is kept; it is keyed by what it shows, so it is never stale.
DRAWING_SECONDS = 600

# The width classes a chart is drawn for, in SVG units (about CSS pixels at the narrowest
# window each is shown in; archive.css shows one per window width), and their text size.
DRAWING_WIDTHS = (("narrow", 340, 13), ("medium", 600, 13), ("wide", 940, 12))
# A month narrower than this (in SVG units) is too thin to see or to click: bin by year.
MIN_MONTH_WIDTH = 6.0
# Text width is estimated from its length: a character of the sans face is at most about
# this many ems wide for digits and most letters (tests check real boxes in a browser).
CHAR_EMS = 0.62
LABEL_GAP_EMS = 0.6
MONTH_STRIDES = (1, 2, 3)
YEAR_STRIDES = (1, 2, 5, 10, 20, 50, 100)
MAX_MARKER_ROWS = 8


def drawing_key(*shown: object) -> str:
    """A digest of everything a chart shows: its drawing, cached under it, is reused exactly
    while the figures are the same (drawing hundreds of months costs more than counting)."""
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def text_width(text: str, font: float) -> float:
    return len(text) * font * CHAR_EMS


@dataclass(frozen=True)
class Bar:
    """One bin: a month (`month` set) or a whole year (`month` None)."""

    start: date
    count: int
    x: float
    y: float
    width: float
    height: float
    by_year: bool

    @property
    def name(self) -> str:
        """What the bin is called: "March 2008", or "2008"."""
        return (
            str(self.start.year)
            if self.by_year
            else f"{calendar.month_name[self.start.month]} {self.start.year}"
        )

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Label:
    """A piece of axis text, anchored at `x` as SVG's text-anchor says."""

    text: str
    x: float
    y: float
    anchor: str = "middle"

    def span(self, font: float) -> tuple[float, float]:
        width = text_width(self.text, font)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return left, left + width


@dataclass(frozen=True)
class Marker:
    """A talks round drawn as a band over the time it spans, numbered above the bars."""

    label: str
    url: str
    start: date
    end: date
    x: float
    width: float
    row: int
    number: int
    label_x: float
    label_y: float


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    font: int
    plot_top: float
    plot_bottom: float
    bars: tuple[Bar, ...]
    counts: tuple[Label, ...]
    ticks: tuple[Label, ...]
    markers: tuple[Marker, ...]
    busiest: int
    by_year: bool
    name: str = "wide"

    @property
    def band_height(self) -> float:
        return round(self.plot_bottom - self.plot_top, 2)

    @property
    def unit(self) -> str:
        return "year" if self.by_year else "month"


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_covering(series: list[tuple[date, int]], days: list[date]) -> list[tuple[date, int]]:
    """The series widened with empty months so every given day falls on the axis."""
    counts = dict(series)
    firsts = [day.replace(day=1) for day in days] + list(counts)
    if not firsts:
        return []
    month, last, widened = min(firsts), max(firsts), []
    while month <= last:
        widened.append((month, counts.get(month, 0)))
        month = _next_month(month)
    return widened


def by_years(series: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Monthly counts summed into calendar years, every year between included."""
    totals: dict[int, int] = {}
    for month, count in series:
        totals[month.year] = totals.get(month.year, 0) + count
    if not totals:
        return []
    return [(date(year, 1, 1), totals.get(year, 0)) for year in range(min(totals), max(totals) + 1)]


def _fits(labels: list[Label], font: float, width: float) -> bool:
    """No two labels closer than a gap, none past the chart's edges."""
    gap = font * LABEL_GAP_EMS
    spans = sorted(label.span(font) for label in labels)
    if spans and (spans[0][0] < 0 or spans[-1][1] > width):
        return False
    return all(
        left >= previous_right + gap
        for (_, previous_right), (left, _) in zip(spans, spans[1:], strict=False)
    )


def _inside(label: Label, font: float, width: float) -> Label:
    """The label moved in from an edge rather than cut off by it."""
    left, right = label.span(font)
    if left < 0:
        return Label(label.text, round(label.x - left, 2), label.y, label.anchor)
    if right > width:
        return Label(label.text, round(label.x - (right - width), 2), label.y, label.anchor)
    return label


def _every_nth(candidates: list[Label], strides, font: float, width: float) -> list[Label]:
    """The candidates at the smallest stride whose labels do not overlap (none if none do)."""
    for stride in strides:
        chosen = [_inside(label, font, width) for label in candidates[::stride]]
        if _fits(chosen, font, width):
            return chosen
    return []


def _ticks(bars: tuple[Bar, ...], font: float, width: float, top: float) -> list[Label]:
    """Axis labels: month names in one row when they fit, years in the row below."""
    month_row, year_row = top + font, top + font * 2.3
    if bars and bars[0].by_year:
        years = [Label(str(bar.start.year), bar.center, month_row) for bar in bars]
        return _every_nth(years, YEAR_STRIDES, font, width)
    months = [Label(calendar.month_abbr[bar.start.month], bar.center, month_row) for bar in bars]
    ticks = _every_nth(months, MONTH_STRIDES, font, width)
    row = year_row if ticks else month_row
    januaries = [bar for bar in bars if bar.start.month == 1]
    years = _every_nth(
        [Label(str(bar.start.year), bar.x, row, "start") for bar in januaries],
        YEAR_STRIDES,
        font,
        width,
    )
    first = bars[0]
    if first.start.month != 1:
        # The opening year (or month and year when no month row names it) unless it
        # would run into the first January's label.
        text = (
            str(first.start.year)
            if ticks
            else f"{calendar.month_abbr[first.start.month]} {first.start.year}"
        )
        opening = _inside(Label(text, first.x, row, "start"), font, width)
        if _fits([opening, *years[:1]], font, width):
            years.insert(0, opening)
    return ticks + years


def _position(day: date, first: date, by_year: bool, step: float) -> float:
    """Where a day falls on the axis, in SVG units from its left end."""
    if by_year:
        days = 366 if calendar.isleap(day.year) else 365
        return (day.year - first.year + (day.timetuple().tm_yday - 1) / days) * step
    days = calendar.monthrange(day.year, day.month)[1]
    return ((day.year - first.year) * 12 + day.month - first.month + (day.day - 1) / days) * step


def _marker_rows(
    rounds: list[tuple[str, str, date, date]],
    first: date,
    by_year: bool,
    step: float,
    font: float,
    width: float,
) -> list[tuple[tuple[str, str, date, date], float, float, float, int]]:
    """Each round's band (x, width), its number's centre and the row it is numbered in:
    the first row where the number clears the one before it."""
    gap = font * LABEL_GAP_EMS
    row_ends: list[float] = []
    placed = []
    for n, talks_round in enumerate(rounds, start=1):
        _, _, start, end = talks_round
        x = _position(start, first, by_year, step)
        end_x = _position(end, first, by_year, step) + step / (12 if by_year else 31)
        band = max(3.0, end_x - x)
        half = text_width(str(n), font) / 2
        centre = min(max(x + band / 2, half), width - half)
        row = next((i for i, right in enumerate(row_ends) if centre - half >= right + gap), None)
        if row is None:
            if len(row_ends) < MAX_MARKER_ROWS:
                row_ends.append(0.0)
            row = (
                len(row_ends) - 1
                if len(row_ends) < MAX_MARKER_ROWS
                else row_ends.index(min(row_ends))
            )
        row_ends[row] = centre + half
        placed.append((talks_round, x, band, centre, row))
    return placed


def timeline_chart(
    series: list[tuple[date, int]],
    rounds: list[tuple[str, str, date, date]] = (),
    *,
    width: int = 940,
    font: int = 12,
    plot_height: int = 120,
    name: str = "wide",
) -> TimelineChart:
    """Bars for articles per month (or per year, when months would be too thin) and bands
    for talks rounds (label, url, start, end), with labels that never overlap."""
    rounds = sorted(rounds, key=lambda r: r[2])
    series = months_covering(series, [day for _, _, start, end in rounds for day in (start, end)])
    by_year = bool(series) and width / len(series) < MIN_MONTH_WIDTH
    if by_year:
        series = by_years(series)
    step = width / len(series) if series else width
    first = series[0][0] if series else date.today()
    row_height = font + 4
    placed = _marker_rows(rounds, first, by_year, step, font, width) if series else []
    rows = max((row for *_, row in placed), default=-1) + 1
    counts_room = font + 4
    top = rows * row_height + (6 if rows else 0) + counts_room
    bottom = top + plot_height
    busiest = max((count for _, count in series), default=0)
    bars = []
    for i, (start, count) in enumerate(series):
        height = max(2.0, plot_height * count / busiest) if count else 0.0
        bars.append(
            Bar(
                start=start,
                count=count,
                x=round(i * step + step * 0.1, 2),
                y=round(bottom - height, 2),
                width=round(step * 0.8, 2),
                height=round(height, 2),
                by_year=by_year,
            )
        )
    bars = tuple(bars)
    # A count above each bar when every count fits over its bar.
    counts = [Label(str(bar.count), bar.center, round(bar.y - 4, 2)) for bar in bars if bar.count]
    if not all(text_width(label.text, font) <= step - font * 0.2 for label in counts):
        counts = []
    markers = tuple(
        Marker(
            label=label,
            url=url,
            start=start,
            end=end,
            x=round(x, 2),
            width=round(band, 2),
            row=row,
            number=n,
            label_x=round(centre, 2),
            label_y=(row + 1) * row_height - 4,
        )
        for n, ((label, url, start, end), x, band, centre, row) in enumerate(placed, start=1)
    )
    ticks = tuple(_ticks(bars, font, width, bottom + 4))
    height = round(bottom + 4 + font * (2.6 if len({t.y for t in ticks}) > 1 else 1.4))
    return TimelineChart(
        width=width,
        height=height,
        font=font,
        plot_top=top - counts_room,
        plot_bottom=bottom,
        bars=bars,
        counts=tuple(counts),
        ticks=ticks,
        markers=markers,
        busiest=busiest,
        by_year=by_year,
        name=name,
    )


def timeline_drawings(
    series: list[tuple[date, int]], rounds: list[tuple[str, str, date, date]] = ()
) -> tuple[TimelineChart, ...]:
    """The chart drawn for each width class, narrowest first."""
    return tuple(
        timeline_chart(series, rounds, width=width, font=font, name=name)
        for name, width, font in DRAWING_WIDTHS
    )
