"""`mojibake`: text decoded with the wrong encoding (and HTML entities left in text), repaired by ftfy.

ftfy does the repair; this kind decides where to ask it, guards what it answers, and reports
where (the damaged word) and why (ftfy's plan, e.g. encode sloppy-windows-1252, decode utf-8).

- ftfy runs with every step off except encoding repair: no uncurling of quotes, no width,
  ligature or line-break changes, no control-character removal, no Unicode normalisation.
  ftfy's defaults change two thirds of clean web articles; this config changes none.
- One line at a time (as ``ftfy.fix_text`` does); ftfy only acts on a line its ``badness``
  heuristic calls bad, and that regex runs at a few MB/s, so a necessary condition of it
  (``SUSPECT``) is scanned first over the whole text at ~150 MB/s. Clean text stops there.
- Two guards on ftfy's answer: a repair that glues a Cyrillic, Hebrew or Arabic letter onto a
  Latin word is refused (Icelandic „ANNAÐ“ is not mojibake of `ANNAГ`), and a line with fewer
  than two visible characters is left to the stray-line rule (ftfy turns `"Ã "` into `"à "`).
- One help: ftfy's heuristic misses a lone `â` + two continuation characters (`â„¢` for ™,
  `â‚©` for ₩); those spans are decoded with ftfy's own plan (see ``_LONE_E2``).
- HTML entities are decoded one at a time with ftfy's table, except where that is not a repair
  (markup, double escaping, invisible characters; see ``safe_entity``).
- Edits are per damaged word, trimmed to the characters that differ, and rebuild the repaired
  line exactly; ``granularity: line`` gives one edit per line instead.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from difflib import SequenceMatcher
from functools import cached_property
from typing import TYPE_CHECKING, Any

import regex

from scrubber.document import Document
from scrubber.kinds import register
from scrubber.kinds.base import Hit, Kind
from scrubber.model import Edit

if TYPE_CHECKING:
    from ftfy import TextFixerConfig

# ftfy is imported where it is first needed, not with this module: its import (70 ms, with
# wcwidth's) is most of scrubber's start-up, which a pre-commit hook pays on every commit and a
# re-run that the cache answers in full needs not pay at all.

# ftfy steps that are not encoding repair: all off, whatever ftfy's defaults become.
_ONLY_ENCODING = {
    "unescape_html": False,  # done per entity below, with guards ftfy's "auto" lacks
    "remove_terminal_escapes": False,
    "fix_encoding": True,
    "fix_latin_ligatures": False,
    "fix_character_width": False,
    "uncurl_quotes": False,
    "fix_line_breaks": False,
    "fix_surrogates": False,
    "remove_control_chars": False,
    "normalization": None,
    "explain": True,
}
# ftfy's encoding sub-steps, exposed as options (defaults: ftfy's own).
_SUBSTEPS = ("restore_byte_a0", "replace_lossy_sequences", "decode_inconsistent_utf8", "fix_c1_controls")


def _char_class(code_points: set[int]) -> str:
    """A regex character class for a set of code points, as ranges."""
    cps, parts, i = sorted(code_points), [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(re.escape(chr(cps[i])) + (f"-{re.escape(chr(cps[j]))}" if j > i else ""))
        i = j + 1
    return "[" + "".join(parts) + "]"


def _ranges(*spans: tuple[int, int]) -> set[int]:
    return {cp for lo, hi in spans for cp in range(lo, hi + 1)}


# Every non-ASCII character in ftfy.badness.BADNESS_RE lies in these blocks (a test checks it):
# Latin-1 to Cyrillic, general punctuation, currency, letterlike, maths, box drawing, shapes.
_MOJIBAKE_CHARS = _ranges((0x80, 0x4FF), (0x2010, 0x2044), (0x20A0, 0x20CF), (0x2100, 0x214F),
                          (0x2200, 0x23FF), (0x2500, 0x25FF), (0xF8FF, 0xF8FF), (0xFB00, 0xFB06),
                          (0xFFFD, 0xFFFD))
# BADNESS patterns that need only one such character: C1 controls, Ã/Â before a space, œ.
_LONE_SUSPECTS = _ranges((0x80, 0x9F)) | {0xC2, 0xC3, 0x152, 0x153}
# UTF-8 continuation bytes 0x80-0xBF as Windows-1252 shows them: ftfy's sloppy-windows-1252,
# which keeps the five bytes Windows-1252 leaves undefined as the Latin-1 controls (a test
# compares it with ftfy's codec).
_CONTINUATION = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0))
# Two Greek or Cyrillic letters side by side are an ordinary word, and so are two accented
# lower-case Latin letters (`ção`); BADNESS only cares about the pairs вЂ, Гў and those with Ґ/ґ,
# and ƒ, œ, š, ž stay suspects (continuation bytes: `â`+`šž` is mojibake of ⚞, see _LONE_E2).
_PLAIN_LETTERS = (
    {cp for cp in _ranges((0x370, 0x4FF)) if chr(cp).isalpha()} - {0x402, 0x45E, 0x490, 0x491}
) | ({cp for cp in _ranges((0xDF, 0x24F)) if unicodedata.category(chr(cp)) == "Ll"}
     - {ord(c) for c in _CONTINUATION})
_BLOCKS, _LONE = _char_class(_MOJIBAKE_CHARS), _char_class(_LONE_SUSPECTS)
_PLAIN, _NOT_PLAIN = _char_class(_PLAIN_LETTERS), _char_class(_MOJIBAKE_CHARS - _PLAIN_LETTERS)
# A necessary condition for ftfy.badness.is_bad(line) (tests fuzz it against BADNESS_RE): a
# mojibake character that is not a plain letter, next to another mojibake character, or a lone
# suspect. Anchored on the rarer character, the scan skips ASCII and plain prose in C.
SUSPECT = re.compile(f"{_NOT_PLAIN}(?:(?<={_BLOCKS}{_NOT_PLAIN})|(?={_BLOCKS})|(?<={_LONE}))")

# `&lt;div`, `&lt;/p`: escaped markup. Decoding it would put tags into text; another problem.
_ESCAPED_TAG = re.compile(r"&lt;[/!?]?[A-Za-z]", re.IGNORECASE)
# An entity right after `&amp;`: double escaping; decoding once would only make a new entity.
_ENTITY_AHEAD = re.compile(r"#?[0-9A-Za-z]{1,24};")
# Words with their trailing blanks: alignment tokens that rarely repeat (a token of blanks alone
# repeats on every word and makes SequenceMatcher quadratic on a long paragraph).
_TOKENS = re.compile(r"[^ \t]+[ \t]*|[ \t]+")

# Where ftfy needs help: a three-byte UTF-8 sequence led by byte E2 (U+2000-U+2FFF: symbols such
# as ™ ₩ № ① ▲ ➔) read as Windows-1252 is `â` and two continuation characters. ftfy's badness
# heuristic sees only some of them (`â€™` yes, `â„¢` and `â‚©` no), so a line whose only damage
# is one such symbol stays broken. No text means `â` followed by two of these characters, and the
# decoded character is always a symbol, never a letter, so these spans are decoded on their own
# with ftfy's own plan (encode sloppy-windows-1252, decode utf-8).
_LONE_E2 = re.compile(f"\u00e2[{re.escape(_CONTINUATION)}]{{2}}")
_UTF8_READ_AS_1252 = [("encode", "sloppy-windows-1252"), ("decode", "utf-8")]

_ENCODINGS = {
    "latin-1": "Latin-1", "windows-1252": "Windows-1252", "sloppy-windows-1252": "Windows-1252",
    "sloppy-windows-1250": "Windows-1250", "sloppy-windows-1251": "Windows-1251",
    "sloppy-windows-1253": "Windows-1253", "sloppy-windows-1254": "Windows-1254",
    "sloppy-windows-1257": "Windows-1257", "iso-8859-2": "ISO-8859-2", "macroman": "Mac Roman",
    "cp437": "IBM 437", "utf-8": "UTF-8", "utf-8-variants": "UTF-8",
}
_STEP_CAUSES = {
    "restore_byte_a0": "a no-break space in it had become a space",
    "replace_lossy_sequences": "characters already lost to U+FFFD become one U+FFFD",
    "decode_inconsistent_utf8": "UTF-8 read as a single-byte encoding in part of the line",
    "fix_c1_controls": "C1 control characters that stand for Windows-1252 punctuation",
    "unescape_html": "an HTML entity left in the text",
}
_CLIP = 60

# A repair that glues a Cyrillic, Hebrew or Arabic letter onto a Latin word is ftfy misreading
# real text, not mojibake: Icelandic „ANNAÐ“ is not `ANNAГ` (Ð“ is also the Windows-1252 form of
# UTF-8 Г). Judged per run of letters, so `IT-компания` and a Cyrillic word with one Latin `i`
# (a common homoglyph) are still repaired; Greek is not judged (`μg`, `α-helix`).
_LETTER_RUN = regex.compile(r"[\p{L}\p{M}]+")
_LATIN = regex.compile(r"\p{Latin}")
_FOREIGN_ALPHABET = regex.compile(r"[\p{Cyrillic}\p{Hebrew}\p{Arabic}]")


def ftfy_config(options: Mapping[str, Any]) -> TextFixerConfig:
    """The immutable ftfy config: encoding repair only, sub-steps as the options say."""
    from ftfy import TextFixerConfig

    steps = {name: bool(options.get(name, True)) for name in _SUBSTEPS}
    return TextFixerConfig(**_ONLY_ENCODING, **steps)


@functools.cache
def html_entity_re() -> re.Pattern[str]:
    """ftfy's pattern of an HTML entity, the one its ``unescape_html`` decodes."""
    from ftfy.chardata import HTML_ENTITY_RE

    return HTML_ENTITY_RE


def describe(plan: Sequence[tuple[str, str]]) -> str:
    """ftfy's plan in words: ``[('encode', 'sloppy-windows-1252'), ('decode', 'utf-8')]`` →
    'UTF-8 read as Windows-1252'. A plan repeated (mojibake of mojibake) says how many times;
    byte-level touches (``transcode`` steps) come last, as notes."""
    causes: list[str] = []
    notes: list[str] = []
    encoded: str | None = None
    for action, param in plan:
        if action == "encode":
            encoded = param
        elif action == "decode" and encoded is not None:
            causes.append(f"{_ENCODINGS.get(param, param)} read as {_ENCODINGS.get(encoded, encoded)}")
            encoded = None
        elif param in _STEP_CAUSES:
            (notes if action == "transcode" else causes).append(_STEP_CAUSES[param])
    parts: list[str] = []
    for cause in dict.fromkeys(causes + notes):
        n = (causes + notes).count(cause)
        parts.append(cause if n == 1 else f"{cause} ({'twice' if n == 2 else f'{n} times'})")
    return "; ".join(parts) or "ftfy repaired it"


def ftfy_steps(plan: Sequence[tuple[str, str]]) -> str:
    """ftfy's own explanation, the steps ``ftfy.apply_plan`` would replay."""
    return ", ".join(f"{action} {param}" for action, param in plan)


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


def safe_entity(line: str, match: re.Match[str]) -> str | None:
    """What ftfy's ``unescape_html`` makes of one entity, or None where decoding is not a repair.

    Left alone: a control or invisible character (a `&NewLine;` would split a line, a `&shy;`
    hide in a word; other rules own those), U+FFFD (`&#0;`), and `&amp;` before another entity
    (double escaping: decoding once makes a new entity, and the fix loop would then decode that).
    """
    from ftfy.fixes import unescape_html

    entity = match.group()
    char = unescape_html(entity)
    if char == entity or char == "\ufffd":
        return None
    if any(unicodedata.category(c)[0] == "C" or c in "\u2028\u2029" for c in char):
        return None
    if char == "&" and _ENTITY_AHEAD.match(line, match.end()):
        return None
    return char


def lone_symbols(line: str, plan: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """Decode the `â..` sequences ftfy left (see ``_LONE_E2``), each with ftfy's ``apply_plan``."""
    if "\u00e2" not in line:
        return line, plan
    import ftfy

    def decode(m: re.Match[str]) -> str:
        try:
            return str(ftfy.apply_plan(m.group(), _UTF8_READ_AS_1252))
        except UnicodeError:
            return m.group()

    fixed = _LONE_E2.sub(decode, line)
    return fixed, plan + _UTF8_READ_AS_1252 if fixed != line else plan


def mixes_scripts(word: str) -> bool:
    """A run of letters mostly Latin with some Cyrillic, Hebrew or Arabic in it (`нè` is not)."""
    for run in _LETTER_RUN.findall(word):
        foreign = len(_FOREIGN_ALPHABET.findall(run))
        if foreign and len(_LATIN.findall(run)) > foreign:
            return True
    return False


def _mixes_more(word: str, fixed_word: str) -> bool:
    return mixes_scripts(fixed_word) and not mixes_scripts(word)


def over_fixed(line: str, fixed: str) -> bool:
    """Whether ftfy's repair glued a foreign letter onto a Latin word anywhere in the line."""
    return any(_mixes_more(span[3], span[4]) for span in changed_spans(line, fixed))


def plan_stages(line: str, plan: Sequence[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The text after each complete step of ``plan``, replayed with ``ftfy.apply_plan``."""
    import ftfy

    stages: list[tuple[str, list[tuple[str, str]]]] = []
    obj: str | bytes = line
    for k, step in enumerate(plan):
        obj = ftfy.apply_plan(obj, [step])  # type: ignore[arg-type]
        if isinstance(obj, str):
            stages.append((obj, list(plan[: k + 1])))
    return stages


def _common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of ``a`` and ``b``."""
    n = min(len(a), len(b))
    p = 0
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return p, s


def _token_offsets(tokens: list[str]) -> list[int]:
    offsets = [0]
    for tok in tokens:
        offsets.append(offsets[-1] + len(tok))
    return offsets


def changed_spans(line: str, fixed: str) -> Iterator[tuple[int, int, str, str, str]]:
    """(start, end, replacement, word, fixed_word) per damaged word of ``line``.

    The line and its repair are aligned token by token (words with their trailing blanks), so
    an unchanged word anchors the alignment; a run of changed words pairs up one to one when the
    counts agree (they do unless a space was absorbed), and each pair is trimmed to the
    characters that differ. Applying all the spans turns ``line`` into ``fixed`` exactly.
    """
    a, b = _TOKENS.findall(line), _TOKENS.findall(fixed)
    offa, offb = _token_offsets(a), _token_offsets(b)
    # The common head and tail are aligned already: SequenceMatcher is quadratic on a long
    # line of repeated tokens, so it only sees the part between them.
    lo = 0
    while lo < min(len(a), len(b)) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < min(len(a), len(b)) - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    matcher = SequenceMatcher(None, a[lo:len(a) - hi], b[lo:len(b) - hi], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + lo, i2 + lo, j1 + lo, j2 + lo
        pairs = zip(range(i1, i2), range(j1, j2)) if i2 - i1 == j2 - j1 else [(i1, j1)]
        for i, j in pairs:
            ie, je = (i + 1, j + 1) if i2 - i1 == j2 - j1 else (i2, j2)
            word, fixed_word = line[offa[i]:offa[ie]], fixed[offb[j]:offb[je]]
            if word == fixed_word:
                continue
            p, s = _common_affixes(word, fixed_word)
            yield (offa[i] + p, offa[ie] - s, fixed_word[p:len(fixed_word) - s],
                   word.strip(), fixed_word.strip())


@register
class MojibakeKind(Kind):
    """Mojibake and other ftfy-fixable damage, one finding per damaged word (or per line)."""

    name = "mojibake"
    options_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "granularity": {"enum": ["span", "line"]},
            "html_entities": {"type": "boolean"},
            "restore_byte_a0": {"type": "boolean"},
            "replace_lossy_sequences": {"type": "boolean"},
            "decode_inconsistent_utf8": {"type": "boolean"},
            "fix_c1_controls": {"type": "boolean"},
            "max_line_length": {"type": "integer", "minimum": 1},
        },
    }

    def __init__(self, options: Mapping[str, Any], timeout: float | None = 2.0) -> None:
        super().__init__(options, timeout)
        self._options = dict(options)
        self.per_line = options.get("granularity", "span") == "line"
        self.entities = bool(options.get("html_entities", True))

    @cached_property
    def config(self) -> TextFixerConfig:
        return ftfy_config(self._options)

    @cached_property
    def max_line_length(self) -> int:
        # ftfy's own bound on one segment; a longer line is skipped, never half-repaired.
        return int(self._options.get("max_line_length", self.config.max_decode_length))

    def check(self, doc: Document) -> Iterator[Hit]:
        for index in self._candidate_lines(doc):
            start, end = doc.line_span(index)
            if end - start <= self.max_line_length:
                yield from self._check_line(doc.text[start:end], start)

    def _candidate_lines(self, doc: Document) -> list[int]:
        """Lines that may hold mojibake or an entity; one cheap scan each over the whole text."""
        text = doc.text
        found: set[int] = set()
        scans = [] if text.isascii() else [SUSPECT]
        if self.entities and "&" in text:
            scans.append(html_entity_re())
        for pattern in scans:
            pos = 0
            while (m := pattern.search(text, pos)) is not None:
                index = doc.line_index(m.start())
                found.add(index)
                if index + 1 >= len(doc.line_starts):
                    break
                pos = doc.line_starts[index + 1]  # one match is enough to look at the line
        return sorted(found)

    def repair(self, line: str) -> tuple[str, list[tuple[str, str]]]:
        """ftfy's repair of one line and its plan, stepped back if its last step over-fixed."""
        import ftfy

        fixed, steps = ftfy.fix_encoding_and_explain(line, self.config)
        plan = [(str(action), str(param)) for action, param in steps or []]
        if fixed != line and over_fixed(line, fixed):
            # ftfy repeats its step until the text stops changing; on a Latin word the repeat can
            # go one step too far (`ANNAÃ\x90â€œ` → `ANNAÐ“` → `ANNAГ`). Keep the last plausible stage.
            # No plausible stage: the final one stands, and the hits skip the over-fixed words.
            for text, prefix in reversed(plan_stages(line, plan)[:-1]):
                if not over_fixed(line, text):
                    fixed, plan = text, prefix
                    break
        return lone_symbols(fixed, plan)

    def _check_line(self, line: str, base: int) -> Iterator[Hit]:
        hits: list[Hit] = []
        # A lone symbol is the stray-line rule's, not ours.
        if len(line.strip()) >= 2 and SUSPECT.search(line):
            fixed, plan = self.repair(line)
            if fixed != line:
                hits = list(self._encoding_hits(line, fixed, plan, base))
        if self.entities and "&" in line and "<" not in line and not _ESCAPED_TAG.search(line):
            taken = [(h.start, h.end) for h in hits]
            for m in html_entity_re().finditer(line):
                char = safe_entity(line, m)
                start, end = base + m.start(), base + m.end()
                if char is None or any(s < end and start < e for s, e in taken):
                    continue  # an overlapping entity waits for the fix loop's next pass
                hits.append(Hit(start, end, Edit(start, end, char), {
                    "found": m.group(), "replacement": char, "cause": _STEP_CAUSES["unescape_html"],
                    "explanation": "apply unescape_html", "plan": [("apply", "unescape_html")],
                }))
        yield from sorted(hits, key=lambda h: h.start)

    def _encoding_hits(self, line: str, fixed: str, plan: list[tuple[str, str]],
                       base: int) -> Iterator[Hit]:
        data = {"cause": describe(plan), "explanation": ftfy_steps(plan), "plan": [tuple(s) for s in plan]}
        spans = [span for span in changed_spans(line, fixed) if not _mixes_more(span[3], span[4])]
        if not spans:
            return
        if self.per_line:  # one edit from the first damaged character to the last
            start, end = spans[0][0], spans[-1][1]
            pieces, pos = [], start
            for s, e, replacement, _, _ in spans:
                pieces += [line[pos:s], replacement]
                pos = e
            replacement = "".join(pieces)
            found, repaired = line, line[:start] + replacement + line[end:]
            spans = [(start, end, replacement, found, repaired)]
        for start, end, replacement, word, fixed_word in spans:
            yield Hit(base + start, base + end, Edit(base + start, base + end, replacement),
                      {"found": _clip(word), "replacement": _clip(fixed_word), **data})
