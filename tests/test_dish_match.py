"""Which dish an order names, on a plain menu: plurals are the dish ("two garlic naans"), words that
say how ("spicy", "sweet") name none, and among places serving the name the one in the district,
budget and spice asked is preferred (``prefer``), unless a place is named."""

from agents.dish_match import candidates, match_dish
from agents.food_agent import Wants, fit, spice_wanted

MENU = [
    {"id": "1", "name": "Garlic Naan", "restaurant": "Saffron Tandoor", "neighbourhood": "Camden", "spice": 0,
     "price_band": 1},
    {"id": "2", "name": "Stir-fried Pak Choi with Garlic", "restaurant": "Jade Garden", "neighbourhood": "Soho",
     "spice": 0, "price_band": 2},
    {"id": "3", "name": "Spicy Cumin Lamb Noodles", "restaurant": "Panda Noodle House", "neighbourhood": "Soho",
     "spice": 3, "price_band": 2},
    {"id": "4", "name": "Sweet and Sour Chicken", "restaurant": "Lucky Bamboo", "neighbourhood": "Soho",
     "spice": 0, "price_band": 2},
    {"id": "5", "name": "Vada Pav", "restaurant": "Aaram Vada Pav", "neighbourhood": "Juhu", "spice": 1,
     "price_band": 1},
    {"id": "6", "name": "Vada Pav", "restaurant": "Kirti Vada Pav", "neighbourhood": "Dadar", "spice": 1,
     "price_band": 1},
]


def test_a_plural_names_the_dish_it_could_mean():
    assert candidates("order me a couple of garlic naans", MENU)[0]["id"] == "1"
    assert [d["id"] for d in candidates("two naans please", MENU)] == ["1"]


def test_a_plural_said_of_another_dish_is_not_taken_for_it():
    menu = MENU + [{"id": "7", "name": "Moi Moi", "restaurant": "Iya Basira", "neighbourhood": "Yaba", "spice": 1,
                    "price_band": 1},
                   {"id": "8", "name": "Chicken Shawarma Wrap", "restaurant": "Beit Tripoli",
                    "neighbourhood": "Lagos Island", "spice": 0, "price_band": 2},
                   {"id": "9", "name": "Lamb Gyro Wrap", "restaurant": "Cart 9", "neighbourhood": "Midtown",
                    "spice": 0, "price_band": 2}]
    assert match_dish("order me two wraps of moi moi", menu)["id"] == "7"


def test_words_that_say_how_name_no_dish():
    assert candidates("order Japanese, not spicy at all", MENU) == []
    assert candidates("something sweet, order it", MENU) == []


def test_the_place_in_the_district_asked_unless_a_place_is_named():
    in_dadar = Wants(district="Dadar")
    assert match_dish("order one vada pav from Dadar", MENU, lambda d: fit(d, in_dadar))["id"] == "6"
    assert match_dish("vada pav from Aaram please", MENU, lambda d: fit(d, in_dadar))["id"] == "5"


def test_no_chilli_is_mild():
    assert spice_wanted("chicken soup, nothing with chilli in it") == (0, 1)
    assert spice_wanted("without chilli please") == (0, 1)
