#!/usr/bin/env python3
"""Time and peak memory of `scrubber` on hostile inputs: one huge single-line file, one big JSONL shard.

    python benchmarks/hostile_inputs.py                       # 100 MB line, 1 GB JSONL shard
    python benchmarks/hostile_inputs.py --line-mb 10 --jsonl-mb 100 --jobs 2

Each input is generated into a temporary folder (deleted afterwards unless --keep), then
`scrubber check` and `scrubber fix --output-dir` run on it in a fresh process. The script prints
one row per run: wall and CPU time, peak RSS of the largest process (the CLI or one of its workers:
``wait4`` reports the maximum over a process and the children it reaped), exit code, and the
last line the CLI printed on stderr. It asserts nothing: timings belong here, not in tests.

What "bounded" means here: the shipped packs run without a regex time limit (a user's pack has
one, ``regex-timeout``), so this is where their patterns show they are linear: a single-line
file costs time linear in its size, with no rule reported as skipped; its memory is a small multiple of the file size (the bytes,
the decoded text and one line view; a fix adds the fixed text). A JSONL shard is streamed in
chunks of about 1 MB per worker, so its memory does not grow with the shard.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from spawn import measured

WORDS = ("the coalition said on Friday that Daesh is building up its defenses in the last stronghold "
         "of the group near the border with Syria where fighters have retreated after losing Mosul").split()
# One artifact in a few hundred words: enough for fixes to happen, few enough to keep reports short.
ARTIFACTS = ["re\u200bcaptured", "Mosul\u00a0on", "bell\x07ringer", "caf\u00c3\u00a9"]


def words(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        out.append(rng.choice(ARTIFACTS) if rng.random() < 0.002 else rng.choice(WORDS))
    return " ".join(out)


def write_single_line(path: Path, megabytes: float, rng: random.Random) -> None:
    target = int(megabytes * 1_000_000)
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < target:
            piece = words(rng, 20_000) + " "
            fh.write(piece)
            written += len(piece.encode("utf-8"))
        fh.write("end of the line.\n")


def write_jsonl(path: Path, megabytes: float, rng: random.Random) -> None:
    target = int(megabytes * 1_000_000)
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < target:
            paragraphs = [words(rng, rng.randint(30, 120)) + "." for _ in range(rng.randint(2, 8))]
            line = json.dumps({"id": f"doc-{n}", "url": f"https://example.com/{n}",
                               "text": "Title\n\n" + "\n\n".join(paragraphs) + "\n"}, ensure_ascii=False) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            n += 1


def run(args: list[str], cwd: Path) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code, last stderr line) of one CLI run.

    CPU time counts the CLI and the workers it reaped: on a busy machine it is the steadier figure."""
    cmd = [sys.executable, "-m", "scrubber", *args]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        usage, _ = measured(cmd, cwd=cwd, stderr=err)
        wall = time.perf_counter() - start
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return wall, usage["cpu_seconds"], int(usage["peak_rss_mb"]), usage["exit"], (lines[-1] if lines else "")[:120]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--line-mb", type=float, default=100.0, help="size of the single-line file (0: skip)")
    ap.add_argument("--jsonl-mb", type=float, default=1000.0, help="size of the JSONL shard (0: skip)")
    ap.add_argument("--jobs", type=int, default=None, help="--jobs for the JSONL runs (default: all cores)")
    ap.add_argument("--workdir", type=Path, help="where to generate the inputs (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated inputs")
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="scrubber-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    rows = []
    try:
        if args.line_mb > 0:
            line_file = work / "single-line.txt"
            write_single_line(line_file, args.line_mb, rng)
            size = line_file.stat().st_size / 1e6
            common = ["--no-cache", "--no-progress", "--jobs", "1", "--output-format", "concise"]
            rows.append((f"check single line {size:.0f} MB", *run(["check", *common, line_file.name], work)))
            rows.append((f"fix --output-dir single line {size:.0f} MB",
                         *run(["fix", *common, "--output-dir", "out", line_file.name], work)))
        if args.jsonl_mb > 0:
            shard = work / "shard.jsonl"
            write_jsonl(shard, args.jsonl_mb, rng)
            size = shard.stat().st_size / 1e6
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            common = ["--no-cache", "--no-progress", "--statistics", *jobs]
            rows.append((f"check JSONL shard {size:.0f} MB", *run(["check", *common, shard.name], work)))
            rows.append((f"fix --output-dir JSONL shard {size:.0f} MB",
                         *run(["fix", *common, "--output-dir", "out", shard.name], work)))
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'run':<40} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'exit':>5}  last stderr line")
    for name, wall, cpu, rss, code, last in rows:
        print(f"{name:<40} {wall:>8.1f} {cpu:>8.1f} {rss:>12} {code:>5}  {last}")


if __name__ == "__main__":
    main()
