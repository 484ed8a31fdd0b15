"""SCR110 mojibake: ftfy's encoding repair, reported per damaged word, never touching clean text.

Damage is made here the way it happens (UTF-8 bytes read as Windows-1252, ftfy's "sloppy"
codec keeping the five undefined bytes as C1 controls), and each repair must give back the
original exactly; clean typography in many scripts must give no finding at all.
"""
from __future__ import annotations

import random
from pathlib import Path

import ftfy
import pytest
from ftfy.badness import BADNESS_RE

from scrubber import engine
from scrubber.document import Document
from scrubber.errors import RuleError
from scrubber.kinds import mojibake as mk
from scrubber.kinds.mojibake import MojibakeKind
from scrubber.rules import build_rule, load_pack, load_rules, select_rules, shipped_packs

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT.parent / "shared" / "eval" / "clean"
RULE = load_pack(ROOT / "rules" / "characters.yaml")[0]


def broken(text: str) -> str:
    """UTF-8 read as Windows-1252, undefined bytes kept as Latin-1: the commonest mojibake."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def fix(text: str, rules=None) -> str:
    rules = rules or [RULE]
    result = engine.fix(text, rules)
    assert result.converged
    assert engine.fix(result.text, rules).text == result.text, "the fix is not idempotent"
    return result.text


def findings(text: str, rule=RULE):
    return engine.check(text, [rule])


def rule_with(**options) -> object:
    raw = {"id": "T110", "name": "mojibake-test", "kind": "mojibake", "message": "{found}", "options": options}
    return build_rule(raw, "test")


# --- the ftfy configuration ----------------------------------------------------------------

def test_ftfy_config_repairs_encoding_only():
    config = MojibakeKind({}).config
    assert config.fix_encoding and config.explain
    assert config.normalization is None
    for step in ("unescape_html", "remove_terminal_escapes", "fix_latin_ligatures", "fix_character_width",
                 "uncurl_quotes", "fix_line_breaks", "fix_surrogates", "remove_control_chars"):
        assert getattr(config, step) is False, step


def test_options_reach_ftfy_config():
    config = MojibakeKind({"restore_byte_a0": False, "fix_c1_controls": False}).config
    assert config.restore_byte_a0 is False and config.fix_c1_controls is False
    assert config.decode_inconsistent_utf8 is True


# --- repairs -------------------------------------------------------------------------------

REPAIRS = [
    ("I donâ€™t know.\n", "I don’t know.\n"),
    ("CafÃ© au lait\n", "Café au lait\n"),
    (broken("“Naïve café — déjà vu”, she said.\n"), "“Naïve café — déjà vu”, she said.\n"),
    (broken("Москва и Санкт-Петербург\n"), "Москва и Санкт-Петербург\n"),
    (broken("東京は日本の首都です。\n"), "東京は日本の首都です。\n"),
    (broken("Great job 👍🏽 🎉\n"), "Great job 👍🏽 🎉\n"),
    (broken(broken("Größe\n")), "Größe\n"),  # mojibake of mojibake
    ("Microsoftâ„¢ Windows and â‚©5000\n", "Microsoft™ Windows and ₩5000\n"),  # ftfy's heuristic alone misses these
    ("It\x92s a \x93quote\x94\n", "It’s a “quote”\n"),  # Windows-1252 read as Latin-1
    ("voilÃ  le travail\n", "voilà le travail\n"),  # the no-break space had become a space
    ("Fish &amp; chips in &eacute;t&eacute; &#8212; 5&nbsp;km\n", "Fish & chips in été — 5\u00a0km\n"),
    ("x &lt; 5\n", "x < 5\n"),
    (broken("IT-компания\n"), "IT-компания\n"),  # Latin and Cyrillic across a hyphen
    (broken("Hann sagði „ANNAÐ“ og fór.\n"), "Hann sagði „ANNAÐ“ og fór.\n"),  # ftfy would go on to ANNAГ
]


@pytest.mark.parametrize(("noisy", "clean"), REPAIRS)
def test_repair(noisy, clean):
    assert findings(noisy)
    assert fix(noisy) == clean


def test_only_the_damaged_line_changes():
    text = "Größe “ok” — fine\n\n" + broken("Ärger über “Straße”") + "\nlast line’s fine\n"
    assert fix(text) == "Größe “ok” — fine\n\nÄrger über “Straße”\nlast line’s fine\n"
    assert {f.line for f in findings(text)} == {3}


# --- where and why -------------------------------------------------------------------------

def test_edit_is_the_damaged_characters_and_message_names_the_word():
    text = "I donâ€™t know.\n"
    [f] = findings(text)
    assert text[f.edit.start:f.edit.end] == "â€™" and f.edit.replacement == "’"
    assert (f.start, f.end) == (f.edit.start, f.edit.end)
    assert (f.line, f.column) == (1, 6)
    assert "'donâ€™t' should be 'don’t'" in f.message


def test_explanation_is_ftfys_plan():
    [f] = findings("CafÃ© au lait\n")
    assert "UTF-8 read as Latin-1" in f.message
    assert "ftfy: encode latin-1, decode utf-8" in f.message
    assert f.extra["plan"] == [("encode", "latin-1"), ("decode", "utf-8")]
    assert ftfy.apply_plan("Ã©", f.extra["plan"]) == "é"


def test_double_mojibake_says_twice():
    [f] = findings(broken(broken("Größe")))
    assert "(twice)" in f.message


def test_one_finding_per_damaged_word_and_edits_rebuild_the_line():
    clean = "Le café, la crème brûlée et l’été à Paris."
    text = broken(clean)
    found = findings(text)
    # One per damaged word, nothing for the ASCII ones; the edit is only what differs.
    assert [f.extra["replacement"] for f in found] == ["café,", "crème", "brûlée", "l’été", "à"]
    assert [f.edit.replacement for f in found] == ["é", "è", "ûlé", "’été", "à"]
    assert fix(text) == clean


def test_line_granularity_gives_one_edit():
    rule = rule_with(granularity="line")
    text = "x\n" + broken("Le café, la crème brûlée.") + "\n"
    [f] = findings(text, rule)
    assert f.line == 2 and fix(text, [rule]) == "x\nLe café, la crème brûlée.\n"


def test_entity_finding_explains_itself():
    [f] = findings("AT&amp;T\n")
    assert "'&amp;' should be '&'" in f.message and "unescape_html" in f.message


# --- counter-examples ----------------------------------------------------------------------

UNTOUCHED = [
    "“Quoted” text — with an em dash… and ‘single’ quotes; it’s 5–6 °C, 50 % off, £5, €10, ½ cup.\n",
    "Größe, Straße, übermäßig; « Déjà vu », naïve, cœur, Noël, ÉTÉ’S, JOSÉ’S PIZZA.\n",
    "AÇÃO, NÃO, SÃO PAULO, informação, coração\n",
    "Sie sagte: „SCHÖN“ und ›ÄRGER‹.\n",
    "Hann sagði „ANNAÐ“ og fór.\n",  # Ð“ is also Windows-1252 for UTF-8 Г: ftfy alone says ANNAГ
    "«Привет», — сказал он. Μια ελληνική φράση. שלום עולם. مرحبا بالعالم\n",
    "東京は日本の首都です。서울특별시 「引用」\n",
    "Great job 👍🏽 🎉 🏳️‍🌈\n",
    "Ã\n\nText.\n",  # a lone Ã is the stray-line rule's
    "Text.\nÃ \n",  # ftfy would make it "à "
    "ﬁnance ＬＯＵＤ cafe\u0301 bell\x07 tab\t\n",  # ligature, width, NFD, controls: other rules
    "10 μg of α-synuclein, x², 3×4, ±2, № 5, © 2020, ® and ™\n",
    '<a href="?a=1&amp;b=2">link</a>\n',  # entities inside markup are HTML
    "&lt;div class=&quot;x&quot;&gt; escaped markup\n",
    "AT&amp;amp;T and &amp;#8217;\n",  # double escaping: one decode would only make a new entity
    "soft&shy;hyphen, &NewLine; &#0; &#x200B;\n",  # invisible or control results
    "Q&A, AT&T, R&D; fish & chips &c.\n",  # bare ampersands
]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_untouched(text):
    assert findings(text) == []


def test_html_entities_can_be_turned_off():
    assert findings("Fish &amp; chips\n", rule_with(html_entities=False)) == []


def test_overlong_line_is_skipped():
    rule = rule_with(max_line_length=10)
    assert findings("CafÃ© au lait, a long line\n", rule) == []
    assert findings("CafÃ©\n", rule)


# --- real text -------------------------------------------------------------------------------

needs_eval = pytest.mark.skipif(not CLEAN.is_dir(), reason="the shared evaluation set is not here")


@needs_eval
def test_clean_articles_have_no_finding():
    for path in sorted(CLEAN.glob("*.txt")):
        assert findings(path.read_text(encoding="utf-8")) == [], path.name


@needs_eval
def test_every_non_ascii_line_of_the_articles_round_trips():
    """Each line that corrupt.py could pick, broken alone in its document, comes back exactly."""
    kind = MojibakeKind({})
    n = 0
    for path in sorted(CLEAN.glob("*.txt"))[::3]:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.isascii():
                continue
            noisy = broken(line)
            hits = list(kind.check(Document(noisy)))
            text = noisy
            for hit in sorted(hits, key=lambda h: h.start, reverse=True):
                text = text[:hit.edit.start] + hit.edit.replacement + text[hit.edit.end:]
            assert text == line, (path.name, line)
            n += 1
    assert n > 300


# --- the pre-filter is a necessary condition of ftfy's heuristic --------------------------------

def _badness_characters() -> set[int]:
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
    chars: set[int] = set()

    def walk(items) -> None:
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                chars.add(av)
            elif name == "IN":
                for o, a in av:
                    if str(o) == "LITERAL":
                        chars.add(a)
                    elif str(o) == "RANGE":
                        chars.update(range(a[0], a[1] + 1))
            elif name == "BRANCH":
                for branch in av[1]:
                    walk(branch)
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                walk(av[2])

    walk(sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags))
    return {c for c in chars if c > 0x7F}


def test_badness_characters_lie_in_the_prefilter_blocks():
    assert _badness_characters() <= mk._MOJIBAKE_CHARS


def test_prefilter_never_misses_what_badness_flags():
    rng = random.Random(110)
    alphabet = ([chr(c) for c in sorted(mk._MOJIBAKE_CHARS)] + list("abcXYZ .,?!\t")
                + [chr(c) for c in sorted(mk._PLAIN_LETTERS)] + [chr(c) for c in sorted(mk._LONE_SUSPECTS)] * 3)
    flagged = 0
    for _ in range(100_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
        if BADNESS_RE.search(s):
            flagged += 1
            assert mk.SUSPECT.search(s), repr(s)
    assert flagged > 10_000


def test_prefilter_passes_plain_prose():
    prose = "Москва — столица России. Ελληνικά. A informação, ação. Größe. Plain ASCII text.\n" * 50
    assert mk.SUSPECT.search(prose) is None


# --- options and rule order ------------------------------------------------------------------

def test_unknown_option_is_refused():
    with pytest.raises(RuleError, match="colour"):
        rule_with(colour="red")
    with pytest.raises(RuleError, match="granularity"):
        rule_with(granularity="word")


def test_mojibake_ranks_before_control_and_space_rules():
    """A C1 byte inside mojibake (â€\\x9d for ”) must be re-decoded, not deleted by SCR102."""
    rules = select_rules(load_rules(shipped_packs()), select=["SCR1"])
    ids = [r.id for r in rules]
    assert ids.index("SCR110") < ids.index("SCR102") and ids.index("SCR110") < ids.index("SCR103")
    text = broken("He said “yes” — twice.\n")
    assert "\x9d" in text
    assert fix(text, rules) == "He said “yes” — twice.\n"


def test_the_continuation_characters_are_ftfys_sloppy_windows_1252() -> None:
    import ftfy  # noqa: F401 - registers the sloppy codecs

    from scrubber.kinds import mojibake

    assert mojibake._CONTINUATION == bytes(range(0x80, 0xC0)).decode("sloppy-windows-1252")


def test_loading_the_rules_does_not_import_ftfy() -> None:
    # ftfy (with wcwidth) is most of the start-up: a pre-commit hook pays it on every commit,
    # and a re-run answered by the cache never needs it.
    import subprocess
    import sys

    code = ("import sys\nfrom scrubber.config import Config\nConfig().rules()\n"
            "print('ftfy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
