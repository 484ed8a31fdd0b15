"""Unified diffs of a fix, the way `git diff` and `ruff --diff` show them."""
from __future__ import annotations

import difflib


def unified_diff(before: str, after: str, name: str, context: int = 3) -> str:
    if before == after:
        return ""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}", n=context)
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
