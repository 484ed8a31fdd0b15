"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network."""
from __future__ import annotations

import difflib
import statistics
from collections.abc import Iterable
from html import escape

from scrubber import __version__
from scrubber.kinds.metric import MetricKind, format_number
from scrubber.report.collect import CorpusReport
from scrubber.report.svg import Threshold, bars, histogram

CSS = """
:root{--ink:#1f2328;--muted:#656d76;--line:#d0d7de;--panel:#f6f8fa;--accent:#2f6feb;--bad:#cf222e}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:#fff;
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:#0d1117;color:#f0f6fc;padding:26px 40px 22px}
header h1{margin:0;font-size:26px;font-weight:650;letter-spacing:-.01em}
header p{margin:4px 0 0;color:#9198a1;font-size:14px}
main{max-width:1200px;margin:0 auto;padding:8px 40px 48px}
h2{font-size:20px;margin:34px 0 6px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:22px 0 8px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
p.note{color:var(--muted);margin:4px 0 14px;font-size:14px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:22px 0 4px}
.tile{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:140px}
.tile b{display:block;font-size:24px;font-weight:650}
.tile span{color:var(--muted);font-size:13px}
.tile.bad b{color:var(--bad)}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:var(--panel);font-weight:600;border-bottom:1px solid var(--line)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.doc{white-space:nowrap}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.pill{display:inline-block;background:#eef1f4;border-radius:10px;padding:0 7px;margin:1px 2px;
  font-size:12px;white-space:nowrap}
.pill.bad{background:#ffebe9;color:#82071e}
.split{display:grid;grid-template-columns:minmax(0,1fr) 540px;gap:24px;align-items:start}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(370px,1fr));gap:14px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px 6px;background:#fff}
.card h4{margin:0;font-size:14px}
.card h4 code{color:var(--accent)}
.card p{margin:2px 0 4px;color:var(--muted);font-size:13px}
.card .fails{color:var(--bad);font-weight:600}
.card .ok{color:#1a7f37;font-weight:600}
svg.chart{display:block;max-width:100%;height:auto}
svg.histogram{width:100%}
svg .bar{fill:#6e9ef0}
svg .bar.fail{fill:#e5534b}
svg .axis{stroke:#8c959f;stroke-width:1}
svg .gridline{stroke:#eaeef2;stroke-width:1}
svg .threshold{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:4 3}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#57606a}
svg .threshold-label{fill:#cf222e;font-weight:600}
svg .label{fill:#1f2328;font-size:12px}
svg .muted{fill:#8c959f}
.example{border:1px solid var(--line);border-radius:8px;margin:12px 0;overflow:hidden}
.example .head{background:var(--panel);padding:6px 12px;border-bottom:1px solid var(--line);font-size:14px}
pre.diff{margin:0;padding:8px 0;overflow-x:auto;font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.diff span{display:block;padding:0 12px 0 24px;text-indent:-12px;white-space:pre-wrap;overflow-wrap:anywhere}
pre.diff mark{background:#abf2bc;color:inherit;border-radius:2px}
pre.diff .del mark{background:#ffc1c0}
pre.diff .add{background:#dafbe1;color:#116329}
pre.diff .del{background:#ffebe9;color:#82071e}
pre.diff .hunk{color:#8250df;background:#fbf8ff}
pre.diff .file{color:var(--muted);font-weight:600}
footer{color:var(--muted);font-size:13px;margin-top:40px;border-top:1px solid var(--line);padding-top:10px}
"""

SOURCES = ("Gopher quality", "Gopher repetition", "C4", "FineWeb")


def _e(text: object) -> str:
    return escape(str(text))


def _tile(value: object, label: str, bad: bool = False) -> str:
    return f'<div class="tile{" bad" if bad else ""}"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def _marked(old: str, new: str) -> tuple[str, str]:
    """Both lines escaped, with the characters that differ wrapped in <mark>."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    a, b = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        x, y = _e(old[i1:i2]), _e(new[j1:j2])
        a.append(x if op == "equal" else f"<mark>{x}</mark>" if x else "")
        b.append(y if op == "equal" else f"<mark>{y}</mark>" if y else "")
    return "".join(a), "".join(b)


def _diff_html(diff: str) -> str:
    """A unified diff, coloured; a run of removed lines facing as many added ones is marked inside."""
    lines = diff.splitlines()
    html: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(("---", "+++")):
            html.append(f'<span class="file">{_e(line)}</span>')
        elif line.startswith("@@"):
            html.append(f'<span class="hunk">{_e(line)}</span>')
        elif line.startswith("-"):
            j = i
            while j < len(lines) and lines[j].startswith("-") and not lines[j].startswith("---"):
                j += 1
            k = j
            while k < len(lines) and lines[k].startswith("+") and not lines[k].startswith("+++"):
                k += 1
            dels, adds = lines[i:j], lines[j:k]
            if len(dels) == len(adds):
                pairs = [_marked(d[1:], a[1:]) for d, a in zip(dels, adds)]
                html += [f'<span class="del">-{d}</span>' for d, _ in pairs]
                html += [f'<span class="add">+{a}</span>' for _, a in pairs]
            else:
                html += [f'<span class="del">{_e(d)}</span>' for d in dels]
                html += [f'<span class="add">{_e(a)}</span>' for a in adds]
            i = k
            continue
        elif line.startswith("+"):
            html.append(f'<span class="add">{_e(line)}</span>')
        else:
            html.append(f'<span class="ctx">{_e(line) or " "}</span>')
        i += 1
    return '<pre class="diff">' + "".join(html) + "</pre>"


def _pills(items: Iterable[str], cls: str = "pill", report: CorpusReport | None = None) -> str:
    out = []
    for item in items:
        rule = report.rule(item) if report is not None else None
        tip = f' title="{_e(rule.name)}"' if rule is not None else ""
        out.append(f'<span class="{cls}"{tip}>{_e(item)}</span>')
    return "".join(out)


def thresholds(rule_checker: MetricKind) -> list[Threshold]:
    out = []
    if rule_checker.min is not None:
        out.append(Threshold(rule_checker.min, "min"))
    if rule_checker.max is not None:
        out.append(Threshold(rule_checker.max, "max"))
    return out


def _quality_section(report: CorpusReport) -> str:
    parts = ['<h2 id="quality">Document quality</h2>',
             '<p class="note">Every quality rule measured on every document, whatever the selection. Each '
             "histogram counts documents per value; the dashed line is the rule's threshold and red bars fall "
             "on its failing side. Turn the rules on with <code>--select Q</code>.</p>"]
    total = len(report.docs)
    doc_counts = report.doc_counts
    for source in (*SOURCES, *sorted({r.checker.measure.source for r in report.quality_rules} - set(SOURCES))):
        rules = [r for r in report.quality_rules if r.checker.measure.source == source]  # type: ignore[attr-defined]
        if not rules:
            continue
        parts.append(f"<h3>{_e(source)}</h3><div class=\"cards\">")
        for rule in rules:
            checker = rule.checker
            assert isinstance(checker, MetricKind)
            values = report.values(rule.id)
            fails = doc_counts.get(rule.id, 0)
            bound = " · ".join(f"{t.side} {format_number(t.value)}" for t in thresholds(checker))
            median = f" · median {format_number(statistics.median(values))}" if values else ""
            share = f"{fails / total:.0%}" if total else "0%"
            verdict = (f'<span class="fails">{fails} of {total} fail ({share})</span>' if fails
                       else f'<span class="ok">all {total} pass</span>')
            chart = histogram(values, thresholds(checker), f"{rule.id} {rule.name}: {checker.title}",
                              integer=checker.measure.integer)
            parts.append(f'<div class="card"><h4><code>{_e(rule.id)}</code> {_e(rule.name)}</h4>'
                         f"<p>{_e(checker.title)}</p><p>{verdict} · {_e(bound)}{_e(median)}</p>{chart}</div>")
        parts.append("</div>")
    return "".join(parts)


def render_html(report: CorpusReport, top: int = 20, title: str = "scrubber report",
                paths: Iterable[str] = ()) -> str:
    docs = report.docs
    counts = report.counts
    doc_counts = report.doc_counts
    findings = sum(counts.values())
    fixable = sum(report.fixable.values())
    poor = sum(1 for d in docs if d.failed)
    words = sum(d.words for d in docs)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p>{_e(' '.join(paths)) + ' · ' if paths else ''}"
        f"{len(docs)} documents · {words:,} words · "
        f"{len(report.rules)} rules checked · {len(report.quality_rules)} quality measures</p></header><main>",
        '<div class="tiles">', _tile(len(docs), "documents"), _tile(f"{words:,}", "words"),
        _tile(findings, "findings", bad=findings > 0),
        _tile(fixable, "fixable" + (" (unsafe too)" if report.unsafe else "")),
        _tile(sum(1 for d in docs if d.changed), "documents a fix changes"),
        _tile(poor, "documents failing a quality rule", bad=poor > 0), "</div>",
    ]
    # Findings per rule.
    parts.append('<h2 id="rules">Findings per rule</h2>')
    if counts:
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        table = ['<table><tr><th>rule</th><th>name</th><th class="num">findings</th>'
                 '<th class="num">documents</th><th class="num">fixable</th></tr>']
        for rid, n in rows:
            rule = report.rule(rid)
            table.append(f"<tr><td><code>{_e(rid)}</code></td><td>{_e(rule.name if rule else '')}</td>"
                         f'<td class="num">{n}</td><td class="num">{doc_counts[rid]}</td>'
                         f'<td class="num">{report.fixable.get(rid, 0)}</td></tr>')
        table.append("</table>")
        chart = bars([(f"{rid} {report.rule(rid).name if report.rule(rid) else ''}", n) for rid, n in rows[:15]],
                     "findings per rule")
        parts.append(f'<div class="split"><div>{"".join(table)}</div><div>{chart}</div></div>')
    else:
        parts.append('<p class="note">No findings: the selected rules find nothing in these documents.</p>')
    # Worst documents.
    parts.append('<h2 id="documents">Documents with the most findings</h2>')
    worst = report.worst(top)
    if report.common_folder:
        parts.append(f'<p class="note">Names below <code>{_e(report.common_folder)}</code>.</p>')
    if worst:
        table = ['<table><tr><th>document</th><th class="num">findings</th><th>by rule</th>'
                 "<th>quality rules failed</th></tr>"]
        for d in worst:
            by_rule = [f"{rid} ×{n}" for rid, n in d.counts.most_common(4)]
            table.append(f'<tr><td class="mono doc">{_e(report.short_name(d.name))}</td>'
                         f'<td class="num">{d.findings}</td>'
                         f"<td>{_pills(by_rule)}</td><td>{_pills(d.failed, 'pill bad', report)}</td></tr>")
        table.append("</table>")
        parts.append("".join(table))
    else:
        parts.append('<p class="note">Every document is clean by every rule.</p>')
    parts.append(_quality_section(report))
    # Fix examples.
    parts.append('<h2 id="fixes">Fixes, before and after</h2>')
    if report.examples:
        parts.append('<p class="note">What <code>scrubber fix</code> changes, as unified diffs '
                     "(one line of context).</p>")
        for ex in report.examples:
            parts.append(f'<div class="example"><div class="head">'
                         f'<span class="mono">{_e(report.short_name(ex.name))}</span> '
                         f"{_pills(ex.rules, report=report)}</div>{_diff_html(ex.diff)}</div>")
    else:
        parts.append('<p class="note">No fix changes any document.</p>')
    if report.errors:
        parts.append('<h2 id="errors">Not read</h2><ul>' + "".join(f"<li>{_e(e)}</li>" for e in report.errors)
                     + "</ul>")
    parts.append(f"<footer>scrubber {__version__} · quality measures follow datatrove's Gopher, C4 and FineWeb "
                 "filters · this page is self-contained: no scripts, no network.</footer></main></body></html>")
    return "\n".join(parts) + "\n"
