"""Speed hints (`requires`, `first_words`): they must never cost a finding."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import SHARED, needs_c
from scrubber import engine
from scrubber.config import Config
from scrubber.document import Document
from scrubber.examples import run_example
from scrubber.kinds.regexes import LiteralGate
from scrubber.rules import Example, build_rule


def _rule(options: dict, examples: list[dict] | None = None):
    raw = {"id": "U001", "name": "user-rule", "kind": "pattern", "severity": "warning", "fix": "safe",
           "message": "m", "description": "d", "options": options, "examples": examples or []}
    return build_rule(raw, "user.yaml")


def test_gate_skips_texts_without_its_strings_and_runs_on_the_others():
    rule = _rule({"pattern": r"[ \t]+$", "replacement": "", "requires": [" \n", "\t\n"]})
    assert engine.check("clean\ntext\n", [rule]) == []
    assert [(f.line, f.column) for f in engine.check("dirty \ntext\n", [rule])] == [(1, 6)]


def test_a_string_ending_in_a_line_break_also_counts_at_the_end_of_the_text():
    gate = LiteralGate([" \n"], ignore_case=False)
    assert gate.admits(Document("no final newline "))
    assert not gate.admits(Document("no final newline"))
    assert not gate.admits(Document("space inside\nthe text"))


def test_ignore_case_compares_case_folded():
    gate = LiteralGate(["STRASSE", "Cookie"], ignore_case=True)
    assert gate.admits(Document("Die Hauptstraße"))
    assert gate.admits(Document("We use COOKIES."))
    assert not gate.admits(Document("Nothing here."))
    assert not LiteralGate(["Cookie"], ignore_case=False).admits(Document("cookie"))


def test_an_unsound_gate_fails_the_rules_own_examples():
    rule = _rule({"pattern": "colou?r", "replacement": "color", "requires": ["colour"]})
    assert run_example(rule, Example(input="colour and color", output="color and color", findings=None, line=1)) is None
    problem = run_example(rule, Example(input="a color", output=None, findings=0, line=1))
    assert problem is None  # both agree: no finding either way
    rule = _rule({"pattern": "colou?r", "requires": ["colour"]})
    problem = run_example(rule, Example(input="color only", output=None, findings=0, line=1))
    assert problem is not None and "speed hint" in problem


def _ungated(rule):
    return dataclasses.replace(rule, checker=rule.checker.without_shortcuts())


def _corpus() -> list[Path]:
    folders = [SHARED / "eval" / "clean", SHARED / "eval" / "noisy-real"]
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.rglob("*")) if p.is_file()]


@pytest.mark.skipif(not _corpus(), reason="../shared/eval is not beside the project")
def test_every_shipped_gate_agrees_with_its_ungated_rule_on_real_pages():
    """Real articles and real scrapes (the boilerplate-heavy extractor output) must give the
    same findings with and without every shipped `requires` list."""
    gated = [r for r in Config(select=("ALL",)).rules() if r.checker.without_shortcuts() is not r.checker]
    assert len(gated) >= 10
    ungated = [_ungated(r) for r in gated]
    for path in _corpus():
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        for rule, plain in zip(gated, ungated):
            fast = [(f.start, f.end) for f in engine.check(text, [rule])]
            slow = [(f.start, f.end) for f in engine.check(text, [plain])]
            assert fast == slow, f"{rule.id}: a speed hint loses findings on {path}"


def test_first_words_try_only_lines_starting_with_them():
    raw = {"id": "U002", "name": "share-button", "kind": "line", "severity": "warning", "fix": "unsafe",
           "message": "m", "description": "d",
           "options": {"pattern": "share(?: this)?", "ignore_case": True, "first_words": ["Share"]}}
    rule = build_rule(raw, "user.yaml")
    text = "Title\n\n  SHARE this\n\nBody text.\n  share\n* _Share_\n"
    assert [f.line for f in engine.check(text, [rule])] == [3, 6]
    heads = Document(text).line_heads
    assert heads["shar"] == [7, 32, 40] and heads["s"] == [7, 32, 40] and heads["titl"] == [0]
    assert "title" not in heads and "" not in heads


def test_a_first_word_must_be_one_word():
    raw = {"id": "U003", "name": "bad-hint", "kind": "line", "severity": "warning", "fix": "unsafe",
           "message": "m", "description": "d", "options": {"pattern": "read more", "first_words": ["read more"]}}
    with pytest.raises(Exception, match="not one word"):
        build_rule(raw, "user.yaml")


def test_lines_tried_by_first_word_share_the_rules_time_limit():
    raw = {"id": "U004", "name": "catastrophic", "kind": "line", "severity": "warning", "fix": "unsafe",
           "message": "m", "description": "d", "options": {"pattern": "(a+)+b", "first_words": ["a"]}}
    rule = build_rule(raw, "user.yaml", timeout=0.2)
    text = "\n".join(["a" * 20_000 + "!"] * 5) + "\n"
    findings = engine.check(text, [rule])
    assert len(findings) == 1 and findings[0].extra.get("timeout") and "U004" in findings[0].message


def _line_rule(options: dict):
    raw = {"id": "U005", "name": "credit-line", "kind": "line", "severity": "warning", "fix": "unsafe",
           "message": "m", "description": "d", "options": options}
    return build_rule(raw, "user.yaml")


def test_requires_on_a_line_rule_tries_only_the_lines_holding_a_string():
    rule = _line_rule({"pattern": r"[^\n]*\((?:AFP|Reuters)\)", "requires": ["(AFP)", "(Reuters)"]})
    text = "Title\nA family on the rubble. (AFP)\nBody with (AFP) inside it.\nA quiet street. (Reuters)\n"
    assert [f.line for f in engine.check(text, [rule])] == [2, 4]
    doc = Document(text)
    assert rule.checker.gate.lines(doc) == [6, 36, 63]  # each line once, however many strings it holds
    assert [f.line for f in engine.check(text, [_ungated(rule)])] == [2, 4]


def test_line_requires_falls_back_to_a_scan_where_lines_cannot_be_told():
    # A string with a line break spans lines; case folding that lengthens the text moves offsets.
    assert LiteralGate(["x\n"], ignore_case=False).lines(Document("ax\nb\n")) is None
    assert LiteralGate(["photo"], ignore_case=True).lines(Document("Straße\nPHOTO: AFP\n")) is None
    assert LiteralGate(["photo"], ignore_case=True).lines(Document("Strasse\nPHOTO: AFP\n")) == [8]
    rule = _line_rule({"pattern": "photo: afp", "ignore_case": True, "requires": ["photo"]})
    assert [f.line for f in engine.check("Straße\nPHOTO: AFP\n", [rule])] == [2]


def test_line_requires_scans_the_text_when_most_lines_hold_a_string():
    gate = LiteralGate([")"], ignore_case=False)
    many = Document("".join(f"item {n} (x)\n" for n in range(100)))
    assert gate.lines(many) is None  # one scan instead of an index of nearly every line
    rule = _line_rule({"pattern": r"item 7 \(x\)", "requires": [")"]})
    assert [f.line for f in engine.check(many.text, [rule])] == [8]


@needs_c
def test_the_automaton_finds_exactly_the_strings_a_substring_search_finds() -> None:
    import random

    from scrubber import speedups

    rng = random.Random(1)
    # Overlapping strings, one a suffix of another (``ab(``, ``b(``), in one-, two- and
    # four-byte texts, with more than 64 strings (several words of bits), and the empty string.
    alphabet = "ab(c)é\u200b\xa0𝐀\n "
    for _ in range(2000):
        literals = list(dict.fromkeys(
            "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 5))) for _ in range(rng.randrange(1, 150))))
        automaton = speedups.compiled.literal_automaton(literals)
        for _ in range(3):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
            expected = sum(1 << i for i, literal in enumerate(literals) if literal in text)
            assert speedups.compiled.literals_found(automaton, text) == expected, (literals, text)
    with pytest.raises(TypeError):
        speedups.compiled.literal_automaton(["a", 1])
    with pytest.raises(ValueError):
        speedups.compiled.literals_found(object(), "text")


def test_every_shipped_gate_admits_the_same_texts_either_way(both_paths: str) -> None:
    # The shipped gates on texts made of their own strings, cut and mixed with prose: each
    # admits exactly when one of its strings is a substring (or a final-line-break string
    # ends the text), whichever way it searches. A document asks all its gates in turn.
    import random

    gates = [r.checker.gate for r in Config().rules() if isinstance(getattr(r.checker, "gate", None), LiteralGate)]
    assert len(gates) >= 10
    pieces = [lit for g in gates for lit in g.literals] + ["The ", "Photo", "COOKIE", "é", "Σ", "\n", " ", "ß"]
    rng = random.Random(2)
    for _ in range(400):
        text = "".join(rng.choice(pieces)[: rng.randrange(1, 12)] for _ in range(rng.randrange(0, 8)))
        doc = Document(text)
        for gate in gates:
            hay = text.casefold() if gate.ignore_case else text
            expected = any(lit in hay for lit in gate.literals) or bool(gate.endings) and hay.endswith(gate.endings)
            assert gate.admits(doc) == expected, (gate.literals, text)


def test_a_gate_added_later_is_found_too_and_survives_pickling(both_paths: str) -> None:
    import pickle

    first = LiteralGate(["alpha"], ignore_case=False)
    doc = Document("alpha and a brand-new-literal-xyz")
    assert first.admits(doc)
    later = LiteralGate(["brand-new-literal-xyz"], ignore_case=False)  # the index grows
    assert later.admits(doc) and later.admits(Document("a brand-new-literal-xyz"))
    assert not later.admits(Document("alpha"))
    copy = pickle.loads(pickle.dumps(later))
    assert copy.admits(doc) and not copy.admits(Document("alpha"))
