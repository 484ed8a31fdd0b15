"""--jobs: the same reports, files and printed output with a process pool as without, in the same order."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from scale_helpers import run_main
from scrubber import engine
from scrubber.config import Config
from scrubber.discovery import discover
from scrubber.parallel import WARM_UP, Plan, plan, run_targets
from scrubber.runner import RunOptions

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
CLEAN = "A clean paragraph of text that says nothing wrong.\n"
# The character and structure packs: quick, so that a corpus big enough for a pool stays a quick test.
SELECT = ("SCR1", "SCR2")


def make_corpus(root: Path, scale: int = 1) -> None:
    root.mkdir()
    for i in range(12):
        (root / f"doc{i:02}.txt").write_text((DIRTY if i % 3 else CLEAN) * (1 + i % 4) * scale, encoding="utf-8")
    recs = [{"id": i, "text": (DIRTY if i % 2 else CLEAN) * (1 + i % 3), "n": i} for i in range(150 * scale)]
    data = "".join(json.dumps(r) + "\n" for r in recs).encode()
    (root / "shard.jsonl").write_bytes(data)
    (root / "sub").mkdir()
    (root / "sub" / "shard.jsonl.gz").write_bytes(gzip.compress(data, mtime=0))
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return
    pq.write_table(pa.Table.from_pylist(recs), root / "sub" / "table.parquet", row_group_size=100)


def summary_of(reports) -> list:
    return [(r.display, r.error, r.changed, r.written, [(f.line, f.column, f.rule_id, f.message) for f in r.findings],
             [(f.line, f.rule_id, f.message) for f in r.remaining]) for r in reports]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_pool_gives_what_inline_gives(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    config = Config(select=SELECT)
    rules = config.rules()
    targets = list(discover([str(corpus)], config.extensions))
    for fix in (False, True):
        results = []
        for jobs in (1, 2):
            out = tmp_path / f"out-{fix}-{jobs}"
            opts = RunOptions(fix=fix, write=fix, out_dir=out if fix else None)
            # Small chunks, and the pool forced on: shards are cut into many tasks, spread over 2 workers.
            forced = Plan(jobs, 1 << 30, 100)
            reports = list(run_targets(targets, config, rules, opts, jobs=jobs, chunk_bytes=1500, the_plan=forced))
            results.append((summary_of(reports), tree(out) if fix else {}))
        assert results[0] == results[1]
        assert [r[0] for r in results[0][0]] == [t.display for t in targets]  # input order


def test_cli_jobs_2_prints_and_writes_what_jobs_1_does(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, scale=14)
    targets = list(discover([str(corpus)], Config().extensions))
    assert plan(targets, 2).jobs == 2  # big enough for the pool to start
    outs = []
    for jobs in ("1", "2"):
        common = ("--no-cache", "--select", "SCR101,SCR201,SCR202", "--jobs", jobs)
        check = run_main("check", *common, "corpus", cwd=tmp_path)
        fixed = run_main("fix", *common, "--output-dir", f"out{jobs}", "corpus", cwd=tmp_path)
        assert check.returncode == 1 and fixed.returncode == 0, fixed.stderr
        outs.append((check.stdout, fixed.stdout, tree(tmp_path / f"out{jobs}")))
    assert outs[0] == outs[1]
    assert outs[0][2]["sub/shard.jsonl.gz"][:2] == b"\x1f\x8b"


def test_small_runs_stay_in_process(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    targets = list(discover([str(tmp_path / "a.txt")], Config().extensions))
    assert plan(targets, 8).jobs == 1


def test_jobs_must_be_positive(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    proc = run_main("check", "--jobs", "0", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2 and b"--jobs" in proc.stderr


def test_the_warm_up_goes_through_what_the_glue_rule_loads_on_first_use():
    # Workers are forked after the parent checks WARM_UP: what that loads (the glue index, the
    # common words of compounding, the other languages' lists) is shared, not loaded in each.
    findings = engine.check(WARM_UP, Config().rules())
    assert {f.extra.get("word") for f in findings if f.rule_name == "glued-words"} == {"ofthe", "closingseconds"}
    assert {f.extra.get("reason") for f in findings} == {"function-word", "content"}
