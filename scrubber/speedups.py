"""The optional C speed-ups (``scrubber/_speedups.c``), or None.

They are compiled at install when a C compiler is at hand (``hatch_build.py``) and give the same
results as the pure-Python code beside each call, which runs without them. Callers read
``speedups.compiled`` at call time, so that tests can run both paths; ``SCRUBBER_PURE_PYTHON=1``
switches them off for a run.
"""
from __future__ import annotations

import os
from types import ModuleType

compiled: ModuleType | None
try:
    from scrubber import _speedups as compiled
except ImportError:
    compiled = None
if os.environ.get("SCRUBBER_PURE_PYTHON"):
    compiled = None
