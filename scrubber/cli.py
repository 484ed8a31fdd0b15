"""The command line: argument parsing and rendering only; the work is in runner and engine."""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from scrubber import __version__
from scrubber import baseline as baselines
from scrubber import scale
from scrubber.config import Config, resolve_config
from scrubber.discovery import Target, discover
from scrubber.errors import ScrubberError
from scrubber.formats import FORMATS, HUMAN, NEEDS_TEXT, STREAMING
from scrubber.model import Finding, FixSafety
from scrubber.rules import Rule
from scrubber.runner import FileReport, RunOptions, process_text, rules_for
from scrubber.textfile import atomic_write

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
    common.add_argument("--show-fixes", action="store_true",
                        help="list the fixes applied (fix) or applicable (check), per file and rule")
    common.add_argument("--output-file", "-o", type=Path,
                        help="write the report to this file (atomically) instead of stdout")
    common.add_argument("--baseline", type=Path,
                        help="report only findings not recorded in this baseline file (see --write-baseline)")
    scale.add_arguments(common)

    check = sub.add_parser("check", parents=[common], help="report findings (exit 1 if any)")
    check.add_argument("--diff", action="store_true",
                       help="print the unified diff of what `fix` would change (to stdout; findings go to stderr)")
    check.add_argument("--write-baseline", type=Path, metavar="FILE",
                       help="record today's findings in FILE (then exit 0); --baseline FILE reports only new ones")
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
    from scrubber.report.command import add_parser as add_report_parser

    add_report_parser(sub)
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
        text_field=getattr(args, "text_field", None),
        id_field=getattr(args, "id_field", None),
    )


def iter_reports(args: argparse.Namespace, config: Config, rules: list[Rule], opts: RunOptions,
                 run: scale.ScaleRun | None = None) -> Iterator[FileReport]:
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
            active = rules_for(config_relative(Path(args.stdin_filename), config), rules,
                               dict(config.per_path_ignores))
            yield process_text(text, args.stdin_filename, active, RunOptions(fix=opts.fix, unsafe=opts.unsafe,
                                                                              diff=opts.diff))
    if not file_args:
        return
    targets: list[Target] = list(discover(file_args, config.extensions, config.exclude))
    ppi = dict(config.per_path_ignores)

    def active(target: Target) -> list[Rule]:
        return rules_for(config_relative(target.path, config), rules, ppi)

    if getattr(args, "engine", "local") == "ray":
        from scrubber.ray import cli_reports

        yield from cli_reports(targets, config, rules, opts, address=args.ray_address)
        return
    # Files go to all cores (--jobs), through the cache of unchanged inputs; reports come back in order.
    yield from (run or scale.ScaleRun(1, None, True, False)).reports(targets, config, rules, active, opts)


def config_relative(path: Path, config: Config) -> str:
    """A path as per-path patterns see it: relative to the configuration file's folder (else to here)."""
    full = Path(os.path.realpath(os.path.dirname(os.path.abspath(path)))) / path.name
    if config.source is not None:
        try:
            return full.relative_to(config.source.parent).as_posix()
        except ValueError:
            pass
    return os.path.relpath(os.path.abspath(path)).replace(os.sep, "/")


def baseline_key(display: str, base: Path) -> str:
    """Baselines name files relative to the baseline's own folder, so any working directory works."""
    try:
        return os.path.relpath(os.path.abspath(display), base).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return display.replace(os.sep, "/")


def read_baseline(path: Path) -> baselines.Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScrubberError("baseline file not found (create it with --write-baseline)", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScrubberError(f"cannot read baseline: {exc}", str(path)) from None
    return baselines.loads(text, str(path))


def write_file(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScrubberError(f"cannot create folder: {exc.strerror}", str(path.parent)) from None
    atomic_write(path, text.encode("utf-8"), display=str(path))


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


def statistics(reports: Sequence[FileReport], unsafe: bool = False, as_json: bool = False) -> str:
    """Counts per rule, most frequent first, and how many of them `fix` would repair."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[str] = Counter()
    for r in reports:
        for f in r.findings:
            counts[(f.rule_id, f.rule_name)] += 1
            fixable[f.rule_id] += f.applicable(unsafe)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if as_json:
        data = [{"code": rid, "name": name, "count": n, "fixable": fixable[rid]} for (rid, name), n in rows]
        return json.dumps(data, indent=2) + "\n"
    lines = []
    for (rid, name), n in rows:
        mark = "[*]" if fixable[rid] else "   "
        part = f" ({fixable[rid]} fixable)" if 0 < fixable[rid] < n else ""
        lines.append(f"{n:>6}  {rid:<8} {mark} {name}{part}")
    return "\n".join(lines) + ("\n" if lines else "")


def fixes_listing(items: Sequence[tuple[str, Sequence[Finding]]], applied: bool) -> str:
    """--show-fixes: per file and rule, the fixes applied (fix) or that `fix` would apply (check)."""
    total = sum(len(fs) for _, fs in items)
    if not total:
        return "No fixes applied.\n" if applied else "No fixes available.\n"
    plural = "s" if total != 1 else ""
    lines = [f"Fixed {total} finding{plural}:" if applied else f"{total} fixable finding{plural}:"]
    for path, fs in items:
        if fs:
            lines.append(f"- {path}:")
            per_rule = Counter((f.rule_id, f.rule_name) for f in fs)
            lines += [f"    {n} × {rid} ({name})" for (rid, name), n in sorted(per_rule.items())]
    return "\n".join(lines) + "\n"


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
    to_file = io.StringIO() if args.output_file is not None else None
    report_stream = to_file or (sys.stderr if args.diff or writes_stdout else sys.stdout)
    render = FORMATS[args.output_format]
    streaming = args.output_format in STREAMING and not args.statistics
    keep_text = args.output_format in NEEDS_TEXT and not streaming
    write_baseline: Path | None = getattr(args, "write_baseline", None)
    baseline_path = None if write_baseline is not None else args.baseline or config.baseline
    baseline = read_baseline(baseline_path) if baseline_path is not None else None
    recorded: dict[str, list[baselines.Entry]] = {}
    baselined = 0
    run = scale.ScaleRun.from_args(args, config)
    fixes: list[tuple[str, list[Finding]]] = []
    try:
        for report in iter_reports(args, config, rules, opts, run):
            if report.error:
                print(f"scrubber: error: {report.error}", file=sys.stderr)
            if writes_stdout and report.fixed_text is not None:
                sys.stdout.write(report.fixed_text)
            if args.diff and report.diff:
                sys.stdout.write(report.diff)
            if args.show_fixes and fixing and report.changed:
                fixes.append((report.display, [f for f in report.findings if f.applicable(opts.unsafe)]))
            if fixing and not args.diff:
                # After a fix, what matters is what is left, where it now is.
                report.findings = report.remaining
                report.text = report.fixed_text
            if write_baseline is not None:
                key = baseline_key(report.display, write_baseline.resolve().parent)
                recorded.setdefault(key, []).extend(baselines.entries(report.findings, report.text))
            elif baseline is not None and baseline_path is not None:
                key = baseline_key(report.display, baseline_path.resolve().parent)
                before = len(report.findings)
                report.findings = baseline.new_findings(key, report.findings, report.text)
                baselined += before - len(report.findings)
            if args.show_fixes and not fixing:
                fixes.append((report.display, [f for f in report.findings if f.applicable(opts.unsafe)]))
            if streaming and not (writes_stdout and args.quiet):
                run.write(report_stream, render([report], rules))
            if not (keep_text and report.findings):
                report.text = None  # memory stays bounded on a long run
            reports.append(report)
    except KeyboardInterrupt:
        run.progress.stop()
        written = sum(1 for r in reports if r.written)
        print(f"scrubber: interrupted; {written} file(s) written completely, none half-written", file=sys.stderr)
        return EXIT_ERROR
    if args.statistics:
        report_stream.write(statistics(reports, opts.unsafe, as_json=args.output_format == "json"))
    elif not streaming:
        report_stream.write(render(reports, rules))
    if to_file is not None:
        write_file(args.output_file, to_file.getvalue())
    # People read the summary beside a human format on stdout; machine formats keep stdout parseable.
    human = report_stream is sys.stdout and args.output_format in HUMAN
    if args.show_fixes:
        print(fixes_listing(fixes, fixing), end="", file=sys.stdout if human else sys.stderr)
    if write_baseline is not None:
        write_file(write_baseline, baselines.dumps(recorded))
        total = sum(len(v) for v in recorded.values())
        print(f"scrubber: recorded {total} finding{'s' if total != 1 else ''} in "
              f"{sum(1 for v in recorded.values() if v)} file(s) to baseline {write_baseline}", file=sys.stderr)
    if not args.quiet:
        line = summary(reports, fixing and not args.diff)
        if baseline is not None:
            line = line[:-1] + f"; {baselined} more in the baseline."
        print(line, file=sys.stdout if human else sys.stderr)
        for r in reports:
            if not r.converged:
                print(f"{r.display}: warning: fixes did not settle after the pass limit", file=sys.stderr)
            if r.skipped:
                print(f"{r.display}: skipped: {r.skipped}", file=sys.stderr)
        scale.print_summary(run)
    if any(r.error for r in reports):
        return EXIT_ERROR
    if args.exit_zero or write_baseline is not None:
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
        if args.command == "report":
            from scrubber.report.command import run_report

            return run_report(args)
        return {"rules": run_rules, "explain": run_explain, "test-rules": run_test_rules}[args.command](args)
    except ScrubberError as exc:
        print(f"scrubber: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("scrubber: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
