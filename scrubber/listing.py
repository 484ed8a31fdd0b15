"""Rule listings and explanations for people (text, markdown for docs, JSON for tools)."""
from __future__ import annotations

import json
from collections.abc import Iterable

from scrubber.rules import Rule


def render_rules(rules: Iterable[Rule], fmt: str, active: set[str]) -> str:
    rules = list(rules)
    if fmt == "json":
        return json.dumps([{"id": r.id, "name": r.name, "kind": r.kind, "severity": r.severity.value,
                            "fix": r.fix.value, "enabled": r.id in active, "source": r.source,
                            "description": r.description} for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| id | name | kind | fix | on by default | what |", "|---|---|---|---|---|---|"]
        for r in rules:
            first = r.description.split(". ")[0].replace("|", "\\|").replace("\n", " ")
            rows.append(f"| {r.id} | `{r.name}` | {r.kind} | {r.fix.value} | {'yes' if r.enabled else 'no'} | {first} |")
        return "\n".join(rows) + "\n"
    return "".join(f"{r.id:<8} {r.name:<28} {r.kind:<16} {r.fix.value:<7}{'' if r.id in active else ' (off)'}\n"
                   for r in rules)


def explain(rule: Rule) -> str:
    out = [f"{rule.id} {rule.name}", "", f"kind: {rule.kind}   severity: {rule.severity.value}   fix: {rule.fix.value}"
           f"   on by default: {'yes' if rule.enabled else 'no'}", f"defined at: {rule.location}", ""]
    if rule.description:
        out += [rule.description, ""]
    if rule.options:
        out += ["options:"] + [f"  {k}: {v!r}" for k, v in rule.options.items()] + [""]
    if rule.examples:
        out.append("examples:")
        for ex in rule.examples:
            out.append(f"  input:  {ex.input!r}")
            if ex.output is not None:
                out.append(f"  output: {ex.output!r}")
            if ex.findings is not None:
                out.append(f"  findings: {ex.findings}")
            out.append("")
    return "\n".join(out) + "\n"
