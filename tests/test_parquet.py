"""Parquet (scrubber[parquet]): the text column checked and fixed batch by batch, the schema and other columns kept."""
from __future__ import annotations

import json

import pytest

pa = pytest.importorskip("pyarrow", reason="Parquet support is the optional extra scrubber[parquet]")
pq = pytest.importorskip("pyarrow.parquet")

from scale_helpers import run_main  # noqa: E402

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
FIXED = "Helloworld\n\nnext line\n"
CLEAN = "A clean paragraph.\n"


def table(n: int = 300) -> pa.Table:
    texts = [DIRTY if i % 7 == 3 else CLEAN if i % 11 else None for i in range(n)]
    schema = pa.schema([("id", pa.string()), ("text", pa.large_string()), ("score", pa.float64()),
                        ("tags", pa.list_(pa.string())), ("meta", pa.struct([("url", pa.string())]))],
                       metadata={b"origin": b"crawl-7"})
    return pa.table({"id": [f"r{i}" for i in range(n)], "text": texts, "score": [i / 3 for i in range(n)],
                     "tags": [["a", str(i)] for i in range(n)], "meta": [{"url": f"u{i}"} for i in range(n)]},
                    schema=schema)


def test_check_reports_rows_and_ids(tmp_path):
    pq.write_table(table(), tmp_path / "t.parquet")
    proc = run_main("check", "--no-cache", "--output-format", "json", "t.parquet", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    rows = sorted({f["line"] for f in data if f["rule"] == "SCR101"})
    assert rows == [i + 1 for i in range(300) if i % 7 == 3]  # 1-based row numbers
    assert "(record r3, text 1:6)" in data[0]["message"]


def test_fix_keeps_schema_and_other_columns(tmp_path):
    original = table()
    pq.write_table(original, tmp_path / "t.parquet", row_group_size=120, compression="zstd")
    proc = run_main("fix", "--no-cache", "--output-dir", "out", "t.parquet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for path in (tmp_path / "out" / "t.parquet", ):
        fixed = pq.read_table(path)
        assert fixed.schema == original.schema and fixed.schema.metadata == original.schema.metadata
        for name in ("id", "score", "tags", "meta"):
            assert fixed.column(name).to_pylist() == original.column(name).to_pylist()
        want = [FIXED if t == DIRTY else t for t in original.column("text").to_pylist()]
        assert fixed.column("text").to_pylist() == want
        assert str(pq.ParquetFile(path).metadata.row_group(0).column(0).compression).lower() == "zstd"
    # in place too; then nothing is left
    assert run_main("fix", "--no-cache", "t.parquet", cwd=tmp_path).returncode == 0
    assert pq.read_table(tmp_path / "t.parquet").equals(pq.read_table(tmp_path / "out" / "t.parquet"))
    assert run_main("check", "--no-cache", "t.parquet", cwd=tmp_path).returncode == 0


def test_clean_file_round_trips_byte_for_byte(tmp_path):
    clean = table().filter(pa.compute.not_equal(pa.compute.fill_null(table().column("text"), ""), DIRTY))
    path = tmp_path / "t.parquet"
    pq.write_table(clean, path)
    raw = path.read_bytes()
    before = path.stat().st_mtime_ns
    assert run_main("fix", "--no-cache", "t.parquet", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == raw and path.stat().st_mtime_ns == before
    assert run_main("fix", "--no-cache", "--output-dir", "out", "t.parquet", cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / "t.parquet").read_bytes() == raw


def test_missing_or_non_string_column_is_an_error(tmp_path):
    pq.write_table(table(), tmp_path / "t.parquet")
    proc = run_main("check", "--no-cache", "--text-field", "body", "t.parquet", cwd=tmp_path)
    assert proc.returncode == 2 and b"no column 'body'" in proc.stderr
    proc = run_main("check", "--no-cache", "--text-field", "score", "t.parquet", cwd=tmp_path)
    assert proc.returncode == 2 and b"not a string column" in proc.stderr
