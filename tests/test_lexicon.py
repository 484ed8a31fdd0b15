"""Word frequencies and language detection: loaded once, cheap, and right on short real sentences."""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import needs_c
from scrubber import lexicon
from scrubber.document import Document

SAMPLES = {
    "en": "The council met on Tuesday and agreed that the new bridge would be built before the end "
          "of the year, although some members said they were worried about the cost.",
    "de": "Der Gemeinderat hat am Dienstag beschlossen, dass die neue Brücke noch vor dem Ende des "
          "Jahres gebaut wird, obwohl einige Mitglieder sich über die Kosten Sorgen machen.",
    "it": "Il consiglio comunale si è riunito martedì e ha deciso che il nuovo ponte sarà costruito "
          "entro la fine dell'anno, anche se alcuni membri sono preoccupati per i costi.",
    "pt": "A câmara reuniu-se na terça-feira e decidiu que a nova ponte será construída antes do fim "
          "do ano, embora alguns membros tenham dito que estão preocupados com o custo.",
    "es": "El ayuntamiento se reunió el martes y decidió que el nuevo puente se construirá antes de "
          "que termine el año, aunque algunos miembros dijeron que les preocupa el coste.",
    "fr": "Le conseil s'est réuni mardi et a décidé que le nouveau pont sera construit avant la fin "
          "de l'année, même si certains membres se sont dits inquiets du coût.",
    "nl": "De gemeenteraad kwam dinsdag bijeen en besloot dat de nieuwe brug voor het einde van het "
          "jaar wordt gebouwd, hoewel sommige leden zeiden dat ze zich zorgen maken over de kosten.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_the_language_of_one_sentence(lang: str) -> None:
    assert Document(SAMPLES[lang]).language == lang


def test_scripts_without_spaces_are_named_by_their_script() -> None:
    assert Document("東京都は火曜日に新しい橋を年内に建設することを決めた。費用を心配する声もある。").language == "ja"
    russian = ("Совет собрался во вторник и решил, что новый мост будет построен до конца года, хотя "
               "некоторые члены совета сказали, что они обеспокоены его стоимостью и не уверены в сроках.")
    assert Document(russian).language == "ru"
    # Too short to tell Russian from Bulgarian, but surely not a Latin-script language.
    assert Document("Совет собрался во вторник.").language == "und"


def test_too_short_or_unclear_gives_none() -> None:
    assert lexicon.detect_language(Counter()) is None
    assert Document("Daesh in June").language is None
    assert lexicon.too_short(Document("Daesh in June").word_counts)
    # A box score: names and numbers, hardly any stop words.
    box = "\n".join(f"Rockledge {i} Palm Bay {i + 3} Tolivert Davis Burgher Bozeman Moore" for i in range(30))
    doc = Document(box)
    assert doc.language is None
    assert not lexicon.too_short(doc.word_counts)


def test_zipf_table_is_loaded_once_and_shared() -> None:
    table = lexicon.zipf_table("en")
    assert lexicon.zipf_table("en") is table
    assert table["the"] > 7.0
    assert 3.0 < table["bridge"] < 6.0
    assert "daeshin" not in table
    # Glue the web itself is full of is listed, but rare.
    assert table.get("ofthe", 0.0) < 4.0


def test_lookup_key_case_folds_like_wordfreq() -> None:
    assert lexicon.lookup_key("Straße") == "strasse"
    assert "strasse" in lexicon.zipf_table("de")


def test_function_words_are_alphabetic_and_frequent() -> None:
    fw = lexicon.function_words("en", 30)
    assert {"the", "of", "and", "to", "in"} <= fw
    assert all(w.isalpha() for w in fw)


def test_detection_loads_no_full_word_list(monkeypatch) -> None:
    # Detection reads only the heads of the small lists (a few hundred words each), never a
    # language's full table: what keeps it cheap (benchmarks/ measures how cheap).
    monkeypatch.setattr(lexicon, "_tables", {})
    counts = Document(" ".join(SAMPLES.values()) * 20).word_counts
    lexicon.detect_language(counts)
    for text in SAMPLES.values():
        lexicon.detect_language(Document(text).word_counts)
    assert lexicon._tables == {}


@needs_c
def test_the_stop_word_sums_are_the_same_in_c_and_in_python_to_the_last_bit(monkeypatch) -> None:
    # Mixed texts of every sample language, shuffled: the C speed-up must add the same terms in
    # the same order (the text's), so the sums and the language chosen are identical.
    import random

    from scrubber import speedups

    model = lexicon._model()
    rng = random.Random(5)
    words = [w for text in SAMPLES.values() for w in text.split()]
    for size in (1, 5, 40, 400, 4000):
        text = " ".join(rng.choice(words) for _ in range(size))
        counts = Document(text).word_counts
        size_ = len(model.floors)
        assert speedups.compiled.stop_word_scores(counts, model.gains, size_) == lexicon._stop_word_scores(
            counts, model.gains, size_)
        language = lexicon.detect_language(counts)
        monkeypatch.setattr(speedups, "compiled", None)
        assert lexicon.detect_language(counts) == language
        monkeypatch.undo()
    with pytest.raises(IndexError):
        speedups.compiled.stop_word_scores(Counter({"the": 1}), {"the": ((3, 1.0),)}, 2)
    with pytest.raises(TypeError):
        speedups.compiled.stop_word_scores(Counter({"the": 1}), {"the": (3, 1.0)}, 4)


def test_the_stop_word_sums_do_not_depend_on_the_hash_seed() -> None:
    # Summed in the text's order, not a set's: two processes with different hash seeds agree.
    import os
    import subprocess
    import sys

    code = ("from scrubber import lexicon; from scrubber.document import Document; "
            f"print(lexicon._stop_word_scores(Document({SAMPLES['pt'] + SAMPLES['es']!r}).word_counts, "
            "lexicon._model().gains, len(lexicon._model().floors)))")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
