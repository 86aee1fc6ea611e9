"""Where the speaker lives when they put it right: the place after a correction word, the place
said to be the exact one, a place denied, a first home before the present one, "I've lived in"."""

from agents.slots_home import home_place


def test_the_place_right_after_a_correction_word_is_meant():
    assert home_place("sorry, Tooting, I always mix it up with Balham") == ("London", "Tooting")
    assert home_place("I'm in Bastille, pardon, Oberkampf") == ("Paris", "Oberkampf")


def test_the_place_said_to_be_exact():
    assert home_place("I'm in Bushwick, well, Ridgewood technically") == ("New York", "Ridgewood")


def test_a_place_denied():
    assert home_place("it's Khar not Bandra, I live in Khar") == ("Mumbai", "Khar")
    assert home_place("I live in Chembur, not Kurla") == ("Mumbai", "Chembur")


def test_the_first_home_is_not_the_home_now():
    assert home_place("I've been in Lagos a while, first in Yaba, now I'm in Ajah") == ("Lagos", "Ajah")


def test_ive_lived_in():
    assert home_place("Mumbai born, but I've lived in Camden for ten years") == ("London", "Camden")
