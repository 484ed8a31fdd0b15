"""What a corpus report holds, and gathering it: one pass over the documents, bounded memory.

Per document only counts and measure values are kept (no text); diffs are kept for a handful of
fix examples. Every quality (``metric``) rule is measured whatever the selection says, because
the report's point is to show the corpus against all of them; the findings and fixes come from
the selected rules (the default set unless told otherwise).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scrubber import engine
from scrubber.config import Config
from scrubber.corpus import compression_of, corpus_kind, open_records, record_id, split_newlines
from scrubber.diffs import unified_diff
from scrubber.discovery import discover
from scrubber.document import Document
from scrubber.errors import ScrubberError
from scrubber.kinds.metric import MetricKind
from scrubber.rules import Rule
from scrubber.textfile import NotText, read_text_file


@dataclass
class DocResult:
    name: str
    words: int
    counts: Counter[str]  # rule id -> findings (selected rules)
    quality: dict[str, float | None]  # quality rule id -> measured value
    failed: list[str]  # quality rule ids whose threshold the document violates
    changed: bool = False  # the fix changes the text

    @property
    def findings(self) -> int:
        return sum(self.counts.values())


@dataclass
class FixExample:
    name: str
    rules: list[str]  # ids of the rules whose fixes it shows
    diff: str


@dataclass
class CorpusReport:
    rules: list[Rule]  # the selected (non-metric) rules
    quality_rules: list[Rule]
    docs: list[DocResult] = field(default_factory=list)
    fixable: Counter[str] = field(default_factory=Counter)  # rule id -> findings `fix` repairs
    examples: list[FixExample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unsafe: bool = False

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in (*self.rules, *self.quality_rules) if r.id == rule_id), None)

    @property
    def counts(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for d in self.docs:
            total.update(d.counts)
        return total

    @property
    def doc_counts(self) -> Counter[str]:
        """rule id -> documents with at least one finding (quality rules: documents failing it)."""
        total: Counter[str] = Counter()
        for d in self.docs:
            total.update(set(d.counts) | set(d.failed))
        return total

    def values(self, rule_id: str) -> list[float]:
        return [v for d in self.docs if (v := d.quality.get(rule_id)) is not None]

    @property
    def common_folder(self) -> str:
        """The folder all document names share ("" if none): tables show names below it."""
        folders = {os.path.dirname(d.name) for d in self.docs}
        if not folders:
            return ""
        try:
            common = os.path.commonpath(sorted(folders))
        except ValueError:  # absolute and relative names mixed
            return ""
        return common + "/" if common else ""

    def short_name(self, name: str) -> str:
        prefix = self.common_folder
        return name[len(prefix):] if prefix and name.startswith(prefix) else name

    def worst(self, top: int) -> list[DocResult]:
        ranked = sorted(self.docs, key=lambda d: (-d.findings, -len(d.failed), d.name))
        return [d for d in ranked if d.findings or d.failed][:top]


def quality_rules(config: Config) -> list[Rule]:
    return [r for r in config.all_rules() if isinstance(r.checker, MetricKind)]


def measure(doc: Document, rules: Sequence[Rule]) -> tuple[dict[str, float | None], list[str]]:
    values: dict[str, float | None] = {}
    failed = []
    for rule in rules:
        checker = rule.checker
        assert isinstance(checker, MetricKind)
        value = checker.measure_doc(doc).value
        values[rule.id] = value
        if checker.violated(value):
            failed.append(rule.id)
    return values, failed


def analyse(text: str, name: str, rules: Sequence[Rule], qrules: Sequence[Rule], unsafe: bool,
            report: CorpusReport, max_examples: int) -> DocResult:
    """One document: findings and fix by the selected rules, every quality measure."""
    result = engine.fix(text, rules, unsafe=unsafe, source=name)
    counts = Counter(f.rule_id for f in result.findings)
    report.fixable.update(f.rule_id for f in result.findings if f.applicable(unsafe))
    doc = Document(text, name)
    values, failed = measure(doc, qrules)
    changed = result.text != text
    if changed and len(report.examples) < max_examples:
        fixed_rules = sorted({f.rule_id for f in result.findings if f.applicable(unsafe)})
        shown = {r for ex in report.examples for r in ex.rules}
        # Prefer examples that show a rule not shown yet; a short diff reads best.
        diff = unified_diff(text, result.text, name, context=1)
        if set(fixed_rules) - shown and diff.count("\n") <= 40:
            report.examples.append(FixExample(name, fixed_rules, diff))
    return DocResult(name, len(doc.words), counts, values, failed, changed)


def documents(paths: Sequence[str], config: Config) -> Iterator[tuple[str, str | None, str | None]]:
    """(name, text, error) for every document: text files, and each record of a JSONL shard."""
    for target in discover(paths, config.extensions, config.exclude):
        kind = corpus_kind(target.path.name)
        if kind == "parquet":
            yield target.display, None, "Parquet shards are not read by `report` yet"
            continue
        if kind == "jsonl":
            yield from _records(target.path, target.display, config)
            continue
        try:
            tf = read_text_file(target.path, target.display)
        except NotText:
            continue
        except ScrubberError as exc:
            yield target.display, None, str(exc)
            continue
        yield target.display, tf.text, None


def _records(path: Path, display: str, config: Config) -> Iterator[tuple[str, str | None, str | None]]:
    try:
        with open(path, "rb") as raw, open_records(raw, compression_of(path.name)) as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    yield f"{display}:{number}", None, f"{display}:{number}: not JSON: {exc}"
                    continue
                text = record.get(config.text_field) if isinstance(record, dict) else None
                if not isinstance(text, str):
                    continue
                rec = record_id(record.get(config.id_field))
                yield f"{display}:{number}" + (f" ({rec})" if rec else ""), split_newlines(text)[0], None
    except OSError as exc:
        yield display, None, f"{display}: cannot read: {exc.strerror or exc}"


def collect(paths: Sequence[str], config: Config, max_examples: int = 6,
            sources: Iterable[tuple[str, str | None, str | None]] | None = None) -> CorpusReport:
    qrules = quality_rules(config)
    selected = [r for r in config.rules() if not isinstance(r.checker, MetricKind)]
    report = CorpusReport(selected, qrules, unsafe=config.unsafe_fixes)
    for name, text, error in (sources if sources is not None else documents(paths, config)):
        if error is not None or text is None:
            report.errors.append(error or f"{name}: unreadable")
            continue
        report.docs.append(analyse(text, name, selected, qrules, config.unsafe_fixes, report, max_examples))
    return report
