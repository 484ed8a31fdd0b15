"""The command line: argument parsing and rendering only; the work is in runner and engine."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from scrubber import __version__
from scrubber.config import Config, resolve_config
from scrubber.discovery import Target, discover
from scrubber.errors import ScrubberError
from scrubber.formats import FORMATS
from scrubber.model import FixSafety
from scrubber.rules import Rule
from scrubber.runner import FileReport, RunOptions, process_file, process_text, rules_for

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scrubber", description="Lint and fix scraped text with YAML rules.")
    parser.add_argument("--version", action="version", version=f"scrubber {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("paths", nargs="*", default=["."], help="files, folders, globs; - for stdin")
    common.add_argument("--config", type=Path, help="configuration file (default: found by walking up)")
    common.add_argument("--select", type=_csv, help="rules to check (ids, names, id prefixes), replacing the default set")
    common.add_argument("--extend-select", type=_csv, help="rules to add to the selection")
    common.add_argument("--ignore", type=_csv, help="rules to leave out")
    common.add_argument("--output-format", choices=sorted(FORMATS), default="text")
    common.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    common.add_argument("--unsafe-fixes", action="store_true", default=None,
                        help="also apply unsafe fixes (removal of content such as boilerplate lines)")
    common.add_argument("--extensions", type=_csv, help="file extensions to look at in folders (.txt,.md,...)")
    common.add_argument("--stdin-filename", default="-", help="the name stdin's text is reported under")
    common.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    common.add_argument("--statistics", action="store_true", help="print counts per rule instead of findings")

    check = sub.add_parser("check", parents=[common], help="report findings (exit 1 if any)")
    check.add_argument("--diff", action="store_true",
                       help="print the unified diff of what `fix` would change (to stdout; findings go to stderr)")
    fix = sub.add_parser("fix", parents=[common], help="apply fixes in place, or into --output-dir")
    fix.add_argument("--output-dir", type=Path, help="write clean copies here, mirroring the tree; originals untouched")
    fix.add_argument("--diff", action="store_true", help="print the diff of what was changed")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--config", type=Path)
    rules.add_argument("--all", action="store_true", help="include rules that are off by default")
    rules.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    explain = sub.add_parser("explain", help="show one rule: description, options and examples")
    explain.add_argument("rule", help="id or name")
    explain.add_argument("--config", type=Path)
    test = sub.add_parser("test-rules", help="run the examples of rule packs")
    test.add_argument("packs", nargs="*", type=Path, help="pack files (default: the shipped packs)")
    return parser


def load_config(args: argparse.Namespace) -> Config:
    paths = getattr(args, "paths", ["."])
    config = resolve_config(args.config, paths)
    return config.with_overrides(
        select=tuple(args.select) if getattr(args, "select", None) is not None else None,
        extend_select=tuple(args.extend_select) if getattr(args, "extend_select", None) else None,
        ignore=tuple(config.ignore) + tuple(args.ignore) if getattr(args, "ignore", None) else None,
        unsafe_fixes=getattr(args, "unsafe_fixes", None),
        extensions=tuple(e if e.startswith(".") else "." + e for e in args.extensions)
        if getattr(args, "extensions", None) else None,
    )


def iter_reports(args: argparse.Namespace, config: Config, rules: list[Rule], opts: RunOptions) -> Iterator[FileReport]:
    stdin_used = False
    file_args = [p for p in args.paths if p != "-"]
    for arg in args.paths:
        if arg == "-":
            if stdin_used:
                continue
            stdin_used = True
            data = sys.stdin.buffer.read()
            from scrubber.textfile import decode

            try:
                text, _ = decode(data, args.stdin_filename)
            except ScrubberError as exc:
                yield FileReport(args.stdin_filename, error=str(exc))
                continue
            yield process_text(text, args.stdin_filename, rules, RunOptions(fix=opts.fix, unsafe=opts.unsafe,
                                                                             diff=opts.diff))
    if not file_args:
        return
    targets: list[Target] = list(discover(file_args, config.extensions, config.exclude))
    for target in targets:
        active = rules_for(target.display.replace(os.sep, "/"), rules, dict(config.per_path_ignores))
        yield process_file(target, active, opts)


def summary(reports: Sequence[FileReport], fixing: bool) -> str:
    findings = [f for r in reports for f in r.findings]
    files = sum(1 for r in reports if r.findings)
    errors = sum(1 for r in reports if r.error)
    safe = sum(1 for f in findings if f.safety is FixSafety.SAFE)
    unsafe = sum(1 for f in findings if f.safety is FixSafety.UNSAFE)
    plural = "s" if len(findings) != 1 else ""
    text = f"{len(findings)} finding{plural} in {files} file{'s' if files != 1 else ''}"
    text += f" ({len(reports)} checked)"
    if fixing:
        changed = sum(1 for r in reports if r.changed)
        text += f", {changed} file{'s' if changed != 1 else ''} fixed"
    else:
        text += f", {safe} fixable"
        if unsafe:
            text += f" ({unsafe} more with --unsafe-fixes)"
    if errors:
        text += f", {errors} error{'s' if errors != 1 else ''}"
    return text + "."


def statistics(reports: Sequence[FileReport]) -> str:
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[str] = Counter()
    for r in reports:
        for f in r.findings:
            counts[(f.rule_id, f.rule_name)] += 1
            fixable[f.rule_id] += f.safety is FixSafety.SAFE
    lines = [f"{n:>6}  {rid:<8} {'[*]' if fixable[rid] else '   '} {name}" for (rid, name), n in counts.most_common()]
    return "\n".join(lines) + ("\n" if lines else "")


def run_lint(args: argparse.Namespace) -> int:
    config = load_config(args)
    rules = config.rules()
    fixing = args.command == "fix"
    writes_stdout = fixing and args.paths == ["-"]
    opts = RunOptions(fix=fixing or args.diff, write=fixing and not writes_stdout, unsafe=config.unsafe_fixes,
                      diff=args.diff, out_dir=getattr(args, "output_dir", None))
    if opts.out_dir is not None and opts.out_dir.exists() and not opts.out_dir.is_dir():
        raise ScrubberError("--output-dir exists and is not a folder", str(opts.out_dir))
    reports: list[FileReport] = []
    report_stream = sys.stderr if args.diff or writes_stdout else sys.stdout
    render = FORMATS[args.output_format]
    streaming = args.output_format == "text" and not args.statistics
    try:
        for report in iter_reports(args, config, rules, opts):
            if report.error:
                print(f"scrubber: error: {report.error}", file=sys.stderr)
            if writes_stdout and report.fixed_text is not None:
                sys.stdout.write(report.fixed_text)
            if args.diff and report.diff:
                sys.stdout.write(report.diff)
            if fixing and not args.diff:
                # After a fix, what matters is what is left, where it now is.
                report.findings = report.remaining
            if streaming and not (writes_stdout and args.quiet):
                report_stream.write(render([report], rules))
            reports.append(report)
    except KeyboardInterrupt:
        written = sum(1 for r in reports if r.written)
        print(f"scrubber: interrupted; {written} file(s) written completely, none half-written", file=sys.stderr)
        return EXIT_ERROR
    if args.statistics:
        report_stream.write(statistics(reports))
    elif not streaming:
        report_stream.write(render(reports, rules))
    if not args.quiet:
        line = summary(reports, fixing and not args.diff)
        dest = sys.stdout if report_stream is sys.stdout and args.output_format == "text" else sys.stderr
        print(line, file=dest)
        for r in reports:
            if not r.converged:
                print(f"{r.display}: warning: fixes did not settle after the pass limit", file=sys.stderr)
            if r.skipped:
                print(f"{r.display}: skipped: {r.skipped}", file=sys.stderr)
    if any(r.error for r in reports):
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if args.diff:
        return EXIT_FINDINGS if any(r.diff for r in reports) else EXIT_CLEAN
    return EXIT_FINDINGS if any(r.findings for r in reports) else EXIT_CLEAN


def run_rules(args: argparse.Namespace) -> int:
    from scrubber.listing import render_rules

    config = resolve_config(args.config, ["."])
    rules = config.all_rules() if args.all else config.rules()
    sys.stdout.write(render_rules(rules, args.format, {r.id for r in config.rules()}))
    return EXIT_CLEAN


def run_explain(args: argparse.Namespace) -> int:
    from scrubber.listing import explain

    config = resolve_config(args.config, ["."])
    for rule in config.all_rules():
        if args.rule in (rule.id, rule.name):
            sys.stdout.write(explain(rule))
            return EXIT_CLEAN
    raise ScrubberError(f"no rule {args.rule!r} (see `scrubber rules --all`)")


def run_test_rules(args: argparse.Namespace) -> int:
    from scrubber.examples import failures
    from scrubber.rules import load_rules, shipped_packs

    packs = args.packs or shipped_packs()
    rules = load_rules(packs)
    failed = list(failures(rules))
    for failure in failed:
        print(failure)
    total = sum(len(r.examples) for r in rules)
    print(f"{total - len(failed)} passed, {len(failed)} failed ({len(rules)} rules in {len(packs)} pack(s))")
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command in ("check", "fix"):
            return run_lint(args)
        return {"rules": run_rules, "explain": run_explain, "test-rules": run_test_rules}[args.command](args)
    except ScrubberError as exc:
        print(f"scrubber: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("scrubber: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
