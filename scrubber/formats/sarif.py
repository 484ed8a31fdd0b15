"""SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers).

One run; the driver lists the active rules (id, name, descriptions, default level); each result
points at its rule, gives a region in the file (1-based lines, columns counted in Unicode code
points, end column exclusive) and, when the rule proposes one, a fix as a replacement of a region.
Files that could not be read become tool execution notifications.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scrubber import __version__
from scrubber.document import Document
from scrubber.model import Edit, Finding, FixSafety, Severity
from scrubber.rules import Rule
from scrubber.runner import FileReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SRCROOT = "%SRCROOT%"


def uri(path: str) -> str:
    return quote(path.replace(os.sep, "/").replace("\\", "/"), safe="/:@!$&'()*+,;=-._~")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end == -1 else text[:end + 1]


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    short = first_sentence(rule.description) or rule.name
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": rule.description or rule.name},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"kind": rule.kind, "fix": rule.fix.value},
    }


class _Positions:
    """Offset → region in one text, for the regions of edits (which need not match the finding's)."""

    def __init__(self, text: str) -> None:
        self.doc = Document(text)

    def region(self, start: int, end: int) -> dict[str, int]:
        (sl, sc), (el, ec) = self.doc.position(start), self.doc.position(end)
        return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def artifact(path: str) -> dict[str, str]:
    """Relative paths hang off %SRCROOT% (the working directory); absolute ones are file URIs."""
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": uri(path), "uriBaseId": SRCROOT}


def location(path: str, region: dict[str, int] | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact(path)}
    if region is not None:
        physical["region"] = region
    return {"physicalLocation": physical}


def finding_region(f: Finding) -> dict[str, int]:
    return {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}


def fix_object(path: str, f: Finding, edit: Edit, positions: _Positions) -> dict[str, Any]:
    what = "safe fix" if f.safety is FixSafety.SAFE else "unsafe fix (applied with --unsafe-fixes)"
    return {
        "description": {"text": f"{f.rule_id} {f.rule_name}: {what}"},
        "artifactChanges": [{
            "artifactLocation": artifact(path),
            "replacements": [{"deletedRegion": positions.region(edit.start, edit.end),
                              "insertedContent": {"text": edit.replacement}}],
        }],
    }


def result(path: str, f: Finding, index: dict[str, int], positions: _Positions | None) -> dict[str, Any]:
    res: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [location(path, finding_region(f))],
        "properties": {"name": f.rule_name, "fixApplicability": f.safety.value},
    }
    if f.rule_id in index:
        res["ruleIndex"] = index[f.rule_id]
    if f.edit is not None and f.safety is not FixSafety.NONE and positions is not None:
        res["fixes"] = [fix_object(path, f, f.edit, positions)]
    return res


def document(reports: Sequence[FileReport], rules: Sequence[Rule]) -> dict[str, Any]:
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    notifications = []
    for report in reports:
        path = report.display
        if report.error:
            notifications.append({"level": "error", "message": {"text": report.error},
                                  "locations": [location(path)]})
        positions = _Positions(report.text) if report.text is not None and report.findings else None
        results.extend(result(path, f, index, positions) for f in report.findings)
    root = Path.cwd().as_uri() + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "scrubber",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(r) for r in rules],
            }},
            "invocations": [{"executionSuccessful": not notifications,
                             "toolExecutionNotifications": notifications}],
            "originalUriBaseIds": {SRCROOT: {"uri": root}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    return json.dumps(document(reports, rules), ensure_ascii=False, indent=2) + "\n"
