"""One text under inspection, with the views that many rules share, computed once.

Rules never split lines or tokenise for themselves: a view computed here is computed once
per document, however many rules read it.
"""
from __future__ import annotations

import array
import bisect
import re
from collections import Counter, defaultdict
from functools import cached_property
from itertools import filterfalse
from typing import TYPE_CHECKING, Any

import regex

from scrubber import speedups

if TYPE_CHECKING:
    from scrubber.quality.measures import QualityView

WORD_RE = regex.compile(r"[\p{L}\p{M}]+")
# The same runs in a text without combining marks, which most texts are; the plain property
# scans faster than the class.
_LETTER_RUN = regex.compile(r"\p{L}+")
_MARK = regex.compile(r"\p{M}")
# Blocks of characters that are neither letters nor marks (``tests/test_document.py`` checks
# each against ``regex``'s own tables): ASCII but for its letters, Latin-1's symbols, and the
# punctuation, currency, arrow, box, dingbat, CJK-bracket and emoji blocks.
_NOT_WORD_BLOCKS = (
    "\x00-\x40\x5b-\x60\x7b-\xa9\xab-\xb4\xb6-\xb9\xbb-\xbf\xd7\xf7\u2000-\u206f\u20a0-\u20cf"
    "\u2190-\u23ff\u2500-\u27bf\u3000-\u3004\u3008-\u3020\ufeff\ufff0-\uffff\U0001f000-\U0001faff"
)
# Runs of anything else: each word run lies whole in one of them. The standard library scans
# a plain class three times faster than ``regex`` scans ``\p{L}``, and most runs are words;
# the few that are not (``x²``, a mark, a rarer symbol) are cut again with the exact pattern.
_WIDE_RUN = re.compile(f"[^{_NOT_WORD_BLOCKS}]+")


def _block_ranges(blocks: str) -> list[tuple[int, int]]:
    """``_NOT_WORD_BLOCKS`` as (low, high) code point pairs, for the C counter."""
    ranges, i = [], 0
    while i < len(blocks):
        if i + 2 < len(blocks) and blocks[i + 1] == "-":
            ranges.append((ord(blocks[i]), ord(blocks[i + 2])))
            i += 3
        else:
            ranges.append((ord(blocks[i]), ord(blocks[i])))
            i += 1
    return sorted(ranges)


if speedups.compiled is not None:
    speedups.compiled.set_word_separators(_block_ranges(_NOT_WORD_BLOCKS))


def count_wide_runs(text: str) -> Counter[str]:
    """``Counter(_WIDE_RUN.findall(text))``, in C when it is built: the runs are counted in
    place and a string is made once per distinct run, not once per token."""
    counts: Counter[str] = Counter()
    if speedups.compiled is not None:
        speedups.compiled.count_runs(text, counts)
    else:
        counts.update(_WIDE_RUN.findall(text))
    return counts


# The first word of a line after blanks and bullet marks; possessive, so linear on any line.
# Anchored on the line break before it (a literal the engine finds fast; ``^`` in multiline
# mode is tried at every position here, eight times slower); the first line is matched alone.
_HEAD_MARKS = "#*>•·|_–—-"
_HEAD = rf"[^\S\n]*+(?:[{regex.escape(_HEAD_MARKS)}][^\S\n]*+)*+(?=\S)([^\W_]*+)"
_FIRST_LINE_HEAD = regex.compile(_HEAD)
_LINE_HEAD = regex.compile("\n" + _HEAD)
# The same classes for the C speed-up, as tables of the first 256 code points, built from
# ``regex`` itself; a line whose head holds another character is read with the pattern.
_HEAD_TABLES = (
    bytes(regex.match(r"[^\S\n]", chr(c)) is not None for c in range(256)),
    bytes(regex.match(r"[^\W_]", chr(c)) is not None for c in range(256)),
    array.array("I", map(ord, _HEAD_MARKS)).tobytes(),
)


# Characters case-folded at a time (see ``Document.folded``).
_FOLD_CHUNK = 1 << 20


class Document:
    """The text of one file or record, with newlines normalised to ``\\n``."""

    def __init__(self, text: str, source: str = "<text>") -> None:
        self.text = text
        self.source = source
        # Values that a rule kind computes once per document for all its rules (a view of
        # its own, such as which required strings the text holds), keyed by the kind.
        self.memo: dict[object, Any] = {}

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return starts

    @cached_property
    def lines(self) -> list[str]:
        """``text.split('\\n')``: a final newline leaves an empty last element, the sentinel."""
        return self.text.split("\n")

    @property
    def line_count(self) -> int:
        """Real lines, not counting the empty sentinel after a final newline."""
        n = len(self.line_starts)
        return n - 1 if self.text.endswith("\n") else n

    def line_index(self, offset: int) -> int:
        """0-based index of the line holding ``offset``."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``, columns counted in characters."""
        i = self.line_index(offset)
        return i + 1, offset - self.line_starts[i] + 1

    def line_span(self, index: int) -> tuple[int, int]:
        """Offsets of line ``index``'s content, without its newline."""
        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.text)
        return start, end

    @cached_property
    def words(self) -> list[tuple[int, int, str]]:
        """Runs of letters (with combining marks) as (start, end, word)."""
        return [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(self.text)]

    @cached_property
    def word_counts(self) -> Counter[str]:
        """The document's own vocabulary, lower-cased: a word it uses is a word it knows."""
        if "words" in self.__dict__:
            return Counter(w.lower() for _, _, w in self.words)
        if len(self.text) < 4_000_000:  # the common case: lower-case once, then one C-level pass
            # (lower-case first: lower-casing can make a mark, ``İ`` becomes ``i`` + U+0307)
            return _word_runs(count_wide_runs(self.lowered))
        # Streamed, not via ``words``: on a 100 MB file a list of every token costs gigabytes,
        # while the vocabulary stays small.
        return Counter(m.group().lower() for m in WORD_RE.finditer(self.text))

    @cached_property
    def line_heads(self) -> dict[str, list[int]]:
        """Where lines start, by the first one to four letters of their first word.

        The first word is the leading run of letters and digits after blanks and bullet marks,
        case-folded (``""`` when something else comes first); a line is listed under each of
        its first word's prefixes of one to four letters, so that rules naming the first words
        of the lines they match (``first_words``) find them by lookup, glued or not
        (``FacebookTwitter`` starts with ``facebook``). Lines of nothing but blanks and marks
        are not listed.
        """
        heads: defaultdict[str, list[int]] = defaultdict(list)
        text = self.text
        if speedups.compiled is not None:
            # In C, but for the lines whose head it leaves to the pattern (a letter or a blank
            # past Latin-1): those are put in their place in each list.
            leftovers = speedups.compiled.line_heads(text, heads, *_HEAD_TABLES)
            found = [(start, m.group(1)) for start in leftovers if (m := _FIRST_LINE_HEAD.match(text, start))]
            add = bisect.insort
        else:
            first = _FIRST_LINE_HEAD.match(text)
            found = [(0, first.group(1))] if first else []
            found += [(m.start() + 1, m.group(1)) for m in _LINE_HEAD.finditer(text)]
            add = list.append
        for start, word in found:
            if not word:
                add(heads[""], start)
                continue
            word = word[:4].casefold()[:4]
            add(heads[word], start)
            for cut in range(1, len(word)):
                add(heads[word[:cut]], start)
        return heads

    @cached_property
    def lowered(self) -> str:
        """``text.lower()``; its length may differ from the text's (``İ``), so offsets into it
        are the text's only when the lengths agree."""
        return self.text.lower()

    @cached_property
    def folded(self) -> str:
        """The text case-folded (``ß`` becomes ``ss``): for case-insensitive substring tests
        only, as its offsets may differ from the text's."""
        text = self.text
        if len(text) <= _FOLD_CHUNK or text.isascii():
            return text.casefold()
        # ``casefold`` works in a buffer of four bytes per character and up to three characters
        # per letter: on a 100 MB line, over a gigabyte. Folding has no context (unlike
        # ``lower``, with its final sigma), so the text can be folded piece by piece.
        return "".join(text[at:at + _FOLD_CHUNK].casefold() for at in range(0, len(text), _FOLD_CHUNK))

    @cached_property
    def language(self) -> str | None:
        """ISO 639-1 code of the dominant language, or None when unsure (see lexicon)."""
        from scrubber.lexicon import detect_language

        return detect_language(self.word_counts)

    @cached_property
    def quality(self) -> QualityView:
        """Tokens, lines and paragraphs as the web-corpus filters see them, shared by all metric rules."""
        from scrubber.quality.measures import QualityView

        return QualityView(self.text)

    def is_blank(self, index: int) -> bool:
        lines = self.lines
        return 0 <= index < len(lines) and not lines[index].strip()

    def drop_line_edit_span(self, index: int) -> tuple[int, int]:
        """The span to delete so that line ``index`` disappears without leaving a gap.

        A line between two blank lines (or between a blank line and the document's edge)
        takes one of those blank lines with it, so that paragraphs stay separated by exactly
        one blank line; a line touching text on one side goes alone.
        """
        lines = self.lines
        last = len(lines) - 1  # the sentinel when the text ends with a newline
        has_sentinel = self.text.endswith("\n")
        real_last = last - 1 if has_sentinel else last
        start = self.line_starts[index]
        end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
        prev_blank = index > 0 and not lines[index - 1].strip()
        next_blank = index < real_last and not lines[index + 1].strip()
        at_top = index == 0
        at_bottom = index == real_last
        if next_blank and (prev_blank or at_top):
            end = self.line_starts[index + 2] if index + 2 < len(self.line_starts) else len(self.text)
        elif prev_blank and at_bottom:
            start = self.line_starts[index - 1]
            if not has_sentinel and index - 1 > 0:
                start -= 1  # keep the file's lack of a final newline
        elif at_bottom and not has_sentinel and index > 0:
            start -= 1
        return start, end


def _word_runs(runs: Counter[str]) -> Counter[str]:
    """The counts of the word runs inside ``runs`` (see ``_WIDE_RUN``), in the order in
    which they first appear, as one ``findall`` over the whole text would give them."""
    odd = list(filterfalse(str.isalpha, runs))  # a word of letters only is its own run
    if not odd:
        return runs
    # A mark anywhere makes marks part of words (``WORD_RE``); a mark is in no excluded block,
    # so it is inside one of the odd runs if it is in the text at all.
    cut = (WORD_RE if _MARK.search("".join(odd)) else _LETTER_RUN).findall
    words: Counter[str] = Counter()
    for run, n in runs.items():
        if run.isalpha():
            words[run] += n
        else:
            for word in cut(run):
                words[word] += n
    return words
