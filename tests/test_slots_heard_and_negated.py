"""Recogniser spellings of health words, a coeliac condition denied, a refusal softened after
"don't", a Jain "not the strict kind", French "sensible aux", Hinglish "aur X se bhi"."""

from agents.profile_agent import profile_changes
from agents.slots import allergy_changes, diet_changes


def diets(text: str) -> list[str]:
    return diet_changes(text)[0]


def allergies(text: str) -> list[str]:
    return allergy_changes(text)[0]


def test_recogniser_spellings_read_as_the_word_meant():
    assert diets("only hallal meat for us") == ["halal"]
    assert diets("we are cosher at home") == ["kosher"]
    assert diets("my partner says I'm pesca tarian now") == ["pescatarian"]
    assert diets("glutton-free pasta is what I buy") == ["gluten_free"]
    assert allergies("I get sick from muscles") == ["mollusc"]


def test_a_split_coeliac_is_the_allergy_and_the_diet():
    assert profile_changes({}, "I'm see liac, sadly")["allergies"] == ["gluten"]
    assert profile_changes({}, "I'm see liac, sadly")["diets"] == ["gluten_free"]


def test_a_coeliac_condition_denied_declares_no_allergy():
    assert allergies("I'm not a celiac, I'm just careful") == []
    assert diet_changes("gluten free by choice, not coeliac")[0] == ["gluten_free"]
    assert allergies("wheat makes me ill, but I'm not celiac") == ["gluten"]


def test_a_softening_word_after_dont():
    assert diets("I don't usually eat pork") == ["no_pork"]
    assert diets("I do not really eat beef") == ["no_beef"]


def test_a_jain_not_the_strict_kind():
    assert diets("Jain here, not the strict sort of Jain, onions are fine") == ["jain"]
    assert diets("I'm Jain, I'm not a strict one") == ["jain"]


def test_french_sensible_aux_is_an_allergy():
    assert allergies("je suis sensible au soja") == ["soy"]


def test_hinglish_one_more_allergen_with_bhi():
    assert allergies("mujhe mustard se allergy hai, aur celery se bhi") == ["mustard", "celery"]
