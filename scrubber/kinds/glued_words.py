"""`glued-words`: two words whose separating space HTML extraction lost (``Daeshin``).

The document is the first dictionary: a token it uses more than once is a word, and a part
it uses standalone is a word too. The kind walks the document's vocabulary, not its tokens:
a distinct word used once costs one lookup in the frequency list, and only the few that the
list does not know and that cut into two solid words are located in the text and handed to
the judge (:mod:`scrubber.glue`). Tokens inside URLs, addresses, handles, hashtags, file
names, code, template lines and numbers are never candidates: their glue is intended.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from scrubber import speedups
from scrubber.document import WORD_RE, Document
from scrubber.glue import LANGUAGES, judge_for, split_score
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.lexicon import OTHER_SCRIPTS, common_words, lookup_key, too_short
from scrubber.model import Edit

# German and Dutch write compounds solid: only function-word glue is safe there, so they are
# opt-in. A compound never has a capital inside, though: there, case glue alone is checked
# (``durchDigitalisierung``, ``anVerantwortung``).
DEFAULT_LANGUAGES = ("en", "fr", "es", "it", "pt")
DEFAULT_CASE_LANGUAGES = ("de", "nl")
# Punctuation that may wrap a word without making it part of something else.
_WRAP = "\"'“”‘’«»„‚()[]{}.,;:!?…*"
# Inside a word only letters, marks, apostrophes and hyphens; anything else (digits, `@`,
# `#`, `/`, `_`, `.`, `=`, `&`) means a URL, address, handle, identifier or quantity.
_INNER_OK = "-'’"
# Whitespace that is not a real word gap: a control character cut a word here.
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
# Marks that quote a term when they stand on both sides of a word.
_QUOTES = "'`*|_\"“”‘’"


MAX_TOKEN = 40
# Words located by one substring search each; more are located in one pass over the text.
_SEARCHES = 500
_WORDS = re.compile(r"[^\W\d_]{2,}")


@register
class GluedWordsKind(Kind):
    """Options: ``languages`` (lists to check with; documents in other languages are left
    alone), ``case_languages`` (languages checked for case glue only, ``durchDigitalisierung``,
    unless they are among ``languages``), ``assume_language`` (the language of a text too
    short to detect; null leaves short texts alone), ``latin_words_as`` (the language of the
    Latin-script words in a text of another script; null leaves them alone), ``min_length``
    (shorter tokens are not tried), ``known_zipf`` (a token at least this frequent in the list
    is a word), ``min_score`` / ``min_score_listed`` (how much likelier the two words must be
    than the token, on the Zipf scale, for unlisted and for rare listed tokens), ``ignore``
    (tokens never to split), ``known_glue`` (per language, two-word phrases whose run is
    always glue: the list holds ``aswell`` only because pages write it).
    """

    name = "glued-words"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "languages": {"type": "array", "items": {"enum": sorted(LANGUAGES)}, "uniqueItems": True},
            "case_languages": {"type": "array", "items": {"enum": sorted(LANGUAGES)}, "uniqueItems": True},
            "assume_language": {"enum": [*sorted(LANGUAGES), None]},
            "latin_words_as": {"enum": [*sorted(LANGUAGES), None]},
            "min_length": {"type": "integer", "minimum": 3},
            "known_zipf": {"type": "number", "minimum": 0, "maximum": 8},
            "min_score": {"type": "number"},
            "min_score_listed": {"type": "number"},
            "ignore": {"type": "array", "items": {"type": "string"}},
            "known_glue": {
                "type": "object",
                "propertyNames": {"enum": sorted(LANGUAGES)},
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[^\\W\\d_]+ [^\\W\\d_]+$"},
                    "uniqueItems": True,
                },
            },
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        self.languages: frozenset[str] = frozenset(options.get("languages", DEFAULT_LANGUAGES))
        self.case_languages: frozenset[str] = frozenset(
            options.get("case_languages", DEFAULT_CASE_LANGUAGES)
        ) - self.languages
        self.assume_language: str | None = options.get("assume_language", "en")
        self.latin_words_as: str | None = options.get(
            "latin_words_as", "en" if "en" in self.languages else None
        )
        self.min_length: int = options.get("min_length", 4)
        self.known_zipf: float = options.get("known_zipf", 4.0)
        self.min_score: float = options.get("min_score", -3.0)
        self.min_score_listed: float = options.get("min_score_listed", 2.0)
        self.ignore = frozenset(w.lower() for w in options.get("ignore", []))
        # ``as well`` -> {"aswell": 2}: the run, and where its space goes.
        self.known_glue: dict[str, dict[str, int]] = {
            lang: {
                run: at for run, at in ((p.lower().replace(" ", ""), p.index(" ")) for p in phrases)
                if run not in self.ignore
            }
            for lang, phrases in options.get("known_glue", {}).items()
        }
        for option in ("assume_language", "latin_words_as"):
            value = getattr(self, option)
            if value is not None and value not in self.languages:
                raise ValueError(f"{option} {value!r} is not among languages")

    def _language(self, doc: Document) -> str | None:
        lang = doc.language
        if lang is None:
            # A short text (a title, a snippet) is checked as ``assume_language``; a long
            # text whose language is unclear (tables, menus, mixed) is left alone.
            return self.assume_language if too_short(doc.word_counts) else None
        if lang in OTHER_SCRIPTS:
            # The Latin words of a Russian or Japanese page are mostly quoted English (names,
            # titles, ``Chefsbattle``); its other words are never candidates (``_latin``).
            return self.latin_words_as
        return lang if lang in self.languages or lang in self.case_languages else None

    def check(self, doc: Document) -> Iterator[Hit]:
        lang = self._language(doc)
        if lang is None:
            return
        case_only = lang in self.case_languages
        # Work on the document's vocabulary, not its tokens: a word used twice is known, and
        # only the few unlisted words used once that cut into two solid words are located.
        counts = doc.word_counts
        known = self.known_glue.get(lang)
        glued = known.keys() & counts.keys() if known else set()
        if glued:
            yield from self._known_glue(doc, known, glued)
        min_length = self.min_length
        # Two glued words rarely pass 40 letters; longer runs are not language (and trying every
        # cut of them would cost time quadratic in their length).
        judge = judge_for(lang)
        table = judge.table
        known_zipf = self.known_zipf
        # Candidates are the words used once, outside the list's frequent part (known whatever
        # their case: the list's keys are case-folded, and folding a folded word changes
        # nothing): one pass over the vocabulary, in C when it is built.
        frequent = judge.frequent(known_zipf)
        if speedups.compiled is not None:
            once = speedups.compiled.used_once(counts, frequent, min_length, MAX_TOKEN)
        else:
            once = _used_once(counts, frequent, min_length, MAX_TOKEN)
        if self.ignore:
            once = [w for w in once if w not in self.ignore]
        if glued:
            once = [w for w in once if w not in glued]
        if case_only:
            # Only words with a capital inside can be case glue: a German or Dutch text has a
            # handful, and its many solid compounds are never tried.
            inside = {w.lower() for w in _WORDS.findall(doc.text) if not w[1:].islower()}
            once = [w for w in once if w in inside]
        # The table keys a word case-folded: an ASCII word outside the frequent part is rare
        # or unlisted as it stands; any other word is looked up.
        get = table.get
        unknown = [w for w in once if w.isascii() or get(lookup_key(w), 0.0) < known_zipf]
        if not unknown:
            return
        unknown.sort()  # findings in a stable order, whatever the set's order
        evidence = _DocEvidence(doc, unknown)
        text = doc.text
        # Glue without a case seam must score ``min_score``, which the cuts of a listed word
        # (most unknown words are listed) seldom do: then only a token cased with a seam
        # (``inSyria``) is worth judging. The listed words that can score are known per
        # language, so the others (most of a document's unknown words) are only looked at
        # where they stand, for a capital inside, and cut only then.
        listed_glue = judge.listed_glue(self.min_score_listed)
        if case_only:
            seamed_only = set(unknown)
        elif listed_glue is None:
            seamed_only = set()
        else:
            # Listed words keyed as written, in C; then the few keyed otherwise (``ß``).
            seamed_only = set(filter(table.__contains__, unknown))
            seamed_only |= {w for w in unknown if not w.isascii() and (key := lookup_key(w)) != w and key in table}
            seamed_only -= listed_glue
        # A listed word that cannot score is case glue or nothing: one scan for the capitals
        # inside words spares a search through the text for each of the many that have none.
        capitalised = _capitalised_inside(text, evidence.lowered) if seamed_only else set()
        todo = [
            (lower, lower in seamed_only) for lower in unknown
            # other scripts, or a Latin word run into one (``東京ではinthe``), are never glue
            if _latin(lower) and (lower not in seamed_only or lower in capitalised or not lower[1:].islower())
        ]
        # Finding a word costs a substring search through the text, so past a few hundred
        # words (a long document: a book, a forum dump) one pass over the text's words costs
        # less, and keeps the time linear in the document's length.
        where = _locate(evidence.lowered, {w for w, _ in todo}) if len(todo) > _SEARCHES else None
        code_lines: dict[int, bool] = {}
        for lower, seamed in todo:
            spots: Iterable[tuple[int, int]]
            if seamed:
                if where is None:
                    spots = _case_seamed(text, evidence.lowered, lower)
                else:
                    spots = _with_seam(text, where.get(lower, ()))
                if not spots:
                    continue
            whole = get(lower if lower.isascii() else lookup_key(lower), 0.0)
            min_score = self.min_score_listed if whole > 0 else self.min_score
            splits = judge.splits(lower, evidence)
            if not splits:
                continue
            scored = not seamed and any(split_score(zh, zt, whole) >= min_score for _, zh, zt in splits)
            if not seamed:
                spots = _occurrences(text, evidence.lowered, lower) if where is None else where.get(lower, [])
            for start, end in spots:
                token = text[start:end]
                if not scored and _plain_case(text, start, end):  # no capital inside: no case glue either
                    continue
                if not _plain_word(text, start, end) or _code_line(doc, start, code_lines):
                    continue
                split = judge.judge(token, evidence, splits)
                if split is None or split.reason != "case" and (case_only or split.score < min_score):
                    continue
                if _foreign_word(lower, lang):
                    continue  # ``materiais`` in an English text is Portuguese, not glue
                yield _split_hit(start, token, split.at, split.reason, split.score)

    def _known_glue(self, doc: Document, known: Mapping[str, int], glued: set[str]) -> Iterator[Hit]:
        """The runs of ``known_glue``, however often the document writes them: a writer who
        glues ``aswell`` once glues it again, and the document is no evidence for either. Only
        in lower case or capitalised (``Infact,``); ``AsWell`` is a name."""
        text, lowered = doc.text, _lowered_in_place(doc)
        code_lines: dict[int, bool] = {}
        for run in sorted(glued):
            at = known[run]
            for start, end in _occurrences(text, lowered, run):
                if not _plain_case(text, start, end) or not _plain_word(text, start, end):
                    continue
                if not _code_line(doc, start, code_lines):
                    yield _split_hit(start, text[start:end], at, "known", 0.0)


def _split_hit(start: int, token: str, at: int, reason: str, score: float) -> Hit:
    """A space inserted ``at`` letters into the token that starts at ``start``."""
    return Hit(
        start,
        start + len(token),
        Edit(start + at, start + at, " "),
        {"word": token, "replacement": f"{token[:at]} {token[at:]}", "reason": reason, "score": score},
    )


def _lowered_in_place(doc: Document) -> str:
    """The text lower-cased, or (rarely) letter by letter where ``lower()`` would change its
    length (``İ``), so that offsets into it are the text's."""
    low = doc.lowered
    if len(low) != len(doc.text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in doc.text)
    return low


def _used_once(counts: Mapping[str, int], exclude: frozenset[str], min_length: int, max_length: int) -> list[str]:
    """The words used once, of a length to try, that ``exclude`` does not hold, in the order
    of ``counts`` (the C speed-up does the same)."""
    return [w for w, n in counts.items() if n == 1 and w not in exclude and min_length <= len(w) <= max_length]


def _plain_case(text: str, start: int, end: int) -> bool:
    """No capital inside the token (``word``, ``Word``): no seam for case glue."""
    return text[start + 1:end].islower()


def _locate(lowered: str, words: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Where each of the words stands as a whole run of letters (see ``_occurrences``), in
    one pass over the (lower-cased, length-kept) text. Streamed rather than read from
    ``Document.words``, which would hold a tuple for every token of a long document."""
    found: dict[str, list[tuple[int, int]]] = {}
    for m in WORD_RE.finditer(lowered):
        if m.group() in words:
            found.setdefault(m.group(), []).append(m.span())
    return found


def _case_seamed(text: str, lowered: str, lower: str) -> list[tuple[int, int]]:
    """The word's occurrences (see ``_occurrences``) with a capital inside.

    A rare word is mostly found once as a substring: then one look at that spot settles it,
    without walking the occurrences.
    """
    pos = lowered.find(lower)
    if pos == -1:
        return []
    end = pos + len(lower)
    if _whole_word(text, pos, end):
        # The word is used once (it is among the document's words used once): this is it.
        return [] if _plain_case(text, pos, end) else [(pos, end)]
    return _with_seam(text, _occurrences(text, lowered, lower))


def _with_seam(text: str, spots: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(s, e) for s, e in spots if not _plain_case(text, s, e)]


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or not _is_letter(text[start - 1])) and (end == len(text) or not _is_letter(text[end]))


def _occurrences(text: str, lowered: str, lower: str) -> Iterator[tuple[int, int]]:
    """Where the word stands in the text as a whole run of letters, in any case.

    ``lowered`` is the text lower-cased with its length kept (see ``_DocEvidence.lowered``),
    so that a plain substring search finds the candidates.
    """
    n = len(lower)
    pos = lowered.find(lower)
    while pos != -1:
        end = pos + n
        if _whole_word(text, pos, end):
            yield pos, end
        pos = lowered.find(lower, end)


# Languages whose common words a glued token must not be (a quotation, a caption or a name
# in another language). Their small lists load in milliseconds, once, and only when a
# split is about to be reported.
_OTHER_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")


def _foreign_word(lower: str, lang: str) -> bool:
    key = lookup_key(lower)
    return any(key in common_words(other) for other in _OTHER_LANGUAGES if other != lang)


def _code_line(doc: Document, offset: int, seen: dict[int, bool]) -> bool:
    """Whether the line holding ``offset`` has braces, angle brackets or ``=``: a template or
    code line (``{* welcomeName *}``), whose identifiers glue words on purpose. Each line is
    looked at once per document (``seen``), so that a long line with many candidates costs
    one pass, not one per candidate."""
    index = doc.line_index(offset)
    found = seen.get(index)
    if found is None:
        line = doc.lines[index]
        found = seen[index] = any(c in line for c in "{}<>=")
    return found


def _latin(word: str) -> bool:
    """Latin letters only (with accents and combining marks)."""
    return word.isascii() or all(
        ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 or 0x300 <= ord(c) < 0x370 for c in word
    )


def _is_letter(c: str) -> bool:
    return c.isalpha() or unicodedata.category(c)[0] == "M"


def _latin_capitals() -> str:
    """Every capital (upper- or title-case letter) whose lower case is Latin in the sense of
    ``_latin``: only those can stand inside a Latin word (``K``, the Kelvin sign, too).
    Built from the blocks that hold them; a test checks the list against all of Unicode."""
    blocks = (range(0x41, 0x250), range(0x1E00, 0x1F00), range(0x2100, 0x2200), range(0x2C00, 0x2D00))
    return "".join(
        c for block in blocks for c in map(chr, block) if (c.isupper() or c.istitle()) and _latin(c.lower())
    )


# A Latin capital after a letter (or a combining accent): the inside of a word like
# ``inSyria``, ``ReutersBEIRUT`` or ``NASA``. The standard engine scans a plain character
# class about twice as fast as ``regex`` scans ``\p{Lu}``; ``[^\W\d_]`` holds every letter.
_CAPITAL_INSIDE = re.compile(f"[{re.escape(_latin_capitals())}](?:(?<=[^\\W\\d_].)|(?<=[\u0300-\u036f].))")


def _capitalised_inside(text: str, lowered: str) -> set[str]:
    """The words (as ``lowered`` spells them) of the text's tokens with a Latin capital
    after their first letter: every word that ``_case_seamed`` can find in a Latin word."""
    found: set[str] = set()
    search = _CAPITAL_INSIDE.search
    m = search(text)
    while m is not None:
        start = m.start() - 1
        while start > 0 and _is_letter(text[start - 1]):
            start -= 1
        end = WORD_RE.match(text, m.start()).end()  # the capital starts a run: never None
        found.add(lowered[start:end])
        m = search(text, end)
    return found


class _DocEvidence:
    """What one document says about words (see :class:`scrubber.glue.Evidence`), computed
    on demand: most documents have no candidate and pay nothing."""

    def __init__(self, doc: Document, unknown: list[str]) -> None:
        self._doc = doc
        self._text = doc.text
        self._counts = doc.word_counts
        self._unknown = unknown  # the document's rare words used once, lower-cased
        self._technical: bool | None = None
        self._lowered: str | None = None
        self._families: dict[tuple[str, bool], int] = {}
        self._sorted: tuple[list[str], list[str]] | None = None

    @property
    def technical(self) -> bool:
        if self._technical is None:
            self._technical = _technical(self._text)
        return self._technical

    @property
    def lowered(self) -> str:
        """The text lower-cased, or (rarely) case-folded letter by letter where ``lower()``
        would change its length (``İ``): offsets must stay those of the text."""
        if self._lowered is None:
            self._lowered = _lowered_in_place(self._doc)
        return self._lowered

    def known(self, word: str) -> bool:
        return self._counts.get(word, 0) > 0

    def cased(self, word: str) -> bool:
        if not self.known(word.lower()):
            return False
        return next(_occurrences(self._text, self._text, word), None) is not None

    def apart(self, head: str, tail: str) -> bool:
        """``head tail`` with one space (or a no-break space) between them, as whole words;
        lower-case parts match in any case, others as written."""
        hay = self.lowered if head.islower() and tail.islower() else self._text
        for sep in (" ", "\u00a0"):
            for start, _ in _occurrences(hay, hay, head + sep + tail):
                return True
        return False

    def family(self, part: str, as_head: bool) -> int:
        key = (part, as_head)
        n = self._families.get(key)
        if n is None:
            if self._sorted is None:
                self._sorted = (sorted(self._unknown), sorted(w[::-1] for w in self._unknown))
            words = self._sorted[0] if as_head else self._sorted[1]
            probe = part if as_head else part[::-1]
            lo = bisect.bisect_left(words, probe)
            hi = bisect.bisect_left(words, probe + "\U0010ffff")
            size = len(part) + 2
            n = sum(1 for w in words[lo:hi] if len(w) >= size)
            self._families[key] = n
        return n


_CODE_MARKS = "{}<>|=_\\$;`"
_CODE = re.compile(r"\w\(|::|->")


def _technical(text: str) -> bool:
    """Whether code marks (braces, ``=``, ``_``, ``f(``, ``::``) come at a rate of one per
    twenty words or more: manuals and code, where identifiers glue words on purpose."""
    words = text.count(" ") + text.count("\n") + 1
    marks = sum(text.count(c) for c in _CODE_MARKS) + len(_CODE.findall(text))
    return marks >= 0.05 * words


# A chunk between breaks longer than this is no prose word; the bound also keeps the walk to
# the breaks short on a line of megabytes without one.
_LONGEST_CHUNK = 100


def _breaks(c: str) -> bool:
    """Whitespace, or the punctuation of Chinese and Japanese text (``、``, ``。``, ``（``),
    which separates a Latin word from the text around it as a blank would."""
    return c.isspace() or "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff0f" or (
        "\uff1a" <= c <= "\uff20" or "\uff3b" <= c <= "\uff40" or "\uff5b" <= c <= "\uff65")


def _plain_word(text: str, start: int, end: int) -> bool:
    """Whether the chunk holding the token (between blanks, or CJK punctuation) is a plain
    prose word.

    Not plain: anything with digits, ``@#/_.=&`` and the like inside (URLs, addresses,
    handles, identifiers, quantities), and a word quoted on both sides (``'wrapscan'``,
    ``*tag*``), which names a term rather than uses words.
    """
    n = len(text)
    lo = start
    stop = max(0, start - _LONGEST_CHUNK)
    while lo > stop and not _breaks(text[lo - 1]):
        lo -= 1
    hi = end
    stop = min(n, end + _LONGEST_CHUNK)
    while hi < stop and not _breaks(text[hi]):
        hi += 1
    if lo > 0 and not _breaks(text[lo - 1]) or hi < n and not _breaks(text[hi]):
        return False  # no prose word runs this long without a break: a data blob, code, a URL
    if start > lo and end < hi and text[start - 1] in _QUOTES and text[end] in _QUOTES:
        return False
    before = text[start - 1] if start > 0 else " "
    if before in _ODD_BREAKS or before not in "\n\r\t" and unicodedata.category(before) in ("Cf", "Cc"):
        return False  # a word cut by a control or invisible character (``f\vorever``)
    if end < hi and text[end] in "'’" and (end + 1 == hi or not text[end + 1].isalpha()):
        return False  # an elision (``Waterin'``, ``runnin’``), not a glued ``in``
    chunk = text[lo:hi].strip(_WRAP)
    return all(c.isalpha() or c in _INNER_OK or unicodedata.category(c)[0] == "M" for c in chunk)
