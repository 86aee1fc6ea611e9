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


def test_a_cuisine_word_is_met_by_every_cuisine_of_its_family():
    from agents.dish_match import terms_matched

    assert terms_matched({"name": "Baguette Tradition", "cuisine": "Boulangerie"}, ["french"]) == 1
    assert terms_matched({"name": "Pho Bo", "cuisine": "Vietnamese"}, ["french"]) == 0


def test_the_place_a_request_names_is_not_a_food_named_after_a_place():
    from agents.food_agent import named_area

    assert named_area("an Italian lunch in Soho", "London") == "Soho"  # a name London and New York share
    assert named_area("two loaves of agege bread from the bakery in Yaba", "Lagos") == "Yaba"
    assert named_area("a slice of New York cheesecake", "New York") is None
    assert named_area("dinner in Brooklyn", "London") is None  # another city's district


def test_a_dish_type_said_is_met_by_the_dishes_of_that_type():
    menu = MENU + [{"id": "9", "name": "Chilli Paneer", "restaurant": "Hakka House", "neighbourhood": "Soho",
                    "spice": 3, "price_band": 1},
                   {"id": "8", "name": "Saag Paneer", "restaurant": "Dishoom", "neighbourhood": "Soho",
                    "spice": 1, "price_band": 2},
                   {"id": "10", "name": "Masala Dosa", "restaurant": "Dosa Corner", "neighbourhood": "Soho",
                    "spice": 1, "price_band": 1}]
    assert candidates("order me a paneer curry", menu)[0]["id"] == "8"  # a paneer dish that is a curry
    assert [d["id"] for d in candidates("order a curry", menu)] == ["8"]  # a masala dosa is no curry


def test_a_dish_type_named_is_met_by_a_dish_of_that_type_without_the_word():
    from agents.dish_match import terms_matched

    assert terms_matched({"name": "Chicken Ruby", "cuisine": "Indian"}, ["curry", "indian"]) == 2
    assert terms_matched({"name": "Prawn Malabar Curry", "cuisine": "Indian"}, ["curry", "indian"]) == 2


def test_a_landmarks_name_names_no_dish():
    menu = MENU + [{"id": "10", "name": "Sicilian Square Slice", "restaurant": "Tony Pizzeria",
                    "neighbourhood": "Lower East Side", "spice": 0, "price_band": 1}]
    said = "order me some cheap street food near Times Square, whatever's hot"
    assert candidates(said, menu) == [] and match_dish(said, menu) is None
    assert match_dish("a square slice from Tony's, please", menu)["id"] == "10"  # the dish itself still is one


def test_the_budget_said_the_way_people_say_it():
    from agents.food_agent import max_level

    assert max_level("I'm skint till payday") == 1
    assert max_level("nothing too pricey, it's only a work lunch") == 2
    assert max_level("somewhere that's not going to break the bank") == max_level("it won't break the bank") == 2
    assert max_level("let's break the bank for her birthday") is None  # a splurge is no cap
    assert max_level("Italian, under fifteen euros a head") == max_level("under £15") == 2
    assert max_level("something from under the sea, seafood") is None  # no amount
    assert max_level("I'm broken-hearted, comfort food please") is None  # not "broke"


def test_spice_words_are_whole_words():
    from agents.food_agent import spice_wanted

    assert spice_wanted("chillies on top, please") == (2, 3)
    assert spice_wanted("just chilling at home, what can I order?") == (0, 3)  # not chilli
