"""Running the CLI in this process (no interpreter start-up per call: the corpus tests make many)."""
from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from scrubber.cli import main


@dataclass
class Result:
    returncode: int
    stdout: bytes
    stderr: bytes


def run_main(*args: str, cwd: Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(here)
    return Result(code, out.getvalue().encode(), err.getvalue().encode())
