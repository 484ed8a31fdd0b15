"""`stray-line`: a line of a few stray glyphs where no text puts one; the fix drops it.

Icon fonts (private-use code points), menu buttons (`☰`, `×`), breadcrumb separators (`»`,
`|`) and decoding debris (`Ƶ`, `Ã`, U+FFFD) survive HTML extraction as a line of their own,
at the top or bottom of the text or between two paragraphs. Where a glyph line stands is part
of the judgement: a bullet before its item's text, or a decorative line inside a list, is not
stray, so a rule names the positions it accepts.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from scrubber.document import Document
from scrubber.errors import RuleTimeout
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.kinds.line_drops import drop_lines
from scrubber.kinds.regexes import compile_pattern

# One glyph: private-use, symbols, guillemets, bullets, `|`, U+FFFD, or a lone non-ASCII Latin
# letter; never an emoji (people write those on purpose) and never other ASCII (`---`, `***`,
# `===` and `>` are Markdown; `I` and `A` are words).
_GLYPH = (
    r"[[\p{Co}\p{So}\p{Sm}\p{Sk}«»‹›•‣◦¶·∙|¦]--[\p{Extended_Pictographic}[\x00-\x7B\x7D-\x7F]]]"
    r"|[\p{Latin}--\p{ASCII}]"
)
DEFAULT_PATTERN = rf"(?:{_GLYPH})(?:\s*(?:{_GLYPH})){{0,2}}"
POSITIONS = ("top", "bottom", "between-blanks")


@register
class StrayLineKind(Kind):
    """Options: ``pattern`` (matched against the whole line, spaces around it ignored);
    ``positions``, where a block of stray lines (blank lines or the text's edge on both sides)
    may stand: ``top`` (no text above it), ``bottom`` (no text below it), ``between-blanks``
    (text on both sides); ``max_length``: longer lines are not tried, which keeps the scan cheap.
    """

    name = "stray-line"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "pattern": {"type": "string", "minLength": 1},
            "positions": {"type": "array", "minItems": 1, "uniqueItems": True,
                          "items": {"enum": list(POSITIONS)}},
            "max_length": {"type": "integer", "minimum": 1},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        self.regex = compile_pattern(options.get("pattern", DEFAULT_PATTERN), 0)
        self.positions = frozenset(options.get("positions", POSITIONS))
        self.max_length: int = options.get("max_length", 12)

    def _stray(self, glyphs: str) -> bool:
        if self.timeout is None:  # no limit (see ``Kind.timeout``)
            return self.regex.fullmatch(glyphs) is not None
        try:
            return self.regex.fullmatch(glyphs, timeout=self.timeout) is not None
        except TimeoutError:
            raise RuleTimeout(f"regex {self.regex.pattern!r} ran past its {self.timeout:g} s limit") from None

    def check(self, doc: Document) -> Iterator[Hit]:
        lines = doc.lines
        n = doc.line_count
        blank = [False] * n
        stray = [False] * n
        verdicts: dict[str, bool] = {}  # glyph lines repeat: judge each distinct one once
        for k in range(n):
            s = lines[k].strip()
            if not s:
                blank[k] = True
            elif len(s) <= self.max_length:
                verdict = verdicts.get(s)
                if verdict is None:
                    verdict = verdicts[s] = self._stray(s)
                stray[k] = verdict
        if not any(stray):
            return iter(())
        text_lines = [k for k in range(n) if not blank[k] and not stray[k]]
        first_text = text_lines[0] if text_lines else n
        last_text = text_lines[-1] if text_lines else -1
        drops: list[tuple[int, dict[str, Any]]] = []
        i = 0
        while i < n:
            if not stray[i]:
                i += 1
                continue
            j = i  # the block of tight stray lines i..j
            while j + 1 < n and stray[j + 1]:
                j += 1
            # Only with a blank line (or the text's edge) on both sides: a glyph touching text
            # may belong to it (a list bullet, a table's `|`, an arrow before a figure).
            if (i == 0 or blank[i - 1]) and (j + 1 >= n or blank[j + 1]):
                position = "top" if j < first_text else "bottom" if i > last_text else "between-blanks"
                if position in self.positions:
                    drops.extend((k, {"position": position, "glyphs": lines[k].strip()}) for k in range(i, j + 1))
            i = j + 1
        return drop_lines(doc, drops)
