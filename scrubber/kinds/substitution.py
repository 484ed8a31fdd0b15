"""`substitution`: a table of wrong → right strings, matched as whole tokens."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import regex

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.kinds.regexes import finditer
from scrubber.model import Edit


@register
class SubstitutionKind(Kind):
    """One alternation over all table keys, so a table of thousands costs one scan."""

    name = "substitution"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["table"],
        "properties": {
            "table": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
            "whole_words": {"type": "boolean"},
            "ignore_case": {"type": "boolean"},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        table: dict[str, str] = {str(k): v for k, v in options["table"].items()}
        if any(not k for k in table):
            raise ValueError("table: an empty string cannot be substituted")
        self.ignore_case = bool(options.get("ignore_case", False))
        self.table = {k.casefold(): v for k, v in table.items()} if self.ignore_case else table
        alternation = "|".join(regex.escape(k) for k in sorted(table, key=len, reverse=True))
        if options.get("whole_words", True):
            alternation = rf"(?<![\w]){'(?:' + alternation + ')'}(?![\w])"
        self.regex = regex.compile(alternation, regex.IGNORECASE if self.ignore_case else 0)

    def check(self, doc: Document) -> Iterator[Hit]:
        for m in finditer(self.regex, doc.text, self.timeout):
            found = m.group()
            right = self.table[found.casefold() if self.ignore_case else found]
            yield Hit(m.start(), m.end(), Edit(m.start(), m.end(), right), {"match": found, "replacement": right})
