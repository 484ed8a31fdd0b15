"""Concise: exactly one line per finding, ``path:line:col: ID [*] message``, for grep and editors."""
from __future__ import annotations

from collections.abc import Sequence

from scrubber.formats.text import marker
from scrubber.rules import Rule
from scrubber.runner import FileReport


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    out = []
    for report in reports:
        for f in report.findings:
            message = f.message.replace("\r", "\\r").replace("\n", "\\n")
            out.append(f"{report.display}:{f.line}:{f.column}: {f.rule_id} {marker(f.safety)}{message}\n")
    return "".join(out)
