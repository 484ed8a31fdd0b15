from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The real command, in a subprocess: exit codes and streams exactly as a user sees them."""
    return subprocess.run([sys.executable, "-m", "scrubber", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300)


@pytest.fixture
def cli():
    return run_cli
