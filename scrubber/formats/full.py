"""Full: each finding with its source line and the fix it proposes, as a small before/after.

Invisible characters are the point of many findings, so the excerpt spells them out (``<U+200B>``);
very long lines are cut to a window around the finding so that a one-line 100 MB file prints little.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from scrubber.formats.text import marker
from scrubber.model import Edit, Finding, FixSafety
from scrubber.rules import Rule
from scrubber.runner import FileReport

WINDOW = 160  # characters of a long line shown around the finding
CONTEXT = 60  # characters shown before the finding when a line is cut
MAX_LINES = 8  # lines of a before/after shown


def visible(text: str) -> str:
    """``text`` with tabs expanded, invisible or control characters spelled ``<U+XXXX>``, and
    trailing spaces shown as ``·`` (a fix that removes them would otherwise show no change)."""
    body = text.rstrip(" ")
    return _visible(body) + "·" * (len(text) - len(body))


def _visible(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\t":
            out.append("    ")
        elif ch != " " and unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "Cs"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def width(text: str) -> int:
    """Terminal columns of ``text`` (already made visible): wide East Asian letters take two."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def window(line: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut ``line`` to about WINDOW characters around ``[start, end)``; returns the cut and new bounds."""
    if len(line) <= WINDOW:
        return line, start, end
    lo = max(0, start - CONTEXT)
    hi = min(len(line), lo + WINDOW)
    cut = ("…" if lo else "") + line[lo:hi] + ("…" if hi < len(line) else "")
    shift = lo - (1 if lo else 0)
    return cut, max(0, start - shift), max(0, min(end, hi) - shift)


def excerpt(text: str, f: Finding) -> list[str]:
    """The finding's first line with a caret under the span."""
    line_start = text.rfind("\n", 0, f.start) + 1
    nl = text.find("\n", f.start)
    line_end = len(text) if nl == -1 else nl
    line = text[line_start:line_end]
    start = f.start - line_start
    end = min(f.end, line_end) - line_start
    cut, start, end = window(line, start, end)
    shown = visible(cut)
    pad = width(visible(cut[:start]))
    carets = max(1, width(visible(cut[start:end])))
    gutter = len(str(f.line))
    return [f"{' ' * gutter} |", f"{f.line} | {shown}" if shown else f"{f.line} |",
            f"{' ' * gutter} | {' ' * pad}{'^' * carets}"]


def _clip_lines(lines: list[str]) -> list[str]:
    lines = [visible(window(ln, 0, 0)[0]) for ln in lines]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES - 3] + [f"… ({len(lines) - MAX_LINES + 2} more lines)"] + lines[-2:]
    return lines


def before_after(text: str, edit: Edit) -> tuple[list[str], list[str]]:
    """The lines an edit touches, before and after it."""
    start = text.rfind("\n", 0, edit.start) + 1
    start = max(start, edit.start - CONTEXT)
    if edit.end > edit.start and text[edit.end - 1] == "\n":
        end = edit.end
    else:
        nl = text.find("\n", edit.end)
        end = len(text) if nl == -1 else nl + 1
    end = min(end, max(edit.end, edit.start + len(edit.replacement)) + CONTEXT + 1)
    lead = "…" if start > 0 and text[start - 1] != "\n" else ""
    tail = "…" if end < len(text) and text[end - 1] != "\n" else ""
    before = lead + text[start:end] + tail
    after = lead + text[start:edit.start] + edit.replacement + text[edit.end:end] + tail

    def lines(s: str) -> list[str]:
        parts = s.split("\n")
        return parts[:-1] if parts and parts[-1] == "" else parts

    return _clip_lines(lines(before)), _clip_lines(lines(after))


def render_finding(path: str, f: Finding, text: str | None) -> str:
    out = [f"{path}:{f.line}:{f.column}: {f.rule_id} {marker(f.safety)}{f.message}"]
    if text is not None and f.start <= len(text):
        out += excerpt(text, f)
        if f.edit is not None and f.safety is not FixSafety.NONE:
            label = "safe" if f.safety is FixSafety.SAFE else "unsafe, applied with --unsafe-fixes"
            before, after = before_after(text, f.edit)
            gutter = " " * len(str(f.line))
            out.append(f"{gutter} = fix ({label}):")
            out += [f"{gutter}   - {ln}" if ln else f"{gutter}   -" for ln in before]
            out += [f"{gutter}   + {ln}" if ln else f"{gutter}   +" for ln in after] or [f"{gutter}   + (removed)"]
    return "\n".join(out) + "\n\n"


def render(reports: Sequence[FileReport], rules: Sequence[Rule]) -> str:
    out = []
    for report in reports:
        out.extend(render_finding(report.display, f, report.text) for f in report.findings)
    return "".join(out)
