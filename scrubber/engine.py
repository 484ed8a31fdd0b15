"""The engine: run rules on a document, and fix to a fixed point.

Pure: it takes text and rules and returns findings and text. No files, no printing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scrubber.document import Document
from scrubber.edits import apply_edits, non_overlapping
from scrubber.errors import RuleTimeout
from scrubber.model import Edit, Finding, FixSafety, Severity
from scrubber.rules import Rule
from scrubber.suppression import without_ignored

MAX_PASSES = 10


@dataclass(frozen=True)
class FixResult:
    text: str  # the fixed text
    findings: list[Finding]  # what the original text had
    remaining: list[Finding]  # what the fixed text still has
    applied: int  # edits applied over all passes
    passes: int
    converged: bool  # False when MAX_PASSES was hit with edits still pending

    @property
    def changed(self) -> bool:
        return self.applied > 0


def check_document(doc: Document, rules: Sequence[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        try:
            hits = list(rule.checker.check(doc))
        except RuleTimeout as exc:
            findings.append(_timeout_finding(doc, rule, str(exc)))
            continue
        for hit in hits:
            line, col = doc.position(hit.start)
            end_line, end_col = doc.position(hit.end)
            edit = hit.edit if rule.fix is not FixSafety.NONE else None
            findings.append(Finding(
                rule_id=rule.id, rule_name=rule.name, start=hit.start, end=hit.end, line=line, column=col,
                end_line=end_line, end_column=end_col, message=rule.format_message(hit.data),
                severity=rule.severity, safety=rule.fix if edit else FixSafety.NONE, edit=edit,
                extra=dict(hit.data),
            ))
    findings.sort(key=lambda f: (f.start, f.end))
    findings = _without_repeats(findings)
    # `scrubber: ignore` markers: what they cover is neither reported nor fixed.
    return without_ignored(doc, findings)


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """One report per problem: two rules fixing the very same span report once.

    (A title copied next to itself is both a repeated title and a duplicated paragraph.) The
    finding whose fix is safest is kept, so an unsafe built-in rule never hides a user's safe one.
    """
    rank = {FixSafety.SAFE: 0, FixSafety.UNSAFE: 1, FixSafety.NONE: 2}
    best: dict[tuple[int, int], Finding] = {}
    for f in findings:
        if f.edit is None:
            continue
        key = (f.start, f.end)
        if key not in best or rank[f.safety] < rank[best[key].safety]:
            best[key] = f
    return [f for f in findings if f.edit is None or best[(f.start, f.end)] is f]


def _timeout_finding(doc: Document, rule: Rule, why: str) -> Finding:
    return Finding(rule.id, rule.name, 0, 0, 1, 1, 1, 1,
                   f"rule {rule.id} ({rule.name}) skipped on this document: {why}",
                   Severity.ERROR, FixSafety.NONE, None, {"timeout": True})


def check(text: str, rules: Sequence[Rule], source: str = "<text>") -> list[Finding]:
    return check_document(Document(text, source), rules)


def chosen_edits(findings: Sequence[Finding], rules: Sequence[Rule], unsafe: bool) -> list[Edit]:
    """The edits of one pass: applicable ones, earlier rules first, conflicts left to the next pass."""
    rank = {r.id: i for i, r in enumerate(rules)}
    ordered = sorted((f for f in findings if f.applicable(unsafe)), key=lambda f: (rank[f.rule_id], f.start))
    return non_overlapping(f.edit for f in ordered if f.edit is not None)


def fix(text: str, rules: Sequence[Rule], unsafe: bool = False, source: str = "<text>",
        max_passes: int = MAX_PASSES) -> FixResult:
    first: list[Finding] | None = None
    applied = 0
    for passes in range(1, max_passes + 1):
        findings = check(text, rules, source)
        if first is None:
            first = findings
        edits = chosen_edits(findings, rules, unsafe)
        if not edits:
            return FixResult(text, first, findings, applied, passes, True)
        new_text = apply_edits(text, edits)
        if new_text == text:
            return FixResult(text, first, findings, applied, passes, True)
        applied += len(edits)
        text = new_text
    remaining = check(text, rules, source)
    converged = not chosen_edits(remaining, rules, unsafe)
    return FixResult(text, first or [], remaining, applied, max_passes, converged)
