"""Words as web-corpus filters count them: spaCy's rule-based English tokenizer, re-implemented.

datatrove's Gopher, C4 and FineWeb filters split English text with ``spacy.blank("en")``, and
their published thresholds (at least 80 % of words alphabetic, at least 50 words, n-gram
character fractions) are judged on those tokens: punctuation is a token of its own, ``don't`` is
``do`` + ``n't``, ``U.S.`` stays whole. A document close to a threshold flips with another
tokenisation, so this module follows spaCy's algorithm (whitespace spans, special cases,
prefix/suffix/infix rules, URL match, the special-case matcher) and its English rule tables
(spaCy, MIT licence) without importing spaCy. Character classes use Unicode properties where
spaCy lists ranges; they differ only on rare scripts.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import regex

# --- character classes (spaCy's lang/char_classes.py, abridged to Unicode properties) -----------
_ALPHA = r"\p{L}"
_ALPHA_LOWER = r"\p{Ll}\p{Lo}"  # spaCy counts uncased scripts as both lower and upper case
_ALPHA_UPPER = r"\p{Lu}\p{Lo}"
_PUNCT = r"… …… , : ; \! \? ¿ ؟ ¡ \( \) \[ \] \{ \} < > _ # \* & 。 ？ ！ ， 、 ； ： ～ · । ، ۔ ؛ ٪"
_QUOTES = r"\' " + '"' + " ” “ ` ‘ ´ ’ ‚ , „ » « 「 」 『 』 （ ） 〔 〕 【 】 《 》 〈 〉 \u2329 \u232a ⟦ ⟧"
_HYPHENS = "- – — -- --- —— ~"
_CURRENCY = (r"\$ £ € ¥ ฿ US\$ C\$ A\$ ₽ ﷼ ₴ ₠ ₡ ₢ ₣ ₤ ₥ ₦ ₧ ₨ ₩ ₪ ₫ € ₭ ₮ ₯ ₰ "
             r"₱ ₲ ₳ ₴ ₵ ₶ ₷ ₸ ₹ ₺ ₻ ₼ ₽ ₾ ₿")
_UNITS = ("km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft "
          "kg g mg µg t lb oz m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb "
          "TB T G M K % км км² км³ м м² м³ дм дм² дм³ см см² см³ мм мм² мм³ нм "
          "кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ тб"
          "كم كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب")  # sic: "тбكم" is one unit
_ICONS = r"[\p{So}]"


def _split(chars: str) -> list[str]:
    return chars.split()


def _merge(chars: str) -> str:
    return "|".join(chars.split())


_LIST_PUNCT = _split(_PUNCT)
_LIST_QUOTES = _split(_QUOTES)
_LIST_ELLIPSES = [r"\.\.+", "…"]
_CONCAT_QUOTES = "".join(_LIST_QUOTES)

_PREFIXES = (["§", "%", "=", "—", "–", r"\+(?![0-9])", *_LIST_PUNCT, *_LIST_ELLIPSES, *_LIST_QUOTES,
              *_split(_CURRENCY), _ICONS])
_SUFFIXES = ([*_LIST_PUNCT, *_LIST_ELLIPSES, *_LIST_QUOTES, _ICONS, "'s", "'S", "’s", "’S", "—", "–",
              r"(?<=[0-9])\+", r"(?<=°[FfCcKk])\.", rf"(?<=[0-9])(?:{_merge(_CURRENCY)})",
              rf"(?<=[0-9])(?:{_merge(_UNITS)})",
              # spaCy puts the alternation strings inside this class verbatim; so do we.
              rf"(?<=[0-9{_ALPHA_LOWER}%²\-\+{_merge(_PUNCT)}(?:{_CONCAT_QUOTES})])\.",
              rf"(?<=[{_ALPHA_UPPER}][{_ALPHA_UPPER}])\."])
_INFIXES = ([*_LIST_ELLIPSES, _ICONS, r"(?<=[0-9])[+\-\*^](?=[0-9-])",
             rf"(?<=[{_ALPHA_LOWER}{_CONCAT_QUOTES}])\.(?=[{_ALPHA_UPPER}{_CONCAT_QUOTES}])",
             rf"(?<=[{_ALPHA}]),(?=[{_ALPHA}])",
             rf"(?<=[{_ALPHA}0-9])(?:{_merge(_HYPHENS)})(?=[{_ALPHA}])",
             rf"(?<=[{_ALPHA}0-9])[:<>=/](?=[{_ALPHA}])"])

@lru_cache(maxsize=1)
def _regexes() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    """Prefix, suffix, infix and URL patterns, compiled on first use (not at import: CLI start-up)."""
    prefix = regex.compile("|".join("^" + p for p in _PREFIXES))
    suffix = regex.compile("|".join(p + "$" for p in _SUFFIXES))
    infix = regex.compile("|".join(_INFIXES))
    # spaCy's URL_MATCH (after Diego Perini's MIT-licensed URL regex).
    url = regex.compile(
        r"^(?:(?:[\w\+\-\.]{2,})://)?(?:\S+(?::\S*)?@)?(?:"
        r"(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})"
        r"(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})"
        r"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}"
        r"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))"
        r"|(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?[A-Za-z0-9\u00a1-\uffff]\.)+"
        rf"(?:[{_ALPHA_LOWER}]{{2,63}}))(?::\d{{2,5}})?(?:[/?#]\S*)?$"
    )
    return prefix, suffix, infix, url


def _prefix_len(s: str) -> int:
    m = _regexes()[0].match(s)  # every alternative starts with ^
    return m.end() - m.start() if m else 0


# spaCy's URL pattern backtracks quadratically on long colon-rich spans; no real URL is this long.
_URL_MAX = 4096
_SUFFIX_WINDOW = 8  # longer than any fixed suffix ("mbar", "اكواب") plus room


def _suffix_len(s: str) -> int:
    """The leftmost suffix match, found near the end: searching the whole string is quadratic on
    long runs of punctuation. Only a run of dots (an ellipsis) can start further back."""
    if s.endswith(".."):
        run = len(s) - len(s.rstrip("."))
        if run > _SUFFIX_WINDOW - 2:
            return run
    m = _regexes()[1].search(s, max(0, len(s) - _SUFFIX_WINDOW))
    return m.end() - m.start() if m else 0


# --- special cases (spaCy's tokenizer exceptions for English) ----------------------------------
_EMOTICONS = r"""
:) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: [= =] :o) (o: :} :-} 8) 8-) (-8 ;) ;-) (; (-;
:( :-( :(( :-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/ =| :| :-| ]= =[ :1 :P :-P :p
:-p :O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X :x :-x :D :-D ;D ;-D =D xD XD xDD
XDD 8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v V.V v_v V_V o_o o_O O_o O_O 0_o o_0 0_0
o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3 (^_^) (-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ)
¯\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>
"""
_ABBREVIATIONS = """
'd a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. Gov. i.e. I.e. I.E. Inc. Jr. Ltd. Md.
Messrs. Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Prof. Rep. Rev. Sen. St. vs. v.s.
Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mt.
Ak. Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ia. Id. Ill. Ind. Kan. Kans. Ky. La. Mass. Mich.
Minn. Miss. N.C. N.D. N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Okla. Ore. Pa. S.C. Tenn. Va. Wash. Wis.
'S 's ‘S ‘s 're 'bout 'cause 'cos 'coz 'cuz 'Cause 'Cos 'Coz 'Cuz Ma'am ma'am O'clock o'clock
and/or w/o em 'em ll 'll nuff 'nuff ' '' C++ <space> \\t \\n \\") ä. ö. ü.
"""
_EXCLUDE = "Ill ill Its its Hell hell Shell shell Shed shed were Were Well well Whore whore".split()


def _cased(word: str) -> tuple[str, str]:
    return word, word.title()


@lru_cache(maxsize=1)
def special_cases() -> dict[str, tuple[str, ...]]:
    """The whole table: a string that becomes these tokens whenever it stands alone."""
    exc: dict[str, tuple[str, ...]] = {}
    for orth in (" ", "\t", "\n", "\u2014", "\u00a0", *_EMOTICONS.split(), *_ABBREVIATIONS.split(),
                 *(c + "." for c in "abcdefghijklmnopqrstuvwxyz")):
        exc[orth] = (orth,)
    for unit in "cfkCFK":
        exc[f"°{unit}."] = ("°", unit, ".")
    english: dict[str, tuple[str, ...]] = {}

    def add(*pieces: str) -> None:
        english["".join(pieces)] = pieces

    for o in ("i", "I"):
        add(o, "'m"), add(o, "m"), add(o, "'m", "a"), add(o, "m", "a")
    for pron in ("i", "you", "he", "she", "it", "we", "they"):
        for o in _cased(pron):
            add(o, "'ll"), add(o, "ll"), add(o, "'ll", "'ve"), add(o, "ll", "ve")
            add(o, "'d"), add(o, "d"), add(o, "'d", "'ve"), add(o, "d", "ve")
            if pron in ("i", "you", "we", "they"):
                add(o, "'ve"), add(o, "ve")
            if pron in ("you", "we", "they"):
                add(o, "'re"), add(o, "re")
            if pron in ("he", "she", "it"):
                add(o, "'s"), add(o, "s")
    for word in ("who", "what", "when", "where", "why", "how", "there", "that", "this", "these", "those"):
        for o in _cased(word):
            if word not in ("these", "those"):
                add(o, "'s"), add(o, "s")
            add(o, "'ll"), add(o, "ll"), add(o, "'ll", "'ve"), add(o, "ll", "ve")
            if word not in ("that", "this"):
                add(o, "'re"), add(o, "re"), add(o, "'ve"), add(o, "ve")
            add(o, "'d"), add(o, "d"), add(o, "'d", "'ve"), add(o, "d", "ve")
    for verb in "ca could did does do had may might must need ought sha should wo would".split():
        for o in _cased(verb):
            add(o, "n't"), add(o, "nt"), add(o, "n't", "'ve"), add(o, "nt", "ve")
    for verb in "ai are is was were have has dare".split():
        for o in _cased(verb):
            add(o, "n't"), add(o, "nt")
    for verb in "could might must should would not".split():
        for o in _cased(verb):
            add(o, "'ve"), add(o, "ve")
    for word in "doin goin nothin nuthin havin lovin somethin ol".split():
        for o in _cased(word):
            english[o] = (o,)
            english[o + "'"] = (o + "'",)
    for h in range(1, 13):
        for period in ("a.m.", "am", "p.m.", "pm"):
            add(str(h), period)
    for o in _cased("can"):
        add(o, "not")
    for a, b in (("gon", "na"), ("got", "ta"), ("let", "'s")):
        for o in _cased(a):
            add(o, b)
    add("c'm", "on"), add("C'm", "on")
    add("How", "'d", "'y"), add("how", "'d", "'y"), add("y'", "all"), add("y", "all")
    for orth in _EXCLUDE:
        english.pop(orth, None)
    exc.update(english)
    for orth, pieces in list(exc.items()):  # typographic apostrophes too
        if "'" in orth:
            exc[orth.replace("'", "’")] = tuple(p.replace("'", "’") for p in pieces)
    return exc


# --- the tokenizer ------------------------------------------------------------------------------

def _split_affixes(span: str, specials: dict[str, tuple[str, ...]] | None) -> tuple[list[str], str, list[str]]:
    """Peel prefixes and suffixes off ``span`` until a special case or nothing more peels."""
    prefixes: list[str] = []
    suffixes: list[str] = []
    last = -1
    while span and len(span) != last:
        if specials is not None and span in specials:
            break
        last = len(span)
        pre = _prefix_len(span)
        if pre:
            minus_pre = span[pre:]
            if specials is not None and minus_pre and minus_pre in specials:
                prefixes.append(span[:pre])
                span = minus_pre
                break
        suf = _suffix_len(span[pre:])
        if suf:
            minus_suf = span[:-suf]
            if specials is not None and minus_suf and minus_suf in specials:
                suffixes.append(span[-suf:])
                span = minus_suf
                break
        if pre and suf and pre + suf <= len(span):
            prefixes.append(span[:pre])
            suffixes.append(span[-suf:])
            span = span[pre:-suf]
        elif pre:
            prefixes.append(span[:pre])
            span = span[pre:]
        elif suf:
            suffixes.append(span[-suf:])
            span = span[:-suf]
    return prefixes, span, suffixes


def _split_infixes(span: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _regexes()[2].finditer(span):
        if m.start() == 0:
            continue  # an infix at the very start stays glued to what follows, as in spaCy
        if m.start() != start:
            out.append(span[start:m.start()])
        if m.start() != m.end():
            out.append(m.group())
        start = m.end()
    if span[start:]:
        out.append(span[start:])
    return out


def _tokenize_span(span: str, with_specials: bool = True) -> tuple[str, ...]:
    """The tokens of one whitespace-free span."""
    specials = special_cases() if with_specials else None
    if specials is not None and span in specials:
        return specials[span]
    prefixes, core, suffixes = _split_affixes(span, specials)
    tokens = list(prefixes)
    if core:
        if specials is not None and core in specials:
            tokens.extend(specials[core])
        elif len(core) <= _URL_MAX and _regexes()[3].match(core):
            tokens.append(core)
        else:
            tokens.extend(_split_infixes(core) or [core])
    tokens.extend(reversed(suffixes))
    return tuple(tokens)


_RUNS = regex.compile(r"\s+|\S+")  # \s is str.isspace() for str patterns


# Words recur: the tokens of a short span are cached, as spaCy caches them (bounded memory).
_CACHED_SPAN = 64
_tokenize_cached = lru_cache(maxsize=65536)(_tokenize_span)
# Longer spans (minified code, base64) are cut into pieces of this size first.
_MAX_SPAN = 10_000


def _spans(text: str) -> Iterable[tuple[int, str]]:
    """Whitespace and non-whitespace runs; one plain space after a word belongs to the word."""
    for m in _RUNS.finditer(text):
        start, span = m.start(), m.group()
        if span[0] == " " and start > 0:
            span = span[1:]
            start += 1
            if not span:
                continue
        yield start, span


@lru_cache(maxsize=1)
def _matcher_patterns() -> dict[str, list[tuple[str, ...]]]:
    """Special cases that affix rules would split, by first token: found again over the token stream.

    spaCy adds a special case to its phrase matcher when a prefix, suffix or infix rule applies
    to it; the pattern is its tokenisation without special cases.
    """
    patterns: set[tuple[str, ...]] = set()
    for orth in special_cases():
        if _prefix_len(orth) or _suffix_len(orth) or _regexes()[2].search(orth) or " " in orth:
            pieces = tuple(t for _, t in _raw_tokens(orth, with_specials=False))
            if len(pieces) > 1:  # a one-token pattern changes nothing
                patterns.add(pieces)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for pattern in sorted(patterns, key=len):
        by_first.setdefault(pattern[0], []).append(pattern)
    return by_first


def _raw_tokens(text: str, with_specials: bool = True) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    append = out.append
    for start, span in _spans(text):
        if span[0].isspace():
            append((start, span))
            continue
        if len(span) <= _CACHED_SPAN:
            pieces = _tokenize_cached(span, with_specials)
        elif len(span) <= _MAX_SPAN:
            pieces = _tokenize_span(span, with_specials)
        else:  # bounded time: spaCy's affix loop is quadratic on a long run of punctuation
            pieces = tuple(t for i in range(0, len(span), _MAX_SPAN)
                           for t in _tokenize_span(span[i:i + _MAX_SPAN], with_specials))
        if len(pieces) == 1:
            append((start, span))
            continue
        pos = start
        for tok in pieces:
            append((pos, tok))
            pos += len(tok)
    return out


def _apply_matcher(text: str, tokens: list[tuple[int, str]]) -> list[tuple[int, str]]:
    by_first = _matcher_patterns()
    texts = [t for _, t in tokens]
    matches: list[tuple[int, int]] = []
    for i, tok in enumerate(texts):
        for pattern in by_first.get(tok, ()):
            n = len(pattern)
            if tuple(texts[i:i + n]) == pattern:
                matches.append((i, i + n))
    if not matches:
        return tokens
    # Longest first, earlier first among equals; a match touching a taken token is dropped.
    seen: set[int] = set()
    kept: list[tuple[int, int]] = []
    for start, end in sorted(matches, key=lambda m: (m[1] - m[0], -m[0]), reverse=True):
        if start not in seen and end - 1 not in seen:
            kept.append((start, end))
        seen.update(range(start, end))
    specials = special_cases()
    out: list[tuple[int, str]] = []
    i = 0
    for start, end in sorted(kept):
        out.extend(tokens[i:start])
        begin = tokens[start][0]
        finish = tokens[end - 1][0] + len(tokens[end - 1][1])
        rule = specials.get(text[begin:finish])
        if rule is None:
            out.extend(tokens[start:end])  # matched across whitespace: spaCy leaves it
        else:
            pos = begin
            for piece in rule:
                out.append((pos, piece))
                pos += len(piece)
        i = end
    out.extend(tokens[i:])
    return out


def spacy_tokens(text: str) -> list[tuple[int, str]]:
    """(offset, token) for every token spaCy's blank English pipeline makes, whitespace included."""
    return _apply_matcher(text, _raw_tokens(text))


def word_tokens(text: str) -> list[tuple[int, str]]:
    """datatrove's ``split_into_words``: spaCy's tokens, stripped, the blank ones dropped."""
    # A token is either all whitespace or has none (spans split at str.isspace), so stripping
    # only ever drops whole tokens.
    return [(start, tok) for start, tok in spacy_tokens(text) if not tok[0].isspace()]


# --- sentences (spaCy's rule-based "sentencizer") --------------------------------------------------
# Unicode sentence terminals as datatrove lists them (a snapshot of Sentence_Terminal).
TERMINAL_PUNCTUATION = frozenset(
    "!.?\u0589\u061d\u061e\u061f\u06d4\u0700\u0701\u0702\u07f9\u0837\u0839\u083d\u083e\u0964\u0965\u104a"
    "\u104b\u1362\u1367\u1368\u166e\u1735\u1736\u17d4\u17d5\u17d6\u17d9\u17da\u1803\u1809\u1944\u1945\u1aa8"
    "\u1aa9\u1aaa\u1aab\u1b5a\u1b5b\u1b5e\u1b5f\u1b7d\u1b7e\u1c3b\u1c3c\u1c7e\u1c7f\u203c\u203d\u2047\u2048"
    "\u2049\u2e2e\u2e3c\u2e53\u2e54\u3002\ua4ff\ua60e\ua60f\ua6f3\ua6f7\ua876\ua877\ua8ce\ua8cf\ua92f\ua9c8"
    "\ua9c9\uaa5d\uaa5e\uaa5f\uaaf0\uaaf1\uabeb\ufe52\ufe56\ufe57\uff01\uff0e\uff1f\uff61\U00010a56\U00010a57"
    "\U00010f55\U00010f56\U00010f57\U00010f58\U00010f59\U00010f86\U00010f87\U00010f88\U00010f89\U00011047"
    "\U00011048\U000110be\U000110bf\U000110c0\U000110c1\U00011141\U00011142\U00011143\U000111c5\U000111c6"
    "\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b\U0001123c\U000112a9\U0001144b\U0001144c"
    "\U000115c2\U000115c3\U000115c9\U000115ca\U000115cb\U000115cc\U000115cd\U000115ce\U000115cf\U000115d0"
    "\U000115d1\U000115d2\U000115d3\U000115d4\U000115d5\U000115d6\U000115d7\U00011641\U00011642\U0001173c"
    "\U0001173d\U0001173e\U00011944\U00011946\U00011a42\U00011a43\U00011a9b\U00011a9c\U00011c41\U00011c42"
    "\U00011ef7\U00011ef8\U00011f43\U00011f44\U00016a6e\U00016a6f\U00016af5\U00016b37\U00016b38\U00016b44"
    "\U00016e98\U0001bc9f\U0001da88"
)
# The sentencizer's own list is an older snapshot: the same less these.
_SENTENCIZER_PUNCT = TERMINAL_PUNCTUATION - frozenset(
    "\u061d\u061e\u0837\u0839\u083d\u083e\u17d4\u17d5\u17d6\u17d9\u17da\u1b7d\u1b7e\u2e53\u2e54\U00010f55"
    "\U00010f56\U00010f57\U00010f58\U00010f59\U00010f86\U00010f87\U00010f88\U00010f89\U00011944\U00011946"
    "\U00011ef7\U00011ef8\U00011f43\U00011f44\U00016e98"
)


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(c).startswith("P") for c in token)


def sentence_count(text: str) -> int:
    """How many sentences spaCy's sentencizer finds: a new one after terminal punctuation."""
    tokens = spacy_tokens(text)
    if not tokens:
        return 0
    count = 1
    seen_period = False
    for _, tok in tokens:
        in_punct = tok in _SENTENCIZER_PUNCT
        if seen_period and not in_punct and not _is_punct(tok):
            count += 1
            seen_period = False
        elif in_punct:
            seen_period = True
    return count
