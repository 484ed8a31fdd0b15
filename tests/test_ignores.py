"""Escape hatches: per-path rule settings in config, and `scrubber: ignore` markers in the text."""
from __future__ import annotations

from pathlib import Path

from scrubber.cli import main
from scrubber.config import Config
from scrubber.engine import check, fix

RULES = Config(select=("SCR101", "SCR103", "SCR201")).rules()


def ids(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule_id) for f in check(text, RULES)]


def run(monkeypatch, capsys, cwd: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_per_path_ignores_are_relative_to_the_config_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "scrubber.yaml").write_text(
        'select: [SCR101, SCR201]\nper-path-ignores: {"legacy/**": [SCR1], "*.md": [trailing-whitespace]}\n',
        encoding="utf-8")
    for folder in ("legacy/old", "new"):
        (tmp_path / folder).mkdir(parents=True)
    dirty = "a\u200bb  \n"
    (tmp_path / "legacy/old/a.txt").write_text(dirty, encoding="utf-8")
    (tmp_path / "new/b.txt").write_text(dirty, encoding="utf-8")
    (tmp_path / "new/c.md").write_text(dirty, encoding="utf-8")
    expected = ["legacy/old/a.txt:1:4: SCR201 [*] trailing whitespace",
                "new/b.txt:1:2: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word",
                "new/b.txt:1:4: SCR201 [*] trailing whitespace",
                "new/c.md:1:2: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word"]
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "-q", ".")
    assert code == 1 and out.splitlines() == expected
    # From a subfolder, patterns still match paths relative to the configuration's folder.
    code, out, _ = run(monkeypatch, capsys, tmp_path / "legacy", "check", "-q", ".")
    assert out.splitlines() == ["old/a.txt:1:4: SCR201 [*] trailing whitespace"]
    # And `fix` follows the same settings.
    code, _, _ = run(monkeypatch, capsys, tmp_path, "fix", "-q", ".")
    assert (tmp_path / "legacy/old/a.txt").read_text(encoding="utf-8") == "a\u200bb\n"
    assert (tmp_path / "new/c.md").read_text(encoding="utf-8") == "ab  \n"


def test_marker_on_the_same_line():
    assert ids("a\u200bb scrubber: ignore\nc\u200bd\n") == [(2, "SCR101")]
    assert ids("a\u200bb e\u00a0f # scrubber: ignore[SCR101]\n") == [(1, "SCR103")]
    assert ids("a\u200bb e\u00a0f  scrubber: ignore[invisible-character, SCR2]  \n") == [(1, "SCR103")]


def test_marker_alone_on_a_line_covers_the_next_line():
    text = "<!-- scrubber: ignore -->\na\u200bb\nc\u200bd\n"
    assert ids(text) == [(3, "SCR101")]
    assert ids("# scrubber: ignore[SCR103]\na\u200bb e\u00a0f\n") == [(2, "SCR101")]
    # A marker after text covers its own line only.
    assert ids("Some words scrubber: ignore\na\u200bb\n") == [(2, "SCR101")]


def test_ignore_file_marker_covers_the_document():
    assert ids("<!-- scrubber: ignore-file[SCR1] -->\na\u200bb  \nc\u00a0d\n") == [(2, "SCR201")]
    assert ids("a\u200bb\nscrubber: ignore-file\n") == []


def test_words_that_only_resemble_a_marker_do_not_count():
    assert ids("a\u200bb notscrubber: ignore\n") == [(1, "SCR101")]
    assert ids("a\u200bb scrubber: ignored\n") == [(1, "SCR101")]


def test_fix_leaves_what_a_marker_covers():
    text = "<!-- scrubber: ignore -->\nkeep\u200bthis\nfix\u200bthis\n"
    assert fix(text, RULES).text == "<!-- scrubber: ignore -->\nkeep\u200bthis\nfixthis\n"
