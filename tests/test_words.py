from deckwright.model.words import QUESTION_STOP_WORDS, TOPIC_STOP_WORDS, singular, slugify


def test_slug_keeps_letters_of_any_script_and_joins_the_rest_with_one_dash():
    assert slugify("Lesion signs (UMN vs. LMN)") == "lesion-signs-umn-vs-lmn"
    assert slugify("Réflexes — tendineux") == "réflexes-tendineux"


def test_ascii_slug_is_a_safe_file_name():
    assert slugify("Neuro::Réflexes / Motor", ascii_only=True) == "neuro-r-flexes-motor"
    assert slugify("::", ascii_only=True) == ""


def test_singular_drops_a_plural_s_but_not_a_double_s_or_a_short_word():
    assert [singular(w) for w in ("neurons", "class", "gas", "axons")] == [
        "neuron",
        "class",
        "gas",
        "axon",
    ]


def test_stop_word_lists_keep_the_words_that_change_a_question():
    assert "not" not in QUESTION_STOP_WORDS  # "which is not ..." asks something else
    assert {"the", "of"} <= QUESTION_STOP_WORDS
    assert "not" in TOPIC_STOP_WORDS  # but it never tells what a card is about
