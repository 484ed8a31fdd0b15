#!/usr/bin/env python3
"""Accuracy of the default packs on the team's yardstick, over several seeds.

Generates sets with ../shared/eval/corrupt.py (one artifact per document, real clean text),
scores them with ../shared/eval/score.py (which runs `scrubber check/fix` itself), and prints a
markdown table of the mean and the worst seed per artifact type, plus the figures on the
untouched controls. Nothing from ../shared is copied; both scripts are called where they lie.

    python benchmarks/accuracy.py --seeds 11 12 13 14 15 [--per-type 60] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def score_seed(seed: int, per_type: int, work: Path, extra: list[str]) -> dict:
    set_dir = work / f"set-{seed}"
    subprocess.run([sys.executable, str(EVAL / "corrupt.py"), str(EVAL / "clean"), str(set_dir),
                    "--seed", str(seed), "--per-type", str(per_type)], check=True, capture_output=True)
    out = work / f"score-{seed}.json"
    cmd = [sys.executable, str(EVAL / "score.py"), str(set_dir), "--json", str(out)]
    if extra:
        sel = " ".join(extra)
        cmd += ["--check", f"scrubber check {sel} --output-format json --exit-zero {{src}}",
                "--fix", f"scrubber fix {sel} --output-dir {{out}} {{src}}",
                "--unsafe-fix", f"scrubber fix {sel} --unsafe-fixes --output-dir {{out}} {{src}}"]
    subprocess.run(cmd, check=True, capture_output=True)
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13, 14, 15])
    ap.add_argument("--per-type", type=int, default=60)
    ap.add_argument("--json", type=Path)
    ap.add_argument("scrubber_args", nargs="*", help="extra flags for scrubber, e.g. --select SCR3")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [score_seed(s, args.per_type, Path(tmp), args.scrubber_args) for s in args.seeds]
    types = sorted(runs[0]["types"])
    print(f"seeds {args.seeds}, {args.per_type} documents per type\n")
    print("| artifact | detected (mean / worst) | repaired (mean / worst) | repaired with --unsafe-fixes |")
    print("|---|---|---|---|")
    for kind in types:
        cells = []
        for key in ("detected", "repaired", "repaired_u"):
            vals = [r["types"][kind][key] for r in runs]
            cells.append(f"{sum(vals) / len(vals):.3f} / {min(vals):.3f}")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    for key in ("control_findings_per_million_words", "findings_away_from_artifacts", "damage_fix", "damage_unsafe_fix"):
        vals = [r.get(key) for r in runs if r.get(key) is not None]
        if vals:
            print(f"\n{key}: mean {sum(vals) / len(vals):.4g}, worst {max(vals):.4g}", end="")
    print()
    for cmd in ("check", "fix"):
        vals = [r["commands"][cmd]["MB_per_s"] for r in runs if cmd in r["commands"]]
        if vals:
            print(f"{cmd} throughput (whole command, start-up included): {sum(vals) / len(vals):.2f} MB/s")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
