"""Extraction of profile facts and request filters from how people talk."""

import pytest

from agents import slots, slots_home, slots_names
from agents.profile_agent import profile_changes


def home_city(text: str) -> str | None:
    return slots_home.home_place(text)[0]


def test_onboarding_sentence_gives_name_city_and_allergies():
    text = "Hi, my name is Ada, I live in London and I'm allergic to peanuts and shellfish"
    assert slots_names.name_in(text) == "Ada"
    assert home_city(text) == "London"
    assert slots.allergy_changes(text) == (["peanut", "crustacean", "mollusc"], [], False)


def test_city_aliases_and_unknown_cities():
    assert slots.city_in("a hotel in NYC please") == "New York"
    assert slots.city_in("dinner in Bombay") == "Mumbai"
    assert home_city("I live in Berlin now") == "Berlin"
    assert home_city("I'm Tunde from Lagos") == "Lagos"


def test_name_not_confused_with_states():
    assert slots_names.name_in("I'm starving") is None
    assert slots_names.name_in("it's me, verify my voice") is None
    assert slots_names.name_in("call me ngozi") == "Ngozi"


def test_allergy_add_remove_and_none():
    assert slots.allergy_changes("add peanuts to my allergies")[0] == ["peanut"]
    assert slots.allergy_changes("remove shellfish from my allergies")[:2] == ([], ["crustacean", "mollusc", "shellfish"])
    added, removed, _ = slots.allergy_changes("I'm no longer allergic to eggs but I have a nut allergy")
    assert (added, removed) == (["peanut", "tree_nut"], ["egg"])
    assert slots.allergy_changes("no allergies, I'm vegetarian")[2] is True


def test_request_filters():
    assert slots.avoided_in_request("something without dairy") == ["dairy"]
    assert slots.avoided_in_request("a nut-free dessert") == ["peanut", "tree_nut"]
    assert slots.spice_range("anything spicy?") == (2, 3)
    assert slots.spice_range("nothing too spicy please") == (0, 1)
    assert slots.budget("somewhere cheap") == "low"
    assert slots.group_size("table for six tonight") == 6
    assert slots.group_size("we're a group of 8") == 8
    assert slots.group_size("my friends and I want dinner") == 4


@pytest.mark.parametrize("text, wanted", [
    ("something fancy for lunch", "high"),
    ("a fancy place in Mayfair, money's not a problem", "high"),
    ("I fancy a full English in Camden", None),   # the verb: "I'd like"
    ("fancy a curry, what have you got", None),
    ("my husband and I fancy sushi", None),
    ("a burger, nothing fancy", None),
    ("somewhere to sleep, doesn't have to be fancy", None),
])
def test_fancy_is_dear_only_as_an_adjective(text, wanted):
    assert slots.budget(text) == wanted


def test_profile_changes_only_lists_differences():
    profile = {"allergies": ["peanut"], "diets": ["vegetarian"], "name": "Ada"}
    assert profile_changes(profile, "update my diet to vegan") == {"diets": ["vegan"]}
    assert profile_changes(profile, "I'm no longer vegetarian") == {"diets": []}
    assert profile_changes(profile, "what do you know about me") == {}
    assert profile_changes(profile, "add peanuts to my allergies") == {"allergies_declared": True}


def test_every_eu_allergen_can_be_declared_under_the_catalogues_tag():
    from agents.catalogue.enrich import ALLERGENS

    said = {"mustard": ["mustard"], "lupin": ["lupin"], "sulphites": ["sulphites"], "sulfites": ["sulphites"],
            "molluscs": ["mollusc"], "mussels": ["mollusc"], "oysters": ["mollusc"], "clams": ["mollusc"],
            "squid": ["mollusc"], "octopus": ["mollusc"], "snails": ["mollusc"], "crustaceans": ["crustacean"],
            "celery": ["celery"], "soy": ["soy"], "sesame": ["sesame"], "fish": ["fish"], "eggs": ["egg"],
            "milk": ["dairy"], "wheat": ["gluten"], "cashews": ["tree_nut"], "peanuts": ["peanut"]}
    for word, tags in said.items():
        assert slots.allergy_changes(f"I'm allergic to {word}")[0] == tags, word
    assert {t for tags in said.values() for t in tags} | {"shellfish"} == set(ALLERGENS)
    assert slots.avoided_in_request("anything without mustard or squid?") == ["mustard", "mollusc"]
    assert slots.diet_changes("I keep kosher")[0] == ["kosher"]


def test_friend_and_share_phrases():
    from agents.slots_social import asks_shared, friend_edit, names_in_group, share_targets

    assert friend_edit("add Kemi and Tunde as friends please") == ("add", ["Kemi", "Tunde"], None)
    assert friend_edit("add kemi from Lagos to my friends") == ("add", ["Kemi"], "Lagos")
    assert friend_edit("remove Kemi from my friends") == ("remove", ["Kemi"], None)
    assert friend_edit("remove peanuts from my allergies") is None
    assert share_targets("Share that with Kemi.") == ["Kemi"]
    assert share_targets("what's for dinner") is None
    assert asks_shared("what did my friends share?") and not asks_shared("share that with Kemi")
    assert names_in_group("Dinner with Kemi and Tunde on Friday.") == ["Kemi", "Tunde"]
    assert names_in_group("Kemi, Tunde and I want lunch") == ["Kemi", "Tunde"]
    assert names_in_group("somewhere with Italian food in London") == []


def test_allergy_phrasings_beyond_allergic_to():
    from agents.slots_health import unclear_health

    cases = {"I react badly to sesame": ["sesame"], "I'm sensitive to mustard": ["mustard"],
             "I'm intolerant to wheat": ["gluten"], "Shellfish makes me ill": ["crustacean", "mollusc"],
             "I'm lactose intolerant": ["dairy"], "I have coeliac disease": ["gluten"],
             "sulphites give me a bad reaction, I can't tolerate sulphites": ["sulphites"],
             "I'm allergic to prawns and squid": ["crustacean", "mollusc"],
             "Wine sulphites give me migraines, so no sulphites": ["sulphites"],
             "My throat closes up with cashews": ["tree_nut"], "Shellfish is a problem for me": ["crustacean", "mollusc"]}
    for text, tags in cases.items():
        assert slots.allergy_changes(text)[0] == tags, text
        assert unclear_health(text) is None, text
    assert "gluten_free" in slots.diet_changes("I'm coeliac")[0]


def test_new_diets_from_what_people_say():
    said = {"I don't eat pork": ["no_pork"], "no beef for me": ["no_beef"], "I don't eat eggs": ["no_egg"],
            "I avoid beef and pork": ["no_beef", "no_pork"], "I'm Jain": ["jain"],
            "I'm Jain, so no onion or garlic": ["strict_jain"], "I'm pregnant": ["pregnancy_safe"],
            "I don't eat meat but I eat fish": ["pescatarian"], "Beef is off the menu for me": ["no_beef"],
            "I'm a Jain who avoids root vegetables": ["strict_jain"], "I'm Jain, but not strict, I eat potatoes": ["jain"],
            "I avoid dairy": ["dairy_free"], "no dairy, I'm allergic": []}
    for text, diets in said.items():
        assert slots.diet_changes(text)[0] == diets, text


def test_a_declared_but_unknown_health_word_is_read_back_not_stored():
    from agents.slots_health import unclear_health

    text = "I'm allergic to seelyak"
    assert unclear_health(text) == "seelyak"
    assert profile_changes({}, text) == {}  # nothing stored, no "allergies_declared"
    assert unclear_health("I can't eat anything too spicy") is None
    assert unclear_health("I have no allergies") is None
    assert unclear_health("what are my allergies?") is None and unclear_health("Do I have any allergies saved") is None


def test_a_background_is_never_a_name_and_names_stop_at_and():
    from agents.slots_background import cultures_in
    from agents.slots_names import name_in

    assert name_in("I'm Yoruba") is None and cultures_in("I'm Yoruba") == ["Yoruba"]
    assert name_in("I'm Gujarati and vegetarian") is None and cultures_in("I'm Gujarati and vegetarian") == ["Gujarati"]
    assert name_in("I'm Ada and I'm vegan") == "Ada"
    assert name_in("my name is ada and i'm vegan") == "Ada"
    assert name_in("I'm Chidi, Igbo by background") == "Chidi" and cultures_in("I'm Chidi, Igbo by background") == ["Igbo"]
    changes = profile_changes({}, "Hi, I'm Kemi. I'm Yoruba and I live in Lagos.")
    assert (changes["name"], changes["cultural_background"], changes["home_city"]) == ("Kemi", ["Yoruba"], "Lagos")


def test_a_neighbourhood_named_as_home_gives_its_city_and_is_kept():
    from agents.slots_home import home_place

    assert home_place("I live in Peckham") == ("London", "Peckham")
    assert home_place("I'm from Lekki") == ("Lagos", "Lekki")
    assert home_place("I'm based in Bandra") == ("Mumbai", "Bandra")
    assert home_place("I live in Brooklyn, New York") == ("New York", "Brooklyn")
    assert home_place("I moved to Montmartre last year") == ("Paris", "Montmartre")
    assert home_place("I live in Paris") == ("Paris", None)
    assert slots.city_in("any good food near Surulere?") == "Lagos"
    changes = profile_changes({"home_city": "London", "neighbourhood": "Peckham"}, "I moved to Paris")
    assert changes == {"home_city": "Paris", "neighbourhood": None}


def test_a_diet_understood_in_one_clause_does_not_hide_an_unclear_declaration_in_another():
    # what Whisper made of "I eat fish but no meat, and eggs make me ill"
    from agents.slots_health import unclear_health

    heard = "I eat fish but no meat, and that's make me ill."
    assert unclear_health(heard) == "that's make me ill"
    assert unclear_health("I'm lactose intolerant and I live in Paris") is None
    assert unclear_health("I'm vegan, and spicy food makes me ill") is None
    assert unclear_health("Peanuts, they make me ill") is None


def test_what_the_speaker_says_they_eat_is_never_an_allergy():
    heard = "I eat fish but no meat, and that's make me ill."
    assert slots.allergy_changes(heard)[0] == []  # had stored fish
    assert "allergies" not in profile_changes({}, heard)
    assert slots.allergy_changes("I eat fish but eggs make me ill")[0] == ["egg"]
    assert slots.allergy_changes("I can eat fish but shellfish gives me hives")[0] == ["crustacean", "mollusc"]


def test_a_misheard_health_word_is_read_back_with_what_it_may_be():
    from agents.slots_health import health_question

    assert health_question("I'm seliac") == ("seliac", "celiac")
    assert health_question("I'm allergic to seesame") == ("seesame", "sesame")
    assert profile_changes({}, "I'm seliac") == {}  # stored nothing, and the reply asks
    for understood in ("I'm coeliac", "I'm Celia and I'm vegan", "I'm so hungry", "I'm allergic to peanuts",
                       "I'm Megan.", "I'm Daisy and I live in Lagos"):  # names, even close to vegan and dairy
        assert health_question(understood) is None, understood


def test_a_capitalised_word_that_is_no_name_we_know_and_sounds_like_a_health_word_is_read_back():
    from agents.slots_health import health_question

    # Whisper capitalised "coeliac" as it heard it: asked about, and not kept as the name
    assert health_question("I'm Ciliac.") == ("ciliac", "celiac")
    assert profile_changes({}, "I'm Ciliac.", answering=True) == {}
    assert profile_changes({}, "I'm Tolani.", answering=True) == {"name": "Tolani"}  # no health word sounds like it


def test_bare_answers_to_onboarding_questions():
    # onboarding asks for name, home and allergies: a bare answer fills what is missing
    assert profile_changes({}, "Claire", answering=True) == {"name": "Claire"}
    assert profile_changes({"name": "Claire"}, "Colaba", answering=True) == {"home_city": "Mumbai", "neighbourhood": "Colaba"}
    assert profile_changes({"name": "Claire"}, "Sesame and shellfish.", answering=True)["allergies"] == \
        ["sesame", "crustacean", "mollusc"]
    assert profile_changes({}, "Hello", answering=True) == {} and profile_changes({}, "Claire") == {}


def test_a_question_or_a_visit_is_not_a_home():
    from agents.slots_home import home_place

    assert home_place("Where should I stay in Paris?", answering=True) == (None, None)
    assert home_place("I'm staying in Lagos for a week") == (None, None)
    assert home_place("I live in London, where should I eat?") == ("London", None)
    assert home_place("I live in London but I'm visiting Paris") == ("London", None)


def test_an_allergy_severity_is_kept_on_the_profile_and_leaves_with_the_allergy():
    said = profile_changes({}, "I'm severely allergic to peanuts and I'm lactose intolerant")
    assert set(said["allergies"]) >= {"peanut", "dairy"}
    assert "peanut=severe" in said["allergy_severity"]
    profile = {"allergies": said["allergies"], "allergy_severity": said["allergy_severity"]}
    assert "allergy_severity" not in profile_changes(profile, "I'm also allergic to sesame")  # unchanged
    dropped = profile_changes(profile, "I'm not allergic to peanuts anymore")
    assert "peanut" not in dropped["allergies"]
    assert not any(entry.startswith("peanut=") for entry in dropped["allergy_severity"])


def test_every_way_of_saying_a_food_makes_me_ill_is_read_back_when_the_food_is_unknown():
    # "shrimp makes me swell up" heard as "Tramp makes me swell up." stored nothing and asked nothing
    from agents.slots_health import unclear_health

    assert unclear_health("Tramp makes me swell up.") == "tramp makes me swell up"
    assert unclear_health("Glutes gives me hives") == "glutes gives me hives"
    assert unclear_health("shrimp makes me swell up") is None  # understood: stored
    assert unclear_health("spicy food gives me a headache") is None  # a taste, not a health fact


def test_a_refused_food_that_is_no_food_we_know_is_read_back():
    # "I don't eat pork" heard as "I don't eat poor."
    from agents.slots_health import health_question

    assert health_question("I'm Sophie and I don't eat poor.") == ("poor", None)
    assert profile_changes({}, "I'm Sophie and I don't eat poor.").get("diets") is None
    for understood in ("I don't eat pork", "I don't eat meat or fish", "I don't eat much", "I never eat before noon",
                       "eggs, I don't eat them, any form"):
        assert health_question(understood) is None, understood


def test_hell_where_a_health_word_belongs_is_read_back_as_halal():
    # Whisper base writes "hell" for "halal": read back and asked, never stored
    from agents.slots_health import health_question

    assert health_question("I keep hell.") == ("hell", "halal")
    assert health_question("I'm hell.") == ("hell", "halal")
    assert profile_changes({}, "I keep hell.").get("diets") is None
    assert health_question("what the hell is suya") is None and health_question("I keep kosher") is None


def test_a_refused_unknown_food_is_read_back_even_when_an_allergy_beside_it_was_understood():
    # "I'm allergic to peanuts and I don't eat pork" heard with "four" for "pork": peanut stored, pork lost silently
    from agents.slots_health import health_question

    assert health_question("I'm allergic to peanuts and I don't eat four.") == ("four", None)
    assert profile_changes({}, "I'm allergic to peanuts and I don't eat four.")["allergies"] == ["peanut"]
    for understood in ("I'm allergic to peanuts and I don't eat pork", "I'm allergic to peanuts, I don't eat them",
                       "one guy's allergic to peanuts and half of them don't eat meat"):
        assert health_question(understood) is None, understood


def test_an_allergy_declared_with_nothing_understood_is_read_back_whole():
    from agents.slots_health import health_question

    assert health_question("Hell, and no shaksh please, I'm allergic.") == ("hell, and no shaksh please, i'm allergic", None)
    assert health_question("Peanuts, I'm allergic.") is None


def test_a_word_heard_where_an_allergen_belongs_that_sounds_like_one_is_read_back():
    # "I react badly to lupin and celery" heard as "... to looping in celery.": celery stored, lupin lost
    from agents.slots_health import health_question

    assert health_question("I react badly to looping in celery.") == ("looping", "lupin")
    assert health_question("I can't accelerate or muster.") == ("muster", "mustard")  # "can't have celery or mustard"
    # "allergic to" as Whisper writes it for some voices, the allergen misheard too
    assert health_question("I'm kosher and the logic to muster, I'm in Crown Heights.") == ("muster", "mustard")
    assert health_question("What's the logic to this menu?") is None
    # "I'm allergic to nuts" heard with no "to": the declaration is read back, not dropped
    assert health_question("I'm French, and I'm a logic turnhurt.") == ("i'm a logic turnhurt", None)
    assert health_question("I'm a logical person") is None
    assert profile_changes({}, "I react badly to looping in celery.")["allergies"] == ["celery"]
    for understood in ("I'm allergic to lupin beans", "I'm allergic to peanuts, is suya safe for me",
                       "add a second user on this device", "I'm allergic to eggs, nuts, and sesame, sorry",
                       "I can't stand or sit for long", "I can't eat celery or mustard"):
        assert health_question(understood) is None, understood


def test_an_allergen_named_in_a_statement_about_oneself_that_stored_nothing_is_read_back():
    # the health words around the allergen were misheard: "I get hives from soy" -> "I get high from soy."
    from agents.slots_health import health_question

    for heard in ("I get high from soy.", "I'm a logic to muscles and oysters.", "Squid gives me highs.",
                  "I carry an epic pen for peanuts."):
        assert health_question(heard) == (heard.lower().rstrip("."), None), heard
        assert "allergies" not in profile_changes({}, heard), heard
    for not_health in ("I love prawns", "I live near the fish market", "I'm down in Peckham, Rye Lane end of things",
                       "Peanuts.", "I'm fine with fish", "I eat fish", "my sister can't stand shrimp, funny",
                       "what can I eat with a peanut allergy?", "I carry an EpiPen for peanuts"):
        assert health_question(not_health) is None, not_health


def test_a_food_that_sets_the_speaker_off_is_an_allergy():
    assert slots.allergy_changes("mustard seeds set me off")[0] == ["mustard"]


def test_hell_alone_or_after_eat_only_is_read_back_as_halal():
    from agents.slots_health import health_question

    assert health_question("Hell.") == ("hell", "halal")
    assert health_question("I'd hate chop only hell.") == ("hell", "halal")
    assert health_question("Hello.") is None


def test_health_words_lost_in_speech_are_read_back_not_dropped():
    # each heard form is what Whisper made of a dev profile turn (bench.profile_speech --split dev2)
    from agents.slots_health import health_question

    heard = {
        "I'm Mark Okson, I'm Celia, diagnosed last year.": ("celia", "celiac"),  # a second "I'm" is no name
        "My name is Chivon, and I'm Celia.": ("celia", "celiac"),  # nor an "I'm" after "my name is"
        "I'm Somali and I eat hell.": ("hell", "halal"),
        "Hazelmets make my throat itch.": ("hazelmets", "hazelnuts"),
        "I'm allergic to peanuts and to tree hurts and also fish.": ("tree hurts", "tree nuts"),
        "I eat tell and I'm very free.": ("very free", None),
        "No port for me, please, and no me neither.": ("port", "pork"),
        "My daughter is vegan, I'm this caterian.": ("this caterian", "pescatarian"),  # a word split in two
        "I'm Muslim, so hell for me.": ("hell", "halal"),
        "Well, peskatarium real it, I do eat fish.": ("peskatarium", "pescatarian"),  # no word, anywhere
        "Restrict Jain, I also don't eat after sunset.": ("restrict jain", "strict jain"),  # onion and garlic
        "I'm off very completely, very free, and I'm in Greenpoint.": ("very free", "dairy free"),
        "Somali, I'm an e-line, howl, please.": ("howl", "halal"),
        "I eat lube and free, not because I'm ill, it just suits me.": ("lube and free", "gluten free"),  # dev3
    }
    for text, asked in heard.items():
        assert health_question(text) == asked, text
    # a statement naming an allergy, a diet or a food a diet leaves out, its other words misheard
    for text in ("I know they chop pork at all.",  # "I no dey chop pork"
                 "Main beef na haikah, bakisab chayoga.",  # "main beef nahi khata"
                 "I'm kosher and the logic to mustard, I'm in Crown Heights.",  # kosher understood, mustard not
                 "I'm a mecker, and I can't go near plorns.",
                 "I'm safe and I don't eat them at all.",  # "... don't eat eggs at all": no food named
                 "Ground day, worry me, if I chop, my body goes swell.",  # a reaction, its food lost
                 "My name not Chidi, I day stay for Yaba, I know they chop pork.",  # a clause about home beside it
                 # an allergy understood does not cover the speaker's own refusal in another clause
                 "My doctor told me no gluten whatsoever, and I also can't tolerate soul ice.",
                 "A large egg to eggs, nuts and sesame, the full set, sorry.",  # two allergens need no "I"
                 "I don't eat them in a form, not even in cake.",
                 "Hell, and no shaksh please, I'm allergic.",
                 # an allergy understood covers the allergen it names, not another beside it (dev4)
                 "Much peanut sea allergy high yard, or sesame sea bye."):
        assert health_question(text) is not None, text


def test_understood_health_statements_are_not_read_back():
    from agents.slots_health import health_question

    for understood in ("I'm allergic to peanuts. Wait, no, sorry, it's almonds I'm allergic to",
                       "I'm allergic to peanuts but sesame is fine", "I'm allergic to peanuts and sesame",
                       "I'm Celia", "I'm Celia and I'm Nigerian", "I'm dairy free", "I'm gluten-free",
                       "I'm free on Friday", "I'm vegan, so no eggs or dairy", "I'm allergic to sesame and soy, both",
                       "I'm pregnant so no raw fish, no runny eggs, all that", "I'm pescatarian, so fish yes, meat no",
                       "I'm allergic to cow's milk", "remove gluten from my allergies, I got retested",
                       "I'm Hindu, I eat chicken and fish but never beef", "I'm not vegetarian",
                       "I'm vegan. Hmm, no, vegetarian, I still have cheese", "eggs, I don't eat them",
                       "I can't go in your shell fish, I swell up.", "Main course is fine",
                       "The name's Callum. Peckham, south London.", "I'm not caeliac, or anything",
                       "I won't eat omelettes or anything with egg in it, I don't eat eggs", "What the hell is this",
                       "no problem for me", "Paris jaane ke liye visa kaise milega", "I'm strictly Jain",
                       "feel free to ask", "I eat glue ten free", "suggest a seafood restaurant in Juhu",
                       "I thought I was allergic to shellfish but the test came back negative, so no"):
        assert health_question(understood) is None, understood
    assert profile_changes({}, "I can't go near shell fish")["allergies"] == ["crustacean", "mollusc"]
    assert profile_changes({}, "I won't eat beef")["diets"] == ["no_beef"]
    assert profile_changes({}, "I'm expecting about 5 months")["diets"] == ["pregnancy_safe"]


def test_a_bare_allergy_answer_with_an_exception_keeps_the_ones_before_it():
    # "any allergies?" -> "tree nuts but not peanuts" stored nothing (a dev routing line)
    for answer in ("tree nuts but not peanuts", "Tree nuts, but not peanuts.", "nuts but not peanuts"):
        assert profile_changes({}, answer, answering=True)["allergies"] == ["tree_nut"], answer
    assert profile_changes({}, "peanuts but not today", answering=True) == {}
