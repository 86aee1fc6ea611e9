"""Allergy phrasings: Pidgin ways of saying a reaction, an allergy disproved or denied by name,
and the allergen put before "I'm allergic to"."""

from agents.slots import allergy_changes


def test_pidgin_reactions():
    assert allergy_changes("crayfish no dey do me well at all")[0] == ["crustacean"]
    assert allergy_changes("sesame dey scratch my body")[0] == ["sesame"]
    assert allergy_changes("if I chop egg I dey react")[0] == ["egg"]


def test_an_allergy_disproved_is_not_stored():
    added, removed, _ = allergy_changes("I thought I was allergic to mustard but the doctor said no")
    assert added == [] and removed == ["mustard"]


def test_an_allergy_denied_by_name_and_the_real_one():
    added, removed, none = allergy_changes("I don't have a soy allergy, it's celery I'm allergic to")
    assert (added, removed, none) == (["celery"], ["soy"], False)
    assert allergy_changes("I don't have any allergies") == ([], [], True)
