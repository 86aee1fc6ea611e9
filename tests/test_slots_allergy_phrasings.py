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


def test_cant_take_and_bloated():
    assert allergy_names("honestly my gut can't take soy at all") == ["soy"]
    assert allergy_names("rye bread makes me bloated") == ["gluten"]
    assert allergy_changes("take sesame off my allergies")[1] == ["sesame"]  # "take" still removes


def test_not_allergic_to_one_thing_only_to_another():
    added, removed, _ = allergy_changes("I'm not allergic to cats, only to celery")
    assert (added, removed) == (["celery"], [])


def test_an_allergy_outgrown_is_not_one():
    assert allergy_changes("I had a peanut allergy when I was little, I grew out of it")[:2] == ([], ["peanut"])
    assert allergy_changes("I used to be allergic to shrimp")[:2] == ([], ["crustacean"])
    assert allergy_names("I was allergic to milk as a baby, now it's mustard I'm allergic to") == ["mustard"]


def test_pidgin_worry_my_body():
    assert allergy_names("crayfish dey worry my body") == ["crustacean"]


def test_i_meant_one_not_the_other():
    assert allergy_changes("oops, I meant almonds, not peanuts")[:2] == (["tree_nut"], ["peanut"])
    after = profile_changes({"allergies": ["peanut"], "allergies_declared": True}, "sorry, I meant walnuts, not peanuts")
    assert after["allergies"] == ["tree_nut"]


def test_fine_with_one_thing_in_its_own_sentence():
    added, removed, _ = allergy_changes("I'm fine with eggs. I'm allergic to lupin though")
    assert (added, removed) == (["lupin"], ["egg"])


def test_they_is_the_food_when_it_makes_me_ill():
    changes = profile_changes({}, "I eat most things but not prawns, they make me ill")
    assert changes["allergies"] == ["crustacean"] and not changes.get("diets")


def test_fish_named_by_kind():
    assert allergy_names("I'm allergic to tuna") == ["fish"]
    assert allergy_names("mackerel gives me hives") == ["fish"]


def test_recogniser_spellings_of_allergens():
    assert allergy_names("I'm lack toes intolerant, sadly") == ["dairy"]
    assert allergy_names("allergic to see same oil") == ["sesame"]


def test_upsets_my_stomach_and_plant_milks():
    assert allergy_names("celery upsets my stomach") == ["celery"]
    assert allergy_names("soya milk gives me cramps") == ["soy"]
    assert allergy_names("oat milk gives me cramps") == []
