import random
import sys
from collections import Counter

import pytest
import regex

from conftest import needs_c
from scrubber import speedups
from scrubber.document import _NOT_WORD_BLOCKS, _WIDE_RUN, WORD_RE, Document, count_wide_runs


def test_positions_are_one_based_and_count_characters():
    doc = Document("ab\ncdé\n\nx")
    assert doc.position(0) == (1, 1)
    assert doc.position(3) == (2, 1)
    assert doc.position(5) == (2, 3)
    assert doc.position(len(doc.text)) == (4, 2)
    assert doc.line_count == 4
    assert Document("a\nb\n").line_count == 2


def test_word_counts_are_the_documents_own_vocabulary():
    doc = Document("Daesh said. daesh in June; Straße")
    assert doc.word_counts["daesh"] == 2
    assert doc.word_counts["straße"] == 1
    assert [w for _, _, w in doc.words][:2] == ["Daesh", "said"]


def _drop(text: str, index: int) -> str:
    doc = Document(text)
    start, end = doc.drop_line_edit_span(index)
    return text[:start] + text[end:]


def test_drop_line_between_blank_lines_takes_one_blank_line():
    assert _drop("T\n\nT\n\nbody\n", 2) == "T\n\nbody\n"


def test_drop_line_next_to_text_goes_alone():
    assert _drop("T\n\nT\ncaption\n", 2) == "T\n\ncaption\n"
    assert _drop("T\nT\n\nbody\n", 1) == "T\n\nbody\n"


def test_drop_line_at_the_edges_keeps_the_final_newline_state():
    assert _drop("Ƶ\n\ntext\n", 0) == "text\n"
    assert _drop("text\n\nƵ\n", 2) == "text\n"
    assert _drop("text\n\nƵ", 2) == "text"
    assert _drop("text\nƵ", 1) == "text"
    assert _drop("Ƶ", 0) == ""


@pytest.mark.parametrize("text", [
    "Plain English, with “quotes” and an em dash — nothing else.",
    "Un café décomposé: cafe\u0301 et re\u0301sume\u0301.",  # combining marks
    "İstanbul and DİYARBAKIR",  # lower-casing makes a combining dot
    "हिन्दी में लिखा गया पाठ",  # vowel signs are marks
])
def test_word_counts_are_runs_of_letters_and_marks(text: str, both_paths: str) -> None:
    # Without a combining mark the vocabulary is taken with a plainer pattern; the counts must
    # be those of the letters-and-marks pattern all the same.
    assert Document(text).word_counts == Counter(WORD_RE.findall(text.lower()))


def test_the_blocks_skipped_before_tokenising_hold_no_letter_or_mark() -> None:
    # The fast scan skips these blocks as separators: a letter or a mark in one of them would
    # be cut out of its word. Checked against ``regex``'s tables, which do the exact cut.
    letter_or_mark = regex.compile(r"[\p{L}\p{M}]")
    blocks = regex.findall(r"(.)(?:-(.))?", _NOT_WORD_BLOCKS, flags=regex.S)
    for low, high in blocks:
        for code in range(ord(low), ord(high or low) + 1):
            assert not letter_or_mark.match(chr(code)), hex(code)


def test_what_python_calls_a_letter_regex_calls_a_letter() -> None:
    # A run that ``str.isalpha`` accepts is taken as one word without asking ``regex``.
    letter = regex.compile(r"\p{L}")
    assert all(letter.match(chr(c)) for c in range(sys.maxunicode + 1) if chr(c).isalpha())


def test_word_counts_match_the_exact_pattern_on_mixed_scripts_and_symbols(both_paths: str) -> None:
    # Counts and first-seen order (language detection reads the first words) as one pass of
    # the exact pattern would give them, over letters, marks, digits and symbols of every kind.
    pieces = list("abcXYZ éÉßİıǅª²½Ⅻ·×÷’“”—…€→■✓😀、「」。々〆ー") + [
        " ", "\n", "e\u0301", "\u0915\u093f", "\u200b", "\u00ad", "x²", "٣", "ﬁ", "Ⅷ", "\ufeff", "𝐀", "\U000e0041"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40)))
        lowered = text.lower()
        pattern = WORD_RE if regex.search(r"\p{M}", lowered) else regex.compile(r"\p{L}+")
        expected = Counter(pattern.findall(lowered))
        got = Document(text).word_counts
        assert got == expected and list(got) == list(expected), repr(text)


@needs_c
def test_the_c_counter_cuts_every_code_point_as_the_pattern_does() -> None:
    # Every code point once, in order (one string of the widest kind), and each one alone
    # between spaces: the separators the C table holds are exactly the pattern's.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert list(count_wide_runs(every).items()) == list(Counter(_WIDE_RUN.findall(every)).items())
    spaced = " ".join(map(chr, range(0x3000)))  # the narrower kinds too
    assert list(count_wide_runs(spaced).items()) == list(Counter(_WIDE_RUN.findall(spaced)).items())


def test_the_c_counter_keeps_first_seen_order_and_counts_over_a_large_vocabulary(both_paths: str) -> None:
    # Thousands of distinct words (the table grows many times), counts past the small-int
    # cache, one-byte, two-byte and four-byte texts.
    rng = random.Random(11)
    for alphabet in ("abcdefgh", "abcdéfgh", "abcdεφγη", "abcd𝐀𝐁𝐂𝐃"):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 9))) for _ in range(20_000)]
        words += ["common"] * 700
        rng.shuffle(words)
        text = " ".join(words) + ", " + "\n".join(words[:50])
        expected = Counter(_WIDE_RUN.findall(text))
        got = count_wide_runs(text)
        assert list(got.items()) == list(expected.items())


@needs_c
def test_the_c_counter_adds_to_the_counts_it_is_given_and_refuses_bad_arguments() -> None:
    compiled = speedups.compiled
    counts = Counter({"b": 2})
    compiled.count_runs("a b, a", counts)
    assert counts == Counter({"b": 3, "a": 2}) and list(counts) == ["b", "a"]
    with pytest.raises(TypeError):
        compiled.count_runs("a b", [])
    with pytest.raises(TypeError):
        compiled.count_runs(b"a b", {})
    with pytest.raises(ValueError):  # unsorted: refused, and the table in use is kept
        compiled.set_word_separators([(0x41, 0x5A), (0x20, 0x20)])
    assert list(count_wide_runs("ab cd")) == ["ab", "cd"]


def test_the_c_speedups_are_built_where_a_compiler_is() -> None:
    # The build skips them quietly without a compiler (hatch_build.py); with one, a missing
    # module means the build broke, and every run would be three times slower at counting.
    import os
    import shutil

    if os.environ.get("SCRUBBER_PURE_PYTHON") or not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler, or pure Python asked for")
    assert speedups.compiled is not None


def test_a_long_text_is_folded_piece_by_piece_with_the_same_result(monkeypatch) -> None:
    import scrubber.document as document

    monkeypatch.setattr(document, "_FOLD_CHUNK", 7)
    text = "Straße İstanbul ΣΊΣΥΦΟΣ ﬁne Ǆemal. " * 5
    assert Document(text).folded == text.casefold()
    ascii_text = "Plain ASCII Text " * 5
    assert Document(ascii_text).folded == ascii_text.casefold()



@needs_c
def test_the_line_index_is_the_same_in_c_and_in_python(monkeypatch) -> None:
    # Lines of every shape a head can take: blanks of both engines' kinds (``\x1c`` is a blank
    # to ``re``, not to ``regex``), bullet marks, words in ASCII, Latin-1, beyond (``ł``, ``İ``,
    # ``ß`` that folds to ``ss``), digits, marks, underscores, symbols, empty and blank lines.
    pieces = ["\n", "\n", " ", "\t", "\x1c", "\xa0", "\u2003", "\u3000", "#", "* ", "- ", "•", "·", "—", "–",
              "|", "_", ">", "Share", "SHARE", "the", "Ab", "x", "Été", "Straße", "ßa", "łódź", "İst", "µm",
              "ª", "e\u0301", "42", "x²", "(AFP)", "’s", "😀", "\u200d", "Ω", "日本", ".", "..."]
    rng = random.Random(13)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        fast = dict(Document(text).line_heads)
        monkeypatch.setattr(speedups, "compiled", None)
        slow = dict(Document(text).line_heads)
        monkeypatch.undo()
        assert fast == slow, repr(text)
