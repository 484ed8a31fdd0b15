"""`line`: whole lines matching a pattern; the fix drops the line and the gap it leaves."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import regex

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.kinds.regexes import REQUIRES_SCHEMA, LiteralGate, compile_pattern, finditer


@register
class LineKind(Kind):
    """The pattern is matched against each line alone (anchored at both ends: ``fullmatch``).

    ``max_words`` keeps a phrase pattern from eating a paragraph that merely starts with it.
    """

    name = "line"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["pattern"],
        "properties": {
            "pattern": {"type": "string", "minLength": 1},
            "ignore_case": {"type": "boolean"},
            "requires": REQUIRES_SCHEMA,
            "max_words": {"type": "integer", "minimum": 1},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float = 2.0) -> None:
        super().__init__(options, timeout)
        flags = regex.MULTILINE | (regex.IGNORECASE if options.get("ignore_case") else 0)
        # Anchor the user's pattern to whole lines and scan the text once, not line by line.
        self.regex = compile_pattern(rf"^[ \t]*(?:{options['pattern']})[ \t]*$", flags)
        self.max_words: int | None = options.get("max_words")
        self.gate = LiteralGate(options["requires"], bool(options.get("ignore_case"))) if "requires" in options else None

    def check(self, doc: Document) -> Iterator[Hit]:
        if self.gate is not None and not self.gate.admits(doc):
            return
        for m in finditer(self.regex, doc.text, self.timeout):
            if m.start() == m.end():
                continue
            if self.max_words is not None and len(m.group().split()) > self.max_words:
                continue
            yield self.drop_line(doc, doc.line_index(m.start()), match=m.group().strip())
