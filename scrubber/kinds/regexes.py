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


def finditer(pattern: regex.Pattern[str], text: str, timeout: float) -> Iterator[regex.Match[str]]:
    """``pattern.finditer`` that raises :class:`RuleTimeout` instead of hanging on a bad pattern.

    The limit applies to the whole scan, so a catastrophic pattern costs at most ``timeout``
    seconds per document, whatever the document's size.
    """
    try:
        yield from pattern.finditer(text, timeout=timeout)
    except TimeoutError:
        raise RuleTimeout(f"regex {pattern.pattern!r} ran past its {timeout:g} s limit") from None


def expand(match: regex.Match[str], template: str) -> str:
    try:
        return match.expand(template)
    except (regex.error, IndexError) as exc:
        raise ValueError(f"replacement {template!r}: {exc}") from None
