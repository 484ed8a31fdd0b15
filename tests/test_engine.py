from pathlib import Path

import pytest

from scrubber import engine
from scrubber.edits import apply_edits, non_overlapping
from scrubber.model import Edit
from scrubber.rules import load_pack


def write_pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_apply_edits_splices_in_order():
    assert apply_edits("abcdef", [Edit(4, 5, "E"), Edit(0, 1, "")]) == "bcdEf"
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(0, 2, ""), Edit(1, 3, "")])


def test_conflicting_edits_are_left_for_the_next_pass():
    kept = non_overlapping([Edit(0, 3, "x"), Edit(2, 4, "y"), Edit(4, 4, "z"), Edit(4, 4, "w")])
    assert kept == [Edit(0, 3, "x"), Edit(4, 4, "z")]


def test_fix_loop_reaches_a_fixed_point_across_interacting_rules(tmp_path):
    pack = write_pack(tmp_path, r"""
rules:
  - id: T1
    name: aa-to-a
    kind: pattern
    message: double a
    options: {pattern: 'aa', replacement: 'a'}
""")
    rules = load_pack(pack)
    result = engine.fix("aaaaaaaa", rules)
    assert result.text == "a"
    assert result.converged and result.passes > 1
    assert engine.fix(result.text, rules).applied == 0


def test_fix_loop_stops_and_says_so_when_rules_fight(tmp_path):
    pack = write_pack(tmp_path, r"""
rules:
  - id: T1
    name: a-to-b
    kind: pattern
    message: a
    options: {pattern: 'a', replacement: 'b'}
  - id: T2
    name: b-to-a
    kind: pattern
    message: b
    options: {pattern: 'b', replacement: 'a'}
""")
    result = engine.fix("a", load_pack(pack), max_passes=5)
    assert not result.converged
    assert result.passes == 5


def test_unsafe_edits_wait_for_permission(tmp_path):
    pack = write_pack(tmp_path, r"""
rules:
  - id: T1
    name: drop-ads
    kind: line
    fix: unsafe
    message: "ad: {match}"
    options: {pattern: 'Advertisement'}
""")
    rules = load_pack(pack)
    text = "Title\n\nAdvertisement\n\nBody.\n"
    assert engine.fix(text, rules).text == text
    assert engine.fix(text, rules, unsafe=True).text == "Title\n\nBody.\n"
    [finding] = engine.check(text, rules)
    assert finding.message == "ad: Advertisement" and finding.line == 3 and not finding.applicable(False)


def test_findings_carry_positions_and_edits():
    import scrubber

    findings = scrubber.check_text("a\u200bb\n")
    assert [(f.rule_id, f.line, f.column, f.end_column) for f in findings] == [("SCR101", 1, 2, 3)]
    assert findings[0].edit == scrubber.Edit(1, 2, "")


def test_public_api_fix_text_and_diff():
    import scrubber

    result = scrubber.fix_text("x\u200by  \n")
    assert result.text == "xy\n"
    assert {f.rule_id for f in result.findings} == {"SCR101", "SCR201"}
    assert result.remaining == []
    diff = scrubber.diff_text("x\u200by\n", name="t.txt")
    assert diff.startswith("--- a/t.txt\n+++ b/t.txt\n") and "+xy\n" in diff
    assert scrubber.diff_text("clean\n") == ""


def test_catastrophic_regex_is_cut_off_and_reported(tmp_path):
    pack = write_pack(tmp_path, r"""
rules:
  - id: T1
    name: catastrophic
    kind: pattern
    message: slow
    options: {pattern: '(a+)+$'}
""")
    rules = load_pack(pack, timeout=0.2)
    findings = engine.check("a" * 100_000 + "!", rules)
    assert len(findings) == 1 and "skipped" in findings[0].message and "T1" in findings[0].message
