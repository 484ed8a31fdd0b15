"""Output formats: each a small module with ``render(reports, rules) -> str`` over one finding model."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from scrubber.formats import json_format, text
from scrubber.rules import Rule
from scrubber.runner import FileReport

Renderer = Callable[[Sequence[FileReport], Sequence[Rule]], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "jsonl": json_format.render_lines,
}
