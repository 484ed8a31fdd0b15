"""`pattern`: a regular expression, with an optional replacement template for the fix."""
from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.kinds.regexes import REQUIRES_SCHEMA, LiteralGate, compile_pattern, expand, finditer
from scrubber.model import Edit


def describe_chars(text: str) -> str:
    """`U+200B ZERO WIDTH SPACE`: how a message names characters nobody can see."""
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '(control)')}" for c in dict.fromkeys(text))


@register
class PatternKind(Kind):
    name = "pattern"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["pattern"],
        "properties": {
            "pattern": {"type": "string", "minLength": 1},
            "replacement": {"type": "string"},
            "ignore_case": {"type": "boolean"},
            "requires": REQUIRES_SCHEMA,
            "max_matches": {"type": "integer", "minimum": 1},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        import regex

        flags = regex.MULTILINE | (regex.IGNORECASE if options.get("ignore_case") else 0)
        self.regex = compile_pattern(options["pattern"], flags)
        self.replacement: str | None = options.get("replacement")
        self.gate = LiteralGate(options["requires"], bool(options.get("ignore_case"))) if "requires" in options else None
        # A character a document uses more than this many times is its style, not an accident.
        self.max_matches: int | None = options.get("max_matches")
        if self.replacement is not None:
            # A template naming a group the pattern lacks must fail at load, not mid-corpus.
            groups = self.regex.groups
            for ref in compile_pattern(r"\\(\d+)|\\g<(\w+)>").finditer(self.replacement):
                name = ref.group(1) or ref.group(2)
                if name.isdigit() and int(name) > groups or not name.isdigit() and name not in self.regex.groupindex:
                    raise ValueError(f"replacement {self.replacement!r} names group {name!r}, which the pattern lacks")

    def without_shortcuts(self) -> PatternKind:
        plain = copy.copy(self)
        plain.gate = None
        return plain

    def check(self, doc: Document) -> Iterator[Hit]:
        hits = self._hits(doc)
        if self.max_matches is None:
            yield from hits
            return
        found = []
        for hit in hits:
            found.append(hit)
            if len(found) > self.max_matches:
                return
        yield from found

    def _hits(self, doc: Document) -> Iterator[Hit]:
        if self.gate is not None and not self.gate.admits(doc):
            return
        for m in finditer(self.regex, doc.text, self.timeout):
            if m.start() == m.end() and self.replacement is None:
                continue  # an empty match with nothing to insert is not a finding
            edit = None
            if self.replacement is not None:
                new = expand(m, self.replacement)
                if new != m.group():
                    edit = Edit(m.start(), m.end(), new)
                elif m.start() != m.end():
                    continue  # already in the wanted form
            yield Hit(m.start(), m.end(), edit, {"match": m.group(), "chars": describe_chars(m.group()),
                                                 "replacement": edit.replacement if edit else ""})
