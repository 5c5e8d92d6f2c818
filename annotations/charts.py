"""Charts drawn on the server as SVG shapes: bars, stacked bars and a step line, with their
axes. Pure functions of numbers; templates/annotations/_chart.html writes the SVG. Nothing
is fetched and nothing is inline (colours are classes of desk.css or SVG `fill` attributes),
so a chart shows under the strict Content-Security-Policy and without any script.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 280
# Room for the value axis on the left and the category labels below.
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 16, 48


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str = ""
    fill: str = ""
    title: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "grid"


@dataclass(frozen=True)
class LegendEntry:
    label: str
    css: str = ""
    fill: str = ""


@dataclass(frozen=True)
class Series:
    """One set of values, one per category, drawn with a class of desk.css or a colour."""

    name: str
    values: Sequence[float]
    css: str = ""
    fill: str = ""


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    polyline: str = ""
    area: str = ""
    legend: list[LegendEntry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rects and not self.polyline


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) that
    is at least `value`."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * power:
            return float(step * power)
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def axis_top(value: float) -> float:
    """The top of a value axis of four steps that holds `value`, each step a round whole
    number (the charts count claims, hours or minutes)."""
    step = nice_ceiling(value / 4) if value > 0 else 1.0
    return 4.0 * max(1, math.ceil(step))


def _value_axis(chart: Chart, top_value: float) -> None:
    """Four horizontal grid lines, 0 to `top_value`, labelled on the left."""
    bottom = chart.height - BOTTOM
    for step in range(5):
        value = top_value * step / 4
        y = bottom - (bottom - TOP) * step / 4
        chart.lines.append(Line(LEFT, y, chart.width - RIGHT, y, "grid" if step else "axis"))
        chart.texts.append(Text(LEFT - 6, y + 5, _number(value), "end", "tick"))


def columns(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = True,
    label_every: int = 1,
    describe: str = "{series}, {category}: {value}",
) -> Chart:
    """Vertical bars, one group per category: the series stacked in one bar, or side by side.
    `describe` is the tooltip of each bar."""
    chart = Chart(legend=[LegendEntry(s.name, s.css, s.fill) for s in series])
    totals = [
        sum(s.values[i] for s in series)
        if stacked
        else max((s.values[i] for s in series), default=0)
        for i in range(len(categories))
    ]
    top_value = axis_top(max(totals, default=0))
    _value_axis(chart, top_value)
    if not categories:
        return chart
    bottom = chart.height - BOTTOM
    plot_height = bottom - TOP
    slot = (chart.width - LEFT - RIGHT) / len(categories)
    bar = slot * 0.7
    for index, category in enumerate(categories):
        x = LEFT + slot * index + (slot - bar) / 2
        base = float(bottom)
        for place, one in enumerate(series):
            value = one.values[index]
            if not value:
                continue
            height = plot_height * value / top_value
            title = describe.format(series=one.name, category=category, value=_number(value))
            if stacked:
                base -= height
                chart.rects.append(Rect(x, base, bar, height, one.css, one.fill, title))
            else:
                width = bar / len(series)
                chart.rects.append(
                    Rect(
                        x + width * place, bottom - height, width, height, one.css, one.fill, title
                    )
                )
        if index % label_every == 0:
            chart.texts.append(Text(x + bar / 2, bottom + 30, category, "middle", "category"))
    return chart


def step_line(categories: Sequence[str], values: Sequence[float], *, label_every: int = 7) -> Chart:
    """A value that holds from one category (a day) to the next: a step line over a shaded
    area, with every `label_every`-th category labelled."""
    chart = Chart()
    top_value = axis_top(max(values, default=0))
    _value_axis(chart, top_value)
    if not values:
        return chart
    bottom = chart.height - BOTTOM
    plot_height = bottom - TOP
    step = (chart.width - LEFT - RIGHT) / len(values)
    points: list[str] = []
    for index, value in enumerate(values):
        y = bottom - plot_height * value / top_value
        left, right = LEFT + step * index, LEFT + step * (index + 1)
        points += [f"{left:.1f},{y:.1f}", f"{right:.1f},{y:.1f}"]
        if index % label_every == 0:
            chart.texts.append(Text(left, bottom + 30, categories[index], "start", "category"))
    chart.polyline = " ".join(points)
    chart.area = f"{LEFT:.1f},{bottom:.1f} {chart.polyline} {chart.width - RIGHT:.1f},{bottom:.1f}"
    return chart


def bars(
    rows: Sequence[str],
    series: Sequence[Series],
    *,
    describe: str = "{category}, {series}: {value}",
) -> Chart:
    """Horizontal stacked bars, one row per label (a reviewer), the labels on the left."""
    left = 120
    row_height = 34
    height = TOP + row_height * max(len(rows), 1) + BOTTOM
    chart = Chart(height=height, legend=[LegendEntry(s.name, s.css, s.fill) for s in series])
    totals = [sum(s.values[i] for s in series) for i in range(len(rows))]
    top_value = axis_top(max(totals, default=0))
    plot_width = chart.width - left - RIGHT
    bottom = height - BOTTOM
    for step in range(5):
        x = left + plot_width * step / 4
        chart.lines.append(Line(x, TOP, x, bottom, "grid" if step else "axis"))
        chart.texts.append(Text(x, bottom + 30, _number(top_value * step / 4), "middle", "tick"))
    for index, label in enumerate(rows):
        y = TOP + row_height * index + 6
        chart.texts.append(Text(left - 8, y + 16, label[:16], "end", "category"))
        start = float(left)
        for one in series:
            value = one.values[index]
            if not value:
                continue
            width = plot_width * value / top_value
            title = describe.format(series=one.name, category=label, value=_number(value))
            chart.rects.append(Rect(start, y, width, row_height - 12, one.css, one.fill, title))
            start += width
    return chart
