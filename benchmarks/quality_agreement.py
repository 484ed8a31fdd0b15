"""Do scrubber's quality rules drop the same documents as datatrove's filters?

For every rule of ``rules/quality.yaml`` this runs datatrove's filter with only the matching
check switched on (so each measure is compared on its own, not hidden behind an earlier check),
runs the rule, and prints the share of documents with the same decision. C4's line rules, which
drop lines rather than documents, are compared by the number of lines each one removes.

    pip install datatrove spacy   # only for this comparison; scrubber needs neither
    python benchmarks/quality_agreement.py [FOLDERS...]   # default: ../shared/eval clean + noisy-real
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scrubber.document import Document
from scrubber.kinds.metric import MetricKind
from scrubber.rules import Rule, load_pack, shipped_packs_dir

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent.parent / "shared" / "eval"
DEFAULT_DIRS = [EVAL / "clean", *sorted((EVAL / "noisy-real").glob("*"))]


class _NoHashText(str):
    """Text whose '#' count is zero: isolates Gopher's ellipsis check from its '#' check (one option)."""

    def count(self, sub: str, *args: int) -> int:  # type: ignore[override]
        return 0 if sub == "#" else str.count(self, sub, *args)


def _reference_deciders() -> dict[str, Callable[[str], bool]]:
    """rule measure key -> function(text) -> True when datatrove drops the document."""
    from datatrove.data import Document as DTDocument
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)

    gq_off = dict(min_doc_words=None, max_doc_words=None, min_avg_word_length=None, max_avg_word_length=None,
                  max_symbol_word_ratio=None, max_bullet_lines_ratio=None, max_ellipsis_lines_ratio=None,
                  max_non_alpha_words_ratio=None, min_stop_words=None)
    gr_off = dict(dup_line_frac=None, dup_para_frac=None, dup_line_char_frac=None, dup_para_char_frac=None,
                  top_n_grams=(), dup_n_grams=())
    fw_off = dict(line_punct_thr=-1.0, short_line_thr=2.0, char_duplicates_ratio=2.0, new_line_ratio=float("inf"))

    def drops(make: Callable[[], object], wrap: Callable[[str], str] = str) -> Callable[[str], bool]:
        def decide(text: str) -> bool:
            result = make().filter(DTDocument(text=wrap(text), id="x"))  # type: ignore[attr-defined]
            return result is not True and not (isinstance(result, tuple) and result[0])
        return decide

    def gq(**on: object) -> Callable[[], object]:
        return lambda: GopherQualityFilter(**{**gq_off, **on})

    def gr(**on: object) -> Callable[[], object]:
        return lambda: GopherRepetitionFilter(**{**gr_off, **on})

    def fw(**on: object) -> Callable[[], object]:
        return lambda: FineWebQualityFilter(**{**fw_off, **on})

    out: dict[str, Callable[[str], bool]] = {
        "word-count": drops(gq(min_doc_words=50, max_doc_words=100000)),
        "mean-word-length": drops(gq(min_avg_word_length=3, max_avg_word_length=10)),
        "hash-ratio": drops(gq(max_symbol_word_ratio=0.1)),
        "ellipsis-ratio": drops(gq(max_symbol_word_ratio=0.1), _NoHashText),
        "bullet-lines": drops(gq(max_bullet_lines_ratio=0.9)),
        "ellipsis-lines": drops(gq(max_ellipsis_lines_ratio=0.3)),
        "alpha-words": drops(gq(max_non_alpha_words_ratio=0.8)),
        "stop-words": drops(gq(min_stop_words=2)),
        "dup-line-fraction": drops(gr(dup_line_frac=0.3)),
        "dup-paragraph-fraction": drops(gr(dup_para_frac=0.3)),
        "dup-line-chars": drops(gr(dup_line_char_frac=0.2)),
        "dup-paragraph-chars": drops(gr(dup_para_char_frac=0.2)),
        "c4-lorem-ipsum": drops(lambda: C4QualityFilter(filter_curly_bracket=False, min_num_sentences=-1)),
        "c4-curly-bracket": drops(lambda: C4QualityFilter(filter_lorem_ipsum=False, min_num_sentences=-1)),
        "c4-sentences": drops(lambda: C4QualityFilter(filter_lorem_ipsum=False, filter_curly_bracket=False)),
        "line-punctuation": drops(fw(line_punct_thr=0.12)),
        "short-lines": drops(fw(short_line_thr=0.67, short_line_length=30)),
        "char-duplicates": drops(fw(char_duplicates_ratio=0.01)),
        "list-ratio": drops(fw(new_line_ratio=0.3)),
    }
    for n, frac in ((2, 0.2), (3, 0.18), (4, 0.16)):
        out[f"top-ngram-chars:{n}"] = drops(gr(top_n_grams=((n, frac),)))
    for n, frac in ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)):
        out[f"dup-ngram-chars:{n}"] = drops(gr(dup_n_grams=((n, frac),)))
    return out


def _c4_line_counts(text: str) -> dict[str, int]:
    """Lines datatrove's C4 filter removes, by reason (its own counters)."""
    from datatrove.data import Document as DTDocument
    from datatrove.pipeline.filters import C4QualityFilter

    f = C4QualityFilter(filter_lorem_ipsum=False, filter_curly_bracket=False, min_num_sentences=-1)
    f.filter(DTDocument(text=text, id="x"))
    stats = {k: int(v.total) for k, v in f.stats.stats.items()}
    return {"javascript": stats.get("line-filter-javascript", 0), "policy": stats.get("line-filter-policy", 0),
            "no-terminal-punctuation": stats.get("line-filter-no_terminal_punc", 0)}


def measure_key(rule: Rule) -> str:
    checker = rule.checker
    assert isinstance(checker, MetricKind)
    n = checker.params.get("n")
    return f"{checker.measure.name}:{n}" if n is not None and "ngram" in checker.measure.name else checker.measure.name


@dataclass
class Tally:
    same: int = 0
    total: int = 0
    drops_ours: int = 0
    drops_theirs: int = 0
    differ: list[str] = field(default_factory=list)

    def add(self, name: str, ours: bool, theirs: bool) -> None:
        self.total += 1
        self.same += ours == theirs
        self.drops_ours += ours
        self.drops_theirs += theirs
        if ours != theirs:
            self.differ.append(name)

    @property
    def share(self) -> float:
        return self.same / self.total if self.total else 1.0


def documents(dirs: Iterable[Path]) -> list[tuple[str, str]]:
    docs = []
    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "*.txt"))):
            docs.append((os.path.relpath(p, d.parent), Path(p).read_text(encoding="utf-8")))
    return docs


def agreement(docs: list[tuple[str, str]]) -> dict[str, Tally]:
    rules = load_pack(shipped_packs_dir() / "quality.yaml")
    deciders = _reference_deciders()
    tallies: dict[str, Tally] = {}
    for name, text in docs:
        doc = Document(text, name)
        c4_counts = None
        for rule in rules:
            checker = rule.checker
            assert isinstance(checker, MetricKind)
            m = checker.measure_doc(doc)
            key = measure_key(rule)
            tally = tallies.setdefault(f"{rule.id} {rule.name}", Tally())
            if key in deciders:
                tally.add(name, checker.violated(m.value) is not None, deciders[key](text))
            else:  # C4's line rules: same number of lines removed for the same reason
                c4_counts = c4_counts or _c4_line_counts(text)
                reason = {"c4-javascript": "javascript", "c4-policy": "policy",
                          "c4-no-terminal-punctuation": "no-terminal-punctuation"}[checker.measure.name]
                ours = sum(1 for ln in doc.quality.c4_lines if ln.dropped == reason)
                tally.add(name, True, ours == c4_counts[reason])
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    parser.add_argument("--min", type=float, default=0.99, help="fail (exit 1) below this share")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    try:
        from loguru import logger
        logger.remove()
    except ImportError:
        pass
    docs = documents(args.dirs)
    tallies = agreement(docs)
    print(f"{len(docs)} documents from {', '.join(str(d) for d in args.dirs)}\n")
    print(f"{'rule':<34} {'agree':>7}  {'dropped: ours':>13} {'datatrove':>9}  differing")
    worst = 1.0
    for name, t in tallies.items():
        worst = min(worst, t.share)
        line_rule = t.drops_ours == t.total
        ours = "(lines)" if line_rule else str(t.drops_ours)
        theirs = "" if line_rule else str(t.drops_theirs)
        print(f"{name:<34} {t.share:>7.2%}  {ours:>13} {theirs:>9}  {', '.join(t.differ[:3])}")
    print(f"\nlowest agreement {worst:.2%} (target {args.min:.0%})")
    return 0 if worst >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
