"""`line`: whole lines matching a pattern; the fix drops the line and the gap it leaves."""
from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

import regex

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.kinds.regexes import REQUIRES_SCHEMA, Deadline, LiteralGate, compile_pattern, finditer


@register
class LineKind(Kind):
    """The pattern is matched against each line alone (anchored at both ends: ``fullmatch``).

    ``max_words`` keeps a phrase pattern from eating a paragraph that merely starts with it.
    ``first_words`` (a speed hint, like ``requires``) lists how every line the pattern can
    match begins: its first word (letters and digits, after leading blanks and bullet marks
    ``#*>•·|_–—-``) starts with one of them, case-folded; ``""`` stands for a line that starts
    with anything else. Only such lines are tried. Without ``first_words``, ``requires`` works
    line by line: only the lines holding one of its strings are tried (``photo-caption``'s
    ``)`` and its credit labels leave one line in eight).
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
            "first_words": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        flags = regex.MULTILINE | (regex.IGNORECASE if options.get("ignore_case") else 0)
        # Anchor the user's pattern to whole lines and scan the text once, not line by line.
        self.regex = compile_pattern(rf"^[ \t]*(?:{options['pattern']})[ \t]*$", flags)
        self.max_words: int | None = options.get("max_words")
        self.gate = LiteralGate(options["requires"], bool(options.get("ignore_case"))) if "requires" in options else None
        words = options.get("first_words")
        for word in words or ():
            if word and not regex.fullmatch(r"[^\W_]+", word):
                raise ValueError(f"first_words: {word!r} is not one word of letters and digits, nor \"\"")
        # Lines are indexed by the first four letters of their first word (Document.line_heads).
        self.first_word_keys: frozenset[str] | None = (
            None if words is None else frozenset(w.casefold()[:4] for w in words))

    def without_shortcuts(self) -> LineKind:
        plain = copy.copy(self)
        plain.gate = None
        plain.first_word_keys = None
        return plain

    def check(self, doc: Document) -> Iterator[Hit]:
        # The first words first: a set test, cheaper than the gate's substring searches.
        keys = self.first_word_keys
        if keys is not None and keys.isdisjoint(doc.line_heads):
            return
        if self.gate is not None and not self.gate.admits(doc):
            return
        if keys is not None:
            heads = doc.line_heads
            matches = self._tried(doc, sorted({s for key in keys & heads.keys() for s in heads[key]}))
        elif self.gate is not None and (starts := self.gate.lines(doc)) is not None:
            matches = self._tried(doc, starts)
        else:
            matches = finditer(self.regex, doc.text, self.timeout)
        for m in matches:
            if m.start() == m.end():
                continue
            if self.max_words is not None and len(m.group().split()) > self.max_words:
                continue
            yield self.drop_line(doc, doc.line_index(m.start()), match=m.group().strip())

    def _tried(self, doc: Document, starts: list[int]) -> Iterator[regex.Match[str]]:
        """The lines starting at ``starts`` (in order), each matched alone, under one time limit.

        Most lines of an article start with a word no boilerplate line starts with, or hold
        none of the strings a rule requires; trying them costs a regex attempt each, while
        finding the few candidates costs a lookup (``first_words``) or a substring search.
        """
        text = doc.text
        match = self.regex.match
        # No limit (see ``Kind.timeout``): no ``timeout`` argument, whose check costs more
        # than matching a short line.
        deadline = None if self.timeout is None else Deadline(self.timeout, text)
        try:
            for start in starts:
                end = text.find("\n", start)
                # In place on the line: ``^`` and ``$`` hold at its edges.
                end = len(text) if end == -1 else end
                m = match(text, start, end) if deadline is None else match(
                    text, start, end, timeout=deadline.remaining())
                if m is not None:
                    yield m
        except TimeoutError:
            assert deadline is not None  # only a limited match times out
            raise deadline.expired() from None
