"""Run a command and measure its CPU time and peak memory, as its own.

``os.wait4`` on a child started from this process reports a peak resident set no lower than
this process's own: Linux carries the peak over from the process that spawns a child (a
benchmark holding a corpus in memory would inflate every figure). A small launcher process
starts the command instead and reports the command's usage back, so that the figures are the
command's (and the workers it waits for).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import IO, Any

_LAUNCHER = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"exit": os.waitstatus_to_exitcode(status), "cpu_seconds": usage.ru_utime + usage.ru_stime,
               "peak_rss_mb": usage.ru_maxrss / 1024}, out)
"""


def measured(cmd: list[str], *, cwd: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None,
             stdout: int | IO[Any] | None = subprocess.DEVNULL,
             stderr: int | IO[Any] | None = subprocess.PIPE) -> tuple[dict[str, Any], bytes]:
    """(exit code, CPU seconds and peak RSS in MB of ``cmd``), and its stderr when piped."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, report.name, *cmd], cwd=cwd, env=env,
                              stdout=stdout, stderr=stderr, check=False)
        text = report.read()
    if not text:
        raise SystemExit(f"the launcher of {' '.join(cmd)} failed ({proc.returncode})")
    return json.loads(text), proc.stderr if isinstance(proc.stderr, bytes) else b""
