"""JUnit XML, for CI systems that show test reports: one test suite, one test case per file,
one ``<failure>`` per finding (a clean file is a passing case, an unreadable one an ``<error>``)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from scrubber.formats.text import marker
from scrubber.rules import Rule
from scrubber.runner import FileReport

# XML 1.0 cannot hold these even escaped; findings about control characters would quote them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    failing = sum(1 for r in reports if r.findings and not r.error)
    errors = sum(1 for r in reports if r.error)
    skipped = sum(1 for r in reports if r.skipped)
    counts = {"tests": str(len(reports)), "failures": str(failing), "errors": str(errors), "skipped": str(skipped)}
    root = ET.Element("testsuites", {"name": "scrubber", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "scrubber", **counts})
    for report in reports:
        path = xml_text(report.display)
        case = ET.SubElement(suite, "testcase", {"name": path, "classname": "scrubber", "file": path})
        if report.skipped:
            ET.SubElement(case, "skipped", {"message": xml_text(report.skipped)})
        if report.error:
            error = ET.SubElement(case, "error", {"message": xml_text(report.error), "type": "io-error"})
            error.text = xml_text(report.error)
        for f in report.findings:
            message = xml_text(f.message)
            failure = ET.SubElement(case, "failure", {"message": f"{f.rule_id} {message}", "type": f.rule_id})
            failure.text = f"{path}:{f.line}:{f.column}: {f.rule_id} {marker(f.safety)}{message} ({f.rule_name})"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
