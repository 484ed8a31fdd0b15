"""Baselines: today's findings recorded so that an old corpus can adopt the check gradually.

A finding is recorded by path, rule id and a fingerprint of *what* it is, not *where* it is:
a hash of the rule id, its line's content with whitespace collapsed, the matched text (up to the
end of its first line), and an occurrence index that tells identical findings on identical lines
apart. Inserting or removing lines elsewhere moves a finding without changing its fingerprint;
editing the line itself, or adding one more copy of it, makes it new.

A finding in a JSONL or Parquet record is reported at the record's line of the shard, and its
report does not keep the record's text: its fingerprint hashes the rule and the message instead,
which names the record (by id when it has one) and the place in its text, not the shard line.

Pure functions over findings and the text they point into; reading and writing the file is the CLI's.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scrubber.document import Document
from scrubber.errors import ScrubberError
from scrubber.model import Finding

FORMAT_KEY = "scrubber-baseline"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Entry:
    rule: str
    fingerprint: str
    line: int = 0  # informational: where it was when recorded
    message: str = ""  # informational: what it said


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _content_key(f: Finding, doc: Document | None) -> tuple[str, str, str]:
    if doc is None or "record" in f.extra:
        return (f.rule_id, "\x01message", _normalise(f.message))
    text = doc.text
    start = min(max(f.start, 0), len(text))
    line_start, line_end = doc.line_span(doc.line_index(start))
    matched = text[start:max(start, min(f.end, line_end))]
    return (f.rule_id, _normalise(text[line_start:line_end]), matched)


def fingerprints(findings: Sequence[Finding], text: str | None) -> list[str]:
    """One fingerprint per finding, in order; ``text`` is the text the findings' offsets point into
    (None for records, whose findings are fingerprinted by their message)."""
    doc = Document(text) if text is not None else None
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for f in findings:
        key = _content_key(f, doc)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8", "surrogatepass"))
        out.append(digest.hexdigest()[:20])
    return out


def entries(findings: Sequence[Finding], text: str | None) -> list[Entry]:
    return [Entry(f.rule_id, fp, f.line, f.message) for f, fp in zip(findings, fingerprints(findings, text))]


def dumps(files: Mapping[str, Sequence[Entry]]) -> str:
    """The baseline file: JSON, sorted, so that rewriting it after a small change gives a small diff."""
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, "files": {}}
    for path in sorted(files):
        if files[path]:
            data["files"][path] = [
                {"rule": e.rule, "fingerprint": e.fingerprint, "line": e.line, "message": e.message}
                for e in sorted(files[path], key=lambda e: (e.line, e.rule, e.fingerprint))
            ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Baseline:
    files: Mapping[str, Counter[tuple[str, str]]]

    def __len__(self) -> int:
        return sum(sum(c.values()) for c in self.files.values())

    def new_findings(self, path: str, findings: Sequence[Finding], text: str | None) -> list[Finding]:
        """The findings of ``path`` that the baseline does not hold (each entry absorbs one finding)."""
        known = self.files.get(path)
        if not known or not findings:
            return list(findings)
        left = Counter(known)
        new = []
        for f, fp in zip(findings, fingerprints(findings, text)):
            if left[(f.rule_id, fp)] > 0:
                left[(f.rule_id, fp)] -= 1
            else:
                new.append(f)
        return new


def loads(text: str, source: str) -> Baseline:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScrubberError(f"baseline is not valid JSON: {exc.msg}", source, exc.lineno) from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION or not isinstance(data.get("files"), dict):
        raise ScrubberError(f"not a scrubber baseline (expected {{\"{FORMAT_KEY}\": {FORMAT_VERSION}, "
                            f"\"files\": {{...}}}}; write one with --write-baseline)", source)
    files: dict[str, Counter[tuple[str, str]]] = {}
    for path, items in data["files"].items():
        if not isinstance(items, list):
            raise ScrubberError(f"baseline entry for {path!r} must be a list", source)
        counts: Counter[tuple[str, str]] = Counter()
        for item in items:
            if not (isinstance(item, dict) and isinstance(item.get("rule"), str)
                    and isinstance(item.get("fingerprint"), str)):
                raise ScrubberError(f"baseline entry for {path!r} needs string `rule` and `fingerprint`", source)
            counts[(item["rule"], item["fingerprint"])] += 1
        files[path] = counts
    return Baseline(files)
