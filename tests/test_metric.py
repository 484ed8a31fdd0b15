"""The `metric` kind and the quality measures, on small texts whose values are worked out by hand.

The tokenizer cases are spaCy's own output for the same strings (checked against spaCy 3.8); the
agreement with datatrove over the evaluation corpus is `benchmarks/quality_agreement.py`'s job.
"""
from __future__ import annotations

import pytest

from scrubber import engine
from scrubber.config import Config
from scrubber.document import Document
from scrubber.errors import RuleError
from scrubber.kinds.metric import MetricKind
from scrubber.quality.measures import MEASURES, QualityView, default_bounds
from scrubber.quality.tokens import sentence_count, special_cases, word_tokens
from scrubber.rules import build_rule


def words(text: str) -> list[str]:
    return [w for _, w in word_tokens(text)]


def value(measure: str, text: str, **params: object) -> float | None:
    m = MEASURES[measure]
    return m.compute(QualityView(text), {**m.params, **params}).value


def rule(options: dict, message: str = "{value} ({bound})") -> object:
    return build_rule({"id": "T1", "name": "t", "kind": "metric", "message": message, "fix": "none",
                       "options": options}, "test.yaml")


# --- tokens, as spaCy's English tokenizer makes them --------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Don't stop, U.S. Army!", ["Do", "n't", "stop", ",", "U.S.", "Army", "!"]),
    ("well-known 3-4 $100 hello...world", ["well", "-", "known", "3", "-", "4", "$", "100", "hello", "...", "world"]),
    ("I'm gonna see Mr. Smith at 5pm.", ["I", "'m", "gon", "na", "see", "Mr.", "Smith", "at", "5", "pm", "."]),
    ("e-mail: a@b.com (see https://example.com/x).",
     ["e", "-", "mail", ":", "a@b.com", "(", "see", "https://example.com/x", ")", "."]),
    ("cannot Its 'em", ["can", "not", "Its", "'em"]),  # "Its" is on spaCy's list of non-contractions
    ("“Quoted,” she said.", ["“", "Quoted", ",", "”", "she", "said", "."]),
    ("x:) y", ["x", ":)", "y"]),  # the special-case matcher re-joins an emoticon split off a word
])
def test_tokens_as_spacy_makes_them(text, expected):
    assert words(text) == expected


def test_tokens_carry_offsets_and_drop_whitespace():
    assert word_tokens("a  b\n\nc") == [(0, "a"), (3, "b"), (6, "c")]
    assert word_tokens("He’s here") == [(0, "He"), (2, "’s"), (5, "here")]  # typographic apostrophe too


def test_special_case_table_has_the_english_contractions():
    table = special_cases()
    assert table["don't"] == ("do", "n't") and table["Don’t"] == ("Do", "n’t")
    assert table["10a.m."] == ("10", "a.m.") and table["y'all"] == ("y'", "all")
    assert "its" not in table and "well" not in table and "Ill." in table


@pytest.mark.parametrize(("text", "count"), [
    ("One. Two! Three", 3),
    ("Dr. Smith left. Then he came back...", 2),  # "Dr." is one token; "..." ends nothing
    ("Wait... what? Yes.", 2),
    ('He said: "Go." Then left.', 2),  # the quote after the period belongs to the first sentence
])
def test_sentences_as_spacy_sentencizer_counts(text, count):
    assert sentence_count(text) == count


# --- Gopher quality -----------------------------------------------------------------------------

def test_gopher_word_count_and_mean_length_skip_punctuation_tokens():
    # Tokens: Hello , world ! ...  -> words with a non-punctuation character: Hello, world
    text = "Hello, world! ..."
    assert value("word-count", text) == 2
    assert value("mean-word-length", text) == 5.0


def test_gopher_symbol_ratios_divide_by_all_tokens():
    # Tokens: # a # b c -> 5 tokens, 2 hashes
    assert value("hash-ratio", "#a #b c") == pytest.approx(2 / 5)
    # Tokens: Wait ... what … -> 4 tokens, 2 ellipses
    assert value("ellipsis-ratio", "Wait... what…") == pytest.approx(2 / 4)


def test_gopher_alpha_words_counts_punctuation_tokens_in_the_denominator():
    # Tokens: In 2019 , 45 % rose . -> 7 tokens; In and rose have letters
    assert value("alpha-words", "In 2019, 45% rose.") == pytest.approx(2 / 7)


def test_gopher_stop_words_are_case_sensitive_and_distinct():
    assert value("stop-words", "The cat and the dog and the bird") == 2  # the, and (not "The")
    assert value("stop-words", "le chat et le chien", stop_words=("le", "et")) == 2


def test_gopher_bullet_and_ellipsis_lines_use_splitlines():
    assert value("bullet-lines", "- a\n  • b\nc\n") == pytest.approx(2 / 3)
    assert value("ellipsis-lines", "more...\nend…  \nfine.\r\nok") == pytest.approx(2 / 4)


# --- Gopher repetition --------------------------------------------------------------------------

def test_duplicate_lines_split_at_newline_runs():
    # "a\na\nb\n" -> lines a, a, b, "" (the piece after the final newline counts, as in datatrove)
    assert value("dup-line-fraction", "a\na\nb\n") == pytest.approx(1 / 4)
    assert value("dup-line-chars", "a\na\nb\n") == pytest.approx(1 / 6)


def test_duplicate_paragraphs_split_at_blank_lines():
    text = "x\n\nx\n\ny"  # paragraphs x, x, y; 7 characters
    assert value("dup-paragraph-fraction", text) == pytest.approx(1 / 3)
    assert value("dup-paragraph-chars", text) == pytest.approx(1 / 7)


def test_top_ngram_chars():
    # 2-grams: "buy now", "now buy", "buy now" -> top "buy now" x2 = 14 characters of 15
    assert value("top-ngram-chars", "buy now buy now", n=2) == pytest.approx(14 / 15)


def test_duplicate_ngram_chars_join_words_without_spaces():
    # 5-grams at 0..5; the one at 5 repeats "abcde" (5 characters) and the scan jumps past it
    assert value("dup-ngram-chars", "a b c d e a b c d e", n=5) == pytest.approx(5 / 19)
    assert value("dup-ngram-chars", "a b c d e f", n=5) == 0


# --- C4 -----------------------------------------------------------------------------------------
C4_TEXT = ("Menu\n"
           "The cat sat on the mat. It was happy.\n"
           "Enable JavaScript in your browser now.\n"
           "We use cookies and have a privacy policy here.\n"
           "The value {x} is set by the template.\n")


def test_c4_lines():
    view = QualityView(C4_TEXT)
    assert [ln.dropped for ln in view.c4_lines] == ["no-terminal-punctuation", None, "javascript", "policy", None]
    assert value("c4-curly-bracket", C4_TEXT) == 1
    assert value("c4-javascript", C4_TEXT) == 1
    assert value("c4-policy", C4_TEXT) == 1
    assert value("c4-no-terminal-punctuation", C4_TEXT) == pytest.approx(1 / 5)
    # Kept lines: the cat line (2 sentences) and the template line (1; its bracket is another rule's)
    assert value("c4-sentences", C4_TEXT) == 3


def test_c4_lorem_ipsum_only_on_lines_c4_would_keep():
    assert value("c4-lorem-ipsum", "Lorem ipsum dolor sit amet.\n") == 1
    assert value("c4-lorem-ipsum", "Lorem ipsum dolor sit amet\n") == 0  # dropped first: no full stop
    assert value("c4-lorem-ipsum", "Lorem ipsum.\n") == 0  # dropped first: under 3 words


# --- FineWeb ------------------------------------------------------------------------------------
FW_TEXT = "Short\nA much longer line that ends with a full stop.\n\nShort\n"


def test_fineweb_measures():
    # Non-blank lines: "Short", the long line, "Short"
    assert value("line-punctuation", FW_TEXT) == pytest.approx(1 / 3)
    assert value("short-lines", FW_TEXT) == pytest.approx(2 / 3)
    assert value("short-lines", FW_TEXT, length=4) == 0
    assert value("char-duplicates", FW_TEXT) == pytest.approx(5 / len(FW_TEXT.replace("\n", "")))
    # 4 newlines; tokens: Short A much longer line that ends with a full stop . Short -> 13
    assert value("list-ratio", FW_TEXT) == pytest.approx(4 / 13)


def test_undefined_values_give_no_finding():
    assert value("mean-word-length", "") is None and value("hash-ratio", "  \n") is None
    assert engine.check("", [rule({"measure": "hash-ratio"})]) == []


# --- the kind -----------------------------------------------------------------------------------

def test_published_thresholds_are_the_defaults():
    assert default_bounds(MEASURES["word-count"], {}) == (50, 100_000)
    assert default_bounds(MEASURES["top-ngram-chars"], {"n": 3}) == (None, 0.18)
    assert default_bounds(MEASURES["dup-ngram-chars"], {"n": 10}) == (None, 0.10)
    checker = rule({"measure": "alpha-words"}).checker
    assert isinstance(checker, MetricKind) and (checker.min, checker.max) == (0.8, None)


def test_finding_states_value_and_threshold_on_line_one():
    findings = engine.check("Too short.\n", [rule({"measure": "word-count"})])
    assert len(findings) == 1
    f = findings[0]
    assert f.message == "2 (minimum 50)" and (f.line, f.column) == (1, 1) and f.edit is None


def test_finding_sits_on_the_worst_line():
    text = "Intro line here\nShare this\nBody text\nShare this\nShare this\n"
    f, = engine.check(text, [rule({"measure": "dup-line-fraction"}, "{value}: {line}")])
    assert f.line == 4 and f.message == "0.333: Share this"  # lines: 5 pieces + "" -> 2 repeats of 6


def test_per_line_findings():
    r = rule({"measure": "c4-javascript", "max": 0, "per_line": True}, "{line}")
    text = "Enable JavaScript to see this.\nA normal line of text.\nThis page needs javascript to run.\n"
    assert [(f.line, f.message) for f in engine.check(text, [r])] == [
        (1, "Enable JavaScript to see this."), (3, "This page needs javascript to run.")]


def test_a_threshold_is_strict_as_in_the_filters():
    r = rule({"measure": "word-count", "min": 2})
    assert engine.check("Hello, world!", [r]) == []  # 2 words is not fewer than 2
    assert len(engine.check("Hello!", [r])) == 1


@pytest.mark.parametrize(("options", "why"), [
    ({"measure": "word-count", "n": 3}, "does not apply"),
    ({"measure": "word-count", "min": 10, "max": 5}, "greater than max"),
    ({"measure": "dup-ngram-chars", "n": 12}, "no published threshold"),
    ({"measure": "alpha-words", "per_line": True}, "no per-line findings"),
])
def test_bad_options_are_refused_at_load(options, why):
    with pytest.raises(RuleError, match=why):
        rule(options)


def test_metric_rules_cannot_fix():
    with pytest.raises(RuleError, match="proposes no fix"):
        build_rule({"id": "T1", "name": "t", "kind": "metric", "message": "m", "fix": "safe",
                    "options": {"measure": "word-count"}}, "test.yaml")


def test_views_are_shared_through_the_document():
    doc = Document("Some words here.\n")
    assert doc.quality is doc.quality
    assert doc.quality.words == ["Some", "words", "here", "."]


def test_quality_pack_is_off_by_default_and_on_with_select_q():
    default_ids = {r.id for r in Config().rules()}
    quality = {r.id for r in Config(select=("Q",)).rules()}
    assert quality and not quality & default_ids
    assert all(r.kind == "metric" for r in Config(select=("Q",)).rules())
    assert len(quality) == 31
