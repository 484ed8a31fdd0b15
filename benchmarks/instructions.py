#!/usr/bin/env python3
"""Instructions per MB of steady-state ``check`` (and of ``ftfy.fix_text``), counted by callgrind.

    python benchmarks/instructions.py [--tree PATH ...] [--mb 0.5] [--ftfy]

Wall and CPU time on a shared machine drift by 15% within minutes, more than most single
changes gain; an instruction count does not drift, so it tells whether a change made ``check``
cheaper. For each ``--tree`` (a checkout of this project; default: this one) it runs the
engine under ``valgrind --tool=callgrind`` twice with a fixed hash seed: once on a warm-up of
200 documents (word lists, patterns and caches loaded), once on the warm-up and then ``--mb``
MB more; the difference divided by the size is the steady-state cost. The documents are a
noisy corpus built as ``throughput.py`` builds it. Instructions are not time (memory-bound code
runs fewer per cycle), so compare trees with this and report speed with ``throughput.py``.
Needs valgrind (Debian: ``apt install valgrind``). Takes about five minutes per tree.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import EVAL, build_corpus  # noqa: E402

# Runs under callgrind: warm up on 200 documents, then check (or fix_text) the rest.
WORKLOAD = """
import sys
tree, corpus, limit, use_ftfy = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4] == "1"
sys.path.insert(0, tree)
sys.path.insert(0, {benchmarks!r})
from throughput import iter_texts
from pathlib import Path
import ftfy
from scrubber.config import Config
from scrubber.document import Document
from scrubber.engine import check_document
texts, size = [], 0
for text in iter_texts(Path(corpus)):
    if len(texts) >= 200 and size >= limit:
        break
    texts.append(text)
    if len(texts) > 200:
        size += len(text.encode("utf-8"))
rules = Config().rules()
for text in texts[:200]:
    check_document(Document(text), rules)
    ftfy.fix_text(text)
for text in texts[200:] if limit > 0 else ():
    if use_ftfy:
        ftfy.fix_text(text)
    else:
        check_document(Document(text), rules)
print(size)
"""


def instructions(script: Path, tree: Path, corpus: Path, limit: int, use_ftfy: bool) -> tuple[int, int]:
    """(instructions, text bytes measured) of one callgrind run."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(script),
         str(tree), str(corpus), str(limit), "1" if use_ftfy else "0"],
        capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed on {tree}:\n{proc.stderr[-2000:]}")
    return int(found.group(1)), int(proc.stdout.split()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tree", type=Path, action="append", help="checkout to measure (repeatable; default: this one)")
    ap.add_argument("--mb", type=float, default=0.5, help="text measured after the warm-up")
    ap.add_argument("--ftfy", action="store_true", help="also count ftfy.fix_text on the same documents")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    trees = [t.resolve() for t in args.tree or [ROOT]]
    with tempfile.TemporaryDirectory(prefix="scrubber-ir-") as tmp:
        corpus = Path(tmp) / "corpus"
        build_corpus(EVAL / "clean", EVAL / "corrupt.py", corpus, args.mb * 2 + 2, 1, args.seed)
        script = Path(tmp) / "workload.py"
        script.write_text(WORKLOAD.format(benchmarks=str(ROOT / "benchmarks")), encoding="utf-8")
        limit = int(args.mb * 1e6)
        runs = [(tree, False) for tree in trees] + ([(trees[0], True)] if args.ftfy else [])
        for tree, use_ftfy in runs:
            base, _ = instructions(script, tree, corpus, 0, use_ftfy)
            total, size = instructions(script, tree, corpus, limit, use_ftfy)
            what = "ftfy.fix_text" if use_ftfy else "check"
            print(f"{what:14} {tree}: {(total - base) / size:,.0f} instructions per byte "
                  f"({size / 1e6:.2f} MB after the warm-up)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
