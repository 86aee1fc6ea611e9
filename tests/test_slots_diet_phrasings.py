"""Diet phrasings: a softened refusal (before or after "don't"), the thing named first, a rule about
mixing, a diet taken back, "not even", a Jain who is not strict, Hindi verb spellings, "I'm
expecting", and recogniser spellings of diet words."""

from agents.profile_agent import profile_changes
from agents.slots import diet_changes


def added(text: str) -> list[str]:
    return diet_changes(text)[0]


def test_a_softening_word_between_i_and_the_refusal():
    assert added("honestly I really don't eat pork") == ["no_pork"]
    assert added("I mostly avoid beef these days") == ["no_beef"]
    assert added("I don't usually eat pork") == ["no_pork"]  # or after "don't"
    assert added("I do not really eat beef") == ["no_beef"]


def test_the_thing_named_first_then_refused():
    assert added("pork, I never eat it") == ["no_pork"]
    assert added("beef? I don't touch it") == ["no_beef"]


def test_a_rule_about_mixing_is_not_a_refusal():
    assert added("I keep kosher, no milk or dairy with meat") == ["kosher"]
    assert added("no dairy for me") == ["dairy_free"]
    assert added("no pork with the noodles, please") == ["no_pork"]  # a request's refusal still counts


def test_a_diet_taken_back_is_removed_not_added():
    assert diet_changes("I was pescatarian for years, not any more") == ([], ["pescatarian"])
    assert diet_changes("I used to follow halal strictly but I stopped") == ([], ["halal"])
    assert diet_changes("vegetarian, well, not anymore, I eat chicken now")[0] == []


def test_not_even_a_diet():
    assert diet_changes("I'm not even pescatarian, I eat everything") == ([], ["pescatarian"])


def test_a_jain_who_is_not_strict():
    assert added("we are Jain but not that strict, potatoes are fine") == ["jain"]
    assert added("I'm a strict Jain") == ["strict_jain"]
    assert added("Jain here, not the strict sort of Jain, onions are fine") == ["jain"]
    assert added("I'm Jain, I'm not a strict one") == ["jain"]


def test_hindi_verb_spellings():
    assert added("pork nahi khaatey hum") == ["no_pork"]


def test_im_expecting_is_a_pregnancy_but_not_any_expecting():
    assert added("we're expecting our second baby in May") == ["pregnancy_safe"]
    assert added("I am expecting. Twenty weeks now.") == ["pregnancy_safe"]
    assert added("I'm expecting a delivery at six") == []


def test_recogniser_spellings_read_as_the_diet_meant():
    assert added("only hallal meat for us") == ["halal"]
    assert added("we are cosher at home") == ["kosher"]
    assert added("my partner says I'm pesca tarian now") == ["pescatarian"]
    assert added("glutton-free pasta is what I buy") == ["gluten_free"]


def test_never_and_french_refusals():
    assert added("I eat lamb and goat but never pork") == ["no_pork"]
    assert added("pas de boeuf, merci") == ["no_beef"]
    assert added("je ne mange ni oeufs ni jambon") == ["no_egg", "no_pork"]
    assert added("je ne mange pas de lait") == ["dairy_free"]


def test_a_diet_not_kept():
    assert diet_changes("I'm Muslim but I don't follow halal strictly")[0] == []
    assert "halal" in diet_changes("I'm Muslim but I don't follow halal strictly")[1]


def test_eating_for_two_is_a_pregnancy():
    assert added("we're eating for two these days") == ["pregnancy_safe"]


def test_hinglish_not_strict_jain_and_strict_said_later():
    assert added("Jain hain, lekin strict nahi") == ["jain"]
    later = profile_changes({"diets": ["jain"]}, "and quite strict, no onion or garlic either")
    assert later["diets"] == ["strict_jain"]


def test_more_recogniser_spellings_of_diets():
    assert added("pesky tarian, mostly") == ["pescatarian"]
    assert added("glue ten free please") == ["gluten_free"]


def test_eating_one_thing_but_not_another():
    assert added("I eat fish but not meat") == ["pescatarian"]
    assert added("I'm not eating bacon any more") == ["no_pork"]
    assert added("allergic to eggs, but not dairy") == []  # an allergy, no diet
