"""A small SVG writer and the two charts the report draws: histograms and horizontal bars.

Inline SVG keeps the report one self-contained file that renders offline, with no JavaScript and
no plotting dependency; colours come from the page's CSS classes, so charts follow its style.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape


def fmt(x: float) -> str:
    """A number for an axis label: short, no trailing zeros."""
    if x == 0:
        return "0"
    if abs(x) >= 10000:
        return f"{x / 1000:.0f}k"
    if float(x).is_integer():
        return str(int(x))
    if abs(x) >= 10:
        return f"{x:.0f}"
    return f"{x:.2g}" if abs(x) < 0.1 else f"{x:.2f}".rstrip("0").rstrip(".")


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass
class Svg:
    width: int
    height: int
    title: str
    css_class: str = "chart"
    parts: list[str] = field(default_factory=list)

    def rect(self, x: float, y: float, w: float, h: float, cls: str, tip: str | None = None) -> None:
        body = f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" class="{cls}"'
        self.parts.append(body + (f"><title>{escape(tip)}</title></rect>" if tip else "/>"))

    def line(self, x1: float, y1: float, x2: float, y2: float, cls: str) -> None:
        self.parts.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" class="{cls}"/>')

    def text(self, x: float, y: float, s: str, cls: str = "label", anchor: str = "start") -> None:
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}" text-anchor="{anchor}">{escape(s)}</text>')

    def render(self) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{self.css_class}" role="img" '
                f'viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}">'
                f"<title>{escape(self.title)}</title>{''.join(self.parts)}</svg>")


@dataclass(frozen=True)
class Threshold:
    value: float
    side: str  # "min": values below fail; "max": values above fail


def _range(values: Sequence[float], thresholds: Sequence[Threshold]) -> tuple[float, float, list[Threshold]]:
    """The x range: the data, widened to each threshold unless the data would shrink to a sliver."""
    lo, hi = min(values), max(values)
    span = hi - lo or max(abs(hi), 1.0)
    shown = []
    for t in sorted(thresholds, key=lambda t: abs(t.value - (lo + hi) / 2)):
        new_lo, new_hi = min(lo, t.value), max(hi, t.value)
        if span / (new_hi - new_lo or 1.0) >= 0.1:
            lo, hi = new_lo, new_hi
            shown.append(t)
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi, shown


def histogram(values: Sequence[float], thresholds: Sequence[Threshold], title: str, integer: bool = False,
              width: int = 540, height: int = 190, bins: int = 30) -> str:
    """Counts of documents per bin; bins on the failing side of a threshold are drawn as failing."""
    svg = Svg(width, height, title, "chart histogram")
    left, right, top, bottom = 40, 14, 22, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    if not values:
        svg.text(width / 2, height / 2, "no document has this measure", "label muted", "middle")
        return svg.render()
    if integer:
        # Counts: a threshold sits between whole numbers (max 0 fails from 1, min 5 fails at 4).
        thresholds = [Threshold(t.value + 0.5 if t.side == "max" else t.value - 0.5, t.side) for t in thresholds]
    lo, hi, shown = _range(values, thresholds)
    whole = integer and hi - lo < bins
    if whole:
        for t in shown:  # show the first failing whole number too
            lo, hi = (min(lo, t.value - 1), hi) if t.side == "min" else (lo, max(hi, t.value + 1))
        lo, hi = math.floor(lo + 0.5) - 0.5, max(math.ceil(hi - 0.5) + 0.5, math.floor(lo + 0.5) + 1.5)
        bins = int(round(hi - lo))  # one bar per whole number
    step = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int((v - lo) / step)))] += 1
    peak = max(counts)
    svg.line(left, top + plot_h, left + plot_w, top + plot_h, "axis")
    for tick in (0, peak):
        y = top + plot_h - (tick / peak) * plot_h
        svg.text(left - 5, y + 4, str(tick), "tick", "end")
        if tick:
            svg.line(left, y, left + plot_w, y, "gridline")
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        if not count:
            continue
        b_lo, b_hi = lo + i * step, lo + (i + 1) * step
        mid = (b_lo + b_hi) / 2
        failing = any(t.value > mid if t.side == "min" else t.value < mid for t in thresholds)
        h = max(1.5, count / peak * plot_h)
        svg.rect(left + i * bar_w + 0.5, top + plot_h - h, bar_w - 1, h, "bar fail" if failing else "bar",
                 f"{fmt(b_lo)} – {fmt(b_hi)}: {count} document{'s' if count != 1 else ''}")
    ends = ((lo + 0.5, "middle"), (hi - 0.5, "middle")) if whole else ((lo, "start"), (hi, "end"))
    for x_val, anchor in ends:
        x = left + (x_val - lo) / (hi - lo) * plot_w
        svg.text(x, height - 12, fmt(round(x_val, 6)), "tick", anchor)
    for t in shown:
        x = left + (t.value - lo) / (hi - lo) * plot_w
        svg.line(x, top - 4, x, top + plot_h + 4, "threshold")
        anchor = "end" if x > width - 40 else "start" if x < left + 30 else "middle"
        shown_value = t.value - 0.5 if integer and t.side == "max" else t.value + 0.5 if integer else t.value
        svg.text(x, top - 7, f"{t.side} {fmt(shown_value)}", "threshold-label", anchor)
    hidden = [t for t in thresholds if t not in shown]
    if hidden:
        note = ", ".join(f"{t.side} {fmt(t.value + (0.5 if t.side == 'min' else -0.5) if integer else t.value)}"
                         for t in hidden)
        svg.text(left + plot_w, height - 1, f"off scale: {note}", "tick muted", "end")
    return svg.render()


def bars(items: Sequence[tuple[str, int]], title: str, width: int = 540, row: int = 22) -> str:
    """Horizontal bars, one per (label, count), longest first as given."""
    label_w, right = 240, 44
    height = max(row * len(items) + 8, 30)
    svg = Svg(width, height, title, "chart bars")
    peak = max((c for _, c in items), default=0) or 1
    for i, (label, count) in enumerate(items):
        y = 4 + i * row
        svg.text(label_w - 8, y + row / 2 + 4, label if len(label) <= 34 else label[:33] + "…", "label", "end")
        w = count / peak * (width - label_w - right)
        svg.rect(label_w, y + 3, w, row - 6, "bar", f"{label}: {count}")
        svg.text(label_w + w + 5, y + row / 2 + 4, str(count), "tick")
    return svg.render()
