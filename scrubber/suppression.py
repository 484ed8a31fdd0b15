"""Inline escape hatch: ``scrubber: ignore`` markers written in the text itself.

A marker is honoured by the engine, so ``check`` does not report what it covers and ``fix`` does
not touch it. Markers:

- ``scrubber: ignore`` anywhere on a line covers the findings that start on that line;
  ``scrubber: ignore[SCR101,odd-space,SCR2]`` only those rules (ids, names, id prefixes).
- A line that holds nothing but the marker (bare, or in a comment: ``<!-- scrubber: ignore -->``,
  ``# scrubber: ignore``, ``// scrubber: ignore``) also covers the next line: a corpus line is
  rarely a place where a marker can go at its end.
- ``scrubber: ignore-file`` (with or without ``[...]``) anywhere covers the whole document
  (the file, or the JSONL record).

Data files often cannot carry a marker at all: a baseline (``--baseline``) is the other escape hatch.
"""
from __future__ import annotations

from collections.abc import Sequence

import regex

from scrubber.document import Document
from scrubber.model import Finding

MARKER_RE = regex.compile(
    r"(?<![\w-])scrubber:[ \t]*ignore(?P<file>-file)?(?:\[(?P<sel>[^\]\n]*)\])?(?![\w-])", regex.IGNORECASE)
# What may stand beside a marker on a line of its own: comment delimiters and spaces.
COMMENT_RE = regex.compile(r"[ \t]*(?:<!--|#+|//|%|;|/\*)?[ \t]*(?:-->|\*/)?[ \t]*")

ALL: frozenset[str] = frozenset({"ALL"})


def _selectors(raw: str | None) -> frozenset[str]:
    if raw is None:
        return ALL
    sels = frozenset(s.strip() for s in raw.split(",") if s.strip())
    return sels or ALL


def covers(selectors: frozenset[str], finding: Finding) -> bool:
    return any(s == "ALL" or s == finding.rule_name or finding.rule_id.startswith(s) for s in selectors)


def markers(doc: Document) -> tuple[frozenset[str], dict[int, frozenset[str]]]:
    """The whole-document selectors and, per 0-based line index, the selectors covering it."""
    whole: set[str] = set()
    per_line: dict[int, set[str]] = {}
    for m in MARKER_RE.finditer(doc.text):
        sels = _selectors(m.group("sel"))
        if m.group("file"):
            whole |= sels
            continue
        i = doc.line_index(m.start())
        per_line.setdefault(i, set()).update(sels)
        start, end = doc.line_span(i)
        before, after = doc.text[start:m.start()], doc.text[m.end():end]
        if COMMENT_RE.fullmatch(before + after):
            per_line.setdefault(i + 1, set()).update(sels)
    return frozenset(whole), {i: frozenset(s) for i, s in per_line.items()}


def without_ignored(doc: Document, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` less those a marker in ``doc`` covers (a finding is placed by its first line)."""
    if not findings or MARKER_RE.search(doc.text) is None:
        return list(findings)
    whole, per_line = markers(doc)
    kept = []
    for f in findings:
        if covers(whole, f):
            continue
        sels = per_line.get(f.line - 1)
        if sels is not None and covers(sels, f):
            continue
        kept.append(f)
    return kept
