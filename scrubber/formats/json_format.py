"""JSON: a list of finding objects (ruff's field names where they exist); JSONL: one per line."""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from scrubber.model import Finding
from scrubber.rules import Rule
from scrubber.runner import FileReport


def finding_record(path: str, f: Finding) -> dict[str, Any]:
    fix = None
    if f.edit is not None:
        fix = {"applicability": f.safety.value,
               "edits": [{"start": f.edit.start, "end": f.edit.end, "content": f.edit.replacement}]}
    out = {"path": path, "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
           "rule": f.rule_id, "name": f.rule_name, "severity": f.severity.value, "message": f.message, "fix": fix}
    if "record" in f.extra:  # a JSONL/Parquet record: `line` is its line (row); where in its text, which id
        out["record"] = f.extra["record"]
    return out


def records(reports: Sequence[FileReport]) -> Iterator[dict[str, Any]]:
    for report in reports:
        if report.error:
            yield {"path": report.display, "line": 1, "column": 1, "end_line": 1, "end_column": 1, "rule": "E902",
                   "name": "io-error", "severity": "error", "message": report.error, "fix": None}
        for f in report.findings:
            yield finding_record(report.display, f)


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    return json.dumps(list(records(reports)), ensure_ascii=False, indent=2) + "\n"


def render_lines(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(reports))
