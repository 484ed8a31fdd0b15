"""What every rule kind is: a judge of one Document, configured once from YAML options.

A kind is the Python behind a family of rules; a rule is data (its YAML) naming a kind and
its options. The engine owns traversal and fixing; a kind only yields :class:`Hit`s.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from scrubber.document import Document
from scrubber.model import Edit


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a kind found: the span to report, an optional edit, and message fields."""

    start: int
    end: int
    edit: Edit | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


class Kind:
    """Base class. Subclasses set ``name`` and ``options_schema`` and implement ``check``.

    ``options_schema`` is a JSON Schema (an object schema) for the rule's ``options``; the
    loader validates against it, so a kind's ``__init__`` may trust the shape and only has
    to check meaning (a regex that compiles, a threshold in range) by raising ``ValueError``.
    ``timeout`` is the CPU time a regex may take per document (see ``regexes.finditer``), or
    None for no limit (the shipped packs: see ``rules.build_rule``).
    """

    name: ClassVar[str]
    options_schema: ClassVar[dict[str, Any]] = {"type": "object", "additionalProperties": False}
    # Whether a rule of this kind can propose an edit at all (a `fix:` other than `none`).
    can_fix: ClassVar[bool] = True

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        self.options = dict(options)
        self.timeout = timeout

    def check(self, doc: Document) -> Iterator[Hit]:
        raise NotImplementedError

    def without_shortcuts(self) -> Kind:
        """The same rule with its speed hints (``requires``, ``first_words``) switched off:
        what the hints are checked against, since a wrong hint loses findings silently."""
        return self

    def drop_line(self, doc: Document, index: int, **data: Any) -> Hit:
        """A hit on line ``index`` whose edit removes the line (and the gap it would leave)."""
        start, end = doc.line_span(index)
        edit_start, edit_end = doc.drop_line_edit_span(index)
        return Hit(start, end, Edit(edit_start, edit_end, ""), {"line": doc.lines[index], **data})
