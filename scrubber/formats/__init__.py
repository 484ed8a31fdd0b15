"""Output formats: each a small module with ``render(reports, rules) -> str`` over one finding model."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from scrubber.formats import concise, full, github, json_format, junit, sarif, text
from scrubber.rules import Rule
from scrubber.runner import FileReport

Renderer = Callable[[Sequence[FileReport], Sequence[Rule]], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "jsonl": json_format.render_lines,
    "concise": concise.render,
    "full": full.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}

# Formats made of one independent piece per file: printed as each file is done (a long run shows
# progress and holds no report in memory). The others are one document, written at the end.
STREAMING = frozenset({"text", "concise", "full", "github", "jsonl"})
# Formats that read the text around a finding (the source line, a fix's region).
NEEDS_TEXT = frozenset({"full", "sarif"})
# Formats meant for people: the summary line goes with them rather than to stderr.
HUMAN = frozenset({"text", "concise", "full"})
