"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=ID name::message``; the level follows the
rule's severity (error, warning, info → notice). Escaping is GitHub's (actions/toolkit, command.ts):
``%``, ``\\r`` and ``\\n`` everywhere, and ``:`` and ``,`` as well inside properties.
"""
from __future__ import annotations

from collections.abc import Sequence

from scrubber.model import Finding, Severity
from scrubber.rules import Rule
from scrubber.runner import FileReport

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, props: Sequence[tuple[str, object]], message: str) -> str:
    body = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{level} {body}::{escape_data(message)}\n"


def annotation(path: str, f: Finding) -> str:
    props = [("file", path), ("line", f.line), ("col", f.column), ("endLine", f.end_line),
             ("endColumn", f.end_column), ("title", f"{f.rule_id} {f.rule_name}")]
    return command(LEVELS[f.severity], props, f.message)


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    out = []
    for report in reports:
        path = report.display.replace("\\", "/")
        if report.error:
            out.append(command("error", [("file", path), ("title", "scrubber error")], report.error))
        out.extend(annotation(path, f) for f in report.findings)
    return "".join(out)
