"""What the CLI needs for a run at scale: jobs, cache, progress and the throughput summary, in one place."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from scrubber.cache import Cache, open_cache
from scrubber.config import Config
from scrubber.discovery import Target
from scrubber.errors import ScrubberError
from scrubber.parallel import default_jobs, plan, run_targets
from scrubber.progress import Progress, RunStats, wanted
from scrubber.rules import Rule
from scrubber.runner import FileReport, RunOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("corpora at scale")
    group.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="processes to use (default: all cores; 1 = no pool)")
    group.add_argument("--text-field", help="the field (JSONL) or column (Parquet) holding each record's text "
                                            "(default: text)")
    group.add_argument("--id-field", help="the field naming a record in reports (default: id)")
    group.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the cache of unchanged inputs (.scrubber_cache)")
    group.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    group.add_argument("--engine", choices=["local", "ray"], default="local",
                       help="run on this machine's cores, or on a Ray cluster (JSONL/Parquet; needs scrubber[ray])")
    group.add_argument("--ray-address", default=None,
                       help="the Ray cluster to use with --engine ray ('auto': the one this machine belongs to)")


@dataclass
class ScaleRun:
    jobs: int
    cache: Cache | None
    quiet: bool
    progress_wanted: bool
    stats: RunStats = field(default_factory=RunStats)
    progress: Progress = field(default_factory=lambda: Progress(False, 0, 0))

    @classmethod
    def from_args(cls, args: argparse.Namespace, config: Config) -> ScaleRun:
        jobs = getattr(args, "jobs", None)
        if jobs is not None and jobs < 1:
            raise ScrubberError("--jobs must be at least 1")
        quiet = bool(getattr(args, "quiet", False))
        return cls(jobs=jobs or default_jobs(), cache=open_cache(config, not getattr(args, "no_cache", False)),
                   quiet=quiet, progress_wanted=wanted(quiet, bool(getattr(args, "no_progress", False))))

    def reports(self, targets: Sequence[Target], config: Config, rules: Sequence[Rule],
                rules_for_target: Callable[[Target], Sequence[Rule]], opts: RunOptions) -> Iterator[FileReport]:
        the_plan = plan(targets, self.jobs)
        self.progress = Progress(self.progress_wanted, the_plan.total_bytes, len(targets))
        self.stats = RunStats()
        try:
            yield from run_targets(targets, config, rules, opts, jobs=self.jobs, cache=self.cache, stats=self.stats,
                                   progress=self.progress, the_plan=the_plan, rules_for_target=rules_for_target)
        finally:
            self.progress.stop()

    def write(self, stream: TextIO, text: str) -> None:
        self.progress.write(stream, text)

    def summary(self) -> str | None:
        """The throughput line, for runs where it tells something: record corpora, or a run long enough for the bar."""
        self.progress.stop()
        if self.quiet or not (self.stats.records or self.progress.shown):
            return None
        return self.stats.line()


def print_summary(run: ScaleRun | None) -> None:
    line = run.summary() if run is not None else None
    if line:
        print(line, file=sys.stderr)
