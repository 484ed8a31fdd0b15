"""The finding model shared by rules, the engine and every output format.

A fix is data (an :class:`Edit` plus a safety level) until a sink decides to apply it,
so a report, a diff and an in-place fix all come from the same findings.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FixSafety(str, enum.Enum):
    """How freely a rule's edits may be applied: ruff's applicability levels."""

    SAFE = "safe"  # applied by `fix`
    UNSAFE = "unsafe"  # applied only with `--unsafe-fixes` (e.g. removal of content)
    NONE = "none"  # report only


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement``; offsets are into the text the rule saw."""

    start: int
    end: int
    replacement: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Edit, (self.start, self.end, self.replacement))  # see Finding.__reduce__

    def overlaps(self, other: Edit) -> bool:
        # Two insertions at one point, or an insertion inside a replaced span, conflict too:
        # their order would be ambiguous.
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end or (
            self.start == self.end and other.start < self.start < other.end
        ) or (other.start == other.end and self.start < other.start < self.end)


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    rule_name: str
    start: int
    end: int
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    message: str
    severity: Severity
    safety: FixSafety
    edit: Edit | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Rebuilt through __init__ from a plain tuple: a cached corpus holds tens of thousands
        # of findings, and the default protocol sets each field of a frozen class one by one.
        return (Finding, (self.rule_id, self.rule_name, self.start, self.end, self.line, self.column,
                          self.end_line, self.end_column, self.message, self.severity, self.safety,
                          self.edit, self.extra))

    @property
    def fixable(self) -> bool:
        return self.edit is not None and self.safety is not FixSafety.NONE

    def applicable(self, unsafe: bool) -> bool:
        if self.edit is None:
            return False
        return self.safety is FixSafety.SAFE or (unsafe and self.safety is FixSafety.UNSAFE)
