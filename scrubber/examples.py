"""Running a rule's own examples: the same check for our packs and for a user's."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from scrubber import engine
from scrubber.model import Finding, FixSafety
from scrubber.rules import Example, Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule: Rule
    example: Example
    problem: str

    def __str__(self) -> str:
        label = f" ({self.example.name})" if self.example.name else ""
        return f"{self.rule.source}:{self.example.line}: {self.rule.id} example{label}: {self.problem}"


def run_example(rule: Rule, example: Example) -> str | None:
    """None when the example holds; else what went wrong, in one line."""
    findings = engine.check(example.input, [rule])
    problem = _hint_problem(rule, example.input, findings)
    if problem:
        return problem
    if example.findings is not None and len(findings) != example.findings:
        return f"expected {example.findings} finding(s), got {len(findings)}: {[f.message for f in findings]}"
    if example.output is not None:
        result = engine.fix(example.input, [rule], unsafe=rule.fix is FixSafety.UNSAFE)
        if not result.converged:
            return "the fix does not converge"
        if result.text != example.output:
            return f"expected output {example.output!r}, got {result.text!r}"
        again = engine.fix(result.text, [rule], unsafe=rule.fix is FixSafety.UNSAFE)
        if again.text != result.text:
            return f"the fix is not idempotent: a second fix gives {again.text!r}"
    return None


def _hint_problem(rule: Rule, text: str, findings: list[Finding]) -> str | None:
    """A speed hint (``requires``, ``first_words``) that misses a match loses findings
    silently: the example must give the same findings with the hints as without them."""
    plain = rule.checker.without_shortcuts()
    if plain is rule.checker:
        return None
    expected = engine.check(text, [dataclasses.replace(rule, checker=plain)])
    if [(f.start, f.end) for f in expected] != [(f.start, f.end) for f in findings]:
        return (f"a speed hint ('requires' or 'first_words') skips a match: {len(expected)} finding(s) without "
                f"it, {len(findings)} with it")
    return None


def failures(rules: list[Rule]) -> Iterator[ExampleFailure]:
    for rule in rules:
        for example in rule.examples:
            problem = run_example(rule, example)
            if problem:
                yield ExampleFailure(rule, example, problem)
