"""Compiling and running user regexes safely: Unicode-aware, cached, and time-limited."""
from __future__ import annotations

import bisect
import contextvars
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import regex

from scrubber import speedups
from scrubber.errors import RuleTimeout

if TYPE_CHECKING:
    from scrubber.document import Document


_deferred: contextvars.ContextVar[bool] = contextvars.ContextVar("scrubber_deferred_compilation", default=False)


@contextmanager
def deferred_compilation() -> Iterator[None]:
    """Patterns compiled inside are compiled on first use instead.

    Only for the shipped packs, whose every pattern the test suite compiles and runs: a user's
    pattern must fail when its pack loads, not halfway through a corpus. Compiling the shipped
    patterns costs half a second, which a re-run that the cache answers in full never needs.
    """
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


class _PatternOnFirstUse:
    """Stands for a compiled pattern until an attribute of it is wanted.

    The attribute is then kept on the stand-in, so that later uses (``.match`` on every
    candidate line) are plain lookups. Pickled and copied as its source, never as what it holds.
    """

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not the pattern's (nor set yet, while copying or unpickling)
            raise AttributeError(name)
        value = getattr(_compile(self._source, self._flags), name)
        self.__dict__[name] = value
        return value

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return (_PatternOnFirstUse, (self._source, self._flags))


def compile_pattern(pattern: str, flags: int = regex.MULTILINE) -> regex.Pattern[str]:
    """Compile once per process; ``ValueError`` carries the regex module's own explanation."""
    if _deferred.get():
        return cast("regex.Pattern[str]", _PatternOnFirstUse(pattern, flags))
    return _compile(pattern, flags)


@lru_cache(maxsize=None)
def _compile(pattern: str, flags: int) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, flags | regex.VERSION1)
    except regex.error as exc:
        raise ValueError(f"regex {pattern!r} does not compile: {exc}") from None


# The time limit grows with the document beyond this many characters (see ``finditer``).
LIMIT_CHARS = 1_000_000


def time_limit(timeout: float, text: str) -> float:
    """``timeout`` seconds, and as much again per million characters beyond the first million."""
    return timeout * max(1.0, len(text) / LIMIT_CHARS)


def finditer(pattern: regex.Pattern[str], text: str, timeout: float | None) -> Iterator[regex.Match[str]]:
    """``pattern.finditer`` that raises :class:`RuleTimeout` instead of hanging on a bad pattern.

    The limit applies to the whole scan (the regex module counts CPU time). It scales with the
    document, so a catastrophic pattern is cut off after ``timeout`` seconds on any ordinary text
    while a linear one, which scans tens of MB a second, still finishes on a 100 MB line: a fixed
    limit would skip every rule on such a file, and leave it unfixed.
    """
    if timeout is None:  # no limit (see ``Kind.timeout``)
        yield from pattern.finditer(text)
        return
    limit = time_limit(timeout, text)
    try:
        yield from pattern.finditer(text, timeout=limit)
    except TimeoutError:
        raise RuleTimeout(f"regex {pattern.pattern!r} ran past its {limit:g} s limit") from None


class Deadline:
    """One time limit (``time_limit``) shared by many short matches on a text: ``remaining()``
    gives the seconds left, and raises :class:`RuleTimeout` once there are none."""

    __slots__ = ("limit", "end")

    def __init__(self, timeout: float, text: str) -> None:
        self.limit = time_limit(timeout, text)
        self.end = time.monotonic() + self.limit

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left

    def expired(self) -> RuleTimeout:
        return RuleTimeout(f"ran past its {self.limit:g} s limit")


def expand(match: regex.Match[str], template: str) -> str:
    try:
        return match.expand(template)
    except (regex.error, IndexError) as exc:
        raise ValueError(f"replacement {template!r}: {exc}") from None


# JSON Schema of the ``requires`` option of the regex kinds.
REQUIRES_SCHEMA = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}


class _LiteralIndex:
    """Every string that the gates of this process require (one index for the case-folded
    ones, one for the exact ones), each with its bit: the C speed-up finds which of them a text
    holds in one pass, for all the gates at once, where each gate would search for its own."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._bits: dict[str, int] = {}
        self._automaton: object | None = None
        self._lock = threading.Lock()

    def mask(self, literals: Sequence[str]) -> int:
        """The bits of these strings (added to the index if new)."""
        mask = 0
        with self._lock:
            for literal in literals:
                bit = self._bits.get(literal)
                if bit is None:
                    bit = self._bits[literal] = len(self._bits)
                    self._automaton = None  # rebuilt with the new string on next use
                mask |= 1 << bit
        return mask

    def found(self, doc: Document, text: str) -> int:
        """The bits of the strings that ``text`` (the document's text, or its folded form)
        holds, computed once per document for all the gates."""
        assert speedups.compiled is not None
        automaton = self._automaton
        if automaton is None:
            with self._lock:
                if self._automaton is None:
                    self._automaton = speedups.compiled.literal_automaton(list(self._bits))
                automaton = self._automaton
        key = (self._name, automaton)  # a rebuilt index (a pack loaded since) is asked anew
        found = doc.memo.get(key)
        if found is None:
            found = doc.memo[key] = speedups.compiled.literals_found(automaton, text)
        return found


_EXACT_LITERALS = _LiteralIndex("exact literals")
_FOLDED_LITERALS = _LiteralIndex("folded literals")


class LiteralGate:
    """The ``requires`` option: strings one of which every match of the pattern contains.

    A document holding none of them cannot match, so the pattern is not run on it: a substring
    search costs a fraction of a millisecond per megabyte, a regex scan tens of milliseconds,
    and most documents hold no boilerplate. With ``ignore_case`` the strings are compared
    case-folded. A string ending in a line break also counts at the very end of the text,
    where ``$`` matches without one. A wrong list loses findings silently, so
    :mod:`scrubber.examples` runs every example with and without the gate and fails when the
    findings differ.
    """

    def __init__(self, literals: Sequence[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        folded = [lit.casefold() for lit in literals] if ignore_case else list(literals)
        self.literals = tuple(dict.fromkeys(folded))
        self.endings = tuple(lit[:-1] for lit in self.literals if lit.endswith("\n"))
        self.multiline = any("\n" in lit for lit in self.literals)
        self._register()

    def _register(self) -> None:
        self._index = _FOLDED_LITERALS if self.ignore_case else _EXACT_LITERALS
        self._mask = self._index.mask(self.literals)

    def __getstate__(self) -> dict[str, Any]:
        # The index is this process's: a worker that unpickles the gate registers it in its own.
        state = self.__dict__.copy()
        del state["_index"], state["_mask"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._register()

    def admits(self, doc: Document) -> bool:
        text = doc.folded if self.ignore_case else doc.text
        if speedups.compiled is not None:
            if self._index.found(doc, text) & self._mask:
                return True
        else:
            # One substring search per string: even 62 single characters cost less this way
            # than one character-class scan by either regex engine.
            for lit in self.literals:  # a plain loop: a generator's frames cost more than the searches
                if lit in text:
                    return True
        return bool(self.endings) and text.endswith(self.endings)

    def lines(self, doc: Document) -> list[int] | None:
        """Where the lines holding one of the strings start, in order: for a rule whose every
        match is one line. None when that cannot be told by substring search (a string with a
        line break, or case folding that moved the text's offsets: ``ß`` folds to ``ss``), or
        when a quarter of the lines hold one: then one scan of the text costs less, and a
        file of millions of such lines needs no second index of them."""
        text = doc.folded if self.ignore_case else doc.text
        if self.multiline or len(text) != len(doc.text):
            return None
        starts = doc.line_starts
        most = len(starts) // 4 + 8
        found: set[int] = set()
        find = text.find
        for lit in self.literals:
            pos = find(lit)
            while pos != -1:
                index = bisect.bisect_right(starts, pos) - 1
                found.add(starts[index])
                if len(found) > most:
                    return None
                if index + 1 == len(starts):
                    break
                pos = find(lit, starts[index + 1])  # the rest of this line is taken already
        return sorted(found)
