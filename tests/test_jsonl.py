"""JSONL shards (plain, gzip, zstd): records checked and fixed in their text field, everything else kept."""
from __future__ import annotations

import gzip
import json

import pytest

from scale_helpers import run_main as run_cli
from scrubber.config import Config
from scrubber.corpus import iter_chunks, process_jsonl_chunk, RecordSettings, value_span
from scrubber.discovery import discover
from scrubber.parallel import run_targets
from scrubber.runner import RunOptions

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
FIXED = "Helloworld\n\nnext line\n"
CLEAN = "A clean paragraph of text.\n"


def records() -> list[dict]:
    return [
        {"id": "doc-1", "text": CLEAN, "meta": {"url": "https://example.org/a", "score": 0.5}},
        {"id": "doc-2", "text": DIRTY, "lang": "en", "tags": ["x", "y"]},
        {"url": "u3", "text": CLEAN, "id": 3},
        {"id": "doc-4", "title": "café", "text": "Zero\u200bwidth café", "n": None},
    ]


def shard_bytes(recs: list[dict], ascii_only: bool = True) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in recs).encode("utf-8")


def compress(data: bytes, suffix: str) -> bytes:
    if suffix.endswith(".gz"):
        return gzip.compress(data, mtime=0)
    if suffix.endswith(".zst"):
        zstandard = pytest.importorskip("zstandard")
        return zstandard.ZstdCompressor().compress(data)
    return data


def decompress(data: bytes, suffix: str) -> bytes:
    if suffix.endswith(".gz"):
        return gzip.decompress(data)
    if suffix.endswith(".zst"):
        import io

        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
    return data


SUFFIXES = [".jsonl", ".jsonl.gz", ".jsonl.zst"]


def test_check_names_the_record_line_and_id(tmp_path):
    (tmp_path / "s.jsonl").write_bytes(shard_bytes(records()))
    proc = run_cli("check", "--no-cache", "s.jsonl", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr
    assert "s.jsonl:2:1: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word (record doc-2, text 1:6)" in out
    assert "s.jsonl:4:1: SCR101" in out and "(record doc-4, text 1:5)" in out
    assert "4 documents" in proc.stderr.decode()  # the throughput summary of a record corpus
    data = json.loads(run_cli("check", "--no-cache", "--output-format", "json", "s.jsonl", cwd=tmp_path).stdout)
    first = next(f for f in data if f["rule"] == "SCR101")
    assert first["path"] == "s.jsonl" and first["line"] == 2 and isinstance(first["line"], int)
    assert first["record"] == {"line": 2, "id": "doc-2", "text_line": 1, "text_column": 6, "text_end_line": 1,
                               "text_end_column": 7}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_clean_shard_round_trips_byte_for_byte(tmp_path, suffix):
    recs = [r for r in records() if r["text"] == CLEAN]
    raw = compress(shard_bytes(recs), suffix)
    shard = tmp_path / f"s{suffix}"
    shard.write_bytes(raw)
    before = shard.stat().st_mtime_ns
    proc = run_cli("fix", "--no-cache", shard.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert shard.read_bytes() == raw and shard.stat().st_mtime_ns == before  # not even rewritten
    proc = run_cli("fix", "--no-cache", "--output-dir", "out", shard.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / shard.name).read_bytes() == raw


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_fix_rewrites_only_the_text_field(tmp_path, suffix):
    plain = shard_bytes(records())
    shard = tmp_path / f"s{suffix}"
    shard.write_bytes(compress(plain, suffix))
    proc = run_cli("fix", "--no-cache", shard.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    raw = shard.read_bytes()
    if suffix.endswith(".gz"):
        assert raw[:2] == b"\x1f\x8b"
    if suffix.endswith(".zst"):
        assert raw[:4] == b"\x28\xb5\x2f\xfd"
    new_lines = decompress(raw, suffix).split(b"\n")
    old_lines = plain.split(b"\n")
    assert len(new_lines) == len(old_lines)
    for old, new, rec in zip(old_lines, new_lines, records() + [None]):
        if rec is None or "\u200b" not in rec["text"]:
            assert new == old  # untouched records keep their bytes
            continue
        got = json.loads(new)
        assert list(got) == list(rec)  # key order
        assert {k: v for k, v in got.items() if k != "text"} == {k: v for k, v in rec.items() if k != "text"}
        assert "\u200b" not in got["text"]
        before, after = old.split(b'"text": ')[0], new.split(b'"text": ')[0]
        assert before == after  # the bytes ahead of the field are the same
    assert json.loads(new_lines[1])["text"] == FIXED


def test_escaped_and_raw_unicode_styles_are_kept(tmp_path):
    rec = {"id": 1, "text": "Zero\u200bwidth café"}
    (tmp_path / "a.jsonl").write_bytes(shard_bytes([rec], ascii_only=True))
    (tmp_path / "b.jsonl").write_bytes(shard_bytes([rec], ascii_only=False))
    assert run_cli("fix", "--no-cache", "a.jsonl", "b.jsonl", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.jsonl").read_bytes() == b'{"id": 1, "text": "Zerowidth caf\\u00e9"}\n'
    assert (tmp_path / "b.jsonl").read_bytes() == '{"id": 1, "text": "Zerowidth café"}\n'.encode()


def test_malformed_record_is_reported_and_passed_through(tmp_path):
    lines = [json.dumps(records()[1]), '{"id": "bad", "text": ', "[1, 2]", json.dumps({"id": 5, "text": 7}),
             json.dumps(records()[3])]
    raw = ("\n".join(lines) + "\n").encode()
    (tmp_path / "s.jsonl").write_bytes(raw)
    proc = run_cli("fix", "--no-cache", "s.jsonl", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "s.jsonl:2: malformed JSON record" in err and "passed through unchanged" in err
    assert "and 2 more at lines 3, 4" in err
    new = (tmp_path / "s.jsonl").read_bytes().split(b"\n")
    old = raw.split(b"\n")
    assert new[1:4] == old[1:4]  # passed through, never dropped
    assert json.loads(new[0])["text"] == FIXED and "\u200b" not in json.loads(new[4])["text"]


def test_text_field_from_flag_and_config_and_a_missing_field(tmp_path):
    (tmp_path / "s.jsonl").write_text(json.dumps({"body": DIRTY, "text": CLEAN}) + "\n", encoding="utf-8")
    assert run_cli("check", "--no-cache", "s.jsonl", cwd=tmp_path).returncode == 0
    assert run_cli("check", "--no-cache", "--text-field", "body", "s.jsonl", cwd=tmp_path).returncode == 1
    (tmp_path / "scrubber.yaml").write_text("text-field: body\nid-field: url\n", encoding="utf-8")
    assert run_cli("check", "--no-cache", "s.jsonl", cwd=tmp_path).returncode == 1
    proc = run_cli("check", "--no-cache", "--text-field", "content", "s.jsonl", cwd=tmp_path)
    assert proc.returncode == 2 and b"no record has a 'content' field" in proc.stderr


def test_crlf_records_blank_lines_bom_and_no_final_newline(tmp_path):
    raw = (b"\xef\xbb\xbf" + json.dumps({"text": "A\u200bB\r\nsecond line\r\n"}).encode() + b"\r\n\r\n"
           + json.dumps({"text": CLEAN}).encode())
    (tmp_path / "s.jsonl").write_bytes(raw)
    proc = run_cli("fix", "--no-cache", "s.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    new = (tmp_path / "s.jsonl").read_bytes()
    assert new == raw.replace(b"A\\u200bB", b"AB")  # newline styles in and around the record are kept


def test_folder_walk_finds_compressed_shards(tmp_path):
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(shard_bytes(records())))
    proc = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1 and b"a.jsonl.gz:2:1: SCR101" in proc.stdout


def test_corrupt_gzip_is_one_error(tmp_path):
    (tmp_path / "a.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    proc = run_cli("fix", "--no-cache", "a.jsonl.gz", cwd=tmp_path)
    assert proc.returncode == 2 and b"a.jsonl.gz: cannot read" in proc.stderr
    assert (tmp_path / "a.jsonl.gz").read_bytes() == b"\x1f\x8b\x08\x00garbage"
    assert not list(tmp_path.glob(".*scrubber-tmp"))


def test_value_span_finds_the_last_duplicate_and_nested_keys_are_not_confused():
    line = '{"meta": {"text": "inner"}, "text": "a", "x": [1, {"text": 2}], "text" : "b" }'
    start, end = value_span(line, "text")
    assert line[start:end] == '"b"'


def test_chunks_cut_at_line_ends_and_give_the_same_results(tmp_path):
    import io

    data = shard_bytes(records() * 50)
    chunks = list(iter_chunks(io.BytesIO(data), 100))
    assert b"".join(c for _, c in chunks) == data
    assert all(c.endswith(b"\n") for _, c in chunks)
    rules = Config().rules()
    settings = RecordSettings(fix=True)
    whole = process_jsonl_chunk(data, 1, "s.jsonl", rules, settings)
    parts = [process_jsonl_chunk(c, first, "s.jsonl", rules, settings) for first, c in chunks]
    assert [f.line for f in whole.findings] == [f.line for p in parts for f in p.findings]
    assert whole.output == b"".join(p.output if p.output is not None else c for p, (_, c) in zip(parts, chunks))


def test_small_chunks_in_process_match_one_chunk(tmp_path):
    (tmp_path / "s.jsonl").write_bytes(shard_bytes(records() * 30))
    config = Config()
    rules = config.rules()
    targets = list(discover([str(tmp_path / "s.jsonl")], config.extensions))
    opts = RunOptions(fix=True, unsafe=False)
    a = list(run_targets(targets, config, rules, opts, chunk_bytes=1 << 20))
    b = list(run_targets(targets, config, rules, opts, chunk_bytes=200))
    assert [(f.line, f.rule_id, f.message) for f in a[0].findings] == \
           [(f.line, f.rule_id, f.message) for f in b[0].findings]
    assert len(a[0].findings) == 30 * 4


def test_check_diff_shows_each_changed_record(tmp_path):
    (tmp_path / "s.jsonl").write_bytes(shard_bytes(records()))
    proc = run_cli("check", "--no-cache", "--diff", "s.jsonl", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "--- a/s.jsonl:2\n+++ b/s.jsonl:2\n" in out and "--- a/s.jsonl:4\n" in out


def test_unwritable_shard_is_left_alone(tmp_path):
    import os

    shard = tmp_path / "s.jsonl"
    shard.write_bytes(shard_bytes(records()))
    os.chmod(shard, 0o444)
    proc = run_cli("fix", "--no-cache", "s.jsonl", cwd=tmp_path)
    assert proc.returncode == 2 and b"read-only" in proc.stderr
    assert shard.read_bytes() == shard_bytes(records())
