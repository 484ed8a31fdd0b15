"""Record corpora: JSONL shards (plain, gzip, zstd) and Parquet files, one document per record.

A shard is streamed in chunks (of lines, or of Arrow batches); a chunk is the unit of work a
worker process checks or fixes, so memory depends on the chunk size, never on the shard's.
A record whose text does not change is written back as its original bytes; in a changed one only
the text field's value is replaced, in place, so the other fields, the key order and the
record's formatting stay byte-for-byte. Everything here is pure except the small open/write
helpers at the end; the scheduling is :mod:`scrubber.parallel`'s.
"""
from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import IO, Any

from scrubber import engine
from scrubber.diffs import unified_diff
from scrubber.errors import ScrubberError
from scrubber.model import Finding
from scrubber.rules import Rule

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
PARQUET_SUFFIXES = (".parquet",)
# Found by folder walks by default, beside the text extensions.
CORPUS_EXTENSIONS = (*JSONL_SUFFIXES, *PARQUET_SUFFIXES)
CHUNK_BYTES = 1 << 20  # uncompressed bytes of records per unit of work
PARQUET_BATCH_ROWS = 256


def corpus_kind(name: str) -> str | None:
    """``"jsonl"``, ``"parquet"`` or None (a text file) from the file name."""
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def compression_of(name: str) -> str | None:
    lower = name.lower()
    return "gzip" if lower.endswith(".gz") else "zstd" if lower.endswith(".zst") else None


@dataclass(frozen=True)
class RecordSettings:
    """What a worker needs to know about records besides the rules; picklable."""

    text_field: str = "text"
    id_field: str = "id"
    fix: bool = False
    unsafe: bool = False
    diff: bool = False


@dataclass
class ChunkResult:
    """What one chunk of records gave: findings already placed at their records' lines."""

    findings: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, why) of records passed through
    output: Any = None  # JSONL: the chunk's new bytes; Parquet: new texts (None = unchanged); None if no change
    documents: int = 0  # records with a text
    missing: int = 0  # records without the text field
    changed: int = 0  # records whose text the fix changed
    unconverged: list[int] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    size: int = 0  # uncompressed bytes looked at


# --- one record -------------------------------------------------------------------------------

def split_newlines(text: str) -> tuple[str, str]:
    """The text with ``\\n`` newlines (what rules see) and its dominant style, to restore on write."""
    if "\r" not in text:
        return text, "\n"
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    newline = "\r\n" if crlf > max(lf, cr) else "\r" if cr > max(lf, crlf) else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def record_id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def place(f: Finding, line: int, rec_id: str | None) -> Finding:
    """A finding in a record's text, reported at the record's line of the shard.

    ``path:LINE:1`` lets editors and ``score.py`` find the record; where in the text it is (and
    which record, by id) goes into the message and into ``extra["record"]`` for the JSON output.
    """
    label = f"record {rec_id}, " if rec_id is not None else ""
    where = {"line": line, "id": rec_id, "text_line": f.line, "text_column": f.column,
             "text_end_line": f.end_line, "text_end_column": f.end_column}
    # Built directly rather than with dataclasses.replace: this runs once per finding of a corpus.
    return Finding(f.rule_id, f.rule_name, f.start, f.end, line, 1, line, 1,
                   f"{f.message} ({label}text {f.line}:{f.column})", f.severity, f.safety, f.edit,
                   {**f.extra, "record": where})


def run_text(text: str, line: int, rec_id: str | None, display: str, rules: Sequence[Rule],
             settings: RecordSettings, out: ChunkResult) -> str | None:
    """Check (or fix) one record's text into ``out``; return the new text when the fix changed it."""
    out.documents += 1
    norm, newline = split_newlines(text)
    source = f"{display}:{line}"
    if not settings.fix:
        out.findings.extend(place(f, line, rec_id) for f in engine.check(norm, rules, source))
        return None
    result = engine.fix(norm, rules, unsafe=settings.unsafe, source=source)
    out.findings.extend(place(f, line, rec_id) for f in result.findings)
    out.remaining.extend(place(f, line, rec_id) for f in result.remaining)
    if not result.converged:
        out.unconverged.append(line)
    if result.text == norm:
        return None
    out.changed += 1
    if settings.diff:
        out.diffs.append(unified_diff(norm, result.text, source))
    return result.text if newline == "\n" else result.text.replace("\n", newline)


# --- JSONL ------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_BOM = b"\xef\xbb\xbf"


def value_span(line: str, key: str) -> tuple[int, int] | None:
    """Where the value of top-level ``key`` is in a JSON object's source (the last one, as json.loads)."""
    ws = _WS.match
    i = ws(line, 0).end()
    if line[i:i + 1] != "{":
        return None
    i += 1
    span = None
    while True:
        i = ws(line, i).end()
        if line[i:i + 1] != '"':
            return span
        name, i = scanstring(line, i + 1)
        i = ws(line, i).end() + 1  # past ':'
        i = ws(line, i).end()
        _, end = _DECODER.raw_decode(line, i)
        if name == key:
            span = (i, end)
        i = ws(line, end).end()
        if line[i:i + 1] == ",":
            i += 1


def replace_value(line: str, key: str, new_text: str, old_text: str) -> str:
    """The record's source with only ``key``'s value re-encoded, in the style it was written in."""
    span = value_span(line, key)
    if span is None:  # pragma: no cover - json.loads found the key, so the scan does too
        raise ValueError(f"field {key!r} not found")
    start, end = span
    raw = line[start:end]
    # A writer that escaped non-ASCII (json.dumps' default) gets escapes back.
    ascii_style = raw.isascii() and not old_text.isascii()
    return line[:start] + json.dumps(new_text, ensure_ascii=ascii_style) + line[end:]


def process_jsonl_chunk(data: bytes, first_line: int, display: str, rules: Sequence[Rule],
                        settings: RecordSettings) -> ChunkResult:
    """Check or fix the records of ``data`` (whole lines of a shard, the first being ``first_line``)."""
    out = ChunkResult()
    lines = data.split(b"\n")
    changed = False
    key = settings.text_field
    for i, raw in enumerate(lines):
        line_no = first_line + i
        if i == len(lines) - 1 and not raw:
            break  # the empty piece after the final newline
        body = raw[:-1] if raw.endswith(b"\r") else raw
        prefix = b""
        if line_no == 1 and body.startswith(_BOM):
            prefix, body = _BOM, body[len(_BOM):]
        if not body.strip():
            continue
        try:
            source = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.problems.append((line_no, f"record is not valid UTF-8 at byte {exc.start}"))
            continue
        try:
            record = json.loads(source)
        except json.JSONDecodeError as exc:
            out.problems.append((line_no, f"malformed JSON record: {exc.msg} at column {exc.colno}"))
            continue
        except RecursionError:
            out.problems.append((line_no, "malformed JSON record: nested too deeply"))
            continue
        if not isinstance(record, dict):
            out.problems.append((line_no, "record is not a JSON object"))
            continue
        if key not in record:
            out.missing += 1
            continue
        text = record[key]
        if text is None:
            continue
        if not isinstance(text, str):
            out.problems.append((line_no, f"field {key!r} is a {type(text).__name__}, not a string"))
            continue
        new_text = run_text(text, line_no, record_id(record.get(settings.id_field)), display, rules, settings, out)
        if new_text is not None:
            rebuilt = replace_value(source, key, new_text, text)
            lines[i] = prefix + rebuilt.encode("utf-8") + raw[len(body) + len(prefix):]
            changed = True
    out.size = len(data)
    if changed:
        out.output = b"\n".join(lines)
    return out


def iter_chunks(stream: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[tuple[int, bytes]]:
    """Whole lines in pieces of about ``chunk_bytes``, each with the number of its first line."""
    line = 1
    rest = b""
    while True:
        block = stream.read(chunk_bytes)
        if not block:
            if rest:
                yield line, rest
            return
        data = rest + block if rest else block
        cut = data.rfind(b"\n")
        if cut == -1:
            rest = data
            continue
        chunk, rest = data[:cut + 1], data[cut + 1:]
        yield line, chunk
        line += chunk.count(b"\n")


# --- Parquet ----------------------------------------------------------------------------------

def process_texts_chunk(items: Sequence[tuple[int, str | None, str | None]], display: str,
                        rules: Sequence[Rule], settings: RecordSettings) -> ChunkResult:
    """Check or fix a column of texts: ``items`` are (row number, record id, text)."""
    out = ChunkResult()
    new_texts: list[str | None] = []
    for row, rec_id, text in items:
        if text is None:
            new_texts.append(None)
            continue
        out.size += len(text.encode("utf-8", "surrogatepass"))
        new_texts.append(run_text(text, row, rec_id, display, rules, settings, out))
    if any(t is not None for t in new_texts):
        out.output = new_texts
    return out


def require_pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ScrubberError("Parquet needs pyarrow: pip install 'scrubber[parquet]'") from None
    return pq


# --- opening and writing ----------------------------------------------------------------------

def _zstd() -> Any:
    try:
        import zstandard
    except ImportError:
        raise ScrubberError("zstd shards need the zstandard package: pip install 'scrubber[zstd]'") from None
    return zstandard


def open_records(fh: IO[bytes], compression: str | None) -> IO[bytes]:
    """A decompressing reader over ``fh`` (the raw file, whose position shows progress)."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=fh, mode="rb")
    if compression == "zstd":
        reader = _zstd().ZstdDecompressor().stream_reader(fh, read_across_frames=True, closefd=False)
        return io.BufferedReader(reader, 1 << 20)  # type: ignore[arg-type]
    return fh


def compressing_writer(fh: IO[bytes], compression: str | None) -> Any:
    """A writer into ``fh`` that compresses like the input was; ``close()`` finishes the stream."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=6, mtime=0, filename="")
    if compression == "zstd":
        return _zstd().ZstdCompressor(level=3).stream_writer(fh, closefd=False)
    return _NoClose(fh)


class _NoClose:
    """Plain output: closing the writer must leave the temp file to its owner."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh

    def write(self, data: bytes) -> int:
        return self.fh.write(data)

    def close(self) -> None:
        pass


def parquet_codec(metadata: Any) -> str:
    """The compression the file used (of its first column chunk), so a rewrite keeps it."""
    try:
        codec = str(metadata.row_group(0).column(0).compression).lower()
    except (IndexError, AttributeError, ValueError):
        return "snappy"
    return "none" if codec == "uncompressed" else codec
