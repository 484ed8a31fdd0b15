"""Dropping several whole lines at once without leaving the layout broken.

``Document.drop_line_edit_span`` is right for one line, but not for neighbours: removing a
title copied twice as ``T / blank / T / T / blank`` line by line leaves two blank lines. Here
the dropped lines that only blank lines separate form one cluster, and the cluster goes as if
it were a single line, with the blank line it would leave.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from scrubber.document import Document
from scrubber.kinds.base import Hit
from scrubber.model import Edit


def _cluster_span(doc: Document, first: int, last: int) -> tuple[int, int]:
    """Offsets that remove lines ``first..last`` and the blank lines they would leave.

    In the middle of the text that is one blank line (paragraphs stay one blank line apart);
    at the top or the bottom it is every blank line between the cluster and the text, so that
    no text starts or ends with a blank line that it did not have.
    """
    lines, starts, text = doc.lines, doc.line_starts, doc.text
    has_sentinel = text.endswith("\n")
    real_last = len(lines) - 1 - (1 if has_sentinel else 0)
    before = first - 1  # the nearest text line above, or -1
    while before >= 0 and not lines[before].strip():
        before -= 1
    after = last + 1  # the nearest text line below, or real_last + 1
    while after <= real_last and not lines[after].strip():
        after += 1
    if before < 0:
        return starts[first], starts[after] if after <= real_last else len(text)
    if after > real_last:
        # Keep the newline ending the last text line, unless the text had no final newline.
        return (starts[before + 1] if has_sentinel else doc.line_span(before)[1]), len(text)
    end = starts[last + 1]
    if before < first - 1 and after > last + 1:
        end = starts[last + 2]
    return starts[first], end


def _clusters(doc: Document, indices: list[int]) -> Iterator[list[int]]:
    lines = doc.lines
    group: list[int] = []
    for i in indices:
        if group and all(not lines[k].strip() for k in range(group[-1] + 1, i)):
            group.append(i)
            continue
        if group:
            yield group
        group = [i]
    if group:
        yield group


def drop_lines(doc: Document, drops: Iterable[tuple[int, Mapping[str, Any]]]) -> Iterator[Hit]:
    """One hit per ``(line index, message data)``; the hits of one cluster share its edit.

    Sharing one edit makes a cluster's fix all or nothing: the engine applies the edit once,
    and when another rule's edit overlaps it, the whole cluster waits for the next pass
    instead of going in part and leaving a stray blank line behind.
    """
    data = dict(drops)
    for group in _clusters(doc, sorted(data)):
        edit = Edit(*_cluster_span(doc, group[0], group[-1]), "")
        for i in group:
            start, end = doc.line_span(i)
            yield Hit(start, end, edit, {"line": doc.lines[i], **data[i]})
