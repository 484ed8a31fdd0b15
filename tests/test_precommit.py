"""The pre-commit hooks, driven by the real `pre-commit` in a real git repository.

pre-commit clones the hook repository at a commit and pip-installs it (not editable) into its own
environment, exactly as a user's machine does. The hook repository is this checkout at HEAD when the
working tree is clean, otherwise a temporary commit of what is on disk, so the test always exercises
the code under test. Nothing is installed at test time except that hook environment (pip may reach
the package index for scrubber's dependencies; its cache makes a re-run cheap).
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (.ci/run installs it: pip install pre-commit)"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not on PATH"),
]

# What a wheel of scrubber is built from (see pyproject.toml), plus the hook manifest.
PACKAGE_PARTS = (".pre-commit-hooks.yaml", "pyproject.toml", "hatch_build.py", "README.md", "LICENSE", "scrubber", "rules")

DIRTY_TXT = "Recon\u200bstruction of the old bridge began in June.   \nThe river runs through the old town.\n"
FIXED_TXT = "Reconstruction of the old bridge began in June.\nThe river runs through the old town.\n"
DIRTY_JSONL = '{"id": 1, "text": "A zero\u200bwidth space in a record."}\n'
CLEAN_MD = "# Notes\n\nThe river runs through the old town.\n"
OLD = 1_000_000_000  # a fixed mtime (2001): any rewrite of a file would move it


def git(*args: str, cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """git without the user's global config (no core.hooksPath, no signing), pre-commit's cache in tmp."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Test\n\temail = test@example.invalid\n[commit]\n\tgpgsign = false\n"
                         "[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_HOME=str(tmp_path / "pc-home"),
               PRE_COMMIT_COLOR="never", NO_COLOR="1")
    return env


def hook_repository(tmp_path: Path, env: dict[str, str]) -> tuple[str, str]:
    """(repo, rev) for .pre-commit-config.yaml: HEAD of this checkout if clean, else a commit of the tree."""
    status = git("status", "--porcelain", "--untracked-files=normal", "--", *PACKAGE_PARTS, cwd=ROOT, env=env,
                 check=False)
    if status.returncode == 0 and not status.stdout.strip():
        return str(ROOT), git("rev-parse", "HEAD", cwd=ROOT, env=env).stdout.strip()
    src = tmp_path / "hook-src"
    src.mkdir()
    for part in PACKAGE_PARTS:
        path = ROOT / part
        if path.is_dir():
            shutil.copytree(path, src / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "_rules"))
        elif path.is_file():
            shutil.copy2(path, src / part)
    git("init", "-q", cwd=src, env=env)
    git("add", "-A", cwd=src, env=env)
    git("commit", "-q", "-m", "scrubber under test", cwd=src, env=env)
    return str(src), git("rev-parse", "HEAD", cwd=src, env=env).stdout.strip()


def test_manifest_is_valid_and_declares_both_hooks():
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["scrubber"]["entry"] == "scrubber check"
    assert hooks["scrubber-fix"]["entry"] == "scrubber fix"
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["require_serial"] is False


@pytest.mark.slow  # pre-commit builds its hook environment: ~40-75 s
def test_commit_refused_then_fixed_then_accepted(tmp_path: Path, env: dict[str, str]):
    repo, rev = hook_repository(tmp_path, env)
    corpus = tmp_path / "corpus"
    (corpus / "docs").mkdir(parents=True)
    files = {
        "docs/dirty.txt": DIRTY_TXT,
        "docs/records.jsonl": DIRTY_JSONL,
        "docs/notes.md": CLEAN_MD,
        "tool.py": "x = 1   \n",  # trailing whitespace, but not a corpus file: the hooks leave it alone
        "scrubber.yaml": "select: [SCR101, SCR201, SCR202]\n",  # the corpus's config is honoured by the hook
    }
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    config = {"repos": [{"repo": repo, "rev": rev, "hooks": [
        {"id": "scrubber"},
        {"id": "scrubber-fix", "stages": ["manual"]},  # run on demand below
    ]}]}
    (corpus / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git("init", "-q", cwd=corpus, env=env)
    installed = pre_commit("install", cwd=corpus, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    for name in files:
        os.utime(corpus / name, (OLD, OLD))

    # 1. The commit is refused, and the findings are printed; the check hook changes nothing.
    git("add", "-A", cwd=corpus, env=env)
    refused = git("commit", "-m", "add corpus", cwd=corpus, env=env, check=False)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "docs/dirty.txt:1:6: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word" in out
    assert "docs/dirty.txt:1:49: SCR201 [*] trailing whitespace" in out
    assert "docs/records.jsonl:1:" in out and "SCR101" in out
    assert "tool.py" not in out and "notes.md" not in out
    assert git("rev-parse", "--verify", "-q", "HEAD", cwd=corpus, env=env, check=False).returncode != 0
    for name in files:
        assert (corpus / name).stat().st_mtime_ns == OLD * 10**9, f"{name} was rewritten by the check hook"

    # 2. scrubber-fix repairs the corpus files; pre-commit reports that the hook modified them.
    fixed = pre_commit("run", "scrubber-fix", "--hook-stage", "manual", "--all-files", cwd=corpus, env=env)
    out = fixed.stdout + fixed.stderr
    assert fixed.returncode == 1, out
    assert "files were modified by this hook" in out
    assert (corpus / "docs/dirty.txt").read_text(encoding="utf-8") == FIXED_TXT
    assert "\u200b" not in (corpus / "docs/records.jsonl").read_text(encoding="utf-8")
    # Clean files, and files the hook does not cover, are not rewritten.
    for name in ("docs/notes.md", "tool.py", "scrubber.yaml"):
        assert (corpus / name).stat().st_mtime_ns == OLD * 10**9, f"{name} was rewritten"
    assert (corpus / "tool.py").read_text(encoding="utf-8") == "x = 1   \n"

    # 3. A second fix run finds nothing to do; the next commit passes.
    again = pre_commit("run", "scrubber-fix", "--hook-stage", "manual", "--all-files", cwd=corpus, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    git("add", "-A", cwd=corpus, env=env)
    accepted = git("commit", "-m", "add corpus", cwd=corpus, env=env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert git("rev-parse", "--verify", "-q", "HEAD", cwd=corpus, env=env, check=False).returncode == 0
