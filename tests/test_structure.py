"""The structure pack: repeated titles, duplicated paragraphs, stray glyph lines.

The layouts below are the ones extractors leave (copies tight or with blank lines between, a
glyph at the top or bottom, with or without a final newline); each fix must give back exactly
the text without the copies, with paragraphs still one blank line apart.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrubber import engine
from scrubber.document import Document
from scrubber.errors import RuleError
from scrubber.kinds.repeated_line import RepeatedLineKind, line_key
from scrubber.kinds.stray_line import StrayLineKind
from scrubber.rules import build_rule, load_pack

ROOT = Path(__file__).resolve().parent.parent
RULES = {r.name: r for r in load_pack(ROOT / "rules" / "structure.yaml")}
ALL = list(RULES.values())
TITLE = "Daesh shores up last stronghold on border in anticipation of attacks by Syrian, Iraqi forces"
BODY = ("BEIRUT: Daesh is building up its defenses in a pocket of territory on the frontier.\n"
        "Iraq launched an offensive.\n")


def fix(text: str, *names: str) -> str:
    rules = [RULES[n] for n in names] if names else ALL
    result = engine.fix(text, rules)
    assert result.converged
    assert engine.fix(result.text, rules).text == result.text, "the fix is not idempotent"
    return result.text


def lines_found(text: str, *names: str) -> list[int]:
    rules = [RULES[n] for n in names] if names else ALL
    return sorted({f.line for f in engine.check(text, rules)})


# --- the seed -----------------------------------------------------------------------------

def test_seed_structure_is_repaired_exactly():
    seed = (ROOT / "seeds" / "000_5f9d73fb92ff69d0.txt").read_text(encoding="utf-8")
    assert lines_found(seed) == [1, 5, 9, 11]
    fixed = fix(seed)
    head, rest = fixed.split("BEIRUT:", 1)
    assert head == (
        f"{TITLE}\n\n"
        "An Iraqi family sits on the rubble of their home in the village of Barzan in the Zummar area of "
        "Nineveh province, northwest of Mosul, on Friday. (AFP)\n"
        "Updated 28 October 2017\n\n"
    )
    # Everything from the first paragraph on is untouched (the glued word is another rule's).
    assert "BEIRUT:" + rest == seed[seed.index("BEIRUT:"):]


# --- repeated titles ----------------------------------------------------------------------

@pytest.mark.parametrize("copies", [1, 2, 3])
@pytest.mark.parametrize("blank", [True, False])
def test_title_copies_tight_or_spaced(copies: int, blank: bool):
    clean = f"{TITLE}\n\n{BODY}"
    copy = f"\n{TITLE}" if blank else TITLE
    noisy = "\n".join([TITLE, *[copy] * copies]) + "\n\n" + BODY
    assert fix(noisy, "repeated-title") == clean


def test_title_copies_mixed_tight_and_spaced_leave_one_blank_line():
    noisy = f"{TITLE}\n\n{TITLE}\n{TITLE}\n\n{BODY}"
    assert fix(noisy, "repeated-title") == f"{TITLE}\n\n{BODY}"


def test_title_after_caption_and_dateline():
    noisy = f"{TITLE}\nA caption. (AFP)\nUpdated 28 October 2017\n\n{TITLE}\n\n{BODY}"
    assert lines_found(noisy, "repeated-title") == [5]
    assert fix(noisy, "repeated-title") == f"{TITLE}\nA caption. (AFP)\nUpdated 28 October 2017\n\n{BODY}"


def test_heading_marks_and_case_do_not_hide_a_copy():
    noisy = f"# {TITLE}\n\n{TITLE.upper()}\n\n{BODY}"
    assert fix(noisy, "repeated-title") == f"# {TITLE}\n\n{BODY}"


def test_title_message_names_the_first_copy():
    (finding,) = engine.check("Title\n\nTitle\nBody text.\n", [RULES["repeated-title"]])
    assert finding.line == 3
    assert finding.message == "title repeated: 'Title' already appears on line 1"


@pytest.mark.parametrize("text", [
    "Chorus\nverse\nChorus\n",  # a refrain
    "Menu\n\n* Home\n* Home\n",  # list items
    "| a | b |\n| a | b |\n",  # table rows
    f"{TITLE}\n\n" + "".join(f"Paragraph {n}.\n\n" for n in range(10)) + f"{TITLE}\n",  # far down the body
    "Sport\n\nResults\n\nSport\n\nText.\n",  # a one-word line coming back is not a copied title
    "2019\n\n2019\n\nText.\n",  # no letters
])
def test_title_counter_examples(text: str):
    assert lines_found(text, "repeated-title") == []
    assert fix(text, "repeated-title") == text


# --- duplicated paragraphs ----------------------------------------------------------------

PARA = "The coalition said on Friday that Daesh is building up its defenses near the border."


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
@pytest.mark.parametrize("end", ["\n", ""])
def test_duplicate_paragraph_anywhere(gap: str, end: str):
    before = f"{TITLE}\n\nFirst paragraph.\n\n"
    noisy = f"{before}{PARA}{gap}{PARA}{end}"
    assert fix(noisy, "duplicate-paragraph") == f"{before}{PARA}{end}"
    noisy = f"{before}{PARA}{gap}{PARA}\n\nLast paragraph.{end}"
    assert fix(noisy, "duplicate-paragraph") == f"{before}{PARA}\n\nLast paragraph.{end}"


def test_triplicated_paragraph_keeps_one():
    noisy = f"Intro.\n\n{PARA}\n{PARA}\n{PARA}\n\nEnd.\n"
    found = engine.check(noisy, [RULES["duplicate-paragraph"]])
    assert [f.line for f in found] == [4, 5]
    assert all("line 3 says the same" in f.message for f in found)
    assert fix(noisy, "duplicate-paragraph") == f"Intro.\n\n{PARA}\n\nEnd.\n"


def test_russian_dialogue_dash_is_not_a_list_bullet():
    line = "— В еде должно быть все просто, вкусно и красиво. Вот по этим критериям, наверное."
    assert fix(f"Текст.\n\n{line}\n{line}\n\nКонец.\n", "duplicate-paragraph") == f"Текст.\n\n{line}\n\nКонец.\n"


@pytest.mark.parametrize("text", [
    "Text.\n\nAdvertisement\n\nAdvertisement\n\nMore text.\n",  # short: boilerplate rules' business
    f"{PARA}\n\nSomething else.\n\n{PARA}\n",  # apart
    f"{PARA}\n\n\n{PARA}\n",  # two blank lines between: not adjacent
    f"| {PARA} |\n| {PARA} |\n",  # table rows
    "Oh, oh, oh, let it be\nOh, oh, oh, let it be\n",  # a short refrain
])
def test_duplicate_paragraph_counter_examples(text: str):
    assert lines_found(text, "duplicate-paragraph") == []


# --- stray lines --------------------------------------------------------------------------

@pytest.mark.parametrize("glyph", ["Ƶ", "\ue800", "\uf0c9", "\uf099", "•", "|", "×", "▲", "▼", "☰", "»", "›",
                                   "◆", "■", "¶", "∙", "Ã", "\ufffd", "‹ › ×"])
def test_stray_glyph_at_top_and_bottom(glyph: str):
    clean = f"{TITLE}\n\n{BODY}"
    assert fix(f"{glyph}\n\n{clean}", "stray-line") == clean
    assert fix(f"{clean}\n{glyph}\n", "stray-line") == clean
    assert fix(f"{clean.rstrip()}\n\n{glyph}", "stray-line") == clean.rstrip()


def test_stray_glyph_between_paragraphs_and_in_a_block():
    assert fix("One.\n\n☰\n\nTwo.\n", "stray-line") == "One.\n\nTwo.\n"
    assert fix("\ue800\n☰\n\nTitle\n\nBody.\n", "stray-line") == "Title\n\nBody.\n"
    assert fix("Text\n\n×\n", "stray-line") == "Text\n"
    # At the edges, every blank line between the glyph and the text goes with it.
    assert fix("☰\n\n\nText\n", "stray-line") == "Text\n"
    assert fix("Text\n\n\n×", "stray-line") == "Text"
    assert fix("×\n\n", "stray-line") == ""


def test_stray_message_says_where():
    (finding,) = engine.check("Ƶ\n\nTitle\n", [RULES["stray-line"]])
    assert (finding.line, finding.message) == (1, "stray line 'Ƶ' (top)")


@pytest.mark.parametrize("text", [
    "• first item\n• second item\n",  # bullets with text
    "1.\n\nIntroduction\n",  # a numbered heading
    "Title\n\nI\n\nA\n\nText.\n",  # words
    "One.\n\n---\n\n***\n\n===\n\n* * *\n\nTwo.\n",  # Markdown rules
    "One.\n\n🔥\n\n❤️\n\nTwo.\n",  # emoji
    "Prices:\n▲\nup three percent\n",  # touching text
    "|\n---|---\n|\n\nText.\n",  # a Markdown table's first row
    "•\nAn item whose bullet the extractor split off\n",
    "One.\n\n»»»»\n\nTwo.\n",  # more than three glyphs
    "One.\n\nЖ\n\nTwo.\n",  # a lone Cyrillic letter may be a heading
])
def test_stray_counter_examples(text: str):
    assert lines_found(text, "stray-line") == []


def test_stray_positions_option_restricts_where():
    rule = build_rule({"id": "X1", "name": "x", "kind": "stray-line", "message": "m",
                       "options": {"positions": ["top"]}}, "<test>")
    assert engine.fix("☰\n\nOne.\n\n×\n\nTwo.\n\n×\n", [rule]).text == "One.\n\n×\n\nTwo.\n\n×\n"


# --- options ------------------------------------------------------------------------------

def test_bad_options_are_refused():
    with pytest.raises(ValueError):
        RepeatedLineKind({"window": 2, "title_lines": 3})
    with pytest.raises(ValueError):
        RepeatedLineKind({"min_words": 9, "max_words": 3})
    with pytest.raises(ValueError):
        StrayLineKind({"pattern": "(unclosed"})
    with pytest.raises(RuleError):
        build_rule({"id": "X1", "name": "x", "kind": "stray-line", "message": "m",
                    "options": {"positions": ["middle"]}}, "<test>")


def test_line_key_ignores_heading_marks_spacing_and_case():
    assert line_key("##  Big   News ##") == line_key("big news") == "big news"


# --- properties ---------------------------------------------------------------------------

_LINES = st.sampled_from(["", "", "", TITLE, PARA, "Short line.", "Chorus", "* Home", "| a | b | c | d |",
                          "☰", "×", "•", "Ƶ", "🔥", "---", "Another paragraph that is long enough to count."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=14), st.booleans())
def test_fix_only_removes_copies_and_strays_and_is_idempotent(lines: list[str], final_newline: bool):
    text = "\n".join(lines) + ("\n" if final_newline else "")
    fixed = fix(text)  # asserts convergence and idempotence
    before = [line for line in text.split("\n") if line.strip()]
    after = [line for line in fixed.split("\n") if line.strip()]
    # Every text line that went had a copy that stayed; only stray glyph lines vanish outright.
    stray = {"☰", "×", "•", "Ƶ"}
    for line in set(before) - stray:
        assert line in after
    assert len(after) <= len(before)
    # Dropping lines never leaves a new run of blank lines or a new leading blank line.
    assert "\n\n\n" not in fixed or "\n\n\n" in text
    if fixed.strip():
        assert not fixed.startswith("\n") or text.startswith("\n")


def test_a_large_document_without_copies_judges_no_line(monkeypatch):
    # The precheck decides in C-level passes that no line repeats: no line is normalised one by
    # one (the cost that made a 100k-line document slow). How fast this is, benchmarks/ says.
    import scrubber.kinds.repeated_line as repeated_line

    normalised: list[str] = []
    real_normal = repeated_line._normal
    monkeypatch.setattr(repeated_line, "_normal", lambda line: normalised.append(line) or real_normal(line))
    big = "\n\n".join(f"Paragraph number {n} says something different from the others." for n in range(50_000))
    doc = Document(big + "\n")
    for rule in ALL:
        assert list(rule.checker.check(doc)) == []
    windowed = sum(rule.checker.window for rule in ALL if isinstance(rule.checker, RepeatedLineKind))
    assert len(normalised) <= windowed  # only the windowed rule's first lines


def test_a_paragraph_repeated_far_apart_judges_no_line(monkeypatch):
    # duplicate-paragraph judges copies in a row only, so its precheck asks for two equal lines
    # with nothing but blank lines between them; a line of "#" alone is passed over.
    import scrubber.kinds.repeated_line as repeated_line

    normalised: list[str] = []
    real_normal = repeated_line._normal
    monkeypatch.setattr(repeated_line, "_normal", lambda line: normalised.append(line) or real_normal(line))
    para = "We shall fight on the beaches and on the landing grounds, he said."
    far = f"{para}\n\nMore text here.\n\n{para}\n"
    assert repeated_line._may_repeat(Document(far), adjacent=False)
    assert not repeated_line._may_repeat(Document(far), adjacent=True)
    assert list(RULES["duplicate-paragraph"].checker.check(Document(far))) == []
    assert normalised == []
    assert repeated_line._may_repeat(Document(f"{para}\n\n##\n\n{para.upper()}\n"), adjacent=True)


@pytest.mark.parametrize("spacing", ["  ", "\t", "\u00a0", "\u2009", "\u3000", "\x0b"])
def test_odd_spacing_inside_a_copy_still_finds_it(spacing: str):
    # The precheck compares lines as they stand unless the text has spacing to normalise.
    para = "The coalition said on Friday that Daesh is building up its defenses."
    text = f"Intro.\n\n{para}\n{para.replace(' ', spacing, 3)}\n\nEnd.\n"
    assert fix(text, "duplicate-paragraph") == f"Intro.\n\n{para}\n\nEnd.\n"


def test_odd_blanks_are_exactly_what_split_splits_on_besides_space_and_newline():
    import sys

    from scrubber.kinds.repeated_line import _ODD_BLANK

    blanks = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {" ", "\n"}
    assert {chr(c) for c in range(sys.maxunicode + 1) if _ODD_BLANK.match(chr(c))} == blanks


def test_a_huge_line_is_looked_at_whole_for_repeats(monkeypatch):
    # Past ``_MAX_NORMALISED`` a line is compared as it stands (cut into words, a 100 MB line
    # would cost gigabytes); the precheck must still let its copies through.
    import scrubber.kinds.repeated_line as repeated_line

    monkeypatch.setattr(repeated_line, "_MAX_NORMALISED", 20)
    line = "A  paragraph\u00a0long enough to pass the limit, copied by the extractor."
    twice = f"{line}\n\n{line}\n"
    assert repeated_line._may_repeat(Document(twice), adjacent=True)
    assert not repeated_line._may_repeat(Document(f"{line}\n\nAnother  line.\n"), adjacent=False)
    assert [h.start for h in RULES["duplicate-paragraph"].checker.check(Document(twice))] == [len(line) + 2]
