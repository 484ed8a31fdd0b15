"""Properties of fixing that hold for every input: what ruff and black check of their own fixes.

For any text: ``fix`` never raises and settles; a second fix changes nothing; every edit lies
inside the text; no applicable finding is left after the fix; replaying the reported edits by
hand, one pass at a time, gives what the engine gives; and text outside the edited spans is
kept character for character.

The inputs are arbitrary Unicode (all planes, controls, long lines, CR/LF/CRLF mixes, which
the API takes as given) and real documents from the evaluation set with random artifacts
injected by ``../shared/eval/corrupt.py`` (imported by path; skipped when absent).

The CI run is derandomized and small (``SCRUBBER_PROPERTY_EXAMPLES``, default 100 per test and
configuration, each checking every property: some 700 examples per property). A long run draws fresh random examples::

    SCRUBBER_PROPERTY_EXAMPLES=100000 python -m pytest tests/test_properties.py -q
"""
from __future__ import annotations

import importlib.util
import os
import random
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import scrubber
from scrubber import engine
from scrubber.config import Config
from scrubber.edits import apply_edits, non_overlapping
from scrubber.model import Edit, Finding
from scrubber.rules import Rule
from scrubber.textfile import DecodeFailure, NotText, TextFile, decode

from conftest import SHARED

EXAMPLES = int(os.environ.get("SCRUBBER_PROPERTY_EXAMPLES", "100"))
LONG_RUN = "SCRUBBER_PROPERTY_EXAMPLES" in os.environ
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=not LONG_RUN, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=True,
)

# (name, configuration, unsafe): the default set, and every shipped rule with unsafe fixes. The
# quality metrics (kind `metric`) are left out: they never propose an edit, so they cannot break a
# fixing property, and they would only add time (their cost on hostile input is tested in test_faults).
CONFIGS: dict[str, tuple[Config, bool]] = {
    "default": (Config(), False),
    "all-unsafe": (Config(select=("ALL",), ignore=("Q",)), True),
}

# Pieces that the rules care about, so random text meets them often.
TOKENS = [
    "\r\n", "\r", "\n", "\n\n", "\n\n\n", " ", "  ", "\t", " \n", "\u200b", "\u00a0", "\u200c", "\u200d", "\u00ad",
    "\ufeff", "\u2060", "\u200e", "\x00", "\x07", "\x1b", "\x0b", "\x0c", "\x85", "\x9f", "\u2028", "\u2029",
    "\u3000", "\u2009", "\u202f", "a", "I", "word", "Title", "Body text.", "é", "Ã©", "â€™", "Ã", "Ƶ", "•", "×", "|",
    "»", "☰", "\ufffd", "\ue800", "\uf0c9", ".", ",", "?", "-", "# ", "* ", "1. ", "🏳️\u200d🌈", "🔥", "می\u200cخواهم",
    "\U0001F600", "\U00010000", "\U0010FFFF", "\U000E0001", "\u0301", "ﬁ", "scrubber: ignore", "scrubber: ignore-file",
    "<!-- scrubber: ignore -->", "Share this article", "Advertisement", "All rights reserved.", "Read more:",
    "Updated 28 October 2017", "(AFP)", "The coalition said on Friday that Daesh is building up its defenses.",
    "recaptured from Daeshin June.", "Mosul\u00a0on Friday",
]

# Arbitrary code points from every plane, surrogates excluded (a Python str from a decoder never holds one).
any_char = st.characters(blacklist_categories=("Cs",))
arbitrary_text = st.text(any_char, max_size=400)
token_text = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)
# Long lines (up to 8,000 characters of one repeated piece; hostile sizes are in test_faults and benchmarks/).
long_line = st.tuples(st.sampled_from(TOKENS[27:]), st.integers(100, 2000)).map(lambda t: (t[0] * t[1])[:8_000])
mixed_text = st.lists(st.one_of(arbitrary_text, token_text, long_line), max_size=4).map("".join)
short_mixed_text = st.lists(st.one_of(arbitrary_text, token_text), max_size=4).map("".join)


# --- the properties ----------------------------------------------------------------------------------------

def one_pass_by_hand(findings: Sequence[Finding], rules: Sequence[Rule], unsafe: bool) -> list[Edit]:
    """The edits of one pass, chosen as documented: earlier rules first, then by position, no overlaps."""
    rank = {r.id: i for i, r in enumerate(rules)}
    ordered = sorted((f for f in findings if f.applicable(unsafe)), key=lambda f: (rank[f.rule_id], f.start))
    return non_overlapping(f.edit for f in ordered if f.edit is not None)


def assert_outside_kept(before: str, after: str, edits: Sequence[Edit]) -> None:
    """Every character outside the edited spans is where the edits' length changes put it, unchanged."""
    shift = 0
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        assert after[pos + shift:edit.start + shift] == before[pos:edit.start], ("text outside edits changed", edit)
        assert after[edit.start + shift:edit.start + shift + len(edit.replacement)] == edit.replacement
        shift += len(edit.replacement) - (edit.end - edit.start)
        pos = edit.end
    assert after[pos + shift:] == before[pos:], "text after the last edit changed"
    assert len(after) == len(before) + shift


def assert_fix_properties(text: str, config: Config, unsafe: bool) -> None:
    rules = config.rules()
    result = scrubber.fix_text(text, config, unsafe=unsafe)  # never raises

    # Every finding and every edit lies inside the text it was found in.
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        if f.edit is not None:
            assert 0 <= f.edit.start <= f.edit.end <= len(text), f
    assert result.converged, "fixes did not settle within the pass limit"

    # Idempotent: fixing the fixed text changes nothing.
    again = scrubber.fix_text(result.text, config, unsafe=unsafe)
    assert again.text == result.text, "fix(fix(x)) != fix(x)"
    assert again.applied == 0

    # No applicable finding is left after the fix (check, as a user would run it).
    left = [f for f in scrubber.check_text(result.text, config) if f.applicable(unsafe)]
    assert not left, f"fixable findings after fix: {left}"

    # Replaying the reported edits by hand, pass by pass, gives the engine's text; outside the
    # edited spans of each pass, every character is kept.
    current = text
    findings = result.findings
    for n in range(engine.MAX_PASSES):
        edits = one_pass_by_hand(findings, rules, unsafe)
        if not edits:
            break
        for e in edits:
            assert 0 <= e.start <= e.end <= len(current)
        after = apply_edits(current, edits)
        if n == 0:
            first_pass = engine.fix(text, rules, unsafe=unsafe, max_passes=1).text
            assert after == first_pass, "the first pass by hand differs from the engine's"
        assert_outside_kept(current, after, edits)
        if after == current:
            break
        current = after
        findings = engine.check(current, rules)
    assert current == result.text, "replaying the edits by hand differs from fix"


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def config(request) -> tuple[Config, bool]:
    return CONFIGS[request.param]


@PROPERTY_SETTINGS
@given(text=arbitrary_text)
def test_properties_on_arbitrary_unicode(config, text):
    assert_fix_properties(text, *config)


@PROPERTY_SETTINGS
@given(text=mixed_text)
def test_properties_on_artifact_tokens_line_endings_and_long_lines(config, text):
    assert_fix_properties(text, *config)


# --- real documents with injected artifacts ----------------------------------------------------------------

CORRUPT = SHARED / "eval" / "corrupt.py"
CLEAN = SHARED / "eval" / "clean"


@lru_cache(maxsize=1)
def corrupt_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scrubber_eval_corrupt", CORRUPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def clean_documents() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt"))}


needs_eval = pytest.mark.skipif(not CORRUPT.is_file() or not CLEAN.is_dir(), reason="../shared/eval is absent")
INJECTOR_NAMES = ["glued-word", "missing-sentence-space", "repeated-title", "stray-line", "mojibake", "invisible-char",
                  "odd-space", "duplicate-paragraph", "boilerplate-line", "photo-caption"]


def corrupted(name: str, kinds: Sequence[str], seed: int, newline: str) -> str:
    """A clean document with one artifact per entry of ``kinds`` (those that find a place), then
    some of its newlines turned into ``newline``."""
    corrupt = corrupt_module()
    docs = clean_documents()
    rng = random.Random(seed)
    text = docs[name]
    for kind in kinds:
        if kind not in corrupt.INJECTORS:
            continue
        if kind == "photo-caption":
            made = corrupt.photo_caption(text, rng, docs[rng.choice(sorted(docs))])
        else:
            made = corrupt.INJECTORS[kind](text, rng)
        if made is not None:
            text = made[0]
    if newline != "\n":
        text = text.replace("\n", newline, rng.randint(0, 8))
    return text


@st.composite
def real_documents(draw: st.DrawFn) -> str:
    names = sorted(clean_documents())
    name = draw(st.sampled_from(names))
    kinds = draw(st.lists(st.sampled_from(INJECTOR_NAMES), min_size=1, max_size=4))
    seed = draw(st.integers(0, 2**32 - 1))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return corrupted(name, kinds, seed, newline)


@needs_eval
@settings(PROPERTY_SETTINGS, max_examples=max(EXAMPLES // 2, 1))
@given(data=st.data())
def test_properties_on_real_documents_with_artifacts(config, data):
    assert_fix_properties(data.draw(real_documents()), *config)


# --- the file layer: bytes in, bytes out ---------------------------------------------------------------------

@PROPERTY_SETTINGS
@given(text=short_mixed_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
@example(text="Share this article\r\n\ufeff", encoding="utf-8")  # found by a long run: the stray BOM below
def test_decoding_fixing_and_encoding_round_trip(config, text, encoding):
    """What the CLI writes reads back as the fixed text, with the file's BOM and newline style."""
    raw = text.encode(encoding, errors="surrogatepass")
    try:
        decoded, layout = decode(raw, "t.txt")
    except (NotText, DecodeFailure):
        return
    assert "\r" not in decoded
    fixed = scrubber.fix_text(decoded, config[0], unsafe=config[1]).text
    written = TextFile(Path("t.txt"), raw, decoded, layout).encode(fixed)
    again, again_layout = decode(written, "t.txt")
    assert (again_layout.encoding, again_layout.bom) == (layout.encoding, layout.bom), "encoding or BOM changed"
    if "\n" in fixed:
        assert again_layout.newline == layout.newline, "newline style changed"
    assert again == (fixed if layout.bom else fixed.lstrip("\ufeff"))
    if fixed == decoded and layout.newline == "\n" and "\r" not in text:
        assert written == raw  # unchanged text, unchanged bytes


def test_a_stray_bom_left_first_by_a_fix_does_not_become_the_files_bom():
    # Found by the properties: dropping the stray line before a U+FEFF left it first in the text.
    raw = "Ƶ\n\n\ufeffTitle\n\nBody text here.\n".encode()
    text, layout = decode(raw, "t.txt")
    fixed = scrubber.fix_text(text).text
    assert fixed == "\ufeffTitle\n\nBody text here.\n"
    written = TextFile(Path("t.txt"), raw, text, layout).encode(fixed)
    assert written == b"Title\n\nBody text here.\n"
    assert decode(written, "t.txt")[1] == layout
