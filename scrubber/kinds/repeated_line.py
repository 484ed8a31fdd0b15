"""`repeated-line`: a line that repeats one just before it, or a title repeated near the top.

Extractors copy a headline from the page header, the article and the share box, and a
paragraph from overlapping containers. Both leave a copy close to the original: adjacent (at
most a blank line between), or within the first lines of the text. Copies far apart in the body
are not this artifact (a refrain, a repeated quote), and neither are list items or table rows,
which repeat by nature; those are never judged. The fix keeps the first copy.

One pass over the lines with a dict of normalised lines: cheap on any document.
"""
from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterator, Mapping
from typing import Any

import regex

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.kinds.line_drops import drop_lines

# Lines that repeat by nature: list items (bullets, "1.", "a)") and table rows.
_LIST_ITEM = regex.compile(r"^\s*(?:[-*+•◦‣▪·]|\d{1,3}[.)]|\(?[a-zA-Z]\))\s")
_TABLE_ROW = regex.compile(r"^\s*\||^[^|]*(?:\|[^|]*){3,}$")
_LETTER = regex.compile(r"\p{L}")
_MAX_NORMALISED = 100_000


def _normal(line: str) -> str:
    """The line with single spaces and without Markdown heading marks ("# Title" is "Title").

    Spacing is normalised up to ``_MAX_NORMALISED`` characters: beyond, the line is compared
    as it stands, so a 100 MB line is never cut into millions of words.
    """
    text = line.strip()
    if len(text) <= _MAX_NORMALISED:
        text = " ".join(text.split())
    if text.startswith("#"):
        rest = text.lstrip("#")
        if len(text) - len(rest) <= 6 and rest[:1].isspace():
            text = rest.lstrip()
    if text.endswith("#"):
        rest = text.rstrip("#")
        if rest[-1:].isspace():
            text = rest.rstrip()
    return text


_OUTER_MARKS = operator.methodcaller("strip", "# ")
# The blanks that ``str.split()`` splits on, but for the space and the line break: spacing
# that normalising a line changes (with two spaces in a row). Listed, because the stdlib
# engine scans an explicit class several times faster than ``[^\S\n ]``.
_ODD_BLANKS = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ODD_BLANK = re.compile(f"[{_ODD_BLANKS}]")


def _may_repeat(doc: Document, adjacent: bool) -> bool:
    """Whether two non-blank lines could be copies of each other (``adjacent``: with only
    blank lines between them), decided in C-level passes.

    Copies share their normalised text, so they share its case-folded words stripped of
    outer ``#``: when no such key occurs twice (or twice in a row), no line is judged at all.
    Most documents have no repeated line, and a Python loop over their lines would cost more
    than the rule. The lines are those of the case-folded text (a view other rules share),
    which are the text's lines case-folded: folding never makes nor removes a line break.
    A line of nothing but ``#`` has no letter, so it is never judged and can be passed over.
    """
    lines = doc.folded.split("\n")
    text = doc.text
    if "  " not in text and _ODD_BLANK.search(text) is None:
        # Single spaces only (the common case): normalising the spacing would only strip it.
        keys = list(map(_OUTER_MARKS, lines))
    elif max(map(len, lines)) <= _MAX_NORMALISED:
        keys = list(map(_OUTER_MARKS, map(" ".join, map(str.split, lines))))
    else:
        # A huge line is compared as it stands (see ``_normal``): split into words, a 100 MB
        # line would cost gigabytes. Stripped of its marks, a normalised line is the key above.
        keys = [_OUTER_MARKS(_normal(line)) for line in lines]
    if adjacent:
        shown = list(filter(None, keys))
        return any(map(operator.eq, shown, itertools.islice(shown, 1, None)))
    distinct = set(keys)
    distinct.discard("")
    return len(distinct) < len(keys) - keys.count("")


def line_key(line: str) -> str:
    """What two copies share: text without heading marks, spacing and case."""
    return _normal(line).casefold()


@register
class RepeatedLineKind(Kind):
    """Options (0 switches a limit off):

    - ``window``: only lines among the first ``window`` non-blank lines are judged.
    - ``title_lines``: a line among the first ``title_lines`` non-blank lines (the title zone)
      that comes back within the window is a repeat even with other lines between the copies,
      if it has at least ``min_words_apart`` words (so "Chorus / verse / Chorus" stays).
    - ``min_words``/``max_words``: the size of lines judged at all (a heading, a paragraph).
    - ``max_blank_between``: how many blank lines two adjacent copies may have between them.
    - ``list_items``: judge list items too (short ones repeat by nature: "* Home"; long ones
      copied word for word are the extractor's). Table rows are never judged.
    """

    name = "repeated-line"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "window": {"type": "integer", "minimum": 0},
            "title_lines": {"type": "integer", "minimum": 0},
            "min_words": {"type": "integer", "minimum": 1},
            "max_words": {"type": "integer", "minimum": 1},
            "min_words_apart": {"type": "integer", "minimum": 1},
            "max_blank_between": {"type": "integer", "minimum": 0},
            "list_items": {"type": "boolean"},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        self.window: int = options.get("window", 0)
        self.title_lines: int = options.get("title_lines", 0)
        self.min_words: int = options.get("min_words", 1)
        self.max_words: int | None = options.get("max_words")
        self.min_words_apart: int = options.get("min_words_apart", 3)
        self.max_blank_between: int = options.get("max_blank_between", 1)
        self.list_items: bool = options.get("list_items", False)
        if self.max_words is not None and self.max_words < self.min_words:
            raise ValueError(f"max_words ({self.max_words}) is below min_words ({self.min_words})")
        if self.window and self.title_lines > self.window:
            raise ValueError(f"title_lines ({self.title_lines}) exceeds window ({self.window})")

    def _judged(self, line: str, words: int) -> bool:
        if words < self.min_words or (self.max_words is not None and words > self.max_words):
            return False
        if _LETTER.search(line) is None or _TABLE_ROW.search(line) is not None:
            return False
        return self.list_items or _LIST_ITEM.match(line) is None

    def check(self, doc: Document) -> Iterator[Hit]:
        if not self.window and not _may_repeat(doc, adjacent=not self.title_lines):
            return iter(())
        title_zone: dict[str, int] = {}  # key -> line index of its first copy in the title zone
        origin: dict[int, int] = {}  # dropped copy -> line index of the copy that stays
        drops: list[tuple[int, dict[str, Any]]] = []
        prev_index, prev_text = -1, ""
        too_long = None if self.max_words is None else self.max_words + 2
        ordinal = -1
        for i, line in enumerate(doc.lines):
            if not line.strip():
                continue
            ordinal += 1
            if self.window and ordinal >= self.window:
                break
            if too_long is not None and len(line.split(None, too_long)) > too_long:
                # More words than any judged line (heading marks aside): not judged, and unlike
                # every line that is, so it needs no normalising (a paragraph costs a split).
                prev_index, prev_text = i, "\n"  # never a normalised line, which is stripped
                continue
            text = _normal(line)
            words = text.count(" ") + 1
            first: int | None = None
            # Cheap comparisons first; the shape of the line is judged only for a candidate copy.
            adjacent = i - prev_index - 1 <= self.max_blank_between and (
                text == prev_text or len(text) == len(prev_text) and text.casefold() == prev_text.casefold())
            if adjacent and self._judged(line, words):
                first = origin.get(prev_index, prev_index)
            elif title_zone or ordinal < self.title_lines:
                key = text.casefold()
                if key in title_zone:
                    if words >= self.min_words_apart and self._judged(line, words):
                        first = title_zone[key]
                elif ordinal < self.title_lines and self._judged(line, words):
                    title_zone[key] = i
            if first is not None:
                origin[i] = first
                drops.append((i, {"first_line": first + 1}))
            prev_index, prev_text = i, text
        return drop_lines(doc, drops)
