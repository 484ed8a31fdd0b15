"""Document quality measures of the web-corpus filters (Gopher, C4, FineWeb), as datatrove defines them.

Each measure is a number per document with a published threshold; a document is poor when the
number falls below ``min`` or rises above ``max`` (strictly, as in datatrove). Definitions follow
datatrove's filters exactly — which text counts as a line (``splitlines``, ``split("\\n")`` or
``\\n+``), what a paragraph is (``\\n{2,}``), which tokens are words (spaCy's, see
:mod:`scrubber.quality.tokens`), the eight stop words — so that scrubber and datatrove drop the
same documents. All views of one text are computed once, in :class:`QualityView`.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from scrubber.quality.tokens import TERMINAL_PUNCTUATION, sentence_count, word_tokens

# datatrove's PUNCTUATION (ASCII and CJK punctuation, control characters) plus the terminals.
_PUNCTUATION = frozenset(
    "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»"
    + "".join(map(chr, (*range(0, 9), *range(11, 13), *range(13, 32), *range(127, 160))))
) | TERMINAL_PUNCTUATION
GOPHER_STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")
_STOP_CHARS = tuple(TERMINAL_PUNCTUATION)
_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines breaks
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
_LINE_BREAKS = re.compile(r"\n+")
# C4 (datatrove's C4QualityFilter with its defaults).
C4_END_PUNCTUATION = (".", "?", "!", '"', "'")
C4_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
C4_MAX_WORD_LENGTH = 1000
C4_MIN_WORDS_PER_LINE = 3


@dataclass(frozen=True)
class Measurement:
    """A measure's value on one document; ``value`` is None where it is undefined (no words)."""

    value: float | None
    offset: int | None = None  # where the worst instance starts, if the measure has one
    offsets: tuple[int, ...] = ()  # every offending line's start, for per-line measures
    detail: str = ""


def find_duplicates(items: Sequence[str]) -> tuple[int, int, int | None]:
    """(repeats, characters in repeats, index of the first repeat): datatrove's counting."""
    seen: set[str] = set()
    count = chars = 0
    first = None
    for i, item in enumerate(items):
        if item in seen:
            count += 1
            chars += len(item)
            if first is None:
                first = i
        else:
            seen.add(item)
    return count, chars, first


@dataclass(frozen=True)
class C4Line:
    """One ``splitlines`` line as C4 judges it; ``dropped`` names the line rule that removes it."""

    offset: int
    text: str  # stripped, citations removed
    dropped: str | None  # too-long-word | no-terminal-punctuation | too-few-words | javascript | policy
    lorem: bool = False
    curly: bool = False


def _split_with_offsets(text: str, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for m in pattern.finditer(text):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return out


class QualityView:
    """The views of one text that the measures share: tokens, lines, paragraphs, C4's line verdicts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ngram_cache: dict[tuple[str, int], Measurement] = {}

    @cached_property
    def tokens(self) -> list[tuple[int, str]]:
        return word_tokens(self.text)

    @cached_property
    def words(self) -> list[str]:
        return [w for _, w in self.tokens]

    @cached_property
    def non_symbol_words(self) -> list[str]:
        keep = {w for w in set(self.words) if any(ch not in _PUNCTUATION for ch in w)}
        return [w for w in self.words if w in keep]

    @cached_property
    def alpha_word_count(self) -> int:
        alpha = {w for w in set(self.words) if any(c.isalpha() for c in w)}
        return sum(1 for w in self.words if w in alpha)

    @cached_property
    def splitlines(self) -> list[tuple[int, str]]:
        """``str.splitlines`` (which also breaks at \\r, \\f, U+2028 …) with each line's offset."""
        out = []
        pos = 0
        for line in self.text.splitlines(keepends=True):
            out.append((pos, line.rstrip(_LINE_ENDS)))
            pos += len(line)
        return out

    @cached_property
    def paragraphs(self) -> list[tuple[int, str]]:
        """Gopher's paragraphs: the stripped text split at runs of two or more newlines."""
        lead = len(self.text) - len(self.text.lstrip())
        return [(lead + off, p) for off, p in _split_with_offsets(self.text.strip(), _PARAGRAPH_BREAK)]

    @cached_property
    def newline_lines(self) -> list[tuple[int, str]]:
        """Gopher's lines: the text split at runs of newlines (empty first/last pieces kept)."""
        return _split_with_offsets(self.text, _LINE_BREAKS)

    @cached_property
    def fineweb_lines(self) -> list[tuple[int, str]]:
        """FineWeb's lines: ``split("\\n")`` without the blank ones, not stripped."""
        return [(off, line) for off, line in _split_with_offsets(self.text, re.compile("\n")) if line.strip()]

    @cached_property
    def c4_lines(self) -> list[C4Line]:
        out = []
        for off, raw in self.splitlines:
            line = raw.strip()
            start = off + (len(raw) - len(raw.lstrip()))
            words = line.split()
            if any(len(w) > C4_MAX_WORD_LENGTH for w in words):
                out.append(C4Line(start, line, "too-long-word"))
                continue
            line = C4_CITATION.sub("", line)
            if not line.endswith(C4_END_PUNCTUATION) or line.endswith("..."):
                out.append(C4Line(start, line, "no-terminal-punctuation"))
                continue
            if len(words) < C4_MIN_WORDS_PER_LINE:
                out.append(C4Line(start, line, "too-few-words"))
                continue
            lower = line.lower()
            lorem = "lorem ipsum" in lower
            if "javascript" in lower:
                out.append(C4Line(start, line, "javascript", lorem=lorem))
                continue
            curly = "{" in line
            dropped = "policy" if any(p in lower for p in C4_POLICY) else None
            out.append(C4Line(start, line, dropped, lorem=lorem, curly=curly))
        return out

    @cached_property
    def _word_bounds(self) -> tuple[str, list[int], str, list[int]]:
        """The words joined with and without spaces, and where each word starts in both.

        An n-gram is then one slice instead of a join: the n-gram rules run nine times per text.
        """
        spaced_starts, glued_starts = [], []
        pos = glued = 0
        for w in self.words:
            spaced_starts.append(pos)
            glued_starts.append(glued)
            pos += len(w) + 1
            glued += len(w)
        spaced_starts.append(pos)
        glued_starts.append(glued)
        return " ".join(self.words), spaced_starts, "".join(self.words), glued_starts

    def ngrams(self, n: int) -> list[str]:
        """Gopher's n-grams: n words joined by spaces."""
        spaced, starts, _, _ = self._word_bounds
        return [spaced[starts[i]:starts[i + n] - 1] for i in range(len(self.words) - n + 1)]

    def ngram_offset(self, index: int) -> int:
        return self.tokens[index][0] if index < len(self.tokens) else 0


# --- the measures -------------------------------------------------------------------------------
Compute = Callable[[QualityView, Mapping[str, Any]], Measurement]


@dataclass(frozen=True)
class Measure:
    name: str
    source: str  # whose heuristic: "Gopher quality", "Gopher repetition", "C4", "FineWeb"
    title: str  # what the number is, for reports; may name parameters: "{n}-gram"
    compute: Compute
    min: float | None = None  # the published thresholds
    max: float | None = None
    params: Mapping[str, Any] = field(default_factory=dict)  # parameter -> default
    per_line: bool = False  # can report each offending line
    integer: bool = False  # a count, not a ratio


def _ratio(num: float, den: int) -> float | None:
    return num / den if den else None


def _word_count(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return Measurement(len(v.non_symbol_words))


def _mean_word_length(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    words = v.non_symbol_words
    return Measurement(_ratio(sum(map(len, words)), len(words)))


def _hash_ratio(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return Measurement(_ratio(v.text.count("#"), len(v.words)))


def _ellipsis_ratio(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return Measurement(_ratio(v.text.count("...") + v.text.count("…"), len(v.words)))


def _line_share(lines: Sequence[tuple[int, str]], test: Callable[[str], bool]) -> Measurement:
    hits = [off for off, line in lines if test(line)]
    return Measurement(_ratio(len(hits), len(lines)), hits[0] if hits else None)


def _bullet_lines(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _line_share(v.splitlines, lambda s: s.lstrip().startswith(("•", "-")))


def _ellipsis_lines(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _line_share(v.splitlines, lambda s: s.rstrip().endswith(("...", "…")))


def _alpha_words(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return Measurement(_ratio(v.alpha_word_count, len(v.words)))


def _stop_words(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    found = sorted(set(p["stop_words"]).intersection(v.words))
    return Measurement(len(found), detail=", ".join(found))


def _dup_share(items: list[tuple[int, str]], by_chars: bool, text_len: int) -> Measurement:
    count, chars, first = find_duplicates([s for _, s in items])
    offset = items[first][0] if first is not None else None
    if by_chars:
        return Measurement(_ratio(chars, text_len), offset)
    return Measurement(_ratio(count, len(items)) if text_len else None, offset)


def _dup_paragraphs(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _dup_share(v.paragraphs, False, len(v.text))


def _dup_paragraph_chars(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _dup_share(v.paragraphs, True, len(v.text))


def _dup_lines(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _dup_share(v.newline_lines, False, len(v.text))


def _dup_line_chars(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _dup_share(v.newline_lines, True, len(v.text))


def _top_ngram(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    n = int(p["n"])
    key = ("top", n)
    if key not in v._ngram_cache:
        grams = v.ngrams(n)
        if not grams or not v.text:
            v._ngram_cache[key] = Measurement(None)
        else:
            gram, count = Counter(grams).most_common(1)[0]
            v._ngram_cache[key] = Measurement(len(gram) * count / len(v.text), v.ngram_offset(grams.index(gram)),
                                              detail=gram)
    return v._ngram_cache[key]


def _dup_ngrams(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    """datatrove's ``find_all_duplicate``: n-grams joined without spaces, a repeat skips ahead n words."""
    n = int(p["n"])
    key = ("dup", n)
    if key not in v._ngram_cache:
        words = v.words
        _, _, glued, starts = v._word_bounds
        seen: set[str] = set()
        repeated = 0
        first = None
        i = 0
        while i < len(words) - n + 1:
            gram = glued[starts[i]:starts[i + n]]
            if gram in seen:
                repeated += len(gram)
                if first is None:
                    first = i
                i += n
            else:
                seen.add(gram)
                i += 1
        offset = v.ngram_offset(first) if first is not None else None
        detail = " ".join(words[first:first + n]) if first is not None else ""
        v._ngram_cache[key] = Measurement(_ratio(repeated, len(v.text)), offset, detail=detail)
    return v._ngram_cache[key]


def _c4_flagged(v: QualityView, test: Callable[[C4Line], bool]) -> Measurement:
    offs = tuple(line.offset for line in v.c4_lines if test(line))
    return Measurement(len(offs), offs[0] if offs else None, offs)


def _c4_lorem(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    # Only lines that survive the punctuation and length rules are looked at, as in C4.
    return _c4_flagged(v, lambda ln: ln.lorem and ln.dropped in (None, "policy", "javascript"))


def _c4_curly(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _c4_flagged(v, lambda ln: ln.curly)


def _c4_javascript(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _c4_flagged(v, lambda ln: ln.dropped == "javascript")


def _c4_policy(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _c4_flagged(v, lambda ln: ln.dropped == "policy")


def _c4_no_terminal(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    judged = [ln for ln in v.c4_lines if ln.text or ln.dropped != "no-terminal-punctuation"]
    hits = [ln.offset for ln in judged if ln.dropped == "no-terminal-punctuation"]
    return Measurement(_ratio(len(hits), len(judged)), hits[0] if hits else None, tuple(hits))


def _c4_sentences(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    kept = [ln for ln in v.c4_lines if ln.dropped is None]
    return Measurement(sum(sentence_count(ln.text) for ln in kept))


def _fw_line_punct(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    return _line_share(v.fineweb_lines, lambda s: s.endswith(_STOP_CHARS))


def _fw_short_lines(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    length = int(p["length"])
    return _line_share(v.fineweb_lines, lambda s: len(s) <= length)


def _fw_char_dups(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    lines = v.fineweb_lines
    if not lines:
        return Measurement(None)
    _, chars, first = find_duplicates([s for _, s in lines])
    return Measurement(_ratio(chars, len(v.text.replace("\n", ""))), lines[first][0] if first is not None else None)


def _fw_list_ratio(v: QualityView, p: Mapping[str, Any]) -> Measurement:
    if not v.fineweb_lines:
        return Measurement(None)
    return Measurement(_ratio(v.text.count("\n"), len(v.words)))


TOP_NGRAM_MAX = {2: 0.20, 3: 0.18, 4: 0.16}
DUP_NGRAM_MAX = {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}
_G, _R = "Gopher quality", "Gopher repetition"

MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("word-count", _G, "words (tokens with a non-punctuation character)", _word_count, 50, 100_000,
            integer=True),
    Measure("mean-word-length", _G, "mean word length (characters)", _mean_word_length, 3, 10),
    Measure("hash-ratio", _G, "'#' per word", _hash_ratio, max=0.1),
    Measure("ellipsis-ratio", _G, "ellipses ('...', '…') per word", _ellipsis_ratio, max=0.1),
    Measure("bullet-lines", _G, "share of lines starting with a bullet ('•', '-')", _bullet_lines, max=0.9),
    Measure("ellipsis-lines", _G, "share of lines ending with an ellipsis", _ellipsis_lines, max=0.3),
    Measure("alpha-words", _G, "share of words with an alphabetic character", _alpha_words, min=0.8),
    Measure("stop-words", _G, "distinct stop words present", _stop_words, min=2,
            params={"stop_words": GOPHER_STOP_WORDS}, integer=True),
    Measure("dup-line-fraction", _R, "share of lines that repeat an earlier line", _dup_lines, max=0.3),
    Measure("dup-paragraph-fraction", _R, "share of paragraphs that repeat an earlier one", _dup_paragraphs,
            max=0.3),
    Measure("dup-line-chars", _R, "share of characters in repeated lines", _dup_line_chars, max=0.2),
    Measure("dup-paragraph-chars", _R, "share of characters in repeated paragraphs", _dup_paragraph_chars,
            max=0.2),
    Measure("top-ngram-chars", _R, "share of characters in the most frequent {n}-gram", _top_ngram,
            params={"n": 2}),
    Measure("dup-ngram-chars", _R, "share of characters in repeated {n}-grams", _dup_ngrams, params={"n": 5}),
    Measure("c4-lorem-ipsum", "C4", "lines with 'lorem ipsum'", _c4_lorem, max=0, per_line=True, integer=True),
    Measure("c4-curly-bracket", "C4", "lines with a curly bracket", _c4_curly, max=0, per_line=True, integer=True),
    Measure("c4-sentences", "C4", "sentences in the lines C4 keeps", _c4_sentences, min=5, integer=True),
    Measure("c4-no-terminal-punctuation", "C4", "share of lines C4 drops for lacking terminal punctuation",
            _c4_no_terminal, max=0.5, per_line=True),
    Measure("c4-javascript", "C4", "lines C4 drops for mentioning javascript", _c4_javascript, max=0,
            per_line=True, integer=True),
    Measure("c4-policy", "C4", "lines C4 drops as cookie or terms-of-use notices", _c4_policy, max=0,
            per_line=True, integer=True),
    Measure("line-punctuation", "FineWeb", "share of lines ending with terminal punctuation", _fw_line_punct,
            min=0.12),
    Measure("short-lines", "FineWeb", "share of lines of at most {length} characters", _fw_short_lines,
            max=0.67, params={"length": 30}),
    Measure("char-duplicates", "FineWeb", "share of characters in repeated lines", _fw_char_dups, max=0.01),
    Measure("list-ratio", "FineWeb", "newlines per word", _fw_list_ratio, max=0.3),
)}


def default_bounds(measure: Measure, params: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """The published thresholds, which for the n-gram measures depend on n."""
    if measure.name == "top-ngram-chars":
        return None, TOP_NGRAM_MAX.get(int(params["n"]))
    if measure.name == "dup-ngram-chars":
        return None, DUP_NGRAM_MAX.get(int(params["n"]))
    return measure.min, measure.max
