"""Faults around the CLI: killed runs, full disks, files that change under us, hostile paths and packs.

Each test is one row of the "Bad input" table in the README: what the user sees (message, exit
code) and which files are touched. Files are compared by hash, before and after.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest

import scrubber
from scrubber import cli, runner
from scrubber.config import Config
from scrubber.discovery import Target, output_path
from scrubber.errors import ScrubberError
from scrubber.runner import RunOptions, process_file
from scrubber.textfile import atomic_write

from conftest import run_cli

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
FIXED = "Helloworld\n\nnext line\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every file below ``root`` (links not followed) and its hash: what must not change."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            continue
        for name in filenames:
            p = here / name
            out[str(p.relative_to(root))] = "link->" + os.readlink(p) if p.is_symlink() else sha(p.read_bytes())
        for name in dirnames:
            p = here / name
            if p.is_symlink():
                out[str(p.relative_to(root))] = "link->" + os.readlink(p)
    return out


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in proc.stderr.decode().splitlines() if ln.startswith("scrubber: error:")]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".scrubber-tmp")]


# --- killed runs ------------------------------------------------------------------------------------------

def _wait_until(predicate, proc: subprocess.Popen, limit: float = 120.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    return False


def test_kill_9_in_the_middle_of_2000_files_leaves_each_file_old_or_new(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    dirty = "Report {i}: the harbour board met on Tuesday  \n\n\n\nThe second paragraph of file {i}.\n"
    clean = "Report {i}: the harbour board met on Tuesday\n\nThe second paragraph of file {i}.\n"
    for i in (0, 7, 1999):  # the fix of every file, known without running it 2,000 times here
        assert scrubber.fix_text(dirty.format(i=i), Config()).text == clean.format(i=i)
    for i in range(2000):
        name = f"{i:04}.txt"
        (corpus / name).write_text(dirty.format(i=i), encoding="utf-8")
        old[name] = sha(dirty.format(i=i).encode())
        new[name] = sha(clean.format(i=i).encode())
    first = corpus / "0000.txt"
    proc = subprocess.Popen([sys.executable, "-m", "scrubber", "fix", "--no-progress", "corpus"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        # Kill the whole process group (workers too) as soon as the first file has been rewritten.
        started = _wait_until(lambda: sha(first.read_bytes()) != old["0000.txt"], proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert started, "the fix never started"
    states = {"old": 0, "new": 0}
    for name in old:
        digest = sha((corpus / name).read_bytes())
        assert digest in (old[name], new[name]), f"{name} is neither its old nor its new self"
        states["old" if digest == old[name] else "new"] += 1
    assert states["new"] >= 1
    # A kill -9 cannot clean up: at most the temp files of the writes in flight stay behind, named as such.
    assert len(leftovers(corpus)) <= os.cpu_count() + 1
    assert not [p for p in corpus.iterdir() if not p.name.endswith((".txt", ".scrubber-tmp"))]


def test_kill_9_while_rewriting_a_jsonl_shard_leaves_it_old_or_new(tmp_path):
    shard = tmp_path / "shard.jsonl"
    records = [json.dumps({"id": i, "text": f"Record {i}\u200bnumber  \n\n\n\nsecond paragraph {i}.\n"})
               for i in range(25_000)]  # 2 MB: two chunks of work, the first written while the second runs
    raw = ("\n".join(records) + "\n").encode()
    shard.write_bytes(raw)
    proc = subprocess.Popen([sys.executable, "-m", "scrubber", "fix", "--no-progress", "--no-cache", "--jobs", "1",
                             "shard.jsonl"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        started = _wait_until(lambda: _temp_bytes(tmp_path) > 0, proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert started, "the rewrite never started"
    data = shard.read_bytes()
    if data != raw:  # the kill came after the swap: then the shard is whole, and fixed throughout
        lines = data.splitlines()
        assert len(lines) == len(records), "a killed rewrite left the shard half-written"
        assert all(json.loads(line)["text"].endswith(".\n") and "  \n" not in json.loads(line)["text"]
                   for line in lines)


def _temp_bytes(folder: Path) -> int:
    total = 0
    for p in leftovers(folder):
        try:
            total += p.stat().st_size
        except FileNotFoundError:  # committed or removed meanwhile
            pass
    return total


# --- the disk fills up ----------------------------------------------------------------------------------------

ENOSPC_RUNNER = """
import errno, os, sys
def full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.fsync = full   # the moment a write reaches the disk
from scrubber.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_full_disk_mocked_leaves_the_original_and_exits_2_with_one_line(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = subprocess.run([sys.executable, "-c", ENOSPC_RUNNER, "fix", "--no-cache", "--jobs", "1", "a.txt"],
                          cwd=tmp_path, capture_output=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    errors = error_lines(proc)
    assert len(errors) == 1, proc.stderr
    assert "a.txt" in errors[0] and "No space left on device" in errors[0] and "left unchanged" in errors[0]
    assert snapshot(tmp_path) == before  # the original, and no temp file left behind


def _mount_tmpfs(where: Path, size: str) -> bool:
    if not shutil.which("mount") or os.geteuid() != 0:
        return False
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return proc.returncode == 0


def test_full_disk_on_a_tiny_tmpfs(tmp_path):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "64k"):
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        f = disk / "a.txt"
        # ~40 kB with one artifact: the fixed copy does not fit beside it.
        body = ("".join(f"Line {i} of a long and otherwise clean body.\n" for i in range(1000)) + DIRTY).encode()
        f.write_bytes(body)
        proc = run_cli("fix", "--no-cache", "--jobs", "1", str(f), cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        errors = error_lines(proc)
        assert len(errors) == 1 and "No space left on device" in errors[0], proc.stderr
        assert f.read_bytes() == body
        assert [p.name for p in disk.iterdir()] == ["a.txt"]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# --- files that change under us ---------------------------------------------------------------------------

def _fix_one(path: Path, monkeypatch, before_write) -> runner.FileReport:
    """Fix one file in-process, calling ``before_write(path)`` between the read and the write."""
    real = runner.atomic_write

    def meddling(dest, data, expected=None, display=None):
        before_write(dest)
        return real(dest, data, expected=expected, display=display)

    monkeypatch.setattr(runner, "atomic_write", meddling)
    target = Target(path, path.name, PurePosixPath(path.name))
    return process_file(target, Config().rules(), RunOptions(fix=True, write=True))


def test_a_file_changed_between_read_and_write_is_not_overwritten(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    report = _fix_one(f, monkeypatch, lambda p: p.write_text("someone else's edit\u200b\n", encoding="utf-8"))
    assert report.error is not None and "changed since it was read" in report.error and "a.txt" in report.error
    assert not report.written
    assert f.read_text(encoding="utf-8") == "someone else's edit\u200b\n"
    assert not leftovers(tmp_path)


def test_a_file_deleted_between_read_and_write_is_not_recreated(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    report = _fix_one(f, monkeypatch, lambda p: p.unlink())
    assert report.error is not None and "vanished" in report.error
    assert not f.exists() and not leftovers(tmp_path)


def test_changed_file_through_the_cli_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    real = runner.atomic_write

    def meddling(dest, data, expected=None, display=None):
        Path(dest).write_text("edited meanwhile\n", encoding="utf-8")
        return real(dest, data, expected=expected, display=display)

    monkeypatch.setattr(runner, "atomic_write", meddling)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["fix", "--no-cache", "--no-progress", "--jobs", "1", "a.txt"])
    err = capsys.readouterr().err
    assert code == 2
    assert [ln for ln in err.splitlines() if ln.startswith("scrubber: error:")] == [
        "scrubber: error: a.txt: file changed since it was read; left alone"]
    assert f.read_text(encoding="utf-8") == "edited meanwhile\n"


def test_a_new_file_gets_the_usual_mode_not_the_temp_files(tmp_path):
    # mkstemp creates 0600 files; a clean copy in --output-dir must be readable like any new file.
    from scrubber.textfile import new_file_mode

    atomic_write(tmp_path / "new.txt", b"x\n")
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == new_file_mode() == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_write_checks_what_it_expects(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"on disk now\n")
    with pytest.raises(ScrubberError, match="changed since it was read"):
        atomic_write(f, b"new\n", expected=b"what was read\n")
    assert f.read_bytes() == b"on disk now\n"
    with pytest.raises(ScrubberError, match="vanished"):
        atomic_write(tmp_path / "gone.txt", b"new\n", expected=b"what was read\n")
    assert not (tmp_path / "gone.txt").exists()
    atomic_write(f, b"new\n", expected=b"on disk now\n")
    assert f.read_bytes() == b"new\n" and not leftovers(tmp_path)


def test_binary_file_is_skipped_and_untouched(tmp_path):
    f = tmp_path / "a.txt"
    raw = b"PK\x03\x04" + b"\x00" * 64 + "Hello\u200bworld  \n".encode()
    f.write_bytes(raw)
    proc = run_cli("fix", "--no-cache", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "a.txt: skipped: binary file" in proc.stderr.decode()
    assert f.read_bytes() == raw


# --- symlinks ------------------------------------------------------------------------------------------------

def test_dangling_symlink_is_reported_and_left_a_link(tmp_path):
    (tmp_path / "corpus").mkdir()
    link = tmp_path / "corpus" / "dangling.txt"
    link.symlink_to(tmp_path / "missing.txt")
    (tmp_path / "corpus" / "ok.txt").write_text(DIRTY, encoding="utf-8")
    for args in (["corpus/dangling.txt"], ["corpus"]):
        proc = run_cli("fix", "--no-cache", *args, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        errors = error_lines(proc)
        assert len(errors) == 1 and "dangling.txt" in errors[0] and "broken symbolic link" in errors[0], errors
        assert link.is_symlink() and not link.exists() and not (tmp_path / "missing.txt").exists()
    assert (tmp_path / "corpus" / "ok.txt").read_text(encoding="utf-8") == FIXED  # the others are fixed


# --- --output-dir stays inside itself ---------------------------------------------------------------------------

def test_output_dir_keeps_only_the_name_of_dotdot_and_absolute_inputs(tmp_path):
    work = tmp_path / "work"
    (work / "corpus" / "sub").mkdir(parents=True)
    (work / "corpus" / "sub" / "a.txt").write_text(DIRTY, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(DIRTY, encoding="utf-8")
    (tmp_path / "abs").mkdir()
    absolute = tmp_path / "abs" / "absolute.txt"
    absolute.write_text(DIRTY, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = run_cli("fix", "--no-cache", "--output-dir", "out", "../elsewhere.txt", str(absolute),
                   "corpus/sub/../sub", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert snapshot(tmp_path, skip=work / "out") == before  # nothing outside out/ changed, inputs included
    written = sorted(str(p.relative_to(work / "out")) for p in (work / "out").rglob("*") if p.is_file())
    assert written == ["a.txt", "absolute.txt", "elsewhere.txt"]
    assert all((work / "out" / name).read_text(encoding="utf-8") == FIXED for name in written)


def test_output_dir_copies_get_the_usual_mode(tmp_path):
    # Temp files are created 0600; the copies they become must not stay private to their writer.
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FIXED, encoding="utf-8")
    (tmp_path / "s.jsonl").write_text(json.dumps({"id": 1, "text": DIRTY}) + "\n", encoding="utf-8")
    proc = run_cli("fix", "--no-cache", "--output-dir", "out", "a.txt", "b.txt", "s.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").iterdir()}
    assert modes == dict.fromkeys(["a.txt", "b.txt", "s.jsonl"], 0o666 & ~_umask())


def test_output_dir_never_writes_through_links_out_of_itself(tmp_path):
    work = tmp_path / "work"
    (work / "corpus" / "sub").mkdir(parents=True)
    (work / "corpus" / "sub" / "a.txt").write_text(DIRTY, encoding="utf-8")
    (work / "corpus" / "b.txt").write_text(DIRTY, encoding="utf-8")
    (work / "corpus" / "c.txt").write_text(DIRTY, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text("precious\n", encoding="utf-8")
    (outside / "secret.txt").write_text(DIRTY, encoding="utf-8")
    # A folder in the input tree that links out of it: walks do not follow it.
    (work / "corpus" / "linked").symlink_to(outside, target_is_directory=True)
    out = work / "out"
    out.mkdir()
    # Links planted inside the output folder, pointing out of it, must not be written through.
    (out / "sub").symlink_to(outside, target_is_directory=True)
    (out / "b.txt").symlink_to(outside / "b.txt")
    before = snapshot(tmp_path, skip=out)
    proc = run_cli("fix", "--no-cache", "--output-dir", "out", "corpus", cwd=work)
    assert snapshot(tmp_path, skip=out) == before
    assert proc.returncode == 2
    errors = error_lines(proc)
    assert len(errors) == 2 and all("would escape --output-dir" in e for e in errors), errors
    assert (out / "c.txt").read_text(encoding="utf-8") == FIXED  # the rest is written
    assert (out / "sub").is_symlink() and (out / "b.txt").is_symlink()
    assert not (out / "linked").exists() and not (outside / "a.txt").exists()


@pytest.mark.parametrize("relative", ["../x.txt", "a/../../x.txt", "/etc/x.txt", "a/../../../x.txt"])
def test_output_path_refuses_escaping_relatives(tmp_path, relative):
    with pytest.raises(ScrubberError, match="would escape"):
        output_path(tmp_path / "out", PurePosixPath(relative))


# --- hostile packs ------------------------------------------------------------------------------------------

def _use_pack(tmp_path: Path, pack: str | bytes, extra: str = "") -> None:
    path = tmp_path / "pack.yaml"
    path.write_bytes(pack if isinstance(pack, bytes) else pack.encode())
    (tmp_path / "scrubber.yaml").write_text(f"rules: [pack.yaml]\n{extra}", encoding="utf-8")
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")


def _assert_refused(tmp_path: Path, *needles: str) -> None:
    proc = run_cli("fix", "--no-cache", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    for needle in ("pack.yaml", *needles):
        assert needle in err, err
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DIRTY


def test_billion_laughs_pack_is_refused(tmp_path):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    _use_pack(tmp_path, bomb + "rules: []\n")
    _assert_refused(tmp_path, "aliases")


def test_big_alias_free_pack_is_refused_by_size(tmp_path):
    rule = "  - {id: B%d, name: b-%d, kind: pattern, message: m, options: {pattern: 'x%d'}}\n"
    body = "rules:\n" + "".join(rule % (i, i, i) for i in range(80_000))
    assert len(body) > 5_000_000
    _use_pack(tmp_path, body)
    _assert_refused(tmp_path, "larger than")


def test_deeply_nested_pack_is_refused(tmp_path):
    _use_pack(tmp_path, "rules:\n  - " + "[" * 50_000 + "]" * 50_000 + "\n")
    _assert_refused(tmp_path, "nested too deeply")


CATASTROPHIC = r"""
rules:
  - id: T1
    name: catastrophic
    kind: pattern
    message: slow
    options: {pattern: '(a+)+$'}
"""


def test_catastrophic_regex_is_cut_off_and_named_on_the_command_line(tmp_path):
    _use_pack(tmp_path, CATASTROPHIC, "regex-timeout: 0.2\nselect: [T1]\n")
    (tmp_path / "a.txt").write_text("a" * 100_000 + "!\n", encoding="utf-8")
    proc = run_cli("check", "--no-cache", "a.txt", cwd=tmp_path)  # the subprocess timeout is the only clock here
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr
    assert "a.txt:1:1: T1" in out and "rule T1 (catastrophic) skipped on this document" in out
    assert "0.2 s limit" in out
    fixed = run_cli("fix", "--no-cache", "a.txt", cwd=tmp_path)
    assert fixed.returncode == 1 and b"T1" in fixed.stdout
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "a" * 100_000 + "!\n"


def test_the_regex_time_limit_grows_with_the_document():
    # A fixed limit per document would cut off even linear patterns on a 100 MB line and leave it unfixed;
    # the limit is `regex-timeout` per document, and as much again per million characters beyond the first.
    from scrubber.errors import RuleTimeout
    from scrubber.kinds.regexes import compile_pattern, finditer, time_limit

    assert time_limit(2.0, "x" * 10) == 2.0 and time_limit(2.0, "x" * 3_000_000) == 6.0
    with pytest.raises(RuleTimeout, match=r"ran past its 0\.02 s limit"):
        list(finditer(compile_pattern(r"(a+)+$"), "a" * 2_000_000 + "!", 0.01))


def test_the_time_limit_guards_a_users_patterns_not_the_shipped_ones(tmp_path):
    # The shipped patterns are linear (fuzzed; benchmarks/hostile_inputs.py runs them on a 100 MB
    # line) and the regex module's time check costs ~3 µs a call: they run without it.
    pack = tmp_path / "pack.yaml"
    pack.write_text(CATASTROPHIC, encoding="utf-8")
    rules = Config(packs=(pack,), regex_timeout=0.5).rules()
    assert {r.id: r.checker.timeout for r in rules if r.id == "T1"} == {"T1": 0.5}
    assert all(r.checker.timeout is None for r in rules if r.id != "T1")
    # 0 turns the limit off for one's own packs too.
    assert Config(packs=(pack,), regex_timeout=0).rules()[-1].checker.timeout is None


def test_a_negative_regex_timeout_is_refused(tmp_path):
    _use_pack(tmp_path, CATASTROPHIC, "regex-timeout: -1\n")
    _assert_refused_config(tmp_path)


def _assert_refused_config(tmp_path: Path) -> None:
    proc = run_cli("check", "--no-cache", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "scrubber.yaml" in err and "regex-timeout" in err, err


# --- big inputs ----------------------------------------------------------------------------------------------

def test_a_long_single_line_file_is_processed_in_bounded_memory(tmp_path):
    """An 8 MB line: checked, fixed, written back. Timings, and the 100 MB case, are in
    benchmarks/hostile_inputs.py; here peak memory is bounded only loosely (a small multiple of the
    file), to catch a blow-up such as a list of every token, not to measure."""
    words = "the coalition said on Friday that Daesh is building up its defenses near Mosul "
    line = (words * (8_000_000 // len(words))).rstrip().replace("near Mosul", "near\u00a0Mosul", 3) + "\n"
    f = tmp_path / "line.txt"
    f.write_text(line, encoding="utf-8")
    size_mb = len(line) / 1e6
    # The peak of this process's own memory (VmHWM), not ``ru_maxrss``: Linux carries the latter
    # over from the process that spawned it (here pytest, which may be larger than the limit).
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs /proc/self/status (Linux)")
    code = ("import re, sys\nfrom scrubber.cli import main\nrc = main(sys.argv[1:])\n"
            "status = open('/proc/self/status').read()\n"
            "print('peak', re.search(r'VmHWM:\\s*(\\d+)', status).group(1), file=sys.stderr)\nsys.exit(rc)\n")
    proc = subprocess.run([sys.executable, "-c", code, "fix", "--no-cache", "--no-progress", "--jobs", "1",
                           "line.txt"], cwd=tmp_path, capture_output=True, timeout=900)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert f.read_text(encoding="utf-8") == line.replace("\u00a0", " ")
    peak_mb = int(err.split("peak ")[-1].split()[0]) / 1024
    assert peak_mb < 150 + 25 * size_mb, f"peak RSS {peak_mb:.0f} MB for a {size_mb:.0f} MB file"


def test_a_text_file_above_the_size_limit_is_refused_whole(tmp_path, monkeypatch):
    # The limit is 512 MB; a 2 MB file against a 1 MB limit shows the same path without the disk.
    from scrubber import textfile

    monkeypatch.setattr(textfile, "MAX_TEXT_BYTES", 1 << 20)
    f = tmp_path / "big.txt"
    raw = (DIRTY * 90_000).encode()
    f.write_bytes(raw)
    report = process_file(Target(f, "big.txt", PurePosixPath("big.txt")), Config().rules(),
                          RunOptions(fix=True, write=True))
    assert report.error == ("big.txt: 2 MB is more than the 1 MB read as one text; split it, or make it JSONL "
                            "records (streamed); left alone")
    assert f.read_bytes() == raw and not leftovers(tmp_path)


def _finishes_within(seconds: float, fn, *args) -> bool:
    """Run ``fn(*args)`` in a forked child; whether it returned before ``seconds`` (a generous bound:
    the cases below differ from it by two orders of magnitude, so load on the machine does not matter)."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(target=fn, args=args)
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        return False
    return child.exitcode == 0


def _run_rule(rule_id: str, text: str) -> None:
    from scrubber.document import Document

    rule = next(r for r in Config(select=("ALL",)).rules() if r.id == rule_id)
    list(rule.checker.check(Document(text)))


@pytest.mark.parametrize("rule_id", ["Q101", "Q102", "Q211"])
@pytest.mark.parametrize("text", ["," * 30_000, "\ufffd" * 30_000])
def test_metric_rules_are_linear_on_a_long_run_of_punctuation(rule_id, text):
    # The quality tokenizer was quadratic on a whitespace-free run (6,000 commas took ~15 s; 30,000
    # would take minutes, and metric kinds have no regex time limit to fall back on); now ~0.5 s.
    assert _finishes_within(10, _run_rule, rule_id, text)


def test_glued_words_is_linear_on_a_very_long_non_ascii_word():
    # One 100,000-letter word took ~90 s (every cut of the word case-folded); tokens over 40 letters are skipped now.
    assert _finishes_within(10, _run_rule, "SCR301", "x " + "é" * 100_000 + " y\n")


def test_mojibake_is_linear_on_a_long_line_with_one_damaged_word():
    sentence = "The coalition said on Friday that Daesh is building up its defenses."
    # 408k characters on one line took ~140 s (SequenceMatcher over repeating tokens); only the changed middle
    # of the line is aligned now.
    assert _finishes_within(10, _run_rule, "SCR110", "cafÃ© " + sentence * 6000 + "\n")
