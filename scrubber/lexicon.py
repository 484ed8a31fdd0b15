"""Word frequencies and cheap language detection, both from wordfreq's bundled lists.

Nothing is downloaded and nothing is loaded at import: a frequency table is read the first
time a rule asks for that language and is then shared by every document in the process.
Tables are immutable after loading, so sharing them is safe.

Frequencies are on the Zipf scale (log10 of occurrences per billion words): 7 for "the",
3 for a word met once per million words, 1 for the rarest entries of the "large" lists,
0 for a word the list does not hold.
"""
from __future__ import annotations

import functools
import gzip
import importlib.util
import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from scrubber import speedups, word_images

__all__ = [
    "SUPPORTED_LANGUAGES",
    "common_words",
    "detect_language",
    "too_short",
    "function_words",
    "lookup_key",
    "zipf_table",
]

# Languages whose full ("large") frequency lists the word rules may use.
SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "de", "fr", "es", "it", "pt", "nl"})

# Languages the detector knows by their stop words. More than the supported set on purpose:
# a Swedish or Catalan page must be recognised as such (and the English rules stand down),
# not be taken for its nearest supported neighbour.
_DETECTABLE: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "ca", "ro", "sv", "da", "nb", "fi", "pl",
    "cs", "sk", "hu", "tr", "id", "ru", "uk", "bg", "el", "ar", "fa", "he",
)
# What detect_language may return for a text in a script other than Latin ("und": a script
# it cannot name).
OTHER_SCRIPTS: frozenset[str] = frozenset({"ru", "uk", "bg", "el", "ar", "fa", "he", "ja", "zh", "ko", "th", "hi", "und"})
_TOP_WORDS = 150  # stop words taken per language
_MIN_HITS = 8  # fewer stop-word tokens than this: too short to tell
_SHORT = 60  # tokens: below this a text is short, and an undetected language is no warning
_MIN_COVERAGE = 0.15  # stop-word tokens per token below this: not running text
_MIN_MARGIN = 0.25  # log10 likelihood ratio per stop-word token, best vs runner-up

_KANA = re.compile("[\u3040-\u30ff]")
# Outside Basic Latin to Latin Extended-B and Latin Extended Additional (as below).
_NOT_LATIN = re.compile("[^\u0000-\u024f\u1e00-\u1eff]")
_lock = threading.Lock()
_tables: dict[str, Mapping[str, float]] = {}
_word_sets: dict[str, frozenset[str]] = {}
_stop_model: _StopModel | None = None


def lookup_key(word: str) -> str:
    """The form wordfreq stores a word under (it case-folds: German ``ß`` becomes ``ss``)."""
    return word.casefold()


def zipf_table(lang: str) -> Mapping[str, float]:
    """Zipf frequency of every word wordfreq's large list holds for ``lang``, loaded once.

    Built straight from the packed buckets (bucket ``i`` is -i centibels) rather than
    through ``get_frequency_dict``, which would compute and keep a float per word. The
    table lists the words from the most frequent down, so the words above any frequency are
    a prefix of it. With the C speed-ups it is a table mapped from an image that every
    process shares (:mod:`scrubber.word_images`); without them, a dict.
    """
    table = _tables.get(lang)
    if table is not None:
        return table
    with _lock:
        table = _tables.get(lang)
        if table is None:
            if speedups.compiled is not None:
                source = _data_dir() / f"large_{lang}.msgpack.gz"  # absent: built in memory
                table = word_images.open_table(source, lambda: _buckets(lang, "large"), _bucket_zipf)
            else:
                built: dict[str, float] = {}
                for index, bucket in _buckets(lang, "large"):
                    if bucket:
                        built.update(zip(bucket, itertools.repeat(_bucket_zipf(index))))
                table = built
            _tables[lang] = table
    return table


def _bucket_zipf(index: int) -> float:
    return round(9.0 - index / 100.0, 2)


def common_words(lang: str, min_zipf: float = 3.0) -> frozenset[str]:
    """Words of ``lang`` at least this frequent, from the small list (cheap to load): enough
    to tell that ``materiais`` is a Portuguese word rather than English glue."""
    key = f"common:{lang}:{min_zipf}"
    words = _word_sets.get(key)
    if words is None:
        last = int(round((9.0 - min_zipf) * 100))
        found: set[str] = set()
        for index, bucket in _buckets(lang, "small"):
            if index > last:
                break
            found.update(bucket)
        words = _word_sets[key] = frozenset(found)
    return words


def function_words(lang: str, count: int = 60) -> frozenset[str]:
    """The ``count`` most frequent purely alphabetic words of ``lang`` (its stop words)."""
    key = f"{lang}:{count}"
    words = _word_sets.get(key)
    if words is None:
        words = frozenset(w for w, _ in _top_words(lang, count))
        _word_sets[key] = words
    return words


def _top_words(lang: str, count: int) -> list[tuple[str, float]]:
    """The most frequent alphabetic words of the small list, with log10 frequency.

    Reads only the head of the packed list (gzip + msgpack, most frequent bucket first):
    detection needs ~150 words of two dozen languages, and decoding the whole lists would
    cost half a second per process.
    """
    out: list[tuple[str, float]] = []
    for index, bucket in _buckets(lang, "small"):
        for word in bucket:
            if word.isalpha():
                out.append((word, -index / 100.0))
        if len(out) >= count:
            break
    return out[:count]


def _buckets(lang: str, wordlist: str) -> Iterator[tuple[int, list[str]]]:
    """(index, words) of each bucket of wordfreq's packed list, streamed from its file.

    The file layout (gzip of a msgpack array: a header, then one word list per centibel)
    is the one ``wordfreq.read_cBpack`` documents. Reading it directly spares importing
    wordfreq (0.2 s of regex compilation) and lets detection stop after the head.
    """
    path = _data_dir() / f"{wordlist}_{lang}.msgpack.gz"
    if path.is_file():
        try:
            import msgpack

            with gzip.open(path, "rb") as fh:
                unpacker = msgpack.Unpacker(fh, raw=False)
                size = unpacker.read_array_header()
                header = unpacker.unpack()
                if isinstance(header, dict) and header.get("format") == "cB":
                    for index in range(size - 1):
                        yield index, unpacker.unpack()
                    return
        except ImportError:
            pass
    import wordfreq  # a layout we do not know: the public, slower API

    yield from enumerate(wordfreq.get_frequency_list(lang, wordlist))


@functools.lru_cache(maxsize=1)
def _data_dir() -> Path:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("wordfreq is not installed; scrubber needs its word lists")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@dataclass(frozen=True)
class _StopModel:
    """The log10 frequency of every detectable language's stop words, stored sparsely.

    A word missing from a language's top list scores that list's floor minus a penalty (so a
    Spanish ``el`` counts against Portuguese without ruling it out); a listed word scores a
    gain over that floor. Most stop words are listed by one or two languages, so a document's
    scores cost a few hundred additions, not stop words times languages.
    """

    floors: tuple[float, ...]
    gains: dict[str, tuple[tuple[int, float], ...]]  # word -> (language index, gain) for each listing


def _model() -> _StopModel:
    global _stop_model
    if _stop_model is not None:
        return _stop_model
    with _lock:
        if _stop_model is None:
            floors: list[float] = []
            gains: dict[str, list[tuple[int, float]]] = {}
            for index, lang in enumerate(_DETECTABLE):
                top = _top_words(lang, _TOP_WORDS)
                floor = min(f for _, f in top) - 1.0
                floors.append(floor)
                for word, f in top:
                    gains.setdefault(word, []).append((index, f - floor))
            _stop_model = _StopModel(tuple(floors), {w: tuple(g) for w, g in gains.items()})
    return _stop_model


def _script_language(word_counts: Counter[str]) -> str | None:
    """Language implied by the dominant non-Latin script, if letters are mostly not Latin.

    Scripts without spaces between words (Japanese, Chinese, Thai) defeat stop-word
    counting, and a script alone names the language well enough for rules to stand down.
    """
    # The first few hundred distinct words (in order of appearance) tell the script. Words
    # in ASCII or another Latin letter are Latin; only the rest need a closer look, and a
    # Latin-script text has none (so it costs one pass of ``isascii``).
    joined = "".join(itertools.islice(word_counts, 400))
    if joined.isascii() or _NOT_LATIN.search(joined) is None:
        return None  # the common cases, decided in C: no letter outside the Latin blocks
    head = list(itertools.islice(word_counts.items(), 400))
    other = 0
    kana = han = hangul = thai = deva = 0
    for word, n in head:
        if word.isascii():
            continue
        c = ord(word[0])
        if c < 0x250 or 0x1E00 <= c < 0x1F00:
            continue
        weight = len(word) * n
        other += weight
        if 0x3040 <= c < 0x3100 or 0x3400 <= c < 0xA000 and _KANA.search(word):
            kana += weight  # Japanese runs kanji and kana together: 東京都は
        elif 0x4E00 <= c < 0xA000 or 0x3400 <= c < 0x4DC0:
            han += weight
        elif 0xAC00 <= c < 0xD7B0 or 0x1100 <= c < 0x1200:
            hangul += weight
        elif 0x0E00 <= c < 0x0E80:
            thai += weight
        elif 0x0900 <= c < 0x0980:
            deva += weight
    if not other or other <= sum(len(word) * n for word, n in head) - other:
        return None
    if kana:  # Japanese mixes kana into kanji; Chinese has none
        return "ja"
    best = max((han, "zh"), (hangul, "ko"), (thai, "th"), (deva, "hi"))
    return best[1] if best[0] * 2 > other else "und"


def detect_language(word_counts: Counter[str]) -> str | None:
    """ISO 639-1 code of the document's language, or None when the text is too short or mixed.

    Counts the tokens that are stop words of some language and weighs them by each
    language's frequencies (naive Bayes over stop words only): fast, and exact enough for
    deciding which rules apply. Returns ``"und"`` for a non-Latin script it cannot name
    (never None: a short Cyrillic snippet is at least surely not English).
    """
    if not word_counts:
        return None
    by_script = _script_language(word_counts)
    if by_script is not None and by_script != "und":
        return by_script
    model = _model()
    if speedups.compiled is not None:
        hits, listed = speedups.compiled.stop_word_scores(word_counts, model.gains, len(model.floors))
    else:
        hits, listed = _stop_word_scores(word_counts, model.gains, len(model.floors))
    if hits < _MIN_HITS or hits < _MIN_COVERAGE * sum(word_counts.values()):
        return by_script  # "und" for a non-Latin script: surely no Latin-script language
    scores = [floor * hits + gain for floor, gain in zip(model.floors, listed)]
    order = sorted(range(len(_DETECTABLE)), key=scores.__getitem__, reverse=True)
    best, second = order[0], order[1]
    margin = (scores[best] - scores[second]) / hits
    if not math.isfinite(margin) or margin < _MIN_MARGIN:
        return by_script
    return _DETECTABLE[best]


def _stop_word_scores(
    word_counts: Mapping[str, int], gains: Mapping[str, tuple[tuple[int, float], ...]], size: int
) -> tuple[int, list[float]]:
    """How many tokens are stop words, and each language's sum of their gains.

    The words are taken in the text's order, not a set's, so that the sums (floating point)
    are the same in every process, whatever its hash seed; the C speed-up adds in that order.
    """
    listed = [0.0] * size
    hits = 0
    for word in filter(gains.__contains__, word_counts):
        n = word_counts[word]
        hits += n
        for index, gain in gains[word]:
            listed[index] += n * gain
    return hits, listed


def too_short(word_counts: Counter[str]) -> bool:
    """Whether a text is too short for its language to be told (a title, a snippet), as
    opposed to long but unclear (tables, lists of names, mixed languages)."""
    return sum(word_counts.values()) < _SHORT
