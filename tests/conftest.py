from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scrubber import speedups

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # The word-table images (scrubber/word_images.py) of this run go to a folder of its own, for
    # the commands it starts as well, not to the user's cache.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="scrubber-tests-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get("XDG_CACHE_HOME", ""), ignore_errors=True)


# Tests of the C speed-ups themselves; the rest run on both paths through ``both_paths``.
needs_c = pytest.mark.skipif(speedups.compiled is None, reason="the C speed-ups are not built here")


@pytest.fixture(params=["c", "python"])
def both_paths(request, monkeypatch) -> str:
    """The test runs with the C speed-ups (when built) and again on the pure-Python path."""
    if request.param == "python":
        monkeypatch.setattr(speedups, "compiled", None)
    elif speedups.compiled is None:
        pytest.skip("the C speed-ups are not built here")
    return request.param


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The real command, in a subprocess: exit codes and streams exactly as a user sees them."""
    return subprocess.run([sys.executable, "-m", "scrubber", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300)


@pytest.fixture
def cli():
    return run_cli
