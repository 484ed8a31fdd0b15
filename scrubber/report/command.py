"""`scrubber report`: arguments and the run; cli.py only registers it (a two-line hook)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser(
        "report", help="a corpus report: findings per rule, worst documents, quality histograms, fix examples",
        description="Read a corpus and summarise it: counts per rule, the documents with the most findings, "
                    "a histogram of every quality measure with its threshold, and example fixes as diffs. "
                    "All quality (Q) rules are measured whatever the selection; findings come from the "
                    "selected rules (the default set unless --select says otherwise).")
    report.add_argument("paths", nargs="*", default=["."],
                        help="files, folders, globs (JSONL records count one by one)")
    report.add_argument("--html", type=Path, metavar="FILE", help="write the report as a self-contained HTML page")
    report.add_argument("--format", choices=["markdown", "html"], default="markdown",
                        help="format written to stdout or --output-file (default: markdown)")
    report.add_argument("--output-file", "-o", type=Path, help="write --format's report to this file")
    report.add_argument("--top", type=int, default=20, help="how many documents to list (default 20)")
    report.add_argument("--examples", type=int, default=6, help="how many fix examples to show (default 6)")
    report.add_argument("--config", type=Path, help="configuration file (default: found by walking up)")
    report.add_argument("--select", type=_csv, help="rules whose findings and fixes to report")
    report.add_argument("--extend-select", type=_csv, help="rules to add to the selection")
    report.add_argument("--ignore", type=_csv, help="rules to leave out")
    report.add_argument("--extensions", type=_csv, help="file extensions to look at in folders")
    report.add_argument("--unsafe-fixes", action="store_true", default=None, help="show unsafe fixes too")


def run_report(args: argparse.Namespace) -> int:
    from scrubber.cli import EXIT_CLEAN, EXIT_ERROR, load_config, write_file
    from scrubber.report.collect import collect
    from scrubber.report.html import render_html
    from scrubber.report.markdown import render_markdown

    config = load_config(args)
    report = collect(args.paths, config, max_examples=max(args.examples, 0))
    if args.html is not None:
        write_file(args.html, render_html(report, top=args.top, paths=args.paths))
    if args.html is None or args.output_file is not None or args.format != "markdown":
        if args.format == "html":
            text = render_html(report, top=args.top, paths=args.paths)
        else:
            text = render_markdown(report, top=args.top)
        if args.output_file is not None:
            write_file(args.output_file, text)
        else:
            sys.stdout.write(text)
    for error in report.errors:
        print(f"scrubber: error: {error}", file=sys.stderr)
    where = f"; HTML written to {args.html}" if args.html is not None else ""
    print(f"scrubber: report on {len(report.docs)} document(s){where}.", file=sys.stderr)
    return EXIT_ERROR if report.errors else EXIT_CLEAN
