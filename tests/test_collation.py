"""core/collation.py: names in French alphabetical order, not in code-point order."""

import random

import pytest

from core.collation import collation_key, name_key


def french(names):
    return sorted(names, key=collation_key)


def test_accents_and_case_are_ignored_at_first():
    """Aëlys before Agathe before Anaïs; Élise with the E, between Dylan and Farid; Zoé last."""
    names = ["Zoé", "Anaïs", "Farid", "élise", "Agathe", "Dylan", "Aëlys", "Élise"]
    assert french(names) == ["Aëlys", "Agathe", "Anaïs", "Dylan", "élise", "Élise", "Farid", "Zoé"]


def test_code_points_would_have_put_them_wrong():
    """What the projector did before: sorted() puts « Élise » after « Zoé »."""
    assert sorted(["Zoé", "Élise"]) == ["Zoé", "Élise"]
    assert french(["Zoé", "Élise"]) == ["Élise", "Zoé"]


def test_accents_break_ties_letter_by_letter():
    assert french(["côté", "côte", "coté", "cote"]) == ["cote", "coté", "côte", "côté"]
    assert french(["Noël", "Noèl", "Noêl", "Noel", "Noél"]) == [
        "Noel",
        "Noél",
        "Noèl",
        "Noêl",
        "Noël",
    ]


def test_small_letters_come_before_capitals_when_all_else_is_equal():
    assert french(["De", "de"]) == ["de", "De"]


def test_spaces_hyphens_and_apostrophes_are_ignored_at_first():
    """« De la Tour » files with « Delatour », between Delaporte and Delaunay."""
    names = ["Delaunay", "De la Tour", "Delaporte", "Delatour", "De la Cruz"]
    assert french(names) == ["De la Cruz", "Delaporte", "Delatour", "De la Tour", "Delaunay"]
    assert french(["Ndiaye", "N'Diaye", "Nadia"]) == ["Nadia", "Ndiaye", "N'Diaye"]
    assert french(["Jean-Baptiste", "Jeanne", "Jean"]) == ["Jean", "Jean-Baptiste", "Jeanne"]


def test_ligatures_are_spelt_out():
    """« Œ » is « OE », « æ » is « ae »: Lætitia before Lambert, Œdipe between Odile and Ophélie."""
    assert french(["Ophélie", "Œdipe", "Odile"]) == ["Odile", "Œdipe", "Ophélie"]
    assert french(["Lambert", "Lætitia", "Ladislas"]) == ["Ladislas", "Lætitia", "Lambert"]
    assert collation_key("Cœur")[0] == collation_key("coeur")[0] == "coeur"


@pytest.mark.parametrize("text", [None, "", "   ", "42", "Ève-Marie", "Ａｎｎａ"])
def test_any_text_has_a_key(text):
    assert isinstance(collation_key(text), tuple)


def test_the_order_is_total_and_does_not_depend_on_the_input_order():
    names = ["Élise", "elise", "Elise", "Élise ", "Agathe", "Aëlys", "Zoé", "zoe", "Zoe"]
    expected = french(names)
    for seed in range(5):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert french(shuffled) == expected


def test_a_class_list_sorts_by_last_name_then_first_name():
    people = [("Émery", "Zoé"), ("Dupont", "Élise"), ("Dupont", "Aëlys"), ("Zidane", "Anaïs")]
    assert sorted(people, key=lambda p: name_key(*p)) == [
        ("Dupont", "Aëlys"),
        ("Dupont", "Élise"),
        ("Émery", "Zoé"),
        ("Zidane", "Anaïs"),
    ]
