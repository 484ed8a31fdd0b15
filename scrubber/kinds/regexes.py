"""Compiling and running user regexes safely: Unicode-aware, cached, and time-limited."""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

from scrubber.errors import RuleTimeout


@lru_cache(maxsize=None)
def compile_pattern(pattern: str, flags: int = regex.MULTILINE) -> regex.Pattern[str]:
    """Compile once per process; ``ValueError`` carries the regex module's own explanation."""
    try:
        return regex.compile(pattern, flags | regex.VERSION1)
    except regex.error as exc:
        raise ValueError(f"regex {pattern!r} does not compile: {exc}") from None


# The time limit grows with the document beyond this many characters (see ``finditer``).
LIMIT_CHARS = 1_000_000


def time_limit(timeout: float, text: str) -> float:
    """``timeout`` seconds, and as much again per million characters beyond the first million."""
    return timeout * max(1.0, len(text) / LIMIT_CHARS)


def finditer(pattern: regex.Pattern[str], text: str, timeout: float) -> Iterator[regex.Match[str]]:
    """``pattern.finditer`` that raises :class:`RuleTimeout` instead of hanging on a bad pattern.

    The limit applies to the whole scan (the regex module counts CPU time). It scales with the
    document, so a catastrophic pattern is cut off after ``timeout`` seconds on any ordinary text
    while a linear one, which scans tens of MB a second, still finishes on a 100 MB line: a fixed
    limit would skip every rule on such a file, and leave it unfixed.
    """
    limit = time_limit(timeout, text)
    try:
        yield from pattern.finditer(text, timeout=limit)
    except TimeoutError:
        raise RuleTimeout(f"regex {pattern.pattern!r} ran past its {limit:g} s limit") from None


def expand(match: regex.Match[str], template: str) -> str:
    try:
        return match.expand(template)
    except (regex.error, IndexError) as exc:
        raise ValueError(f"replacement {template!r}: {exc}") from None
