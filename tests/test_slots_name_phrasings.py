"""Name phrasings: "X is my name" (and Pidgin "na X be my name", "na X"), Hinglish "X bol raha
hoon", a reply opening with the name, and ways of eating that are not names."""

from agents.slots_names import name_in


def test_the_name_before_is_my_name():
    assert name_in("Obinna is my name and I live in Ajah") == "Obinna"
    assert name_in("na Chiamaka be my name o") == "Chiamaka"


def test_pidgin_na_before_a_name():
    assert name_in("oga, na Segun, I dey Ikeja") == "Segun"
    assert name_in("na only halal I dey chop") is None


def test_hinglish_speaking_intro():
    assert name_in("Rohit bol raha hoon, Andheri se") == "Rohit"


def test_a_reply_opening_with_the_name():
    assert name_in("Siobhan, spelled the Irish way", answering=True) == "Siobhan"
    assert name_in("Margaret, but Maggie is fine", answering=True) == "Maggie"
    assert name_in("Siobhan, spelled the Irish way") is None  # only as an answer to "your name?"


def test_openers_lists_and_slips_are_not_names():
    assert name_in("Honestly, I eat anything at all", answering=True) is None
    assert name_in("Abeg, make una no put pepper", answering=True) is None
    assert name_in("Mackerel, sardines, anything oily", answering=True) is None


def test_ways_of_eating_are_not_names():
    assert name_in("I'm keto these days") is None
    assert name_in("I'm Rastafarian, Ital food only") is None
