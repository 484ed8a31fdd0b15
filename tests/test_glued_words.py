"""The words pack: glued words and missing sentence spaces.

Each positive case is a glue that HTML extraction really makes; each counter-example is a real
word, name or token that a naive splitter would break. Precision matters more than recall here:
a wrong space damages clean text, a missed one only leaves it as it was.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter
from pathlib import Path

import pytest
import regex

from conftest import needs_c
from scrubber import engine
from scrubber.document import Document
from scrubber.glue import judge_for, split_score
from scrubber.kinds.glued_words import (
    GluedWordsKind,
    _capitalised_inside,
    _case_seamed,
    _latin,
    _latin_capitals,
)
from scrubber.rules import RuleError, load_pack

ROOT = Path(__file__).resolve().parent.parent
RULES = {r.name: r for r in load_pack(ROOT / "rules" / "words.yaml")}
GLUE = [RULES["glued-words"]]
SPACE = [RULES["missing-sentence-space"]]

# An English paragraph long enough for the language to be detected (not merely assumed).
CONTEXT = (
    "The offensive began in the spring, and by the summer the government said that most of the "
    "province was under its control again. Aid groups warned that thousands of people had fled "
    "their homes and that the roads were still too dangerous for convoys to pass. "
)


def fix(text: str, rules=GLUE) -> str:
    result = engine.fix(text, rules)
    assert result.converged
    assert engine.fix(result.text, rules).text == result.text, "the fix is not idempotent"
    return result.text


def found(text: str, rules=GLUE) -> list[str]:
    return [text[f.start:f.end] for f in engine.check(text, rules)]


KNOWN_GLUE = [
    ("leaders ofthe two countries", "leaders of the two countries"),
    ("across Syriaand Iraq", "across Syria and Iraq"),
    ("the town was recapturedfrom the militants", "the town was recaptured from the militants"),
    ("according to officials who were greetedby crowds", "according to officials who were greeted by crowds"),
    ("Syria said air strikes resumed inSyria on Monday", "Syria said air strikes resumed in Syria on Monday"),
    ("she drove theHonda home", "she drove the Honda home"),
    ("a report by ReutersBEIRUT correspondents", "a report by Reuters BEIRUT correspondents"),
    ("he scored in the closingseconds of the game", "he scored in the closing seconds of the game"),
    ("the new policyrules apply for the nextthree years", "the new policy rules apply for the next three years"),
    ("the police killeda man", "the police killed a man"),
    ("Thefourth film was announced", "The fourth film was announced"),
    ("they waswith the team", "they was with the team"),
    ("the rally was stagedin the square", "the rally was staged in the square"),
    ("news spread onsocial media", "news spread on social media"),
    ("additional reporting byJoseph Hudak", "additional reporting by Joseph Hudak"),
    ("the probe was seen fromEarth at dawn", "the probe was seen from Earth at dawn"),
    ("it pairs over Bluetoothwith a phone", "it pairs over Bluetooth with a phone"),
    ("data from an Accelerometerand a camera", "data from an Accelerometer and a camera"),
    ("the data, howeverpreliminary, suggest", "the data, however preliminary, suggest"),
    ("play whilstlistening to music", "play whilst listening to music"),
    ("check yourdips before the test", "check your dips before the test"),
]


@pytest.mark.parametrize(("glued", "fixed"), KNOWN_GLUE)
def test_known_glue_is_split(glued: str, fixed: str) -> None:
    assert fix(CONTEXT + glued + ".\n") == CONTEXT + fixed + ".\n"


def test_a_part_the_document_uses_standalone_counts_as_a_word() -> None:
    text = CONTEXT + "Daesh lost the town. It was recaptured from Daeshin June.\n"
    assert fix(text) == CONTEXT + "Daesh lost the town. It was recaptured from Daesh in June.\n"
    # Without the standalone use, ``Daesh`` is too rare for the list to vouch for it.
    assert found(CONTEXT + "It was recaptured from Daeshin June.\n") == []


def test_two_capitalised_words_need_the_document_to_write_them_apart() -> None:
    assert fix(CONTEXT + "Home Depot cut prices. Later HomeDepot said sales rose.\n").count("Home Depot") == 2
    # A brand written in CamelCase, never apart: left alone.
    assert found(CONTEXT + "She flew with SunExpress and bought a SmartThermostat.\n") == []


def test_an_acronym_the_document_uses_then_a_function_word() -> None:
    text = CONTEXT + "NASA chose three companies. The agency NASAon Monday named them.\n"
    assert fix(text) == CONTEXT + "NASA chose three companies. The agency NASA on Monday named them.\n"


def test_a_token_used_twice_is_a_word() -> None:
    text = CONTEXT + "The inthe group met. Later the inthe group left.\n"
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # Rare compounds and derivations.
        "The underdelivering megacities held an hourlong smallsat briefing.",
        "It was an impeachable offence, a noncompete deal and a rebranded automaker.",
        "She was obviously windowshopping, then stood on a stepstool.",
        # Names: a common word plus a function word is a name ending.
        "Senate President Ahmad Lawan met Jane Coaston and Craig Menear on Tuesday.",
        "Ameris Bank, Beto O'Rourke and Totie Fields were mentioned.",
        # Brands and inner capitals.
        "Watch it on YouTube with an iPhone, at McDonald's, on WeWork wifi or a PlayStation.",
        # URLs, e-mail, hashtags, handles, identifiers, quantities.
        "See arabnews.com/inthenews or mail tothe@example.org about #ofthe and @inthemedia.",
        "Call snake_casename or getElementById, set isValid and use a 5kgbag or 10mins.",
        # Identifiers start with is, to, on, for: only some prepositions vouch for case glue.
        "The handler calls toString, then onClick, forEach and isEmpty.",
        # Names that end like a function word after a short word.
        "Yves Montand met Denisof, Kneeland, Gulland and Bachand.",
        # Quoted terms and elisions.
        "Set 'nohlsearch' in your config, then you're waterin' my beer.",
        # Other scripts.
        "Он сказалofthe в Москве, а 東京ではinthe と書いた。",
    ],
)
def test_counter_examples_are_left_alone(text: str) -> None:
    assert found(CONTEXT + text + "\n") == []


def test_a_word_of_another_language_is_not_glue() -> None:
    # A Portuguese caption in an English article: ``materiais`` is not ``materia is``.
    text = CONTEXT + "Você encontra uma variedade de materiais para pais.\n"
    assert found(text) == []


def test_a_word_cut_by_a_control_character_is_a_fragment() -> None:
    # ``f\vorever`` is ``forever`` with a vertical tab inside, not ``or ever``.
    assert found(CONTEXT + "It will change ticketing f\x0borever.\n") == []


def test_other_languages_stand_down_unless_listed() -> None:
    german = (
        "Als eZ Premier Solution Partnerstehen wir Ihnen nicht nur als Berater zur Seite, sondern "
        "begleiten Sie auch bei der Umsetzung. Die Bundesregierung unterstützt das Vorhaben mit "
        "einem Förderprogramm für den Mittelstand, und die Kunden sind zufrieden.\n"
    )
    assert Document(german).language == "de"
    assert found(german) == []
    kind = GluedWordsKind({"languages": ["en", "de"]})
    assert [h.data["word"] for h in kind.check(Document(german))] in ([], ["Partnerstehen"])


def test_german_and_dutch_get_case_glue_only() -> None:
    german = (
        "Als Partner stehen wir Ihnen zur Seite, sondern begleiten Sie auch bei der Umsetzung. Die "
        "Bundesregierung unterstützt das Vorhaben durchDigitalisierung und mit einem Förderprogramm "
        "für den Mittelstand, und die Kunden sind anVerantwortung gewöhnt und zufrieden.\n"
    )
    assert Document(german).language == "de"
    assert fix(german) == german.replace("durchDigitalisierung", "durch Digitalisierung").replace(
        "anVerantwortung", "an Verantwortung"
    )
    # Solid compounds and function-word glue are left to an explicit ``languages: [de]``.
    solid = german.replace("durchDigitalisierung", "Digitalisierungsstrategie").replace(
        "anVerantwortung", "Partnerstehen"
    )
    assert found(solid) == []
    assert list(GluedWordsKind({"case_languages": []}).check(Document(german))) == []


def test_portuguese_uses_its_own_list() -> None:
    text = (
        "A equipe do serviço de atendimento domiciliar registrou o caso na delegacia. Os veículos "
        "estavam sem as baterias e com marcas de danos, e os pacientes foram avisados que estamos "
        "preparandopara o período da manhã uma nova agenda de visitas.\n"
    )
    assert Document(text).language == "pt"
    assert fix(text) == text.replace("preparandopara", "preparando para")
    # The personal infinitive is a verb form, not ``alfabetizar em``.
    text2 = text.replace("preparandopara", "preparando para") + "Os pais vão alfabetizarem os filhos.\n"
    assert found(text2) == []


def test_technical_documents_keep_their_identifiers() -> None:
    manual = CONTEXT + "\n".join(
        f"  :set {name}={value}   \" the {name} option; see |{name}| and swap file {{x}}"
        for name, value in [("tabstop", 4), ("shiftwidth", 2), ("textwidth", 80)] * 5
    ) + "\nDelete the swapfile and the menuBackground resource.\n"
    assert found(manual) == []


def test_options_are_checked() -> None:
    with pytest.raises(ValueError):
        GluedWordsKind({"languages": ["de"], "assume_language": "en"})
    kind = GluedWordsKind({"ignore": ["Syriaand"]})
    assert list(kind.check(Document(CONTEXT + "across Syriaand Iraq.\n"))) == []
    with pytest.raises(ValueError):
        GluedWordsKind({"languages": ["fr"], "latin_words_as": "en"})
    assert GluedWordsKind({"languages": ["fr"], "assume_language": None}).latin_words_as is None


def test_known_glue_phrases_are_split_wherever_they_stand() -> None:
    kind = GluedWordsKind({"known_glue": {"en": ["as well", "each other"]}})
    text = CONTEXT + "They came aswell.\nEachother knew it, and they helped eachother aswell.\n"
    hits = list(kind.check(Document(text)))
    assert sorted((text[h.start:h.end], h.data["replacement"], h.data["reason"]) for h in hits) == [
        ("Eachother", "Each other", "known"),
        ("aswell", "as well", "known"),
        ("aswell", "as well", "known"),
        ("eachother", "each other", "known"),
    ]
    # Each run is found once: the judge never sees it again.
    assert len({h.start for h in hits}) == len(hits)
    fixed = fix(text, [RULES["glued-words"]])
    assert "aswell" not in fixed and "Each other knew it" in fixed


def test_known_glue_leaves_names_urls_and_other_languages_alone() -> None:
    kind = GluedWordsKind({"known_glue": {"en": ["as well"]}, "languages": ["en", "pt"]})
    text = CONTEXT + "AsWell Ltd, ASWELL, @aswell, aswell.org and aswell_2 are names.\n"
    assert list(kind.check(Document(text))) == []
    portuguese = (
        "O governo disse que a maior parte da província estava de novo sob o seu controlo, e os"
        " grupos de ajuda avisaram que milhares de pessoas tinham fugido das suas casas aswell.\n"
    )
    assert Document(portuguese).language == "pt"
    assert list(kind.check(Document(portuguese))) == []
    assert list(GluedWordsKind({"known_glue": {"en": ["as well"]}, "ignore": ["aswell"]}).check(
        Document(CONTEXT + "They came aswell.\n"))) == []


def test_known_glue_options_are_validated(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    for bad in ('{xx: ["as well"]}', '{en: ["aswell"]}', '{en: ["as  well"]}', '{en: ["as well", "as well"]}'):
        pack.write_text(
            f"rules:\n  - id: U1\n    name: mine\n    kind: glued-words\n    message: m\n"
            f"    options: {{known_glue: {bad}}}\n",
            encoding="utf-8",
        )
        with pytest.raises(RuleError):
            load_pack(pack)


def test_latin_words_of_a_page_in_another_script_are_judged_as_english() -> None:
    page = (
        "Вчера в Москве показали новый фильм по книге The Lord ofthe Rings. Зрители пришли в кино"
        " рано, и все места были заняты. Это был первый показ в России, и он прошёл очень хорошо.\n"
    )
    assert Document(page).language == "ru"
    assert [page[h.start:h.end] for h in GluedWordsKind({}).check(Document(page))] == ["ofthe"]
    assert list(GluedWordsKind({"latin_words_as": None}).check(Document(page))) == []
    # Its own words are never candidates: Cyrillic runs are not judged with an English list.
    russian = page.replace("The Lord ofthe Rings", "Властелинколец")
    assert list(GluedWordsKind({}).check(Document(russian))) == []


def test_hit_data_names_the_split() -> None:
    kind = GluedWordsKind({})
    hits = list(kind.check(Document(CONTEXT + "leaders ofthe two countries.\n")))
    assert len(hits) == 1
    assert hits[0].data["word"] == "ofthe"
    assert hits[0].data["replacement"] == "of the"
    assert hits[0].data["reason"] == "function-word"
    assert hits[0].edit.replacement == " "


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("pushed back by government forces.An Iraqi officer said", "pushed back by government forces. An Iraqi officer said"),
        ("Was it over?Nobody knew", "Was it over? Nobody knew"),
        ("the crowd cheered!Then it rained", "the crowd cheered! Then it rained"),
    ],
)
def test_missing_sentence_space(glued: str, fixed: str) -> None:
    assert fix(glued + ".\n", SPACE) == fixed + ".\n"


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. and the U.K. agreed, e.g. on trade.",
        "Read arabnews.com or www.Google.com and example.com.The end",
        "It cost 3.5 dollars and rose 2.7%.",
        "An iPhone at McDonald's, a YouTube video, Node.js and Console.WriteLine().",
        "Open report.Pdf, data.Csv or visit Amazon.Com now.",
        "Mail john.Smith@example.org today.",
    ],
)
def test_sentence_space_counter_examples(text: str) -> None:
    assert found(text + "\n", SPACE) == []


@pytest.mark.parametrize("min_zipf", [4, 4.0, 3.5, 6.2])
def test_frequent_words_are_exactly_those_at_or_above_the_threshold(min_zipf: float) -> None:
    # ``frequent`` takes the head of the table (which runs from the most frequent word down);
    # an int threshold from YAML must not change the answer.
    judge = judge_for("en")
    assert judge.frequent(min_zipf) == frozenset(w for w, z in judge.table.items() if z >= min_zipf)


def test_a_listed_word_is_case_glue_only_where_it_has_a_capital_inside() -> None:
    # ``inhouse`` is in the word list, and no split of it scores enough as plain glue; only the
    # case seam of ``inHouse`` (with ``House`` standing alone elsewhere) makes it glue, and the
    # kind must still find that token in the text, while the listed word itself stays.
    assert judge_for("en").table.get("inhouse", 0.0) > 0
    body = "The House voted on Friday. The bill died {} committee.\n"
    assert fix(CONTEXT + body.format("inHouse")) == CONTEXT + body.format("in House")
    for word in ("inhouse", "Inhouse"):
        assert found(CONTEXT + body.format(word)) == []


class _KnowsEveryWord:
    """Evidence at its most generous: every part is a word the document uses."""

    technical = False

    def known(self, word: str) -> bool:
        return True


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_listed_glue_holds_every_listed_word_that_a_cut_can_make_score(lang: str) -> None:
    # Listed words outside the index are never cut unless written with a capital inside, so
    # the index must hold every listed word with a cut scoring ``min_score_listed``, whatever
    # the document says about the parts.
    judge = judge_for(lang)
    index = judge.listed_glue(2.0)
    assert index is not None
    sample = [w for w in itertools.islice(judge.table, 0, None, 41) if w.isalpha()] + sorted(index)[::25]
    scoring = [
        w for w in sample
        if any(split_score(zh, zt, judge.table[w]) >= 2.0 for _, zh, zt in judge.splits(w, _KnowsEveryWord()))
    ]
    assert len(scoring) > 20  # the sample does reach the words the index is for
    assert [w for w in scoring if w not in index] == []
    if lang == "en":
        assert {"ofthe", "inthe", "forthe"} <= index


def test_listed_glue_stands_down_when_the_document_could_make_the_difference() -> None:
    # At a low threshold a part the document uses (worth ``doc_part_zipf``) can make a listed
    # word score, which no index of the word list alone can tell.
    assert judge_for("en").listed_glue(-3.0) is None


def test_case_seamed_finds_the_whole_word_behind_an_earlier_substring() -> None:
    text = "Xinsyriax was shut. They met inSyria.\n"
    start = text.index("inSyria")
    assert _case_seamed(text, text.lower(), "insyria") == [(start, start + 7)]
    plain = "Xinsyriax was shut. They met insyria.\n"
    assert _case_seamed(plain, plain.lower(), "insyria") == []
    assert _case_seamed("They met Insyria.", "they met insyria.", "insyria") == []


def test_latin_capitals_are_every_capital_a_latin_word_can_hold() -> None:
    # Built from a few blocks for speed; all of Unicode must agree, or a capital inside a
    # word would go unseen (the Kelvin sign ``K`` lower-cases to ``k``).
    everywhere = {
        c for c in map(chr, range(0x110000)) if (c.isupper() or c.istitle()) and _latin(c.lower())
    }
    assert set(_latin_capitals()) == everywhere
    assert {"K", "\u212a", "\u0130", "\u01c5", "\u1e9e"} <= everywhere


def test_capitalised_inside_holds_every_word_with_a_capital_inside() -> None:
    # The scan may hold more words than needed, never fewer: a word outside it is not
    # searched for, so a miss would lose a finding.
    rng = random.Random(7)
    alphabet = "abcéxyzABÉXYZ\u0301\u0130\u212a\u01c5ßΣσж ,.-'\n"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        lowered = text.lower()
        if len(lowered) != len(text):
            continue  # the kind then case-folds letter by letter; covered below
        inside = _capitalised_inside(text, lowered)
        for word in set(regex.findall(r"[\p{L}\p{M}]+", lowered)):
            if _latin(word) and word[1:].islower() and _case_seamed(text, lowered, word):
                assert word in inside, (text, word)
    text = "NASA said inSyria that the caf\u00e9X and e\u0301Xa, not cafe, were shut."
    assert _capitalised_inside(text, text.lower()) == {"nasa", "insyria", "caf\u00e9x", "e\u0301xa"}


def test_the_capital_scan_changes_no_finding(monkeypatch) -> None:
    import scrubber.kinds.glued_words as glued_words

    class Everything(set):
        def __contains__(self, word: object) -> bool:
            return True

    text = CONTEXT + "\n".join(glued + "." for glued, _ in KNOWN_GLUE) + " Xinsyriax was shut, NASAon.\n"
    scanned = [(f.start, f.end) for f in engine.check(text, GLUE)]
    monkeypatch.setattr(glued_words, "_capitalised_inside", lambda text, lowered: Everything())
    assert [(f.start, f.end) for f in engine.check(text, GLUE)] == scanned
    assert {text[s:e] for s, e in scanned} >= {"inSyria", "theHonda", "ReutersBEIRUT"}


def test_a_long_document_locates_its_words_in_one_pass_with_the_same_findings(monkeypatch) -> None:
    # Past ``_SEARCHES`` words used once, words are located in one pass over the text instead of
    # a substring search each (which would cost time quadratic in a long document's length).
    import scrubber.kinds.glued_words as glued_words

    text = CONTEXT + "\n".join(glued + "." for glued, _ in KNOWN_GLUE) + " Xinsyriax was shut.\n"
    searched = [(f.start, f.end) for f in engine.check(text, GLUE)]
    monkeypatch.setattr(glued_words, "_SEARCHES", 0)
    assert [(f.start, f.end) for f in engine.check(text, GLUE)] == searched
    assert {text[s:e] for s, e in searched} >= {"ofthe", "inSyria", "theHonda", "ReutersBEIRUT", "killeda"}


def test_two_common_words_run_together_are_split_only_in_lower_case_and_with_one_seam() -> None:
    # ``policyrules``: both parts common, the run unlisted. Capitalised, such a run is a name or
    # a brand as often as not (``Glassdoor``); and ``stepstool`` cuts into two words twice.
    judge = judge_for("en")
    assert judge.table.get("policyrules", 0.0) == 0.0
    assert found(CONTEXT + "The policyrules changed.\n") == ["policyrules"]
    assert found(CONTEXT + "Policyrules changed.\n") == []
    assert found(CONTEXT + "He stood on a stepstool.\n") == []
    assert not judge._common_pair("step", "stool") and not judge._common_pair("steps", "tool")


def test_an_opener_glued_to_a_capitalised_word_the_document_uses_alone_is_split() -> None:
    text = CONTEXT + "The United States and Russia met. TheUnited delegation left early.\n"
    # Not written apart as "The United delegation", but "United" stands alone (twice).
    text = text.replace("The United States", "United States")
    assert found(text) == ["TheUnited"]
    assert found(CONTEXT + "Hitler rose. AlthoughHitler promised peace, war came.\n") == ["AlthoughHitler"]


def test_two_capitalised_words_the_document_uses_alone_are_split_when_their_run_is_unlisted() -> None:
    # A menu or a headline whose blocks ran together: each part stands alone, capitalised.
    menu = "Opinion\n\nColumnists wrote in. OpinionColumnists page.\n"
    assert found(CONTEXT + menu) == ["OpinionColumnists"]
    assert found(CONTEXT + "Ask Amazon. Alexa answers. Have an AmazonAlexa device?\n") == ["AmazonAlexa"]
    # The run is a listed word (a brand): left whole, whatever the document says.
    assert judge_for("en").table.get("blackmagic", 0.0) > 0
    assert found(CONTEXT + "Black cats. Magic tricks. Run the BlackMagic speed test.\n") == []
    # One part never stands alone, or is shorter than four letters: no evidence.
    assert found(CONTEXT + "Opinion pieces. The OpinionColumnists page.\n") == []
    assert found(CONTEXT + "Sun rose. Express trains. SunExpress flies.\n") == []


def test_title_title_without_that_evidence_stays_whole() -> None:
    # The tail never stands alone: a brand or a name as likely as glue.
    assert found(CONTEXT + "TheAmericans wanted to raid the base.\n") == []
    # Openers that are prefixes too start brands.
    assert found(CONTEXT + "Design matters, said the Design team, who use InDesign.\n") == []
    # A brand is named again: a token used twice is no candidate.
    assert found(CONTEXT + "Software sells. FromSoftware made it; FromSoftware sold it.\n") == []
    # A tail of three letters or fewer is a name's (``InDi``, ``TheSun``).
    assert found(CONTEXT + "The Sun rose. TheSun is a paper.\n".replace("The Sun rose", "Sun rose")) == []


def test_a_name_the_document_uses_glued_to_a_past_form_is_split() -> None:
    assert found(CONTEXT + "Martha spoke first. Marthaadded that the plan was late.\n") == ["Marthaadded"]
    assert found(CONTEXT + "Trump spoke. Trumptapped his adviser.\n") == ["Trumptapped"]
    # Not a past form, only a word ending so (shed, bred); nor a name the text never uses alone.
    assert found(CONTEXT + "Martha spoke first. Marthashed a tear.\n") == []
    assert found(CONTEXT + "Kremlin aides spoke. Kremlinbred hackers struck.\n") == []
    assert found(CONTEXT + "She spoke first. Marthaadded that the plan was late.\n") == []


def test_a_clause_end_glued_to_the_next_block_is_split_but_identifiers_are_not() -> None:
    # Where a page's blocks ran together, a clause's last word meets a capitalised word that the
    # text uses nowhere else; heads that identifiers start with (is, to, on, for) stay whole.
    text = CONTEXT + "Google saysPaid ads are fine. I had to report thisPence aide spoke. See moreReader Center.\n"
    assert found(text) == ["saysPaid", "thisPence", "moreReader"]
    assert found(CONTEXT + "The handler calls toString, then onClick, forEach and isEmpty.\n") == []


def test_a_chunk_is_cut_at_blanks_and_cjk_punctuation_and_a_long_one_is_no_word() -> None:
    from scrubber.kinds.glued_words import _LONGEST_CHUNK, _plain_word

    text = "ショートカットの欄を空欄にしただけでは、Kindlefor PCが起動しなくなる。"
    start = text.index("Kindlefor")
    assert _plain_word(text, start, start + len("Kindlefor"))
    # Walking to the breaks stops after _LONGEST_CHUNK characters: a blob of words joined by
    # commas (a data dump) is no prose, and each of its words would otherwise walk all of it.
    blob = ",".join(["ofthe"] * (_LONGEST_CHUNK // 3))
    assert not _plain_word(blob, 0, 5)
    assert not _plain_word(blob, len(blob) - 5, len(blob))
    near = "x" * (_LONGEST_CHUNK - 10) + "-ofthe"
    assert _plain_word(near, len(near) - 5, len(near))
    far = "x" * _LONGEST_CHUNK + "-ofthe"
    assert not _plain_word(far, len(far) - 5, len(far))
    assert _plain_word(" ofthe ", 1, 6)


def test_glue_on_a_template_or_code_line_is_left_alone() -> None:
    # Two candidates on the template line (each line is looked at once), one in prose.
    text = CONTEXT + "{* welcomeName tothe *} = inthe\nThe leaders ofthe two countries met.\n"
    assert found(text) == ["ofthe"]
    assert found(text.replace("{* welcomeName tothe *} =", "Welcome tothe")) == ["tothe", "inthe", "ofthe"]


@needs_c
def test_the_words_used_once_are_the_same_in_c_and_in_python() -> None:
    import random

    from scrubber import speedups
    from scrubber.kinds.glued_words import _used_once

    rng = random.Random(3)
    words = ["".join(rng.choice("abcdeé𝐀") for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    counts = Counter(rng.choice(words) for _ in range(6000))
    counts.update({"big": 10**30, "negative": -1})  # counts past a C long, and odd ones
    exclude = frozenset(rng.sample(words, 500))
    for low, high in ((1, 40), (4, 40), (4, 6), (7, 3)):
        assert speedups.compiled.used_once(counts, exclude, low, high) == _used_once(counts, exclude, low, high)
    assert speedups.compiled.used_once(counts, set(), 4, 40) == _used_once(counts, frozenset(), 4, 40)
    with pytest.raises(TypeError):
        speedups.compiled.used_once(counts, list(exclude), 4, 40)
