"""The command-line contract, run as a user runs it: exit codes, streams, and files on disk."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
CLEAN = "Hello world\n\nnext line\n"


def test_check_reports_findings_and_exits_1(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    proc = run_cli("check", str(f), cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "a.txt:1:6: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word" in out
    assert "a.txt:2:1: SCR202" in out
    assert out.strip().splitlines()[-1].startswith("3 findings in 1 file")


def test_check_clean_exits_0_and_exit_zero(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    assert run_cli("check", "a.txt", cwd=tmp_path).returncode == 0
    (tmp_path / "b.txt").write_text(DIRTY, encoding="utf-8")
    assert run_cli("check", "--exit-zero", ".", cwd=tmp_path).returncode == 0


def test_json_output_has_the_documented_fields(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    proc = run_cli("check", "--output-format", "json", "a.txt", cwd=tmp_path)
    data = json.loads(proc.stdout)
    assert proc.returncode == 1
    first = data[0]
    assert set(first) == {"path", "line", "column", "end_line", "end_column", "rule", "name", "severity",
                          "message", "fix"}
    assert first["path"] == "a.txt" and first["rule"] == "SCR101" and first["fix"]["applicability"] == "safe"


def test_diff_goes_to_stdout_changes_nothing_and_exits_1(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    before = f.stat().st_mtime_ns
    proc = run_cli("check", "--diff", "a.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith("--- a/a.txt\n+++ b/a.txt\n")
    assert "SCR101" in proc.stderr.decode()
    assert f.read_text(encoding="utf-8") == DIRTY and f.stat().st_mtime_ns == before


def test_fix_in_place_then_a_second_fix_changes_nothing(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY.replace("\u200b", "\u00a0"), encoding="utf-8")
    os.chmod(f, 0o640)
    proc = run_cli("fix", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f.read_text(encoding="utf-8") == CLEAN
    assert oct(f.stat().st_mode & 0o777) == oct(0o640)
    mtime = f.stat().st_mtime_ns
    time.sleep(0.01)
    again = run_cli("fix", "a.txt", cwd=tmp_path)
    assert again.returncode == 0 and f.stat().st_mtime_ns == mtime
    assert not list(tmp_path.glob(".*scrubber-tmp"))


@pytest.mark.parametrize("layout", ["crlf", "bom", "no-final-newline", "cr", "utf16"])
def test_fix_keeps_encoding_line_endings_and_final_newline(tmp_path, layout):
    f = tmp_path / "a.txt"
    dirty, clean = DIRTY.replace("\u200b", "\u00a0"), CLEAN
    if layout == "crlf":
        raw, want = dirty.replace("\n", "\r\n").encode(), clean.replace("\n", "\r\n").encode()
    elif layout == "cr":
        raw, want = dirty.replace("\n", "\r").encode(), clean.replace("\n", "\r").encode()
    elif layout == "bom":
        raw, want = b"\xef\xbb\xbf" + dirty.encode(), b"\xef\xbb\xbf" + clean.encode()
    elif layout == "utf16":
        raw, want = dirty.encode("utf-16"), clean.encode("utf-16")
    else:
        raw, want = dirty.rstrip("\n").encode(), clean.rstrip("\n").encode()
    f.write_bytes(raw)
    proc = run_cli("fix", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f.read_bytes() == want


def test_output_dir_mirrors_the_tree_and_leaves_originals(tmp_path):
    src = tmp_path / "corpus"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text(DIRTY, encoding="utf-8")
    (src / "b.md").write_text(CLEAN, encoding="utf-8")
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = run_cli("fix", "--output-dir", "out", "corpus", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (src / "sub" / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert (tmp_path / "out" / "sub" / "a.txt").read_text(encoding="utf-8") == CLEAN.replace(" world", "world")
    assert (tmp_path / "out" / "b.md").read_text(encoding="utf-8") == CLEAN
    assert not (tmp_path / "out" / "image.png").exists()


def test_stdin_to_stdout(tmp_path):
    proc = run_cli("fix", "-", stdin=DIRTY.encode(), cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.decode() == "Helloworld\n\nnext line\n"
    proc = run_cli("check", "-", "--stdin-filename", "doc.txt", stdin=DIRTY.encode(), cwd=tmp_path)
    assert proc.returncode == 1 and b"doc.txt:1:6: SCR101" in proc.stdout


def test_select_and_ignore_flags(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    proc = run_cli("check", "--select", "SCR201", "a.txt", cwd=tmp_path)
    assert b"SCR201" in proc.stdout and b"SCR101" not in proc.stdout
    proc = run_cli("check", "--ignore", "SCR1,blank-line-run", "a.txt", cwd=tmp_path)
    assert b"SCR201" in proc.stdout and b"SCR101" not in proc.stdout and b"SCR202" not in proc.stdout


USER_PACK = r"""
rules:
  - id: H101
    name: house-domain
    kind: pattern
    message: "write the domain in lower case: {match}"
    options: {pattern: '\bArabNews\.com\b', replacement: 'arabnews.com'}
    examples:
      - {input: "see ArabNews.com", output: "see arabnews.com"}
      - {input: "see arabnews.com", findings: 0}
  - id: H102
    name: house-spelling
    kind: substitution
    message: "'{match}' is spelt '{replacement}' here"
    options: {table: {Daish: Daesh, "al Qaim": Al-Qaim}}
    examples:
      - {input: "Daish in al Qaim", output: "Daesh in Al-Qaim"}
      - {input: "Daishes", findings: 0}
  - id: H103
    name: house-footer
    kind: line
    fix: safe
    message: "footer line"
    options: {pattern: '(?i)copyright \d{4} house news'}
    examples:
      - {input: "Body.\n\nCopyright 2017 House News\n", output: "Body.\n"}
      - {input: "Body says copyright 2017 house news matters.\n", findings: 0}
"""


def test_user_pack_through_config(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "house.yaml").write_text(USER_PACK, encoding="utf-8")
    (tmp_path / "scrubber.yaml").write_text("rules: [packs/house.yaml]\nextend-select: [H1]\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Daish held al Qaim, says ArabNews.com.\n\nCopyright 2017 House News\n",
                                  encoding="utf-8")
    proc = run_cli("check", "corpus", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and "H101" in out and "H102" in out and "H103" in out
    assert run_cli("fix", "corpus", cwd=tmp_path).returncode == 0
    assert (corpus / "a.txt").read_text(encoding="utf-8") == "Daesh held Al-Qaim, says arabnews.com.\n"
    # An explicit --config from elsewhere works the same.
    (corpus / "a.txt").write_text("Daish\n", encoding="utf-8")
    proc = run_cli("check", "--config", str(tmp_path / "scrubber.yaml"), str(corpus / "a.txt"), cwd=ROOT)
    assert b"H102" in proc.stdout


def test_config_in_pyproject_is_found_by_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.scrubber]\nignore = ["SCR101"]\n', encoding="utf-8")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "a.txt").write_text("a\u200bb\n", encoding="utf-8")
    assert run_cli("check", "deep", cwd=tmp_path).returncode == 0


def test_test_rules_passes_and_names_a_failing_example(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(USER_PACK, encoding="utf-8")
    proc = run_cli("test-rules", str(pack))
    assert proc.returncode == 0 and b"6 passed, 0 failed" in proc.stdout
    pack.write_text(USER_PACK.replace('output: "Daesh in Al-Qaim"', 'output: "Daesh in al-Qaim"'), encoding="utf-8")
    proc = run_cli("test-rules", str(pack))
    assert proc.returncode == 1
    assert f"{pack}:17: H102 example: expected output 'Daesh in al-Qaim'".encode() in proc.stdout


def test_rules_and_explain(tmp_path):
    proc = run_cli("rules", "--format", "markdown")
    assert proc.returncode == 0 and b"| SCR101 | `invisible-character` |" in proc.stdout
    proc = run_cli("explain", "SCR101")
    assert proc.returncode == 0 and b"invisible-character" in proc.stdout and b"examples:" in proc.stdout
    assert run_cli("explain", "NOPE1").returncode == 2


# --- bad inputs: one line naming the file, exit 2, nothing changed --------------------------------

def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    err = proc.stderr.decode().strip()
    assert proc.returncode == 2, (proc.stdout, err)
    assert len(err.splitlines()) >= 1
    for needle in needles:
        assert needle in err, err


def test_broken_pack_and_bad_regex(tmp_path):
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: B1\n    name: b\n    kind: pattern\n    message: m\n"
                                       "    options: {pattern: '[unclosed'}\n", encoding="utf-8")
    (tmp_path / "scrubber.yaml").write_text("rules: [bad.yaml]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    proc = run_cli("fix", "a.txt", cwd=tmp_path)
    assert_one_line_error(proc, "bad.yaml:", "does not compile")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DIRTY
    (tmp_path / "bad.yaml").write_text("rules: [\n", encoding="utf-8")
    assert_one_line_error(run_cli("check", "a.txt", cwd=tmp_path), "bad.yaml:", "invalid YAML")


def test_non_utf8_file_is_reported_with_its_byte_offset_and_left_alone(tmp_path):
    f = tmp_path / "latin1.txt"
    raw = "café au lait\u200b".encode("latin-1", errors="ignore") + b"\n"
    f.write_bytes(raw)
    (tmp_path / "ok.txt").write_text(DIRTY, encoding="utf-8")
    proc = run_cli("fix", ".", cwd=tmp_path)
    assert_one_line_error(proc, "latin1.txt", "not valid UTF-8 at byte 3")
    assert f.read_bytes() == raw
    assert (tmp_path / "ok.txt").read_text(encoding="utf-8") != DIRTY  # the others are still fixed


def test_missing_path(tmp_path):
    assert_one_line_error(run_cli("check", "nope.txt", cwd=tmp_path), "nope.txt", "no such file")


def test_read_only_file_in_fix_mode(tmp_path):
    # As root, os.access says every file is writable; the mode bits are what users mean by read-only.
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    os.chmod(f, 0o444)
    proc = run_cli("fix", "a.txt", cwd=tmp_path)
    assert_one_line_error(proc, "a.txt", "read-only")
    assert f.read_text(encoding="utf-8") == DIRTY


def test_symlink_is_fixed_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(DIRTY, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    proc = run_cli("fix", "link.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "Helloworld\n\nnext line\n"


def test_ctrl_c_in_the_middle_of_a_large_fix_leaves_every_file_whole(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = (DIRTY * 200).encode()
    for i in range(600):
        (corpus / f"{i:04}.txt").write_bytes(body)
    proc = subprocess.Popen([sys.executable, "-m", "scrubber", "fix", "corpus"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    fixed = None
    for f in corpus.iterdir():
        data = f.read_bytes()
        if data != body:
            fixed = fixed or data
            assert data == fixed  # every file is either its old or its (one) new self
    assert not list(corpus.glob(".*scrubber-tmp"))
    if proc.returncode != 0:  # interrupted before the end (on a fast machine it may finish first)
        assert proc.returncode == 2 and b"interrupted" in err
