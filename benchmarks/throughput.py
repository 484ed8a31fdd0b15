#!/usr/bin/env python3
"""Throughput, parallel speed-up, peak memory and cache speed-up of `scrubber` on a JSONL corpus.

    python benchmarks/throughput.py [--size-mb 100] [--shards 8] [--json figures.json]

Builds a corpus of ``--size-mb`` MB (text bytes) in a temp folder from the clean documents of
../shared/eval/clean, each record a document with one artifact injected by
../shared/eval/corrupt.py's own injectors (imported from there at run time, never copied), or
none; then measures, in one run:

- the time to ready the word images (:mod:`scrubber.word_images`: built on a machine's first use,
  mapped afterwards), kept out of the timed runs;
- MB/s of ``scrubber check`` and ``scrubber fix --output-dir`` with the default packs at
  ``--jobs 1`` and ``--jobs 2`` (whole command, start-up included; no cache);
- MB/s of ``ftfy.fix_text`` (defaults) over the same documents, in this process, one core;
- peak memory: the largest resident set of any scrubber process (parent or worker), from wait4
  in a small launcher (see spawn.py: a child inherits the peak of the process that spawns it);
- a cold run with an empty cache against a warm re-run over the unchanged corpus;
- ``--speedup-rounds`` rounds of ``check --jobs 1`` and ``--jobs 2`` back to back on
  ``--speedup-mb`` of the shards, and the median of their ratios;
- ``--pairs`` back-to-back rounds of ``check`` (the engine, in this process) and
  ``ftfy.fix_text`` on the same ``--pairs-mb`` of text, and the median of their CPU ratios:
  the runs above are minutes apart, and this machine's speed drifts by 15% within minutes;
- and, on a sample, the time each rule takes, to say which one is slow.

Targets (issue 5): default packs >= 2x ftfy's single-core MB/s; --jobs 2 >= 1.8x --jobs 1;
peak memory < 300 MB; warm cache >= 20x faster than cold.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from spawn import measured

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def load_corrupt(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("scrubber_bench_corrupt", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_corpus(clean: Path, corrupt_py: Path, out: Path, size_mb: float, shards: int, seed: int) -> tuple[int, int]:
    """JSONL shards of noisy documents; returns (documents, text bytes)."""
    corrupt = load_corrupt(corrupt_py)
    docs = [p.read_text(encoding="utf-8") for p in sorted(clean.glob("*.txt"))]
    if not docs:
        raise SystemExit(f"no .txt documents in {clean}")
    kinds = ["none", *corrupt.INJECTORS]
    rng = random.Random(seed)
    target = int(size_mb * 1e6)
    out.mkdir(parents=True, exist_ok=True)
    files = [open(out / f"shard-{i:03}.jsonl", "w", encoding="utf-8") for i in range(shards)]
    total = n = 0
    try:
        while total < target:
            text = docs[n % len(docs)]
            kind = rng.choice(kinds)
            result = None
            if kind == "photo-caption":
                result = corrupt.photo_caption(text, rng, rng.choice(docs))
            elif kind != "none":
                result = corrupt.INJECTORS[kind](text, rng)
            noisy = result[0] if result else text
            record = {"id": f"doc-{n}", "source": "clean", "artifact": kind if result else "none", "text": noisy}
            files[n % shards].write(json.dumps(record, ensure_ascii=False) + "\n")
            total += len(noisy.encode("utf-8"))
            n += 1
    finally:
        for fh in files:
            fh.close()
    return n, total


def iter_texts(folder: Path):
    for shard in sorted(folder.glob("*.jsonl")):
        with open(shard, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)["text"]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall time, exit code and peak RSS (MB, largest of the process and its waited-for workers)."""
    t0 = time.perf_counter()
    usage, err = measured(cmd, env=env)
    secs = time.perf_counter() - t0
    if usage["exit"] not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({usage['exit']}):\n{err.decode(errors='replace')[-2000:]}")
    # CPU time counts the workers too (waited for by the scrubber process): on a busy machine the
    # wall-clock speed-up of --jobs 2 says little, the CPU it spent against --jobs 1 says what it costs.
    return {"seconds": secs, **usage}


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rule_profile(folder: Path, limit_bytes: int) -> list[tuple[str, float]]:
    """Seconds per rule (``check``, default packs, steady state) over the first ``limit_bytes`` of text."""
    from scrubber.config import Config
    from scrubber.document import Document

    rules = Config().rules()
    spent: dict[str, float] = defaultdict(float)
    seen = 0
    # Warm up first: word lists and patterns load on first use, once per process; the figures
    # are for the steady state that a long run is in.
    for _, text in zip(range(200), iter_texts(folder)):
        doc = Document(text)
        for rule in rules:
            list(rule.checker.check(doc))
    for text in iter_texts(folder):
        doc = Document(text)
        for rule in rules:
            t0 = time.perf_counter()
            list(rule.checker.check(doc))
            spent[f"{rule.id} {rule.name} ({rule.kind})"] += time.perf_counter() - t0
        seen += len(text.encode("utf-8"))
        if seen >= limit_bytes:
            break
    return sorted(spent.items(), key=lambda kv: -kv[1])


def paired_ratios(folder: Path, limit_bytes: int, rounds: int) -> tuple[float, list[float], float]:
    """``ftfy.fix_text`` CPU seconds over ``check`` CPU seconds on the same documents, in
    ``rounds`` rounds that interleave the two (steady state, in this process): (median, all, MB).

    The whole-command runs above are minutes apart, and a shared machine's speed drifts by
    15% within minutes; a pair measured seconds apart sees the same machine, so the median of
    the pairs' ratios is the figure to trust for "how much faster than ftfy".
    """
    import ftfy

    from scrubber.config import Config
    from scrubber.document import Document
    from scrubber.engine import check_document

    rules = Config().rules()
    texts: list[str] = []
    size = 0
    for text in iter_texts(folder):
        texts.append(text)
        size += len(text.encode("utf-8"))
        if size >= limit_bytes:
            break
    for text in texts[:200]:  # word lists and patterns load on first use: not the steady state
        check_document(Document(text), rules)
        ftfy.fix_text(text)
    ratios = []
    clock = time.process_time
    for _ in range(rounds):
        # Interleaved twenty documents at a time, so that both see the machine in the same state.
        ftfy_cpu = check_cpu = 0.0
        for at in range(0, len(texts), 20):
            block = texts[at:at + 20]
            t = clock()
            for text in block:
                ftfy.fix_text(text)
            t2 = clock()
            for text in block:
                check_document(Document(text), rules)
            ftfy_cpu += t2 - t
            check_cpu += clock() - t2
        ratios.append(ftfy_cpu / check_cpu)
    return statistics.median(ratios), ratios, size / 1e6


def paired_speedups(scrubber: list[str], shards: list[Path], rounds: int) -> list[float]:
    """``check --jobs 1`` seconds over ``check --jobs 2`` seconds, whole commands run back to
    back on the same shards, in ``rounds`` rounds (which of the two goes first alternates).

    A single pair minutes apart says little here: on this machine a plain Python loop, alone on
    the machine, takes from 5.6 to 9.2 CPU seconds from one minute to the next; a round sees
    both commands within seconds of each other.
    """
    ratios = []
    for i in range(rounds):
        seconds = {}
        for jobs in (("1", "2") if i % 2 == 0 else ("2", "1")):
            seconds[jobs] = timed([*scrubber, "check", "--no-cache", "--exit-zero", "--jobs", jobs,
                                   *map(str, shards)])["seconds"]
        ratios.append(seconds["1"] / seconds["2"])
    return ratios


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=100.0, help="corpus size in MB of text (default 100)")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clean", type=Path, default=EVAL / "clean")
    ap.add_argument("--corrupt", type=Path, default=EVAL / "corrupt.py")
    ap.add_argument("--select", help="rules to run instead of the default packs (e.g. to compare packs)")
    ap.add_argument("--profile-mb", type=float, default=2.0, help="text to time rule by rule (0: skip)")
    ap.add_argument("--pairs", type=int, default=5, help="rounds interleaving check and ftfy (0: skip)")
    ap.add_argument("--pairs-mb", type=float, default=4.0, help="text each of those rounds runs on")
    ap.add_argument("--speedup-rounds", type=int, default=3,
                    help="rounds running check --jobs 1 and --jobs 2 back to back (0: skip)")
    ap.add_argument("--speedup-mb", type=float, default=0.0,
                    help="text those rounds run on, in whole shards (default 0: the whole corpus)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it (default: a temp folder)")
    args = ap.parse_args()

    scrubber = [sys.executable, "-m", "scrubber"]
    select = ["--select", args.select] if args.select else []
    with tempfile.TemporaryDirectory(prefix="scrubber-bench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = args.keep or tmp / "corpus"
        t0 = time.perf_counter()
        docs, nbytes = build_corpus(args.clean, args.corrupt, corpus, args.size_mb, args.shards, args.seed)
        mb = nbytes / 1e6
        disk_mb = sum(p.stat().st_size for p in corpus.glob("*.jsonl")) / 1e6
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = float("nan")
        print(f"load average before the runs: {load:.1f} on {os.cpu_count()} CPUs "
              f"(figures of a busy machine are not the machine's)")
        print(f"corpus: {docs:,} documents, {mb:.1f} MB of text ({disk_mb:.1f} MB of JSONL) in {args.shards} shards,"
              f" built in {time.perf_counter() - t0:.1f} s", flush=True)
        figures: dict[str, Any] = {"documents": docs, "text_mb": round(mb, 2), "jsonl_mb": round(disk_mb, 2),
                                   "cpus": os.cpu_count(), "runs": {}}
        runs = figures["runs"]

        def record(name: str, result: dict[str, Any]) -> None:
            result["MB_per_s"] = mb / result["seconds"]
            runs[name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}
            print(f"  {name:<22} {result['seconds']:8.1f} s {result['MB_per_s']:8.3f} MB/s "
                  f"cpu {result['cpu_seconds']:8.1f} s  peak {result['peak_rss_mb']:6.0f} MB", flush=True)

        # The first use of a language on a machine packs its word list into an image that later
        # runs map (scrubber/word_images.py); building them here keeps that once-per-machine cost
        # out of the first timed run, and reports it.
        first_use = timed([sys.executable, "-c", "from scrubber import lexicon\n"
                           "for lang in sorted(lexicon.SUPPORTED_LANGUAGES): lexicon.zipf_table(lang)"])
        figures["word_images_seconds"] = round(first_use["seconds"], 2)
        print(f"  word images ready in {first_use['seconds']:.1f} s (built once per machine, else mapped)")
        for jobs in ("1", "2"):
            record(f"check --jobs {jobs}", timed([*scrubber, "check", "--no-cache", "--exit-zero", "--jobs", jobs,
                                                  *select, str(corpus)]))
        for jobs in ("1", "2"):
            record(f"fix --jobs {jobs}", timed([*scrubber, "fix", "--no-cache", "--exit-zero", "--jobs", jobs,
                                                *select, "--output-dir", str(tmp / f"out{jobs}"), str(corpus)]))
        same = tree_bytes(tmp / "out1") == tree_bytes(tmp / "out2")
        figures["jobs_outputs_identical"] = same
        print(f"  fix --jobs 1 and --jobs 2 wrote identical shards: {same}")

        import ftfy

        spent = cpu = 0.0
        for text in iter_texts(corpus):
            t, c = time.perf_counter(), time.process_time()
            ftfy.fix_text(text)
            spent += time.perf_counter() - t
            cpu += time.process_time() - c
        runs["ftfy.fix_text"] = {"seconds": round(spent, 3), "cpu_seconds": round(cpu, 3),
                                 "MB_per_s": round(mb / spent, 3)}
        print(f"  {'ftfy.fix_text (1 core)':<22} {spent:8.1f} s {mb / spent:8.3f} MB/s cpu {cpu:8.1f} s", flush=True)

        env = {**os.environ, "SCRUBBER_CACHE_DIR": str(tmp / "cache")}
        record("check cold cache", timed([*scrubber, "check", "--exit-zero", *select, str(corpus)], env))
        record("check warm cache", timed([*scrubber, "check", "--exit-zero", *select, str(corpus)], env))

        ftfy_rate = runs["ftfy.fix_text"]["MB_per_s"]
        checks = {
            "check --jobs 1 >= 2x ftfy": runs["check --jobs 1"]["MB_per_s"] / ftfy_rate,
            "fix --jobs 1 >= 2x ftfy": runs["fix --jobs 1"]["MB_per_s"] / ftfy_rate,
            "check --jobs 2 >= 1.8x --jobs 1": runs["check --jobs 1"]["seconds"] / runs["check --jobs 2"]["seconds"],
            "fix --jobs 2 >= 1.8x --jobs 1": runs["fix --jobs 1"]["seconds"] / runs["fix --jobs 2"]["seconds"],
            "warm cache >= 20x faster": runs["check cold cache"]["seconds"] / runs["check warm cache"]["seconds"],
        }
        peak = max(r.get("peak_rss_mb", 0) for r in runs.values())
        goals = {"check --jobs 1 >= 2x ftfy": 2.0, "fix --jobs 1 >= 2x ftfy": 2.0,
                 "check --jobs 2 >= 1.8x --jobs 1": 1.8, "fix --jobs 2 >= 1.8x --jobs 1": 1.8,
                 "warm cache >= 20x faster": 20.0}
        figures["targets"] = {}
        print("targets:")
        for name, ratio in checks.items():
            ok = ratio >= goals[name]
            figures["targets"][name] = {"ratio": round(ratio, 2), "met": ok}
            print(f"  {name:<34} {ratio:7.2f}x  {'met' if ok else 'NOT met'}")
        # On a machine that other work keeps busy, wall-clock ratios mislead; CPU seconds do not.
        cpu_view = {
            "check --jobs 1 vs ftfy, CPU": runs["ftfy.fix_text"]["cpu_seconds"] / runs["check --jobs 1"]["cpu_seconds"],
            "fix --jobs 1 vs ftfy, CPU": runs["ftfy.fix_text"]["cpu_seconds"] / runs["fix --jobs 1"]["cpu_seconds"],
            "check --jobs 2 CPU / --jobs 1 CPU": runs["check --jobs 2"]["cpu_seconds"]
            / runs["check --jobs 1"]["cpu_seconds"],
            "fix --jobs 2 CPU / --jobs 1 CPU": runs["fix --jobs 2"]["cpu_seconds"] / runs["fix --jobs 1"]["cpu_seconds"],
        }
        figures["cpu_view"] = {k: round(v, 2) for k, v in cpu_view.items()}
        for name, ratio in cpu_view.items():
            print(f"  {name:<34} {ratio:7.2f}x  (CPU seconds, start-up included)")
        figures["targets"]["peak memory < 300 MB"] = {"peak_rss_mb": round(peak), "met": peak < 300}
        print(f"  {'peak memory < 300 MB':<34} {peak:6.0f} MB  {'met' if peak < 300 else 'NOT met'}")

        if args.pairs > 0 and not args.select:
            sys.path.insert(0, str(ROOT))
            median, ratios, sample_mb = paired_ratios(corpus, int(args.pairs_mb * 1e6), args.pairs)
            figures["paired_check_vs_ftfy"] = {"median": round(median, 2), "rounds": [round(r, 2) for r in ratios],
                                               "text_mb": round(sample_mb, 2)}
            ok = median >= 2.0
            figures["targets"]["check vs ftfy, paired (median)"] = {"ratio": round(median, 2), "met": ok}
            print(f"check against ftfy.fix_text, {args.pairs} rounds interleaving the two on {sample_mb:.1f} MB "
                  f"(CPU, in process, steady state): median {median:.2f}x "
                  f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})  {'met' if ok else 'NOT met'}")

        if args.speedup_rounds > 0:
            shards, size = [], 0
            for shard in sorted(corpus.glob("*.jsonl")):
                if args.speedup_mb and size >= args.speedup_mb * 1e6 * disk_mb / mb:
                    break
                shards.append(shard)
                size += shard.stat().st_size
            ratios = paired_speedups([*scrubber, *select], shards, args.speedup_rounds)
            median = statistics.median(ratios)
            ok = median >= 1.8
            figures["paired_jobs2_vs_jobs1"] = {"median": round(median, 2), "rounds": [round(r, 2) for r in ratios],
                                                "shards": len(shards), "jsonl_mb": round(size / 1e6, 1)}
            figures["targets"]["check --jobs 2 vs --jobs 1, paired (median)"] = {"ratio": round(median, 2), "met": ok}
            print(f"check --jobs 2 against --jobs 1, {args.speedup_rounds} rounds back to back on {len(shards)} shards "
                  f"({size / 1e6:.1f} MB of JSONL, whole commands): median {median:.2f}x "
                  f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})  {'met' if ok else 'NOT met'}", flush=True)

        if args.profile_mb > 0 and not args.select:
            sys.path.insert(0, str(ROOT))
            profile = rule_profile(corpus, int(args.profile_mb * 1e6))
            total = sum(s for _, s in profile) or 1.0
            figures["rule_seconds_on_sample"] = {name: round(s, 3) for name, s in profile}
            print(f"time per rule (check, default packs, word lists loaded) on {args.profile_mb:g} MB of the corpus, "
                  f"{args.profile_mb / total:.3f} MB/s in all:")
            for name, s in profile[:10]:
                print(f"  {s:8.2f} s {100 * s / total:5.1f}%  {name}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
