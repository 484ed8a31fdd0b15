"""The report as Markdown, for a terminal, a pull request or a wiki: tables and text histograms."""
from __future__ import annotations

import statistics

from scrubber.kinds.metric import MetricKind, format_number
from scrubber.report.collect import CorpusReport

_BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(values: list[float], bins: int = 16) -> str:
    """A one-line histogram: how the documents spread from the lowest value to the highest."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if lo == hi:
        return "█"
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / (hi - lo) * bins))] += 1
    peak = max(counts)
    return "".join(_BLOCKS[0 if c == 0 else max(1, round(c / peak * 8))] for c in counts)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: CorpusReport, top: int = 20) -> str:
    docs = report.docs
    counts = report.counts
    doc_counts = report.doc_counts
    out = ["# scrubber report", "",
           f"{len(docs)} documents, {sum(d.words for d in docs):,} words; {sum(counts.values())} findings "
           f"({sum(report.fixable.values())} fixable) by {len(report.rules)} rules; "
           f"{sum(1 for d in docs if d.failed)} documents fail at least one of {len(report.quality_rules)} "
           "quality rules.", "", "## Findings per rule", ""]
    if counts:
        out += ["| rule | name | findings | documents | fixable |", "|---|---|--:|--:|--:|"]
        for rid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = report.rule(rid)
            out.append(f"| {rid} | {_cell(rule.name if rule else '')} | {n} | {doc_counts[rid]} | "
                       f"{report.fixable.get(rid, 0)} |")
    else:
        out.append("No findings.")
    out += ["", "## Documents with the most findings", ""]
    worst = report.worst(top)
    if report.common_folder:
        out += [f"Names below `{report.common_folder}`.", ""]
    if worst:
        out += ["| document | findings | by rule | quality rules failed |", "|---|--:|---|---|"]
        for d in worst:
            by_rule = ", ".join(f"{rid} ×{n}" for rid, n in d.counts.most_common(4))
            out.append(f"| {_cell(report.short_name(d.name))} | {d.findings} | {by_rule} | {', '.join(d.failed)} |")
    else:
        out.append("Every document is clean by every rule.")
    out += ["", "## Document quality", "",
            "Every quality rule on every document (the histogram runs from the lowest value to the highest).", "",
            "| rule | measure | threshold | fail | min | median | max | histogram |",
            "|---|---|---|--:|--:|--:|--:|---|"]
    for rule in report.quality_rules:
        checker = rule.checker
        assert isinstance(checker, MetricKind)
        values = report.values(rule.id)
        bound = ", ".join(f"{side} {format_number(v)}" for side, v in (("min", checker.min), ("max", checker.max))
                          if v is not None)
        stats = [format_number(f(values)) if values else "" for f in (min, statistics.median, max)]
        out.append(f"| {rule.id} {rule.name} | {_cell(checker.title)} | {bound} | "
                   f"{doc_counts.get(rule.id, 0)} | {' | '.join(stats)} | `{sparkline(values)}` |")
    out += ["", "## Fixes, before and after", ""]
    if report.examples:
        for ex in report.examples:
            out += [f"**{_cell(ex.name)}** ({', '.join(ex.rules)})", "", "```diff", ex.diff.rstrip("\n"), "```", ""]
    else:
        out.append("No fix changes any document.")
    if report.errors:
        out += ["", "## Not read", "", *[f"- {e}" for e in report.errors]]
    return "\n".join(out).rstrip("\n") + "\n"
