"""Baselines: an old corpus adopts the check without fixing everything first.

Fingerprints follow the content of a finding's line, not its number, so edits elsewhere do not
resurface old findings, while a new artifact (even a copy of an old one) is reported.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrubber import baseline
from scrubber.cli import main
from scrubber.config import Config
from scrubber.engine import check
from scrubber.errors import ScrubberError

RULES = Config(select=("SCR101", "SCR201")).rules()
OLD = "Intro line.\nrecon\u200bstruction here\nplain middle\nrecon\u200bstruction here\ntrailing  \n"


def test_fingerprints_survive_moved_lines_but_not_changed_ones():
    before = check(OLD, RULES)
    moved_text = "New first line.\n\nAnother.\n" + OLD.replace("plain middle", "plain middle, edited")
    moved = check(moved_text, RULES)
    assert [f.line for f in moved] == [f.line + 3 for f in before]
    assert baseline.fingerprints(before, OLD) == baseline.fingerprints(moved, moved_text)
    # Two identical findings on identical lines are told apart by their occurrence index.
    fps = baseline.fingerprints(before, OLD)
    assert len(set(fps)) == len(fps) == 3
    # Editing the finding's own line gives a new fingerprint.
    edited = OLD.replace("trailing  ", "trailing, edited  ")
    assert baseline.fingerprints(check(edited, RULES), edited)[2] != fps[2]


def test_new_findings_against_a_baseline():
    base = baseline.loads(baseline.dumps({"a.txt": baseline.entries(check(OLD, RULES), OLD)}), "b.json")
    assert len(base) == 3
    assert base.new_findings("a.txt", check(OLD, RULES), OLD) == []
    assert len(base.new_findings("other.txt", check(OLD, RULES), OLD)) == 3
    grown = OLD + "recon\u200bstruction here\nfresh\u200bartifact\n"
    new = base.new_findings("a.txt", check(grown, RULES), grown)
    assert [(f.rule_id, f.line) for f in new] == [("SCR101", 6), ("SCR101", 7)]


@pytest.mark.parametrize("text", ["not json", "[]", '{"scrubber-baseline": 2, "files": {}}',
                                  '{"scrubber-baseline": 1, "files": {"a": [{"rule": 1}]}}'])
def test_malformed_baseline_is_refused(text):
    with pytest.raises(ScrubberError):
        baseline.loads(text, "b.json")


def run(monkeypatch, capsys, cwd: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_write_then_check_against_the_baseline(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = corpus / "a.txt"
    doc.write_text(OLD, encoding="utf-8")
    (corpus / "b.txt").write_text("clean\n", encoding="utf-8")
    sel = ("--select", "SCR101,SCR201")

    code, out, err = run(monkeypatch, capsys, tmp_path, "check", *sel, "--write-baseline", "baseline.json", "corpus")
    assert code == 0
    assert "recorded 3 findings in 1 file(s)" in err
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert [e["rule"] for e in data["files"]["corpus/a.txt"]] == ["SCR101", "SCR101", "SCR201"]

    code, out, err = run(monkeypatch, capsys, tmp_path, "check", *sel, "--baseline", "baseline.json", "corpus")
    assert code == 0, out
    assert "3 more in the baseline" in out

    # Lines inserted above and an unrelated line edited: nothing resurfaces.
    doc.write_text("A new heading\n\n" + OLD.replace("plain middle", "plain middle, reworded"), encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", *sel, "--baseline", "baseline.json", "corpus")
    assert code == 0, out

    # A new artifact is reported, and only it; so is one more copy of an old one.
    doc.write_text("A new heading\n\n" + OLD + "fresh\u200bartifact\nrecon\u200bstruction here\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", *sel, "--baseline", "baseline.json", "-q", "corpus")
    assert code == 1
    assert out.splitlines() == ["corpus/a.txt:8:6: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word",
                                "corpus/a.txt:9:6: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word"]

    # Paths are relative to the baseline file: another working directory gives the same answer.
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *sel, "--baseline", "../baseline.json", "-q", ".")
    assert code == 1 and len(out.splitlines()) == 2 and out.startswith("a.txt:8:6:")

    # The baseline can live in the configuration.
    (tmp_path / "scrubber.yaml").write_text("select: [SCR101, SCR201]\nbaseline: baseline.json\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "-q", "--output-format", "json", "corpus")
    assert code == 1 and [f["line"] for f in json.loads(out)] == [8, 9]


def test_baseline_errors_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text(OLD, encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, tmp_path, "check", "--baseline", "missing.json", "a.txt")
    assert code == 2 and "baseline file not found" in err
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, tmp_path, "check", "--baseline", "bad.json", "a.txt")
    assert code == 2 and "bad.json:1: baseline is not valid JSON" in err


def test_fix_with_a_baseline_reports_only_new_leftovers(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text("caf\ufffd\n", encoding="utf-8")
    code, _, _ = run(monkeypatch, capsys, tmp_path, "check", "--select", "SCR104", "--write-baseline", "b.json", ".")
    assert code == 0
    (tmp_path / "a.txt").write_text("x\u200by\ncaf\ufffd\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "fix", "--select", "SCR101,SCR104", "--baseline", "b.json",
                       "-q", ".")
    assert code == 0, out  # the invisible character was fixed; the unfixable U+FFFD is in the baseline
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "xy\ncaf\ufffd\n"


def test_baseline_of_a_jsonl_corpus_follows_records_not_lines(tmp_path, monkeypatch, capsys):
    shard = tmp_path / "shard.jsonl"
    shard.write_text('{"id": "r1", "text": "a\\u200bb"}\n{"id": "r2", "text": "clean"}\n', encoding="utf-8")
    code, _, _ = run(monkeypatch, capsys, tmp_path, "check", "--select", "SCR101", "--write-baseline", "b.json", ".")
    assert code == 0
    # A record inserted before the old one moves it down a line; a new artifact in r2 is reported.
    shard.write_text('{"id": "r0", "text": "new"}\n{"id": "r1", "text": "a\\u200bb"}\n'
                     '{"id": "r2", "text": "x\\u200by"}\n', encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--select", "SCR101", "--baseline", "b.json", "-q",
                       "--no-cache", ".")
    assert code == 1
    assert out.splitlines() == [
        "shard.jsonl:3:1: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word (record r2, text 1:2)"]
