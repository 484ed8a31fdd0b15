"""`metric`: a document-level quality measure with a threshold (Gopher, C4, FineWeb heuristics).

A metric judges the whole document, so it proposes no fix; the finding sits on the line that
shows the problem best (a repeated line, the top n-gram, a `lorem ipsum` line) or on line 1.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.quality.measures import MEASURES, Measurement, default_bounds

# Which measures take which parameter (beyond min/max).
_PARAMS = {"n": ("top-ngram-chars", "dup-ngram-chars"), "length": ("short-lines",), "stop_words": ("stop-words",)}


def format_number(x: float | None) -> str:
    if x is None:
        return "n/a"
    if float(x).is_integer() and abs(x) < 1e12:
        return str(int(x))
    return f"{x:.3g}"


@register
class MetricKind(Kind):
    name = "metric"
    can_fix = False
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["measure"],
        "properties": {
            "measure": {"enum": sorted(MEASURES)},
            "min": {"type": "number"},
            "max": {"type": "number"},
            "n": {"type": "integer", "minimum": 1, "maximum": 50},
            "length": {"type": "integer", "minimum": 0},
            "stop_words": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "per_line": {"type": "boolean"},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        self.measure = MEASURES[options["measure"]]
        for param, measures in _PARAMS.items():
            if param in options and self.measure.name not in measures:
                raise ValueError(f"option {param!r} does not apply to measure {self.measure.name!r}")
        self.params = {**self.measure.params, **{k: options[k] for k in _PARAMS if k in options}}
        dmin, dmax = default_bounds(self.measure, self.params)
        has_bound = "min" in options or "max" in options
        self.min: float | None = options.get("min", None if has_bound else dmin)
        self.max: float | None = options.get("max", None if has_bound else dmax)
        if self.min is None and self.max is None:
            raise ValueError(f"measure {self.measure.name!r} with these parameters has no published threshold; "
                             "give `min` or `max`")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        self.per_line = bool(options.get("per_line", False))
        if self.per_line and not self.measure.per_line:
            raise ValueError(f"measure {self.measure.name!r} has no per-line findings")

    @property
    def title(self) -> str:
        return self.measure.title.format(**self.params)

    def measure_doc(self, doc: Document) -> Measurement:
        return self.measure.compute(doc.quality, self.params)

    def violated(self, value: float | None) -> str | None:
        """'min' or 'max' when ``value`` is outside the bounds (strictly, as the filters test)."""
        if value is None:
            return None
        if self.min is not None and value < self.min:
            return "min"
        if self.max is not None and value > self.max:
            return "max"
        return None

    def check(self, doc: Document) -> Iterator[Hit]:
        m = self.measure_doc(doc)
        side = self.violated(m.value)
        if side is None:
            return
        bound = self.min if side == "min" else self.max
        data = {
            "measure": self.measure.name, "source": self.measure.source, "title": self.title,
            "value": format_number(m.value), "min": format_number(self.min), "max": format_number(self.max),
            "bound": f"{'minimum' if side == 'min' else 'maximum'} {format_number(bound)}",
            "relation": "<" if side == "min" else ">", "threshold": format_number(bound), "detail": m.detail,
            **{k: (", ".join(v) if isinstance(v, (list, tuple)) else v) for k, v in self.params.items()},
        }
        offsets = m.offsets if self.per_line and m.offsets else ((m.offset,) if m.offset is not None else ())
        if not offsets:
            yield Hit(0, 0, None, {**data, "line": doc.lines[0][:80] if doc.lines else ""})
            return
        for offset in offsets:
            start, end = doc.line_span(doc.line_index(offset))
            yield Hit(start, end, None, {**data, "line": doc.text[start:end][:80]})
