"""Deciding whether an unknown token is two words whose separating space was lost.

HTML extraction drops the space where an inline element ends (``<b>Daesh</b>in``), so the
glued token is two ordinary words. The judge accepts a split only when both halves are solid
words of the language and the shape of the split is one that compounding and derivation do
not produce: a function word on one side (``ofthe``, ``Syriaand``), a case change at the
seam (``inSyria``, ``ReutersBEIRUT``), or two content words that the document writes apart
elsewhere or that follow an inflected word (``closingseconds``). What real word formation
makes — prefixes (``underdelivering``), suffixes (``impeachable``), productive compound
heads and tails (``hourlong``, ``smallsat``) — is left alone: a missed glue costs a reader
little, a wrong space costs trust.
"""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from scrubber.document import WORD_RE
from scrubber.glue_languages import LANGUAGES, LanguageData
from scrubber.lexicon import lookup_key, zipf_table

__all__ = ["Evidence", "Judge", "LANGUAGES", "Split", "judge_for", "split_score"]


class Evidence(Protocol):
    """What the document itself says about words; see ``scrubber.kinds.glued_words``."""

    technical: bool  # code or a manual: identifiers glue words on purpose

    def known(self, word: str) -> bool:
        """The document uses the lower-cased ``word`` standalone."""

    def apart(self, head: str, tail: str) -> bool:
        """The document writes ``head tail`` as two words, cased as given."""

    def cased(self, word: str) -> bool:
        """The document uses ``word`` standalone, cased exactly so (``Syria``, ``The``)."""

    def family(self, part: str, as_head: bool) -> int:
        """How many rare words the document uses once (the token included) start (end)
        with ``part``: three or more say the document builds words on it."""


@dataclass(frozen=True, slots=True)
class Split:
    """Where to put the space, and why the judge believes it."""

    at: int  # offset inside the token
    head: str
    tail: str
    reason: str  # function-word | case | content
    score: float  # Zipf of the two words together minus the token's own (higher: surer)


@dataclass
class Judge:
    """Splits unknown tokens of one language; one per language per process (:func:`judge_for`)."""

    lang: str
    data: LanguageData
    table: Mapping[str, float]
    min_part_zipf: float = 3.0  # parts of four to six letters
    min_short_zipf: float = 4.0  # three-letter parts, where chance matches abound
    min_long_zipf: float = 2.5  # parts of seven letters or more are rarely accidents
    doc_part_zipf: float = 4.0  # what a part the document uses standalone is worth
    productive_limit: int = 5  # a part that already forms this many listed words compounds
    compound_zipf: float = 2.0  # listed words rarer than this are not evidence of compounding
    common_part_zipf: float = 4.5  # two parts this common, run together unlisted: glue
    _productivity: dict[tuple[str, bool], int] = field(default_factory=dict)
    _common: list[str] | None = None
    _frequent: dict[float, frozenset[str]] = field(default_factory=dict)
    _listed_glue: dict[float, frozenset[str] | None] = field(default_factory=dict)

    def frequent(self, min_zipf: float) -> frozenset[str]:
        """Listed words at least this frequent: known words, to set aside in one C-level
        set difference rather than a lookup per word."""
        words = self._frequent.get(min_zipf)
        if words is None:
            # The table runs from the most frequent word down (see ``zipf_table``): the words
            # wanted are its first ones, counted along the values instead of tested one by one.
            count = sum(1 for _ in itertools.takewhile(float(min_zipf).__le__, self.table.values()))
            words = self._frequent[min_zipf] = frozenset(itertools.islice(self.table, count))
        return words

    def listed_glue(self, min_score: float) -> frozenset[str] | None:
        """Every listed word that a cut into two parts could make score ``min_score``
        (:func:`split_score`), keyed as the table keys words; None when the document's own
        words could make the difference (a low ``min_score``).

        A listed word scores only when both parts are common (``ofthe``: Zipf 12 between
        them for the default 2), so the pairs of common words that form a listed word are few
        and found in a tenth of a second, once per language. Every other listed word needs no
        :meth:`splits` to know that it cannot score: most unknown words of a document are
        such rare listed words (``tensions``, ``outbreak``).
        """
        if min_score in self._listed_glue:
            return self._listed_glue[min_score]
        table = self.table
        # Each part is worth at most its listed Zipf, 5 for a function word, the document's
        # ``doc_part_zipf`` for a word it uses; the token at least Zipf 1 (``split_score``).
        # Rounding in ``split_score`` is allowed for by a hundredth.
        need = min_score + 10.0 - 0.01
        top = max(next(iter(table.values()), 0.0), 5.0)
        index: frozenset[str] | None = None
        if self.doc_part_zipf + top < need:
            worth: dict[str, float] = {}
            # The table runs from its most frequent word down: the parts wanted are its head.
            for word, zipf in itertools.takewhile(lambda kv: kv[1] >= need - top, table.items()):
                if WORD_RE.fullmatch(word):  # a part of a token is letters
                    worth[word] = zipf
            for word in self.data.function_words:
                key = lookup_key(word)
                worth[key] = max(worth.get(key, 0.0), table.get(key, 0.0), 5.0)
            parts = sorted(worth, key=worth.__getitem__, reverse=True)
            falling = [-worth[part] for part in parts]  # ascending, for bisect
            found: set[str] = set()
            for head in parts:
                # The tails worth enough beside this head are a prefix of the parts.
                enough = bisect.bisect_right(falling, worth[head] - need)
                found.update(filter(table.__contains__, map(head.__add__, parts[:enough])))
                for letter in self.data.single_tails:  # ``killeda``: see ``_single_tail``
                    if worth[head] + (table.get(letter, 0.0) or 5.0) >= need and head + letter in table:
                        found.add(head + letter)
            index = frozenset(found)
        self._listed_glue[min_score] = index
        return index

    def splits(self, lower: str, ev: Evidence) -> list[tuple[int, float, float]]:
        """Every place where the lower-cased token cuts into two solid words, with the
        words' Zipf frequencies: the cheap first pass, which nearly every unknown token
        (a name, a rare word) fails. :meth:`part_zipf`, inlined for head and tail: this runs
        on every unknown word of every document."""
        get = self.table.get
        fw = self.data.function_words
        known = ev.known
        doc_zipf = self.doc_part_zipf
        short, mid, long_ = self.min_short_zipf, self.min_part_zipf, self.min_long_zipf
        ascii_ = lower.isascii()
        n = len(lower)
        out = []
        for at in range(2, n - 1):
            head = lower[:at]
            if at == 2:
                if head not in fw:
                    continue
                zh = get(head, 5.0)
            else:
                zh = get(head if ascii_ else lookup_key(head), 0.0)
                if zh < (short if at == 3 else long_ if at >= 7 else mid) and not (at >= 9 and zh):
                    if head in fw:
                        zh = zh or 5.0
                    elif at >= 4 and known(head):
                        zh = max(zh, doc_zipf)
                    else:
                        continue
            tail = lower[at:]
            m = n - at
            if m == 2:
                if tail not in fw:
                    continue
                zt = get(tail, 5.0)
            else:
                zt = get(tail if ascii_ else lookup_key(tail), 0.0)
                if zt < (short if m == 3 else long_ if m >= 7 else mid) and not (m >= 9 and zt):
                    if tail in fw:
                        zt = zt or 5.0
                    elif m >= 4 and known(tail):
                        zt = max(zt, doc_zipf)
                    else:
                        continue
            out.append((at, zh, zt))
        if lower[-1] in self.data.single_tails:
            at = n - 1
            zt = self._single_tail(lower[-1], lower[:at])
            if zt:
                zh = self.part_zipf(lower[:at], ev)
                if zh:
                    out.append((at, zh, zt))
        return out

    def judge(self, token: str, ev: Evidence, splits: list[tuple[int, float, float]] | None = None) -> Split | None:
        """The best split of ``token`` into two words, or None when it is better left whole.

        In a technical document identifiers such as ``swapfile`` or ``menuBackground`` sit
        next to prose that writes the same words apart, so only function-word glue counts.
        """
        shape = _shape(token)
        if shape is None:
            return None  # acronyms, identifiers, odd casing
        lower = token.lower()
        if splits is None:
            splits = self.splits(lower, ev)
        whole = self.table.get(lookup_key(lower), 0.0)
        best: Split | None = None
        for at, zh, zt in splits:
            reason = self._reason(token, shape, at, lower[:at], lower[at:], whole, ev)
            if reason is None or ev.technical and reason != "function-word":
                continue
            score = split_score(zh, zt, whole)
            if best is None or score > best.score:
                best = Split(at, token[:at], token[at:], reason, score)
        return best

    # --- parts -----------------------------------------------------------------
    def part_zipf(self, part: str, ev: Evidence) -> float:
        """Zipf frequency of a part (two letters or more) if it is a solid word here, else 0."""
        n = len(part)
        if n == 2:
            return self.table.get(part, 5.0) if part in self.data.function_words else 0.0
        z = self.table.get(part if part.isascii() else lookup_key(part), 0.0)
        if z >= (self.min_short_zipf if n == 3 else self.min_long_zipf if n >= 7 else self.min_part_zipf):
            return z
        if n >= 9 and z:
            return z  # a listed word this long is a word, however rare (``septicemic``)
        if part in self.data.function_words:
            return z or 5.0
        if n >= 4 and ev.known(part):
            return max(z, self.doc_part_zipf)
        return 0.0

    def _single_tail(self, tail: str, head: str) -> float:
        """``killeda``, ``gota``, ``wasa``: a one-letter word after a long head, a very
        common one or a function word; ``outa``, ``beea`` are spellings, not glue."""
        data = self.data
        if tail not in data.single_tails:
            return 0.0
        if data.single_tail_after and not head.endswith(data.single_tail_after):
            return 0.0
        z = self.table.get(lookup_key(head), 0.0)
        if head in data.function_words or (len(head) >= 5 and z >= self.min_part_zipf or z >= 5.0) and (
            head not in data.prefixes
        ):
            return self.table.get(tail, 0.0) or 5.0
        return 0.0

    def productivity(self, part: str, as_head: bool) -> int:
        """How many listed words the part already forms with a common word (capped).

        ``hour`` + ``long`` is rare, but ``life``-, ``head``-, ``year``-``long`` say that
        ``long`` forms compounds; ``closing`` + X and X + ``seconds`` form none. Entries
        rarer than ``compound_zipf`` are ignored: the list's tail holds web glue.
        """
        key = (part, as_head)
        cached = self._productivity.get(key)
        if cached is not None:
            return cached
        table = self.table
        floor = self.compound_zipf
        count = 0
        for other in self._common_words():
            if table.get(part + other if as_head else other + part, 0.0) >= floor:
                count += 1
                if count >= self.productive_limit:
                    break
        self._productivity[key] = count
        return count

    def _common_words(self) -> list[str]:
        if self._common is None:
            fw = self.data.function_words
            head = itertools.takewhile(lambda item: item[1] >= 4.0, self.table.items())  # most frequent first
            ranked = sorted(
                (w for w, _ in head if len(w) >= 3 and w.isalpha()),
                key=self.table.__getitem__,
                reverse=True,
            )
            self._common = [w for w in ranked if w not in fw][:6000]
        return self._common

    # --- the shape of a split ----------------------------------------------------
    def _reason(
        self, token: str, shape: tuple[str, int], at: int, head: str, tail: str, whole: float, ev: Evidence
    ) -> str | None:
        data = self.data
        fw_head = head in data.function_words
        fw_tail = tail in data.function_words or len(tail) == 1
        kind, seam = shape
        if seam:
            if at != seam:
                return None  # the case change says where the seam is
            return "case" if self._case_ok(kind, token[:at], token[at:], fw_head, whole, ev) else None
        if head == tail:
            return None  # reduplication (``toto``, ``bonbon``) is word formation
        if head in data.vowel_heads and tail[0] not in "aeiouáéíóú":
            return None  # ``an`` comes before vowels: ``anemail``, not ``anarchy``
        if fw_head and fw_tail:
            return "function-word" if self._two_function_words(token, kind, head, tail) else None
        if tail in data.suffixes or head in data.prefixes and not fw_tail:
            return None
        if tail in data.inflection_tails and head.endswith(data.inflection_tails[tail]):
            return None
        if fw_tail and data.compounding and tail not in data.safe_tails:
            return None
        if not fw_head and ev.family(head, True) >= 3 or not fw_tail and ev.family(tail, False) >= 3:
            return None  # the document builds words on this part (``musicicon``, ``playicon``)
        if kind == "title":
            if fw_head:
                return "function-word" if self._opener_ok(head, tail, ev) else None
            if not self._title_head_ok(head, tail, fw_tail, ev):
                return None
            if not fw_tail:
                named = self._past(tail) and ev.cased(token[:at])
                return "content" if self._content_ok(head, tail, whole, ev, plural=False, named=named) else None
        if fw_head:
            if head in data.prefix_heads and not self._vouched(head, tail, ev):
                return None  # ``inrushing``, ``byplay``, ``forsee``
            return "function-word"
        if fw_tail:
            return "function-word"
        return "content" if self._content_ok(head, tail, whole, ev) else None

    def _two_function_words(self, token: str, kind: str, head: str, tail: str) -> bool:
        """``ofthe``, ``waswith``, ``Thisis``; not ``Thea`` nor ``Anon`` (names), nor
        ``someon`` (a word missing its last letter)."""
        data = self.data
        lower = head + tail
        if any(self.table.get(lower + c, 0.0) >= 4.0 for c in "abcdefghijklmnopqrstuvwxyz"):
            return False
        if head in data.articles and tail in data.determiners:
            return False  # ``the a`` is no English
        if head in data.bound_heads and tail not in data.determiners:
            return False  # ``whereon``, ``therein``: old compounds, not glue
        if kind == "title":
            return head in data.openers and len(token) >= 5
        return len(token) >= 5 or tail in data.determiners

    def _opener_ok(self, head: str, tail: str, ev: Evidence) -> bool:
        """A sentence opener before a word: ``Thefourth``, ``Thelayoffs``, ``Inshort``; an
        opener that doubles as a prefix wants a common word (not ``Inexhibit``)."""
        data = self.data
        if head not in data.openers:
            return False
        z = self.table.get(lookup_key(tail), 0.0)
        if head in data.prefix_heads:
            return z >= 4.5 or self._vouched(head, tail, ev)
        return z >= self.min_part_zipf

    def _vouched(self, head: str, tail: str, ev: Evidence) -> bool:
        """Whether a content word after a prefix-like head is safe to split off: a common
        word of five letters or more (``incharge``, ``bycontrast``), a word the document
        uses on its own, or the two words written apart elsewhere. ``inrushing``, ``byplay``,
        ``forsee`` and ``infine`` are none of these."""
        z = self.table.get(lookup_key(tail), 0.0)
        if len(tail) >= 5 and z >= 4.5:
            return True
        if ev.known(tail) and len(tail) >= 4 and z < 5.0:
            return True
        return ev.apart(head, tail)

    def _title_head_ok(self, head: str, tail: str, fw_tail: bool, ev: Evidence) -> bool:
        """The head of a capitalised token: a rare word or name the document uses on its own
        (``Sondlandand``, ``Mayersaid``), or a common word at a sentence start before a
        function word (``Accordingto``, ``Howto``); never an unknown name (``Lawan``,
        ``Ameris``, ``Themas``, ``Coaston``)."""
        z = self.table.get(lookup_key(head), 0.0)
        known = ev.known(head)
        if known and z < 4.0:
            return True
        if not fw_tail:
            return known  # ``Wardsays`` yes; ``Computerspeak``, ``Rubinstain`` no
        if z < 4.0:
            # A long listed word, then a function word that seldom ends a name after one:
            # ``Bluetoothwith``, ``Dempseyof``, ``Accelerometerand``; not ``Galland``,
            # ``Kneeland``, ``Denisof``, whose heads are short.
            return tail in self.data.sure_tails and len(head) >= 7
        if tail in self.data.name_endings:  # names end so after short words: Coaston, Lawan
            return len(head) >= 6
        if len(head) >= 5 or known:
            return True
        return tail in self.data.strong_tails and z >= 4.5

    def _content_ok(
        self, head: str, tail: str, whole: float, ev: Evidence, plural: bool = True, named: bool = False
    ) -> bool:
        """Two content words, neither of them a compound former: when the document writes
        them apart elsewhere, or after a head that compounds rarely start with — an
        inflected one (``closing``-, ``muddled``-, ``economic``-) or, in lower case, a
        plural (``metrics``-; compounds pluralise their tail: ``textfiles``) — or, in lower
        case, two common words whose run the list does not hold (``policyrules``,
        ``nextthree``): the large list holds even rare compounds, so an unlisted run of two
        common words is the space a page lost; or a verb's past form after a name the document
        uses (``Marthaadded``; ``named``). (``plural`` is False for capitalised tokens, names
        more often than not.)"""
        data = self.data
        if data.compounding or whole >= 1.5 or len(head) < 3 or len(tail) < 3:
            return False
        if not ev.apart(head, tail):
            if len(head) < 4 or len(tail) < 4:
                return False
            if not (
                data.inflected_heads and head.endswith(data.inflected_heads)
                or plural and data.plural_heads and self._plural(head, tail)
                or plural and not whole and self._common_pair(head, tail)
                or named
            ):
                return False
        return (
            self.productivity(head, True) < self.productive_limit
            and self.productivity(tail, False) < self.productive_limit
        )

    def _common_pair(self, head: str, tail: str) -> bool:
        """Both parts common, and no other cut of the run into two listed words: ``stepstool``
        is ``steps tool`` or ``step stool``, and only the document could tell which."""
        get = self.table.get
        if get(lookup_key(head), 0.0) < self.common_part_zipf or get(lookup_key(tail), 0.0) < self.common_part_zipf:
            return False
        run, floor = head + tail, self.min_part_zipf
        return not any(
            get(lookup_key(run[:cut]), 0.0) >= floor and get(lookup_key(run[cut:]), 0.0) >= floor
            for cut in range(3, len(run) - 2) if cut != len(head)
        )

    def _past(self, tail: str) -> bool:
        """A verb's past form (``added``, ``tapped``, ``returned``): an ending of
        ``past_tails`` after a listed stem (``add``, ``tap``, ``return``), not a word that
        merely ends so (``shed``, ``speed``)."""
        ending = next((e for e in self.data.past_tails if tail.endswith(e)), None)
        if ending is None or len(tail) < len(ending) + 3:
            return False
        stem = tail[: -len(ending)]
        stems = [stem, stem + ending[-1]]  # ``asked`` from ask, ``agreed`` from agree
        if len(stem) >= 4 and stem[-1] == stem[-2]:
            stems.append(stem[:-1])  # ``tapped`` from tap
        get = self.table.get
        return any(get(s, 0.0) >= self.min_part_zipf for s in stems)

    def _plural(self, word: str, tail: str) -> bool:
        """``finds``, ``metrics``, ``dances``: an -s form of a listed word (not ``glass``,
        ``campus``, ``basis``), whose -s does not also start a word with the tail
        (``windowshopping``, ``stepstool`` are ``window shopping``, ``step stool``)."""
        if not word.endswith("s") or word.endswith(("ss", "us", "is")):
            return False
        table = self.table
        if table.get("s" + tail, 0.0) >= self.min_part_zipf:
            return False
        return table.get(word[:-1], 0.0) >= self.min_part_zipf or (
            word.endswith("es") and table.get(word[:-2], 0.0) >= self.min_part_zipf
        )

    def _case_ok(self, kind: str, head: str, tail: str, fw_head: bool, whole: float, ev: Evidence) -> bool:
        """Case glue: ``inSyria``, ``ReutersBEIRUT``, ``HomeDepot`` — not ``SunExpress``.

        ``head`` and ``tail`` keep their case: evidence must be written the same way.
        """
        if kind == "lower-upper":
            # inSyria, announcedMonday: the capitalised word stands alone elsewhere; isValid,
            # toString, menuBackground (identifiers) have no such twin.
            if (fw_head or len(head) >= 4) and ev.cased(tail) or ev.apart(head, tail):
                return True
            # theHonda, theRock: an article never starts an identifier; nor does a preposition
            # that seldom names an identifier's job (fromEarth, byJanuary, ofNazi; not isValid,
            # toString, onClick, forEach).
            return head in self.data.articles or head in self.data.case_heads and len(tail) >= 4
        if kind == "lower-caps":  # theUK yes, macOS no
            return fw_head
        if kind == "caps-lower":  # NASAon, AFCand: an acronym the document uses, then a function word
            return tail.lower() in self.data.function_words and ev.known(head.lower())
        if kind == "title-caps":  # ReutersBEIRUT (a dateline), TheCLPS
            return fw_head or len(tail) >= 4 or ev.known(head.lower()) or ev.apart(head, tail)
        # Title-title: brands are written this way (PlayStation, SunExpress, MoreBikes), so the
        # two words must be written apart elsewhere; or each is a capitalised word of four
        # letters or more that the document uses on its own, and their run is no listed word
        # (``AmazonAlexa``, a menu's ``OpinionColumnists``; not ``BlackMagic``, a listed
        # brand); or the head is a sentence opener and the tail a capitalised word the
        # document uses on its own (``TheUnited``, ``AlthoughHitler``). A brand is named again
        # and again, and a token used twice is no candidate; openers that are prefixes too
        # start brands (``InDesign``, ``OnePlus``).
        if ev.apart(head, tail):
            return True
        if not whole and len(head) >= 4 and len(tail) >= 4 and ev.cased(head) and ev.cased(tail):
            return True
        opener = head.lower()
        return (
            opener in self.data.openers and opener not in self.data.prefix_heads
            and len(tail) >= 4 and ev.cased(tail)
        )


def split_score(head_zipf: float, tail_zipf: float, whole_zipf: float) -> float:
    """How much likelier the two words are than the token, on the Zipf scale (higher:
    surer); an unlisted token counts as Zipf 1."""
    return round(head_zipf + tail_zipf - 9.0 - max(whole_zipf, 1.0), 2)


def _shape(token: str) -> tuple[str, int] | None:
    """How the token is cased, and where (if anywhere) the case says a new word starts.

    ``inSyria`` and ``ReutersBEIRUT`` have one seam; ``NASA`` (an acronym), ``iPhone`` and
    ``getElementById`` (a brand, an identifier) are not prose words to split.
    """
    if token.islower():
        return ("lower", 0)
    if token.isupper():
        return None
    if token[0].isupper() and token[1:].islower():
        return ("title", 0)
    caps = len(token) - len(token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if caps >= 2 and token[caps:].islower() and len(token) - caps >= 2:
        return ("caps-lower", caps)  # NASAon; never CEOs (a one-letter tail)
    seams = [i for i in range(1, len(token)) if token[i].isupper() and token[i - 1].islower()]
    if len(seams) != 1 or seams[0] < 2:
        return None
    at = seams[0]
    head, tail = token[:at], token[at:]
    if head.islower():
        first = "lower"
    elif head[0].isupper() and head[1:].islower():
        first = "title"
    else:
        return None  # ``McDonald``: a head of two capitals is a name
    if tail[0].isupper() and tail[1:].islower():
        return ("lower-upper" if first == "lower" else "title-title", at)
    if tail.isupper() and len(tail) >= 2:
        return (f"{first}-caps", at)
    return None


_judges: dict[str, Judge] = {}


def judge_for(lang: str) -> Judge:
    """The process-wide judge for a language, loading its word list on first use."""
    judge = _judges.get(lang)
    if judge is None:
        judge = _judges[lang] = Judge(lang, LANGUAGES[lang], zipf_table(lang))
    return judge
