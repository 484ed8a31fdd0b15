"""Ray Data: the same engine over a Ray Dataset, for corpora that outgrow one machine.

    import ray, scrubber.ray
    ds = ray.data.read_parquet("s3://bucket/shards/")
    clean = scrubber.ray.scrub_dataset(ds, text_column="text", fix=True)
    clean.drop_columns(["scrubber_findings", "scrubber_changed"]).write_parquet("s3://bucket/clean/")

Nothing here distributes work itself: ``map_batches`` hands batches to Ray's workers, each of
which builds the rules once (``Config.rules()`` is cached per process). ``import ray`` stays
inside functions so that scrubber imports without it (``pip install 'scrubber[ray]'``).
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from scrubber import engine
from scrubber.config import Config
from scrubber.corpus import corpus_kind, place, record_id, split_newlines
from scrubber.discovery import Target
from scrubber.errors import ScrubberError
from scrubber.model import Edit, Finding, FixSafety, Severity
from scrubber.rules import Rule
from scrubber.runner import FileReport, RunOptions

FINDINGS_COLUMN = "scrubber_findings"
CHANGED_COLUMN = "scrubber_changed"
PATH_COLUMN = "path"  # what Ray's readers add with include_paths=True


def _require_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ScrubberError("--engine ray needs Ray: pip install 'scrubber[ray]'") from None
    return ray


def finding_type() -> Any:
    import pyarrow as pa

    return pa.list_(pa.struct([
        ("rule", pa.string()), ("name", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("line", pa.int64()), ("column", pa.int64()), ("end_line", pa.int64()), ("end_column", pa.int64()),
        ("message", pa.string()), ("severity", pa.string()), ("safety", pa.string()),
        ("edit_start", pa.int64()), ("edit_end", pa.int64()), ("replacement", pa.string()),
    ]))


def to_row(f: Finding) -> dict[str, Any]:
    e = f.edit
    return {"rule": f.rule_id, "name": f.rule_name, "start": f.start, "end": f.end, "line": f.line,
            "column": f.column, "end_line": f.end_line, "end_column": f.end_column, "message": f.message,
            "severity": f.severity.value, "safety": f.safety.value, "edit_start": e.start if e else None,
            "edit_end": e.end if e else None, "replacement": e.replacement if e else None}


def from_row(row: dict[str, Any]) -> Finding:
    edit = Edit(row["edit_start"], row["edit_end"], row["replacement"]) if row["replacement"] is not None else None
    return Finding(row["rule"], row["name"], row["start"], row["end"], row["line"], row["column"],
                   row["end_line"], row["end_column"], row["message"], Severity(row["severity"]),
                   FixSafety(row["safety"]), edit)


def _select(config: Config, rule_ids: Sequence[str] | None) -> list[Rule]:
    if rule_ids is None:
        return config.rules()
    by_id = {r.id: r for r in config.all_rules()}
    return [by_id[i] for i in rule_ids]


def scrub_batch(batch: Any, config: Config, text_column: str, fix: bool, unsafe: bool,
                rule_ids: Sequence[str] | None = None) -> Any:
    """One Arrow batch: the text column fixed (with ``fix``), plus the findings as a column.

    In check mode the findings are those of the text; in fix mode, those the fixed text still has
    (positions in the fixed text), as ``scrubber fix`` reports them, and ``scrubber_changed`` says
    which texts the fix changed.
    """
    import pyarrow as pa

    rules = _select(config, rule_ids)
    texts = batch.column(text_column).to_pylist()
    out_texts: list[str | None] = []
    found: list[list[dict[str, Any]]] = []
    changed: list[bool] = []
    for text in texts:
        if text is None:
            out_texts.append(None)
            found.append([])
            changed.append(False)
            continue
        norm, newline = split_newlines(text)
        if fix:
            result = engine.fix(norm, rules, unsafe=unsafe)
            same = result.text == norm
            out_texts.append(text if same else result.text.replace("\n", newline) if newline != "\n" else result.text)
            found.append([to_row(f) for f in result.remaining])
            changed.append(not same)
        else:
            out_texts.append(text)
            found.append([to_row(f) for f in engine.check(norm, rules)])
    idx = batch.schema.get_field_index(text_column)
    if fix:
        batch = batch.set_column(idx, text_column, pa.array(out_texts, type=batch.schema.field(idx).type))
        batch = batch.append_column(CHANGED_COLUMN, pa.array(changed, type=pa.bool_()))
    return batch.append_column(FINDINGS_COLUMN, pa.array(found, type=finding_type()))


def scrub_dataset(ds: Any, config: Config | None = None, *, text_column: str = "text", fix: bool = True,
                  unsafe: bool | None = None, rule_ids: Sequence[str] | None = None,
                  batch_size: int = 256, **map_batches_args: Any) -> Any:
    """The dataset with ``text_column`` fixed (``fix=True``) and a ``scrubber_findings`` column.

    ``config`` defaults to scrubber's defaults (pass ``resolve_config(...)`` for a project's);
    extra keyword arguments go to ``map_batches`` (``concurrency``, ``num_cpus``, ...).
    """
    config = config or Config()
    allow = config.unsafe_fixes if unsafe is None else unsafe
    return ds.map_batches(scrub_batch, batch_format="pyarrow", batch_size=batch_size,
                          fn_kwargs={"config": config, "text_column": text_column, "fix": fix, "unsafe": allow,
                                     "rule_ids": tuple(rule_ids) if rule_ids is not None else None},
                          **map_batches_args)


# --- the CLI's --engine ray ---------------------------------------------------------------------

def _connect(address: str | None) -> Any:
    ray = _require_ray()
    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False,
                 include_dashboard=False, configure_logging=False)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # records come back in file order: line numbers hold
    ctx.enable_progress_bars = False
    return ray


def cli_reports(targets: Sequence[Target], config: Config, rules: Sequence[Rule], opts: RunOptions,
                address: str | None = None) -> Iterator[FileReport]:
    """``scrubber check/fix --engine ray``: JSONL and Parquet read and written by Ray's own readers.

    Records are numbered by their place in the file (the line, when a shard has no blank lines);
    ``fix`` writes clean shards into ``--output-dir`` (Ray names the files); in-place fixing
    is a local-engine feature.
    """
    if opts.write and opts.out_dir is None:
        raise ScrubberError("fix --engine ray writes clean shards: give --output-dir")
    groups: dict[str, list[Target]] = {"jsonl": [], "parquet": []}
    for t in targets:
        kind = corpus_kind(t.path.name)
        if kind is None:
            yield FileReport(t.display, error=f"{t.display}: --engine ray reads JSONL and Parquet only")
            continue
        groups[kind].append(t)
    if not any(groups.values()):
        return
    ray = _connect(address)
    rule_ids = tuple(r.id for r in rules)
    for kind, members in groups.items():
        if not members:
            continue
        paths = [str(t.path.resolve()) for t in members]
        if kind == "jsonl":
            ds = ray.data.read_json(paths, include_paths=True, lines=True)
        else:
            ds = ray.data.read_parquet(paths, include_paths=True)
        ds = scrub_dataset(ds, config, text_column=config.text_field, fix=opts.fix, unsafe=opts.unsafe,
                           rule_ids=rule_ids).materialize()
        if opts.write and opts.out_dir is not None:
            out = opts.out_dir.resolve() / kind
            clean = ds.drop_columns([FINDINGS_COLUMN, CHANGED_COLUMN, PATH_COLUMN])
            clean.write_json(str(out)) if kind == "jsonl" else clean.write_parquet(str(out))
        yield from _reports(ds, members, config, opts)


def _reports(ds: Any, members: Sequence[Target], config: Config, opts: RunOptions) -> Iterator[FileReport]:
    by_path = {os.path.normpath(str(t.path.resolve())): t for t in members}
    reports = {t.display: FileReport(t.display) for t in members}
    counts: dict[str, int] = {}
    columns = [PATH_COLUMN, FINDINGS_COLUMN] + ([CHANGED_COLUMN] if opts.fix else [])
    has_id = config.id_field in ds.schema().names
    if has_id:
        columns.append(config.id_field)
    for batch in ds.select_columns(columns).iter_batches(batch_format="pyarrow"):
        for row in batch.to_pylist():
            target = by_path.get(os.path.normpath(str(Path(row[PATH_COLUMN]))))
            if target is None:
                continue
            n = counts[target.display] = counts.get(target.display, 0) + 1
            report = reports[target.display]
            rec = record_id(row.get(config.id_field)) if has_id else None
            placed = [place(from_row(f), n, rec) for f in row[FINDINGS_COLUMN]]
            report.findings.extend(placed)
            if opts.fix:
                report.remaining.extend(placed)
                report.changed = report.changed or bool(row[CHANGED_COLUMN])
    for t in members:
        report = reports[t.display]
        report.written = bool(opts.write)
        yield report
