"""What a profile statement stores, for the kinds of talk the second dev set brought out:
someone else's diet, a diet given up, self-corrections, work and past places, boroughs,
French, Pidgin and Hinglish phrasings, hesitations, and preferred names.  Pure functions, no stack."""

from agents import slots, slots_background, slots_home, slots_names
from agents.areas import AREAS
from agents.profile_agent import profile_changes


def stored(text: str, profile: dict | None = None) -> dict:
    return profile_changes(profile or {}, text, answering=True)


def test_a_relatives_diet_or_allergy_is_not_the_speakers():
    assert "diets" not in stored("My brother is vegan, I'm not")
    assert stored("My wife has a sesame allergy but I'm allergic to mustard")["allergies"] == ["mustard"]
    assert "allergies" not in stored("Our kids can't eat peanuts, and my name is Bola")
    assert stored("My whole family eats halal, including me")["diets"] == ["halal"]


def test_a_diet_given_up_is_not_stored():
    assert slots.diet_changes("I used to be pescatarian")[0] == []
    assert slots.diet_changes("I was vegan at uni, not any more")[0] == []
    assert slots.diet_changes("I'm gluten free but I'm fine with gluten in sauces")[0] == []
    assert slots.diet_changes("I'm dairy free, though ghee is fine")[0] == ["dairy_free"]


def test_the_last_of_vegan_vegetarian_pescatarian_replaces_the_stored_one():
    assert stored("scratch that, pescatarian", {"diets": ["vegan", "halal"]})["diets"] == ["halal", "pescatarian"]


def test_a_slip_in_the_allergy_is_taken_back():
    assert slots.allergy_changes("I'm allergic to celery. No, sorry, it's mustard")[0] == ["mustard"]
    assert slots.allergy_changes("I'm allergic to celery. Oh, and mustard too")[0] == ["celery", "mustard"]


def test_a_turn_that_carries_on_the_allergies_adds_to_them():
    assert stored("and also oysters", {"allergies": ["peanut"]})["allergies"] == ["peanut", "mollusc"]
    assert "allergies" not in stored("and also eggs, I don't eat beef", {"allergies": ["peanut"]})


def test_allergy_phrasings():
    assert slots.allergy_changes("I can't go near sesame")[0] == ["sesame"]
    assert slots.allergy_changes("red wine gives me terrible migraines, it's the sulphites")[0] == ["sulphites"]
    assert slots.allergy_changes("je suis intolérante aux œufs")[0] == ["egg"]
    coeliac = stored("je suis cœliaque")
    assert (coeliac["diets"], coeliac["allergies"]) == (["gluten_free"], ["gluten"])


def test_diets_in_french_pidgin_and_hinglish():
    assert slots.diet_changes("je ne mange pas de bœuf")[0] == ["no_beef"]
    assert slots.diet_changes("je ne mange plus de viande mais je mange du poisson")[0] == ["pescatarian"]
    assert slots.diet_changes("my wife say I get belle")[0] == ["pregnancy_safe"]


def test_work_and_past_places_are_not_home():
    assert slots_home.home_place("my office is in Colaba but I live in Worli") == ("Mumbai", "Worli")
    assert slots_home.home_place("I live in Ikoyi, well, Ajah, I only work in Ikoyi") == ("Lagos", "Ajah")
    assert slots_home.home_place("I used to live in Camden, I'm in Dalston now") == ("London", "Dalston")
    assert slots_home.home_place("no, I meant Chembur", answering=False) == ("Mumbai", "Chembur")


def test_a_borough_gives_way_to_the_neighbourhood_inside_it():
    assert slots_home.home_place("I live in Queens, Astoria") == ("New York", "Astoria")
    assert slots_home.home_place("I live in Bushwick, Brooklyn") == ("New York", "Bushwick")


def test_area_spellings():
    assert AREAS["kandivali east"] == ("Mumbai", "Kandivali")
    assert AREAS["chateau rouge"] == ("Paris", "Château Rouge")
    assert AREAS["greenwich"] == ("London", "Greenwich")
    assert slots_home.home_place("I live in Chelsea") == (None, None)  # London's or New York's


def test_names_said_with_hesitations_or_a_preferred_form():
    assert stored("Er, hi, I'm, um, Nneka, and I live in Yaba?")["name"] == "Nneka"
    assert slots_names.name_in("My name is Oluwafunmilayo but call me Funmi") == "Funmi"
    assert slots_names.name_in("My name is Sam, well, Samantha") == "Samantha"
    assert slots_names.name_in("moi c'est Inès") == "Inès"
    assert slots_names.name_in("naam Pooja hai") == "Pooja"


def test_backgrounds_said_other_ways():
    assert slots_background.cultures_in("as a Tamil I eat rice every day") == ["Tamil"]
    assert slots_background.cultures_in("I'm British-Nigerian") == ["British-Nigerian"]
    assert slots_background.cultures_in("je suis sénégalais") == ["Senegalese"]
    assert slots_background.cultures_in("hum Marathi hain") == ["Marathi"]
    assert slots_background.cultures_in("I be Hausa babe") == ["Hausa"]


def test_corrections_in_a_later_turn():
    after = stored("sorry, not celery, it's lupin", {"allergies": ["celery"], "allergies_declared": True})
    assert after["allergies"] == ["lupin"]
    assert stored("my name is actually Adebayo", {"name": "Bayo"})["name"] == "Adebayo"


def test_a_bare_allergen_answer_counts_until_allergies_are_declared():
    assert profile_changes({"name": "Ama", "home_city": "London"}, "Sesame and mussels.")["allergies"] == [
        "sesame", "mollusc"]
    assert "allergies" not in profile_changes({"name": "Ama", "home_city": "London"}, "mussels?")


def test_backgrounds_mixed_or_qualified():
    assert slots_background.cultures_in("I'm Hausa and Fulani") == ["Hausa", "Fulani"]
    assert slots_background.cultures_in("I'm half Irish, half Jamaican") == ["Irish", "Jamaican"]
    assert slots_background.cultures_in("I'm Punjabi Sikh") == ["Punjabi", "Sikh"]
    assert slots_background.cultures_in("I'm not Hindu, but vegetarian") == []
    assert slots_names.name_in("I'm Sunni Muslim") is None
    assert slots.allergy_changes("lupin, sesame and celery all make me sick")[0] == ["lupin", "sesame", "celery"]
