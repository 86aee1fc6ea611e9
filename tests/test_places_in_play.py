"""Which city a request is about, and which travel topic it asks: a place said as where the user
comes from or lives gives way to the one the request is about; airports and French city names
stand for their city; "Soho" is the home's when it has one.  The sentences are not from the
evaluation sets."""

import pytest

from agents import travel_knowledge as K
from agents.areas import shared_area_city
from agents.slots import city_in, normalise
from agents.city_in_play import city_of


@pytest.mark.parametrize("text,city", [
    ("I live in Paris but I'm off to Mumbai on Friday, is Colaba nice?", "Mumbai"),
    ("my aunt is visiting from Lagos, take us somewhere good in Brixton", "London"),
    ("coming over from London, what's the best way from JFK into town?", "New York"),
    ("we land at Gatwick tomorrow", "London"),
    ("un taxi depuis Roissy, c'est combien ?", "Paris"),
    ("il fait froid à Londres en ce moment ?", "London"),
    ("flights from Paris to Lagos in March", "Lagos"),
    ("I'm from Lagos, find me jollof", "Lagos"),  # the only place named
    ("what's good around here", None),
])
def test_the_city_a_request_is_about(text, city):
    assert city_in(text) == city


def test_a_name_two_cities_share_is_the_homes_else_the_catalogues():
    t = normalise("is the service charge optional in Soho?")
    assert shared_area_city(t, "New York") == "New York"
    assert shared_area_city(t, "Mumbai") == "London"  # the catalogue's Soho
    assert city_of("is the service charge optional in Soho?", "Mumbai") == "London"
    assert shared_area_city(normalise("dinner in Chinatown"), "Lagos") is None  # both catalogues have one


@pytest.mark.parametrize("text,topic", [
    ("can I wear shorts to the temple", "dress_code"),
    ("will they let me in with trainers on", "dress_code"),
    ("faut-il se couvrir les épaules à la mosquée ?", "dress_code"),
    ("how much do I dash the driver", "tipping"),
    ("how much should I give the porter", "tipping"),
    ("how much money can I carry into the country without declaring it", "customs"),
    ("can I bring cheese through customs at Heathrow", "customs"),
    ("how do people greet each other", "customs"),
    ("I'm nervous about walking back to my hotel late", "safety"),
    ("c'est craignos le soir ?", "safety"),
    ("book me a cab to the station", "transport"),
    ("is the museum worth a visit at night", "overview"),  # "night" alone is not a hotel stay
    ("people stay up late there, don't they", "overview"),
    ("somewhere to stay near the river for two nights", "hotel"),
    ("where should we stay", "hotel"),
])
def test_the_travel_topic_asked(text, topic):
    assert K.topic_of(text, None, None) == topic


def test_every_landmark_has_a_place():
    assert {name for city in K.CITIES.values() for name in city["landmarks"]} == set(K.LANDMARK_AT)
    assert 3_000 < K.metres_between(K.LANDMARK_AT["Eiffel Tower"], K.LANDMARK_AT["Louvre"]) < 3_400


@pytest.mark.parametrize("text,cuisine", [
    ("not Italian again, something Korean maybe", "Korean"),
    ("Mexican? nah, let's do Lebanese", "Lebanese"),
    ("Greek... actually no wait, make it Turkish", "Turkish"),
    ("un bon japonais pas trop cher", "Japanese"),
    ("un restaurant libanais ce soir", "Lebanese"),
    ("Indian food, not Chinese", "Indian"),
    ("I'm not sure, maybe Thai", "Thai"),
])
def test_the_cuisine_asked_for(text, cuisine):
    from agents.dish_types import cuisine_asked

    assert cuisine_asked(text) == cuisine


def test_place_names_and_sayings_name_no_dish():
    from agents.dish_match import asked_terms

    menu = [{"name": "New York Cheesecake", "cuisine": "American"}, {"name": "Cod and Chips", "cuisine": "British"}]
    assert asked_terms("a proper breakfast in New York, cheap as chips", menu) == []
    assert asked_terms("the New York cheesecake, and chips on the side", menu) == ["cheesecake", "chips"]


@pytest.mark.parametrize("text,city", [
    ("any good food near the Eiffel Tower?", "Paris"),  # a landmark's city, for food as for travel
    ("do I need a visa for the US", "New York"),
    ("how long does a US visa take", "New York"),
    ("somewhere for four of us tonight?", "Lagos"),  # the pronoun, not the country
    ("a hotel near St Paul's Cathedral", "London"),  # a London landmark, not Paris's Saint-Paul
    ("I've just moved to Peckham, what's good to eat?", "London"),  # a home just declared
    ("what's for dinner", "Lagos"),
])
def test_every_agent_asks_one_function_for_the_city_in_play(text, city):
    assert city_of(text, "Lagos") == city


@pytest.mark.parametrize("said,place", [
    ("I live in St. Germain, des Pres", ("Paris", "Saint-Germain")),  # as Whisper writes it
    ("I live in Saint Germain", ("Paris", "Saint-Germain")),
    ("my flat's in st. john's wood", ("London", "St John's Wood")),
    ("I live in Saint-Germain-des-Prés", ("Paris", "Saint-Germain")),
])
def test_a_saint_is_the_same_place_however_it_is_spelt(said, place):
    from agents.slots_home import home_place

    assert home_place(said) == place


def test_a_country_something_or_someone_comes_from_is_not_the_city_in_play():
    assert city_of("I fancy food from Nigeria tonight", "London") == "London"
    assert city_of("visiting from France, any halal food?", "London") == "London"
    assert city_of("do I need a visa for France?", "London") == "Paris"


@pytest.mark.parametrize("text,topic", [
    ("we're not after a hotel, we're staying with family; is Yaba a fun area?", "district"),
    ("I've already booked the cab from the airport, how do the buses work around town?", "transport"),
    ("I know how to get there, that's not the question, is the Louvre open on Mondays?", "landmark"),
    ("don't book anything, I only want to know if the metro is safe late", "safety"),
    ("find us a cheap hotel near Gatwick for the early flight", "hotel"),
    ("where do students usually stay for a semester in Paris?", "hotel"),
    ("how much should I dash am for carrying my bags?", "tipping"),
    ("is it rude to call elders by their first name?", "customs"),
    ("is a bikini fine on the beach there?", "dress_code"),
    ("which parts should we avoid after dark?", "safety"),
    ("can I bring cheese into the US?", "customs"),
])
def test_the_topic_is_what_is_asked_not_what_is_set_aside(text, topic):
    landmark = next((m for city in K.CITIES if (m := K.landmark_in(city, text))), None)
    assert K.topic_of(text, landmark, None) == topic


@pytest.mark.parametrize("text,city", [
    ("London-born, but this trip is to Mumbai: is Colaba walkable?", "Mumbai"),
    ("I was born in Paris, now I need the best way round Lagos", "Lagos"),
    ("I grew up in Mumbai; what do people tip in New York?", "New York"),
])
def test_where_the_user_was_born_or_grew_up_is_not_the_city_asked_about(text, city):
    assert city_in(text) == city


def test_a_landmark_named_after_a_district_word_is_the_landmarks_city():
    assert city_of("can I wear shorts to Siddhivinayak Temple?", "Paris") == "Mumbai"  # not Paris's Temple
    assert K.landmark_in("London", "can we go inside Big Ben?") == "Big Ben"
