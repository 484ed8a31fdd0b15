"""Document quality: the web-corpus heuristics (Gopher, C4, FineWeb) as measures over a text."""
from __future__ import annotations

from scrubber.quality.measures import MEASURES, Measure, Measurement, QualityView, default_bounds

__all__ = ["MEASURES", "Measure", "Measurement", "QualityView", "default_bounds"]
