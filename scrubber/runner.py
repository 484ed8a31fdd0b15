"""One run over many inputs: read, check or fix, write; one report per input.

This is the I/O shell around the pure engine. It never prints: the CLI renders the reports.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scrubber import engine
from scrubber.diffs import unified_diff
from scrubber.discovery import Target, output_path
from scrubber.errors import ScrubberError
from scrubber.model import Finding
from scrubber.rules import Rule
from scrubber.textfile import NotText, atomic_write, read_text_file


@dataclass
class FileReport:
    display: str
    findings: list[Finding] = field(default_factory=list)
    diff: str = ""
    changed: bool = False  # the fix changed the text
    written: bool = False  # a file was written (in place or in --output-dir)
    error: str | None = None  # one line, the file named in it
    skipped: str | None = None  # why the file was not looked at (binary)
    fixed_text: str | None = None
    remaining: list[Finding] = field(default_factory=list)  # after the fix, positions in the fixed text
    converged: bool = True
    # The text that ``findings`` point into (the CLI swaps in the fixed text with ``remaining``);
    # formats and baselines read lines from it, the CLI drops it once it is not needed.
    text: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False  # compute fixes (for `fix` and `check --diff`)
    write: bool = False  # write fixed files (in place, or below out_dir)
    unsafe: bool = False
    diff: bool = False
    out_dir: Path | None = None


def rules_for(target_rel: str, rules: Sequence[Rule], per_path_ignores: dict[str, tuple[str, ...]]) -> list[Rule]:
    if not per_path_ignores:
        return list(rules)
    from fnmatch import fnmatch

    from scrubber.rules import matches

    ignored = [sel for pat, sels in per_path_ignores.items() if fnmatch(target_rel, pat) for sel in sels]
    return [r for r in rules if not any(matches(r, s) for s in ignored)]


def process_text(text: str, name: str, rules: Sequence[Rule], opts: RunOptions) -> FileReport:
    report = FileReport(name, text=text)
    if not opts.fix:
        report.findings = engine.check(text, rules, name)
        return report
    result = engine.fix(text, rules, unsafe=opts.unsafe, source=name)
    report.findings = result.findings
    report.remaining = result.remaining
    report.fixed_text = result.text
    report.changed = result.text != text
    report.converged = result.converged
    if opts.diff and report.changed:
        report.diff = unified_diff(text, result.text, name)
    return report


def process_file(target: Target, rules: Sequence[Rule], opts: RunOptions) -> FileReport:
    try:
        tf = read_text_file(target.path, target.display)
    except NotText:
        return FileReport(target.display, skipped="binary file")
    except ScrubberError as exc:
        return FileReport(target.display, error=str(exc))
    report = process_text(tf.text, target.display, rules, opts)
    if not opts.write:
        return report
    if opts.out_dir is not None:
        write_output_copy(report, target, opts.out_dir, tf.encode(report.fixed_text) if report.changed else tf.raw)
        return report
    if report.changed:
        try:
            atomic_write(target.path, tf.encode(report.fixed_text or ""), expected=tf.raw, display=target.display)
            report.written = True
        except ScrubberError as exc:
            report.error = str(exc)
        except OSError as exc:
            report.error = f"{target.display}: cannot write: {exc.strerror}; original left unchanged"
    return report


def write_output_copy(report: FileReport, target: Target, out_dir: Path, data: bytes) -> None:
    """Write ``data`` as the clean copy of ``target`` below ``out_dir``; failures land in the report."""
    try:
        dest = output_path(out_dir, target.relative)
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, data, display=str(dest))
        report.written = True
    except ScrubberError as exc:
        report.error = str(exc)
    except OSError as exc:
        report.error = f"{target.display}: cannot write below {out_dir}: {exc.strerror}"
