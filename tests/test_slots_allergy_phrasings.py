"""Allergy phrasings: Pidgin ways of saying a reaction, an allergy disproved or denied by name,
the allergen put before "I'm allergic to", a coeliac condition split by the recogniser or denied,
French "sensible aux", Hinglish "aur X se bhi"."""

from agents.profile_agent import profile_changes
from agents.slots import allergy_changes, diet_changes


def allergy_names(text: str) -> list[str]:
    return allergy_changes(text)[0]


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


def test_a_recogniser_spelling_reads_as_the_allergen_meant():
    assert allergy_names("I get sick from muscles") == ["mollusc"]


def test_a_split_coeliac_is_the_allergy_and_the_diet():
    changes = profile_changes({}, "I'm see liac, sadly")
    assert changes["allergies"] == ["gluten"] and changes["diets"] == ["gluten_free"]


def test_a_coeliac_condition_denied_declares_no_allergy():
    assert allergy_names("I'm not a celiac, I'm just careful") == []
    assert diet_changes("gluten free by choice, not coeliac")[0] == ["gluten_free"]
    assert allergy_names("wheat makes me ill, but I'm not celiac") == ["gluten"]


def test_french_sensible_aux_is_an_allergy():
    assert allergy_names("je suis sensible au soja") == ["soy"]


def test_hinglish_one_more_allergen_with_bhi():
    assert allergy_names("mujhe mustard se allergy hai, aur celery se bhi") == ["mustard", "celery"]
