"""Progress of a long run on stderr, and the figures of the final summary.

The bar appears only when stderr is a terminal, the run is not quiet and not in CI (``CI`` set),
and only once the run has lasted a second: a pre-commit hook over three files never flickers.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

DELAY = 1.0  # seconds before the bar appears


@dataclass
class RunStats:
    documents: int = 0  # files and records looked at
    bytes: int = 0  # uncompressed bytes looked at
    files: int = 0
    cached: int = 0  # files answered from the cache
    records: bool = False  # some input was a record corpus (JSONL, Parquet)
    started: float = field(default_factory=time.perf_counter)

    def line(self) -> str:
        secs = max(time.perf_counter() - self.started, 1e-9)
        mb = self.bytes / 1e6
        text = (f"{self.documents:,} document{'s' if self.documents != 1 else ''} ({mb:,.1f} MB) "
                f"in {secs:,.1f} s: {mb / secs:,.2f} MB/s")
        if self.cached:
            text += f"; {self.cached} file{'s' if self.cached != 1 else ''} unchanged (cached)"
        return text + "."


def wanted(quiet: bool, disabled: bool, stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    if quiet or disabled or os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A rich bar over bytes (on disk), started lazily; ``write`` prints findings above it."""

    def __init__(self, enabled: bool, total_bytes: int, total_files: int) -> None:
        self.enabled = enabled
        self.total = max(total_bytes, 1)
        self.files = total_files
        self.started_at = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._pending = 0  # bytes done before the bar appeared
        self.shown = False

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress as RichProgress, TextColumn,
                                   TimeRemainingColumn, TransferSpeedColumn)

        sys.stdout.flush()
        console = Console(file=sys.stderr)
        self._bar = RichProgress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                                 DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
                                 console=console, transient=True, redirect_stdout=False, redirect_stderr=True)
        self._task = self._bar.add_task("scrubbing", total=self.total)
        self._bar.start()
        self.shown = True

    def advance(self, nbytes: int, done: int = 0, description: str | None = None) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started_at < DELAY:
                self._pending += nbytes
                return
            self._start()
            nbytes += self._pending
        self._bar.update(self._task, advance=nbytes, description=description or "scrubbing")

    def write(self, stream: TextIO, text: str) -> None:
        """Print ``text`` to ``stream``; while the bar is up, through its console, above the bar."""
        if self._bar is not None and stream.isatty():
            self._bar.console.out(text, end="", highlight=False)
        else:
            stream.write(text)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
