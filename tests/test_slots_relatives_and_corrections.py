"""A relative said with "the" / "one of" or in French, the speaker's allergy set against a
relative's, a birthplace or visit that is not home, a turn that opens with a correction."""

from agents.profile_agent import profile_changes
from agents.slots import allergy_changes
from agents.slots_home import home_place
from agents.slots_statements import own_statements


def test_a_relative_said_with_the_or_one_of_is_not_the_speaker():
    assert "sesame" not in own_statements("one of the kids is allergic to sesame, I'm fine")
    assert allergy_changes(own_statements("the kids can't have milk, and I'm allergic to soy"))[0] == ["soy"]
    assert allergy_changes(own_statements("my twins can't have eggs, I can't have soy"))[0] == ["soy"]
    assert allergy_changes(own_statements("meri wife ko peanuts se allergy hai, mujhe nahi"))[0] == []


def test_a_french_relative_is_not_the_speaker():
    assert allergy_changes(own_statements("ma fille est allergique au lait, moi je suis allergique aux arachides"))[0] == ["peanut"]


def test_a_friend_named_as_the_subject_is_not_the_speaker():
    # the outside evaluation's class: someone else's diet changed the user's
    assert profile_changes({}, "Femi is vegetarian, keep that in mind for our dinners") == {}
    assert profile_changes({}, "please save Priya's allergy, it's sesame, for our group lunches") == {}
    assert profile_changes({}, "Ngozi can't eat pork, and I'm allergic to peanuts")["allergies"] == ["peanut"]
    assert profile_changes({}, "Dairy makes me ill")["allergies"] == ["dairy"]  # a food said first is no name
    assert profile_changes({}, "I'm Ada and I'm vegan")["diets"] == ["vegan"]


def test_the_speakers_allergy_said_against_a_relatives():
    assert profile_changes({}, "My wife is allergic to prawns, but not me, mine is mustard")["allergies"] == ["mustard"]
    assert profile_changes({}, "mon copain est allergique au soja, moi c'est la moutarde")["allergies"] == ["mustard"]


def test_a_birthplace_is_not_home_but_born_and_raised_is():
    assert home_place("Mumbai born, though I've lived in Peckham for years") == ("London", "Peckham")
    assert home_place("born and raised in Yaba", answering=True) == ("Lagos", "Yaba")


def test_a_city_visited_or_coming_up_is_not_home():
    assert home_place("I'm in Nairobi, coming to Paris next week") == (None, None)
    assert home_place("I'm from Accra, just visiting London for a week") == ("Accra", None)  # an outside city kept as said


def test_a_turn_that_opens_with_a_correction_moves_the_area():
    before = {"home_city": "Lagos", "neighbourhood": "Yaba", "onboarded": True}
    assert profile_changes(before, "sorry, it's Surulere, not far from there")["neighbourhood"] == "Surulere"
    paris = {"home_city": "Paris", "neighbourhood": "Bastille", "onboarded": True}
    assert profile_changes(paris, "enfin, Oberkampf, c'est à côté")["neighbourhood"] == "Oberkampf"


def test_an_allergy_put_right_in_the_next_turn():
    before = {"allergies": ["fish"], "allergies_declared": True}
    assert profile_changes(before, "wait, no, it's shellfish, fish is fine")["allergies"] == ["crustacean", "mollusc"]
    assert "allergies" not in profile_changes(before, "sorry, I meant no eggs")  # a diet, not an allergy


def test_and_before_a_relative_starts_their_clause():
    assert profile_changes({}, "I'm vegetarian and my husband is pescatarian")["diets"] == ["vegetarian"]


def test_work_and_home_in_one_clause():
    assert home_place("I work in Bandra and live in Chembur") == ("Mumbai", "Chembur")
