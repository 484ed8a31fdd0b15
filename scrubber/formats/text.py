"""Text: ``path:line:col: ID [*] message``, the line every editor and terminal can jump to."""
from __future__ import annotations

from collections.abc import Sequence

from scrubber.model import FixSafety
from scrubber.rules import Rule
from scrubber.runner import FileReport


def marker(safety: FixSafety) -> str:
    return {FixSafety.SAFE: "[*] ", FixSafety.UNSAFE: "[-] "}.get(safety, "")


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    out = []
    for report in reports:
        for f in report.findings:
            out.append(f"{report.display}:{f.line}:{f.column}: {f.rule_id} {marker(f.safety)}{f.message}\n")
    return "".join(out)
