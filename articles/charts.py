"""Server-drawn charts: geometry for SVG, computed from plain values (no JavaScript)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

# How long a drawn chart is kept; it is keyed by what it shows, so it is never stale.
DRAWING_SECONDS = 600


def drawing_key(*shown: object) -> str:
    """A digest of everything a chart shows: its drawing, cached under it, is reused exactly
    while the figures are the same (drawing hundreds of months costs more than counting)."""
    return hashlib.sha256(repr(shown).encode()).hexdigest()


@dataclass(frozen=True)
class Bar:
    month: date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Marker:
    """A talks round drawn as a band over the months it spans."""

    label: str
    url: str
    start: date
    end: date
    x: float
    width: float
    row: int
    number: int

    @property
    def label_y(self) -> int:
        return 14 + self.row * 16

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    markers: tuple[Marker, ...]
    busiest: int

    @property
    def band_height(self) -> int:
        return self.plot_bottom - self.plot_top

    @property
    def year_ticks(self) -> list[Bar]:
        return [bar for i, bar in enumerate(self.bars) if i == 0 or bar.month.month == 1]


def _month_index(day: date, first: date) -> float:
    """Months since `first`, with the day as a fraction, to place a date on the axis."""
    return (day.year - first.year) * 12 + day.month - first.month + (day.day - 1) / 31


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


def timeline_chart(
    series: list[tuple[date, int]],
    rounds: list[tuple[str, str, date, date]],
    *,
    width: int = 900,
    height: int = 260,
    marker_rows: int = 3,
) -> TimelineChart:
    """Bars for articles per month and bands for talks rounds (label, url, start, end)."""
    series = months_covering(series, [day for _, _, start, end in rounds for day in (start, end)])
    top = 16 * marker_rows + 8
    bottom = height - 28
    months = len(series)
    step = width / months if months else width
    busiest = max((count for _, count in series), default=0)
    bars = tuple(
        Bar(
            month=month,
            count=count,
            x=round(i * step + step * 0.1, 2),
            y=round(bottom - (bottom - top) * count / busiest, 2) if busiest else bottom,
            width=round(step * 0.8, 2),
            height=round((bottom - top) * count / busiest, 2) if busiest else 0,
        )
        for i, (month, count) in enumerate(series)
    )
    markers = []
    if series:
        first = series[0][0]
        for n, (label, url, start, end) in enumerate(sorted(rounds, key=lambda r: r[2])):
            x = _month_index(start, first) * step
            if x < 0 or x > width:
                continue
            span = max(3.0, (_month_index(end, first) - _month_index(start, first) + 1 / 31) * step)
            markers.append(
                Marker(label, url, start, end, round(x, 2), round(span, 2), n % marker_rows, n + 1)
            )
    return TimelineChart(width, height, top, bottom, bars, tuple(markers), busiest)
