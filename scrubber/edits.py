"""Applying edits to a text: choose a non-overlapping set, then splice them in one pass."""
from __future__ import annotations

from collections.abc import Iterable

from scrubber.model import Edit


def non_overlapping(edits: Iterable[Edit]) -> list[Edit]:
    """Keep edits in the order given, dropping any that conflict with one already kept.

    The dropped ones are not lost: the fix loop re-checks the new text and meets them again.
    """
    kept: list[Edit] = []
    for edit in edits:
        if not any(edit.overlaps(k) for k in kept):
            kept.append(edit)
    return sorted(kept, key=lambda e: (e.start, e.end))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Splice sorted, non-overlapping edits into ``text``."""
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos or edit.end > len(text) or edit.start > edit.end:
            raise ValueError(f"edit {edit} overlaps another or lies outside the text")
        parts.append(text[pos:edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)
