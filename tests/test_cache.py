"""The cache: a warm re-run over unchanged inputs prints the same and runs no rule; any change misses."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scale_helpers import run_main
from scrubber import engine
from scrubber.cache import CACHE_DIR_NAME

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
CLEAN = "A clean paragraph.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CLEAN, encoding="utf-8")
    recs = "".join(json.dumps({"id": i, "text": DIRTY if i % 2 else CLEAN}) + "\n" for i in range(6)).encode()
    (tmp_path / "s.jsonl").write_bytes(recs)
    (tmp_path / "s.jsonl.gz").write_bytes(gzip.compress(recs, mtime=0))
    return tmp_path


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """Every document the rules run on (by source name)."""
    seen: list[str] = []
    original = engine.check_document

    def counting(doc, rules):
        seen.append(doc.source)
        return original(doc, rules)

    monkeypatch.setattr(engine, "check_document", counting)
    return seen


def test_warm_check_prints_the_same_without_running_a_rule(corpus, calls):
    cold = run_main("check", ".", cwd=corpus)
    assert calls and cold.returncode == 1
    assert (corpus / CACHE_DIR_NAME / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    for fmt in ("text", "json"):
        calls.clear()
        warm = run_main("check", "--output-format", fmt, ".", cwd=corpus)
        assert calls == []
        again = run_main("check", "--no-cache", "--output-format", fmt, ".", cwd=corpus)
        assert warm.stdout == again.stdout and warm.returncode == again.returncode == 1


def test_a_changed_file_is_checked_again_and_only_it(corpus, calls):
    run_main("check", ".", cwd=corpus)
    (corpus / "b.txt").write_text(CLEAN + "more\u200btext\n", encoding="utf-8")
    calls.clear()
    proc = run_main("check", ".", cwd=corpus)
    assert calls == ["b.txt"]
    assert b"b.txt:2:5: SCR101" in proc.stdout


def test_other_rules_or_options_miss(corpus, calls):
    run_main("check", ".", cwd=corpus)
    for args in (["--select", "SCR101"], ["--ignore", "SCR201"], ["--text-field", "text", "--id-field", "x"]):
        calls.clear()
        run_main("check", *args, ".", cwd=corpus)
        assert calls, args


def test_after_a_fix_the_fixed_files_are_known(corpus, calls):
    assert run_main("fix", ".", cwd=corpus).returncode == 0
    calls.clear()
    proc = run_main("check", ".", cwd=corpus)
    assert proc.returncode == 0 and calls == []
    calls.clear()
    assert run_main("fix", ".", cwd=corpus).returncode == 0 and calls == []


def test_a_cached_clean_input_is_still_copied_to_the_output_dir(corpus, calls):
    run_main("check", ".", cwd=corpus)
    calls.clear()
    proc = run_main("fix", "--output-dir", "out", "b.txt", "s.jsonl.gz", cwd=corpus)
    assert proc.returncode == 0, proc.stderr
    assert (corpus / "out" / "b.txt").read_bytes() == (corpus / "b.txt").read_bytes()
    assert calls and all(c.startswith("s.jsonl.gz") for c in calls)  # b.txt had nothing to fix


def test_no_cache_and_the_cache_dir_variable(corpus, monkeypatch, tmp_path_factory):
    run_main("check", "--no-cache", ".", cwd=corpus)
    assert not (corpus / CACHE_DIR_NAME).exists()
    elsewhere = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SCRUBBER_CACHE_DIR", str(elsewhere))
    run_main("check", ".", cwd=corpus)
    assert not (corpus / CACHE_DIR_NAME).exists() and any(elsewhere.rglob("*"))


def test_the_cache_lives_next_to_the_configuration(corpus):
    (corpus / "sub").mkdir()
    (corpus / "sub" / "c.txt").write_text(DIRTY, encoding="utf-8")
    (corpus / "scrubber.yaml").write_text("ignore: [SCR202]\n", encoding="utf-8")
    run_main("check", "c.txt", cwd=corpus / "sub")
    assert (corpus / CACHE_DIR_NAME).is_dir() and not (corpus / "sub" / CACHE_DIR_NAME).exists()


def test_damaged_entries_are_misses(corpus, calls):
    cold = run_main("check", ".", cwd=corpus)
    for entry in (corpus / CACHE_DIR_NAME).rglob("*"):
        if entry.is_file() and entry.name != ".gitignore":
            entry.write_bytes(b"not a pickle")
    calls.clear()
    warm = run_main("check", ".", cwd=corpus)
    assert calls and warm.stdout == cold.stdout


def test_a_fully_cached_parallel_run_starts_no_workers(corpus, monkeypatch):
    from scrubber import parallel

    started: list[int] = []
    original = parallel._pool

    def counting_pool(config, workers, rules):
        started.append(workers)
        return original(config, workers, rules)

    monkeypatch.setattr(parallel, "_pool", counting_pool)
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES", 0)  # a pool even for this small corpus
    cold = run_main("check", "--jobs", "2", ".", cwd=corpus)
    assert started == [2]
    warm = run_main("check", "--jobs", "2", ".", cwd=corpus)
    assert started == [2] and warm.stdout == cold.stdout and warm.returncode == cold.returncode
    (corpus / "b.txt").write_text("Changed\u200btext.\n", encoding="utf-8")
    run_main("check", "--jobs", "2", ".", cwd=corpus)
    assert started == [2, 2]  # one input changed: the workers are back


def test_an_unchanged_file_is_not_hashed_again_and_a_rewritten_one_is(tmp_path, monkeypatch):
    # The digest is kept in a stamp keyed by the file's status; content rewritten in place at
    # the same size, with its old modification time put back, has a new change time and so a
    # new key (``touch -r`` cannot move it back either).
    import os

    from scrubber import cache as cache_module
    from scrubber.cache import Cache, bytes_digest

    monkeypatch.setattr(cache_module, "_SETTLED_NS", 0)  # no racy window: stamp at once
    store = Cache(tmp_path / "cache", "setup")
    f = tmp_path / "a.txt"
    f.write_bytes(b"first version\n")
    assert store.file_digest(f) == bytes_digest(b"first version\n")
    hashed = []
    real = cache_module._file_digest  # remembers its answers per status, within a run
    monkeypatch.setattr(cache_module, "_file_digest", lambda *a: hashed.append(a) or real(*a))
    assert store.file_digest(f) == bytes_digest(b"first version\n") and hashed == []  # from the stamp
    st = f.stat()
    f.write_bytes(b"other version\n")  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    assert store.file_digest(f) == bytes_digest(b"other version\n") and len(hashed) == 1


def test_a_file_changed_within_the_racy_window_is_not_stamped(tmp_path):
    from scrubber.cache import Cache

    store = Cache(tmp_path / "cache", "setup")
    f = tmp_path / "a.txt"
    f.write_bytes(b"just written\n")
    store.file_digest(f)
    assert not (tmp_path / "cache" / "stat").exists()
