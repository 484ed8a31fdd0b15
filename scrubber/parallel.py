"""Running many inputs on all cores, in order, with bounded memory and a cache.

Every input becomes a *job* that cuts itself into *tasks*: a text file is one task, a record
shard one task per chunk of records. Tasks go to a process pool (or run inline with
``--jobs 1``) through a window of bounded depth, and their results are taken back strictly in
submission order, so reports, written files and printed findings are the same whatever
``--jobs`` is, and only a window's worth of chunks is ever in memory. Workers build the rules
once, from the picklable :class:`Config` given to the pool's initializer; tasks name rules by id.
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrubber.cache import Cache, bytes_digest
from scrubber.config import Config
from scrubber.corpus import (CHUNK_BYTES, PARQUET_BATCH_ROWS, ChunkResult, RecordSettings, compressing_writer,
                             compression_of, corpus_kind, iter_chunks, open_records, parquet_codec,
                             process_jsonl_chunk, process_texts_chunk, record_id, require_pyarrow)
from scrubber.discovery import Target, output_path
from scrubber.errors import ScrubberError
from scrubber.model import Finding
from scrubber.progress import Progress, RunStats
from scrubber.rules import Rule
from scrubber.runner import FileReport, RunOptions, process_file, write_output_copy
from scrubber.textfile import TEMP_SUFFIX, NotText, decode, new_file_mode

MIN_POOL_BYTES = 256 * 1024  # below this, starting processes costs more than it saves
WINDOW_PER_JOB = 3  # tasks in flight per worker: enough to keep it busy, few enough to bound memory


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- worker side ------------------------------------------------------------------------------

_RULES: dict[str, Rule] = {}


def _load_rules(config: Config, rules: Sequence[Rule] = ()) -> None:
    for rule in (*rules, *config.all_rules()):
        _RULES.setdefault(rule.id, rule)


def _worker_init(config: Config) -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers finish their task.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _load_rules(config)


def _rules(ids: Sequence[str]) -> list[Rule]:
    return [_RULES[i] for i in ids]


def _has_timeout(findings: Sequence[Finding]) -> bool:
    return any(f.extra.get("timeout") for f in findings)


def _needs_fix(findings: Sequence[Finding], opts: RunOptions) -> bool:
    """Whether fixing this content could change it: the engine applies nothing else."""
    return opts.fix and any(f.applicable(opts.unsafe) for f in findings)


def _from_cache(target: Target, raw: bytes, findings: list[Finding], opts: RunOptions) -> FileReport | None:
    """The report of a text file whose findings are known and which the fix leaves as it is."""
    try:
        text, _ = decode(raw, target.display)
    except (NotText, ScrubberError):
        return None
    report = FileReport(target.display, findings=list(findings), text=text)
    if opts.fix:
        report.remaining = list(findings)
        report.fixed_text = text
    if opts.write and opts.out_dir is not None:
        write_output_copy(report, target, opts.out_dir, raw)
    return report


def text_task(target: Target, rule_ids: tuple[str, ...], opts: RunOptions,
              cache: Cache | None) -> tuple[FileReport, int, bool]:
    """One text file, read, checked or fixed and written: (report, size, answered from the cache)."""
    rules = _rules(rule_ids)
    key = None
    if cache is not None:
        try:
            raw = target.path.read_bytes()
        except OSError:
            raw = None
        if raw is not None:
            key = cache.key(bytes_digest(raw), rule_ids, "text")
            hit = cache.get(key)
            if hit is not None and not _needs_fix(hit, opts):
                report = _from_cache(target, raw, hit, opts)
                if report is not None:
                    return report, len(raw), True
    report = process_file(target, rules, opts)
    size = len(report.text.encode("utf-8", "surrogatepass")) if report.text is not None else 0
    if cache is not None and key is not None and not (report.error or report.skipped or _has_timeout(report.findings)):
        cache.put(key, report.findings)
        if report.written and report.changed and opts.out_dir is None and not _has_timeout(report.remaining):
            try:  # the file now holds the fixed text: what `check` will say of it is known
                cache.put(cache.key(cache.file_digest(target.path), rule_ids, "text"), report.remaining)
            except OSError:
                pass
    return report, size, False


def jsonl_task(data: bytes, first_line: int, display: str, rule_ids: tuple[str, ...],
               settings: RecordSettings) -> ChunkResult:
    return process_jsonl_chunk(data, first_line, display, _rules(rule_ids), settings)


def texts_task(items: list[tuple[int, str | None, str | None]], display: str, rule_ids: tuple[str, ...],
               settings: RecordSettings) -> ChunkResult:
    return process_texts_chunk(items, display, _rules(rule_ids), settings)


def _noop() -> None:
    return None


# --- writing a shard --------------------------------------------------------------------------

class StreamingWrite:
    """A file written piece by piece into a temp file beside it, then swapped in with ``os.replace``.

    The same guarantees as :func:`scrubber.textfile.atomic_write`: a reader sees the old file or
    the new one; a read-only file (by its mode bits) is refused; a file changed on disk since it
    was read is left alone; a symlink stays a link to its updated target.
    """

    def __init__(self, dest: Path, display: str, in_place: bool) -> None:
        self.display = display
        self.target = dest.resolve() if dest.is_symlink() else dest
        self.in_place = in_place
        try:
            self.before: os.stat_result | None = self.target.stat()
        except FileNotFoundError:
            self.before = None
        if self.before is not None and (not self.before.st_mode & 0o222 or not os.access(self.target, os.W_OK)):
            raise ScrubberError("file is read-only; left unchanged", display)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=TEMP_SUFFIX,
                                        dir=self.target.parent)
        self.fh = os.fdopen(fd, "wb")

    def commit(self) -> None:
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            if self.in_place and self.before is not None:
                now = self.target.stat()
                if (now.st_size, now.st_mtime_ns) != (self.before.st_size, self.before.st_mtime_ns):
                    raise ScrubberError("file changed since it was read; left alone", self.display)
            # mkstemp makes 0600 files: a new file (in --output-dir) gets what open() would give it.
            os.chmod(self.tmp, stat.S_IMODE(self.before.st_mode) if self.before is not None else new_file_mode())
            os.replace(self.tmp, self.target)
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError):
                raise ScrubberError(f"cannot write: {exc.strerror}; original left unchanged", self.display) from None
            raise

    def abort(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def copy_file(src: Path, dest: Path) -> None:
    """An exact copy (for --output-dir when nothing changed: byte for byte, compression and all)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    out = StreamingWrite(dest, str(dest), in_place=False)
    try:
        with open(src, "rb") as fh:
            shutil.copyfileobj(fh, out.fh, 1 << 20)
    except BaseException:
        out.abort()
        raise
    out.commit()


# --- jobs (parent side) -----------------------------------------------------------------------

Task = tuple[Callable[..., Any], tuple[Any, ...]]


class TextJob:
    def __init__(self, target: Target, rule_ids: tuple[str, ...], opts: RunOptions, cache: Cache | None,
                 stats: RunStats, progress: Progress) -> None:
        self.target, self.rule_ids, self.opts, self.cache = target, rule_ids, opts, cache
        self.stats, self.progress = stats, progress
        self.result: tuple[FileReport, int, bool] | None = None

    def tasks(self) -> Iterator[Task]:
        yield text_task, (self.target, self.rule_ids, self.opts, self.cache)

    def accept(self, result: tuple[FileReport, int, bool]) -> None:
        self.result = result

    def finish(self) -> FileReport:
        assert self.result is not None
        report, size, cached = self.result
        self.stats.files += 1
        self.stats.cached += cached
        if not (report.error or report.skipped):
            self.stats.documents += 1
            self.stats.bytes += size
        self.progress.advance(size)
        return report

    def abort(self) -> None:
        pass


class CorpusJob:
    """A JSONL shard or a Parquet file: chunks out to workers, results merged back in order."""

    def __init__(self, target: Target, kind: str, rule_ids: tuple[str, ...], opts: RunOptions,
                 settings: RecordSettings, cache: Cache | None, stats: RunStats, progress: Progress,
                 chunk_bytes: int) -> None:
        self.target, self.kind, self.rule_ids, self.opts = target, kind, rule_ids, opts
        self.settings, self.cache, self.stats, self.progress = settings, cache, stats, progress
        self.chunk_bytes = chunk_bytes
        self.display = target.display
        self.report = FileReport(self.display)
        self.merged = ChunkResult()
        self.pending: deque[tuple[Any, int]] = deque()  # what each task was given (to write back), disk bytes
        self.writer: StreamingWrite | None = None
        self.sink: Any = None  # the compressing writer, or the Parquet writer
        self.key: str | None = None
        self.hit: dict[str, Any] | None = None
        self.failed = False

    # The generator runs in the parent, between results: it reads the next chunk only when the
    # window has room, so at most a window's worth of the shard is in memory.
    def tasks(self) -> Iterator[Task]:
        try:
            if self.kind == "parquet":
                require_pyarrow()
            if self.cache is not None:
                digest = self.cache.file_digest(self.target.path)
                self.key = self.cache.key(digest, self.rule_ids, f"{self.kind}:{self.settings.text_field}"
                                          f":{self.settings.id_field}")
                hit = self.cache.get(self.key)
                if hit is not None and not _needs_fix(hit["findings"], self.opts):
                    self.hit = hit
                    return
            if self.kind == "jsonl":
                yield from self._jsonl_tasks()
            else:
                yield from self._parquet_tasks()
        except ScrubberError as exc:
            self._fail(str(exc) if exc.path else f"{self.display}: {exc}")
        except (OSError, EOFError, ValueError) as exc:
            # gzip.BadGzipFile is an OSError; zstd and Arrow raise their own errors as ValueError-ish.
            self._fail(f"{self.display}: cannot read: {getattr(exc, 'strerror', None) or exc}")
        except Exception as exc:  # noqa: BLE001 - zstandard.ZstdError, pyarrow.ArrowInvalid: one line, exit 2
            self._fail(f"{self.display}: cannot read: {type(exc).__name__}: {exc}")

    def _fail(self, message: str) -> None:
        self.failed = True
        self.report.error = message
        self.abort()

    def _open_writer(self) -> None:
        if not self.opts.write:
            return
        if self.opts.out_dir is not None:
            dest = output_path(self.opts.out_dir, self.target.relative)
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.writer = StreamingWrite(dest, str(dest), in_place=False)
        else:
            self.writer = StreamingWrite(self.target.path, self.display, in_place=True)

    def _jsonl_tasks(self) -> Iterator[Task]:
        self._open_writer()
        if self.writer is not None:
            self.sink = compressing_writer(self.writer.fh, compression_of(self.target.path.name))
        with open(self.target.path, "rb") as fh:
            stream = open_records(fh, compression_of(self.target.path.name))
            seen = 0
            for first_line, data in iter_chunks(stream, self.chunk_bytes):
                pos = fh.tell()
                self.pending.append((data if self.writer is not None else None, pos - seen))
                seen = pos
                yield jsonl_task, (data, first_line, self.display, self.rule_ids, self.settings)

    def _parquet_tasks(self) -> Iterator[Task]:
        pq = require_pyarrow()
        pf = pq.ParquetFile(self.target.path)
        schema = pf.schema_arrow
        name = self.settings.text_field
        if schema.get_field_index(name) < 0:
            raise ScrubberError(f"no column {name!r} (choose one with --text-field)", self.display)
        import pyarrow as pa

        if not (pa.types.is_string(schema.field(name).type) or pa.types.is_large_string(schema.field(name).type)):
            raise ScrubberError(f"column {name!r} is {schema.field(name).type}, not a string column", self.display)
        has_id = schema.get_field_index(self.settings.id_field) >= 0
        self._open_writer()
        if self.writer is not None:
            self.sink = pq.ParquetWriter(self.writer.fh, schema, compression=parquet_codec(pf.metadata))
        rows = max(pf.metadata.num_rows, 1)
        size = self.target.path.stat().st_size
        row = 1
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            texts = batch.column(name).to_pylist()
            ids = batch.column(self.settings.id_field).to_pylist() if has_id else [None] * len(texts)
            items = [(row + k, record_id(ids[k]), texts[k]) for k in range(len(texts))]
            row += len(texts)
            self.pending.append((batch if self.writer is not None else None, size * len(texts) // rows))
            yield texts_task, (items, self.display, self.rule_ids, self.settings)

    def accept(self, result: ChunkResult) -> None:
        given, disk = self.pending.popleft()
        m = self.merged
        m.findings.extend(result.findings)
        m.remaining.extend(result.remaining)
        m.problems.extend(result.problems)
        m.documents += result.documents
        m.missing += result.missing
        m.changed += result.changed
        m.unconverged.extend(result.unconverged)
        m.diffs.extend(result.diffs)
        m.size += result.size
        self.progress.advance(disk)
        if self.sink is None or self.failed:
            return
        try:
            if self.kind == "jsonl":
                self.sink.write(result.output if result.output is not None else given)
            else:
                self.sink.write_batch(self._fixed_batch(given, result.output))
        except Exception as exc:  # noqa: BLE001 - an output problem fails this file only
            self._fail(f"{self.display}: cannot write: {getattr(exc, 'strerror', None) or exc}")

    def _fixed_batch(self, batch: Any, texts: list[str | None] | None) -> Any:
        if texts is None:
            return batch
        import pyarrow as pa

        idx = batch.schema.get_field_index(self.settings.text_field)
        old = batch.column(idx).to_pylist()
        new = [t if t is not None else o for t, o in zip(texts, old)]
        columns = list(batch.columns)
        columns[idx] = pa.array(new, type=batch.schema.field(idx).type)
        return pa.RecordBatch.from_arrays(columns, schema=batch.schema)

    def finish(self) -> FileReport:
        report, m = self.report, self.merged
        self.stats.files += 1
        self.stats.records = True
        if self.hit is not None:
            return self._finish_cached(self.hit)
        if self.failed:
            return report
        self.stats.documents += m.documents
        self.stats.bytes += m.size
        report.findings = m.findings
        report.remaining = m.remaining if self.opts.fix else []
        report.changed = m.changed > 0
        report.converged = not m.unconverged
        report.diff = "".join(m.diffs)
        if m.problems:
            report.error = _problems_message(self.display, m.problems)
        elif m.documents == 0 and m.missing:
            report.error = (f"{self.display}: no record has a {self.settings.text_field!r} field "
                            f"(choose the text field with --text-field)")
        self._commit()
        if self.cache is not None and self.key is not None and not m.problems and not report.error \
                and not _has_timeout(m.findings):
            entry = {"findings": m.findings, "documents": m.documents, "size": m.size}
            self.cache.put(self.key, entry)
            if report.written and report.changed and self.opts.out_dir is None and not _has_timeout(m.remaining):
                try:
                    new_key = self.cache.key(self.cache.file_digest(self.target.path), self.rule_ids,
                                             f"{self.kind}:{self.settings.text_field}:{self.settings.id_field}")
                    self.cache.put(new_key, {**entry, "findings": m.remaining})
                except OSError:
                    pass
        return report

    def _commit(self) -> None:
        if self.writer is None:
            return
        report = self.report
        try:
            if self.kind == "jsonl":
                self.sink.close()
            else:
                self.sink.close()
            if report.changed:
                self.writer.commit()
                report.written = True
            else:
                self.writer.abort()  # unchanged: in place, nothing to do; in --output-dir, an exact copy
                if self.opts.out_dir is not None:
                    copy_file(self.target.path, output_path(self.opts.out_dir, self.target.relative))
                    report.written = True
        except ScrubberError as exc:
            report.error = str(exc)
        except Exception as exc:  # noqa: BLE001
            self.writer.abort()
            report.error = f"{self.display}: cannot write: {getattr(exc, 'strerror', None) or exc}"
        finally:
            self.writer = None

    def _finish_cached(self, hit: dict[str, Any]) -> FileReport:
        report = self.report
        report.findings = list(hit["findings"])
        if self.opts.fix:
            report.remaining = list(hit["findings"])
        self.stats.cached += 1
        self.stats.documents += hit["documents"]
        self.stats.bytes += hit["size"]
        try:
            self.progress.advance(self.target.path.stat().st_size)
        except OSError:
            pass
        if self.opts.write and self.opts.out_dir is not None:
            try:
                copy_file(self.target.path, output_path(self.opts.out_dir, self.target.relative))
                report.written = True
            except ScrubberError as exc:
                report.error = str(exc)
            except OSError as exc:
                report.error = f"{self.display}: cannot write: {exc.strerror}"
        return report

    def abort(self) -> None:
        if self.writer is not None:
            if self.sink is not None:
                try:
                    self.sink.close()
                except Exception:  # noqa: BLE001 - the temp file goes anyway
                    pass
            self.writer.abort()
            self.writer = None
        self.sink = None


def _problems_message(display: str, problems: list[tuple[int, str]]) -> str:
    line, why = problems[0]
    text = f"{display}:{line}: {why}; passed through unchanged"
    if len(problems) > 1:
        more = ", ".join(str(ln) for ln, _ in problems[1:6])
        text += f" (and {len(problems) - 1} more at line{'s' if len(problems) > 2 else ''} {more}"
        text += ", ...)" if len(problems) > 6 else ")"
    return text


# --- the scheduler ----------------------------------------------------------------------------

class _Inline:
    """``--jobs 1``: the same jobs and order, no processes."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        fut.set_result(fn(*args))
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


# Enough running English for the rules to load what they load lazily (word lists, language model,
# the glue index, and what judging a glued word consults: ``ofthe`` and ``closingseconds``).
WARM_UP = ("The workers are forked from this process after it has read this paragraph, so that what the rules "
           "load on first use is loaded once here and shared by every worker, not loaded again in each. Rare "
           "words such as lexicon, tokeniser or heuristics are used once, and a glued pair ofthe kind the "
           "rules repair goes through the whole judgement, as in the closingseconds of a match.\n")


def _pool(config: Config, workers: int, rules: Sequence[Rule]) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the parent's loaded rules and word lists at no cost; elsewhere the initializer builds them.
    method = "fork" if sys.platform.startswith("linux") else None
    ctx = multiprocessing.get_context(method)
    if method == "fork":
        from scrubber import engine

        try:
            engine.check(WARM_UP, rules)
        except Exception:  # noqa: BLE001 - only a warm-up: a real problem shows on real input
            pass
        # Keep the garbage collector of each worker from walking (and so copying) the inherited heap.
        import gc

        gc.freeze()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(config,))
    pool.submit(_noop).result()  # start the workers now, before any thread (the progress bar) exists
    return pool


@dataclass(frozen=True)
class Plan:
    jobs: int  # processes; 1 = inline
    total_bytes: int
    units: int  # tasks, roughly


def plan(targets: Sequence[Target], jobs: int, chunk_bytes: int = CHUNK_BYTES) -> Plan:
    total = units = 0
    for t in targets:
        try:
            size = t.path.stat().st_size
        except OSError:
            size = 0
        total += size
        units += max(1, size // chunk_bytes) if corpus_kind(t.path.name) else 1
    workers = min(jobs, units)
    if workers > 1 and total < MIN_POOL_BYTES:
        workers = 1
    return Plan(max(1, workers), total, units)


def _all_answered(targets: Sequence[Target], rules: Sequence[Rule],
                  rules_for_target: Callable[[Target], Sequence[Rule]] | None, cache: Cache,
                  opts: RunOptions, settings: RecordSettings) -> bool:
    """Whether the cache answers for every target: then a re-run starts no workers (and loads
    no word list to share with them), and costs little more than reading the inputs' stamps."""
    for target in targets:
        active = rules_for_target(target) if rules_for_target is not None else rules
        kind = corpus_kind(target.path.name)
        try:
            digest = cache.file_digest(target.path)
        except OSError:
            return False
        label = "text" if kind is None else f"{kind}:{settings.text_field}:{settings.id_field}"
        hit = cache.peek(cache.key(digest, tuple(r.id for r in active), label))
        if hit is None or _needs_fix(hit if kind is None else hit["findings"], opts):
            return False
    return True


def run_targets(targets: Sequence[Target], config: Config, rules: Sequence[Rule], opts: RunOptions, *,
                jobs: int = 1, cache: Cache | None = None, stats: RunStats | None = None,
                progress: Progress | None = None, chunk_bytes: int = CHUNK_BYTES, the_plan: Plan | None = None,
                rules_for_target: Callable[[Target], Sequence[Rule]] | None = None) -> Iterator[FileReport]:
    """One report per target, in order; identical output for every ``jobs``.

    ``rules_for_target`` narrows the rules per file (per-path ignores); by default, all of ``rules``.
    """
    stats = stats if stats is not None else RunStats()
    the_plan = the_plan or plan(targets, jobs, chunk_bytes)
    progress = progress or Progress(False, the_plan.total_bytes, len(targets))
    settings = RecordSettings(config.text_field, config.id_field, fix=opts.fix, unsafe=opts.unsafe, diff=opts.diff)
    _load_rules(config, rules)
    parallel = the_plan.jobs > 1 and not (cache is not None and _all_answered(targets, rules, rules_for_target,
                                                                            cache, opts, settings))
    executor: Any = _pool(config, the_plan.jobs, rules) if parallel else _Inline()
    limit = the_plan.jobs * WINDOW_PER_JOB if the_plan.jobs > 1 else 0
    window: deque[tuple[Future | None, Any]] = deque()
    open_jobs: list[Any] = []

    def drain() -> Iterator[FileReport]:
        fut, job = window.popleft()
        if fut is None:
            open_jobs.remove(job)
            yield job.finish()
        else:
            job.accept(fut.result())

    try:
        for target in targets:
            active = rules_for_target(target) if rules_for_target is not None else rules
            rule_ids = tuple(r.id for r in active)
            kind = corpus_kind(target.path.name)
            job: Any
            if kind is None:
                job = TextJob(target, rule_ids, opts, cache, stats, progress)
            else:
                job = CorpusJob(target, kind, rule_ids, opts, settings, cache, stats, progress, chunk_bytes)
            open_jobs.append(job)
            for fn, args in job.tasks():
                window.append((executor.submit(fn, *args), job))
                while len(window) > limit:
                    yield from drain()
            window.append((None, job))
            while len(window) > limit:
                yield from drain()
        while window:
            yield from drain()
    finally:
        for job in open_jobs:
            job.abort()
        executor.shutdown(wait=True, cancel_futures=True)
