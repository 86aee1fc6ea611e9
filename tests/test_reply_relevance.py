"""Replies follow the request, on a real graph with the catalogue (FalkorDB and Neo4j): travel answers
the topic asked (hotels only when asked where to stay), food follows cuisine, dish type, budget,
spice and district and varies between requests, advice never orders, talk about passphrases never
enrols, and a dish name is never a friend.  The sentences here are not from the evaluation sets."""

import itertools
import re

import pytest

from agents.auth_agent import AuthAgent, spoken_passphrase
from agents.base import AgentContext, AgentRequest, RouteDecision
from agents.catalogue.loader import load_catalogue
from agents.dish_types import in_family, types_of
from agents.friends import group_members, mentioned
from speech import voiceprint as vp
from agents.providers.graph_backend import make_graph_store
from agents.registry import respond
from agents.slots_social import names_in_group

_ids = itertools.count()


@pytest.fixture(scope="module")
def ctx(graph_settings, loop):
    """The graph with the catalogue and nothing else: the agents are called directly."""
    graph = make_graph_store(graph_settings)
    loop.run_until_complete(graph.connect())
    loop.run_until_complete(load_catalogue(graph))
    yield AgentContext(graph=graph, settings=graph_settings)
    loop.run_until_complete(graph.drop())
    loop.run_until_complete(graph.close())


def user(run, ctx, city, **extra):
    uid = f"rr-{next(_ids)}"
    run(ctx.graph.upsert_user(uid, {"name": "Ola", "home_city": city, "onboarded": True, "allergies": [],
                                    "diets": [], **extra}))
    return uid


def ask(run, ctx, uid, agent, text, voice=None):
    req = AgentRequest(uid, f"{uid}-{next(_ids)}", text, voice)
    return run(respond(req, RouteDecision(agent, 1.0, "test"), ctx))


def dish_rows(run, ctx, reply):
    ids = [i["id"] for i in reply.items if i.get("kind") == "dish"]
    return run(ctx.graph.get_dishes(ids))


# --------------------------------------------------------------------------- travel

@pytest.mark.parametrize("city,text,topic,must", [
    ("New York", "what tip do waiters get here", "tipping", r"\d+-\d+%"),
    ("London", "getting into town from Heathrow", "airport", r"Elizabeth line"),
    ("Lagos", "what should I wear to visit a mosque", "dress_code", r"headscarf"),
    ("Paris", "how do people greet each other", "customs", r"bise|bonjour"),
    ("Mumbai", "best way to get around the city, trains?", "transport", r"(?i)local trains"),
])
def test_travel_answers_the_topic_asked_not_a_hotel_list(run, ctx, city, text, topic, must):
    reply = ask(run, ctx, user(run, ctx, city), "travel", text)
    kinds = {i["kind"] for i in reply.items}
    assert "stay" not in kinds and reply.items[0]["topic"] == topic, reply
    assert re.search(must, reply.text), reply.text
    assert reply.cultural_context["city"] == city


def test_hotels_only_when_asked_where_to_stay_and_in_the_borough_named(run, ctx):
    uid = user(run, ctx, "London")
    reply = ask(run, ctx, uid, "travel", "book me a hotel in Brooklyn")
    stays = [i for i in reply.items if i["kind"] == "stay"]
    assert stays and stays[0]["neighbourhood"] in ("Williamsburg", "Borough Park"), reply.text
    assert reply.cultural_context["city"] == "New York"


def test_a_place_named_narrows_the_answer_and_sets_the_city(run, ctx):
    uid = user(run, ctx, "London")
    reply = ask(run, ctx, uid, "travel", "is Pigalle ok to walk around late")
    assert reply.items[0]["topic"] == "safety" and "Pigalle" in reply.text and reply.items[0]["city"] == "Paris"
    reply = ask(run, ctx, uid, "travel", "anything to know about the Gateway of India")
    assert reply.items[0]["topic"] == "landmark" and "Colaba" in reply.text
    reply = ask(run, ctx, uid, "travel", "do Nigerians need a visa for France")
    assert reply.items[0]["topic"] == "visa" and "official" in reply.text and "Schengen" in reply.text


def test_a_hotel_near_a_landmark_is_the_nearest_stay_and_says_how_far(run, ctx):
    from agents import travel_knowledge as K

    uid = user(run, ctx, "Lagos")
    reply = ask(run, ctx, uid, "travel", "a quiet hotel close to the Tower of London, please")
    stays = [i for i in reply.items if i["kind"] == "stay"]
    found = run(ctx.graph.find_stays("London"))
    nearest = min(found, key=lambda s: K.metres_between(K.LANDMARK_AT["Tower of London"], (s["lat"], s["lon"])))
    assert stays[0]["id"] == nearest["id"] and "from Tower of London" in reply.text, reply.text
    assert reply.cultural_context["city"] == "London"


def test_customs_at_the_border_is_answered_from_its_rules(run, ctx):
    uid = user(run, ctx, "London")
    reply = ask(run, ctx, uid, "travel", "what food can I bring through customs at JFK")
    assert reply.items[0]["topic"] == "customs" and "declare" in reply.text.lower(), reply.text
    assert reply.cultural_context["city"] == "New York"
    reply = ask(run, ctx, uid, "travel", "how do people greet each other in Paris")
    assert "declare" not in reply.text.lower()  # manners, not the border


# --------------------------------------------------------------------------- food

def test_food_follows_cuisine_dish_type_spice_budget_and_district(run, ctx):
    uid = user(run, ctx, "Mumbai")
    [first, *_] = dish_rows(run, ctx, ask(run, ctx, uid, "food", "some proper Indian food tonight"))
    assert in_family("Indian", first["cuisine"]) and first["cuisine"] != "Indian"  # Mughlai, Gujarati...
    uid = user(run, ctx, "Lagos")
    rows = dish_rows(run, ctx, ask(run, ctx, uid, "food", "a warm bowl of soup"))
    assert "soup" in types_of(rows[0]["name"])
    rows = dish_rows(run, ctx, ask(run, ctx, uid, "food", "I can't take pepper at all, something gentle"))
    assert rows and all(r["spice"] <= 1 for r in rows) and "Pepper" not in rows[0]["name"]
    rows = dish_rows(run, ctx, ask(run, ctx, uid, "food", "I'm broke, something cheap"))
    assert rows[0]["price_band"] == 1
    uid = user(run, ctx, "New York")
    rows = dish_rows(run, ctx, ask(run, ctx, uid, "food", "dinner somewhere in Queens"))
    assert rows[0]["neighbourhood"] in ("Astoria", "Jackson Heights", "Flushing", "Long Island City")


def test_an_order_takes_the_place_in_the_district_named(run, ctx):
    """Vada pav is on many Mumbai menus: the order goes to the one in the district said."""
    menu = run(ctx.graph.menu_names("Mumbai"))
    hoods = {d["neighbourhood"] for d in menu if d["name"] == "Vada Pav"}
    best_rated = next(d["neighbourhood"] for d in menu if d["name"] == "Vada Pav")
    target = sorted(hoods - {best_rated})[0]  # not the place an order would go to anyway
    count = "MATCH (:User {id: $u})-[:ORDERED]->(d:Dish)-[:SERVED_AT]->(r:Restaurant) RETURN r.neighbourhood AS n"
    uid = user(run, ctx, "Mumbai")
    reply = ask(run, ctx, uid, "food", f"order one vada pav from {target}")
    assert [r["n"] for r in run(ctx.graph.query(count, {"u": uid}))] == [target], reply.text


def test_a_district_without_the_cuisine_gets_the_nearest_place_that_has_it_and_says_so(run, ctx):
    from agents.food_agent import named_area
    from agents.travel_knowledge import metres_between

    menu = run(ctx.graph.menu_names("London"))
    places = {(d["restaurant"], d["neighbourhood"]): ((d["lat"], d["lon"]), in_family("Italian", d["cuisine"]))
              for d in menu}

    def centre(hood):
        points = [p for (_, h), (p, _) in places.items() if h == hood]
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)

    italian = {h for (_, h), (_, c) in places.items() if c}
    hood = sorted(h for _, h in places if h not in italian and named_area(f"Italian food in {h}", "London") == h)[0]
    nearest = min((metres_between(centre(hood), p), r, h) for (r, h), (p, c) in places.items() if c)
    uid = user(run, ctx, "London")
    reply = ask(run, ctx, uid, "food", f"some Italian food in {hood}")
    first = dish_rows(run, ctx, reply)[0]
    assert (first["restaurant"], first["neighbourhood"]) == nearest[1:], reply.text
    assert reply.text.startswith(f"I have nothing in {hood} that fits; the nearest is in {nearest[2]}, "), reply.text
    # a district that has it: no such sentence
    there = sorted(italian)[0]
    reply = ask(run, ctx, uid, "food", f"some Italian food in {there}")
    assert dish_rows(run, ctx, reply)[0]["neighbourhood"] == there and not reply.text.startswith("I have nothing")


def test_an_order_for_a_district_without_the_dish_is_never_placed_elsewhere_unasked(run, ctx):
    from agents.food_agent import named_area
    from agents.travel_knowledge import metres_between

    menu = run(ctx.graph.menu_names("Mumbai"))
    serving = {(d["restaurant"], d["neighbourhood"]): (d["lat"], d["lon"]) for d in menu if d["name"] == "Vada Pav"}
    spots = {}
    for d in menu:
        spots.setdefault(d["neighbourhood"], {})[d["restaurant"]] = (d["lat"], d["lon"])
    hood = sorted(h for h in spots if h not in {h for _, h in serving}
                  and named_area(f"order one vada pav from {h}", "Mumbai") == h)[0]
    centre = tuple(sum(p[i] for p in spots[hood].values()) / len(spots[hood]) for i in (0, 1))
    nearest = min((metres_between(centre, p), h) for (_, h), p in serving.items())[1]
    uid = user(run, ctx, "Mumbai")
    reply = ask(run, ctx, uid, "food", f"order one vada pav from {hood}")
    assert reply.text.startswith(f"I have nothing in {hood} that fits; the nearest is in {nearest}, "), reply.text
    assert "Which one do you mean" in reply.text and not any(i.get("ordered") for i in reply.items)
    count = "MATCH (:User {id: $u})-[:ORDERED]->(d:Dish) RETURN count(d) AS n"
    assert run(ctx.graph.query(count, {"u": uid}))[0]["n"] == 0


def test_an_order_for_a_short_dish_name_elsewhere_offers_that_dish(run, ctx):
    menu = run(ctx.graph.menu_names("Paris"))
    serving = {d["neighbourhood"] for d in menu if d["name"] == "Pho Bo"}
    hood = sorted({d["neighbourhood"] for d in menu} - serving - {"Opéra"})[0]
    reply = ask(run, ctx, user(run, ctx, "Paris"), "food", f"order a pho bo from {hood}")
    assert reply.items and {i["name"] for i in reply.items} == {"Pho Bo"}, reply.text
    assert not any(i.get("ordered") for i in reply.items)


@pytest.mark.parametrize("home", [{}, {"neighbourhood": "Peckham"}])  # a home district is preferred, not the only place
def test_different_requests_get_different_dishes(run, ctx, home):
    uid = user(run, ctx, "London", **home)
    asks = ("what's good for lunch", "something for dinner", "I'm hungry", "feed me", "any ideas for tonight",
            "something tasty", "what should I eat", "a bite to eat")
    firsts = [dish_rows(run, ctx, ask(run, ctx, uid, "food", t))[0]["name"] for t in asks]
    assert len(set(firsts)) >= 6, firsts


def test_advice_about_ordering_never_places_an_order(run, ctx):
    uid = user(run, ctx, "Lagos")
    count = "MATCH (:User {id: $u})-[o:ORDERED]->() RETURN count(o) AS n"
    for text in ("what should I order at a Nigerian place?", "how do I order suya without looking lost",
                 "which soup would you order for a first timer"):
        reply = ask(run, ctx, uid, "food", text)
        assert reply.items and not any(i.get("ordered") for i in reply.items), reply.text
    assert run(ctx.graph.query(count, {"u": uid}))[0]["n"] == 0
    reply = ask(run, ctx, uid, "food", "order the Moi Moi for me")
    assert run(ctx.graph.query(count, {"u": uid}))[0]["n"] == 1, reply.text


# --------------------------------------------------------------------------- auth

def test_sentences_about_passphrases_state_none():
    for text in ("how do passphrases work", "I forgot my passphrase", "can I change my passphrase to something else",
                 "what if my passphrase is too long?"):
        assert spoken_passphrase(text) is None and spoken_passphrase(text, bare=True) is None, text
    assert spoken_passphrase("set my passphrase to green river stone") == ["green", "river", "stone"]
    assert spoken_passphrase("my new passphrase is red kite morning") == ["red", "kite", "morning"]
    assert spoken_passphrase("red kite morning") is None
    assert spoken_passphrase("red kite morning", bare=True) == ["red", "kite", "morning"]
    assert spoken_passphrase("no thanks, not now", bare=True) is None
    # an answer that talks about choosing one, or turns to something else, is no passphrase
    for text in ("let me think of one", "hmm, something with my dog's name", "forget it, find me food",
                 "ok do it", "wait, maybe tomorrow"):
        assert spoken_passphrase(text, bare=True) is None, text
    # a phrase proposed in quotes is the one, unless it is refused or asked about
    assert spoken_passphrase("how about 'amber fox lantern'?", bare=True) == ["amber", "fox", "lantern"]
    assert spoken_passphrase("I'll go with “amber fox lantern”.", bare=True) == ["amber", "fox", "lantern"]
    for text in ("no, not 'red kite morning'", 'what do you mean by "say your passphrase"?',
                 "let's say 'it's a dog's life'"):
        assert spoken_passphrase(text, bare=True) is None, text


def test_talk_about_passphrases_never_enrols_but_the_answer_to_the_question_does(run, ctx):
    voice = {"language": "en", "voiceprint": [0.1] * vp.DIM}
    cred = "MATCH (:User {id: $u})-[:HAS_CREDENTIAL]->(c) RETURN count(c) AS n"
    uid = user(run, ctx, "London")
    for text in ("how do passphrases work", "I forgot my passphrase",
                 "can I change my passphrase to something else"):
        reply = ask(run, ctx, uid, "auth", text, voice)
        assert reply.cultural_context["auth"].get("enrolled") is False, reply.text
    assert run(ctx.graph.query(cred, {"u": uid}))[0]["n"] == 0
    asked = ask(run, ctx, uid, "auth", "set up voice sign-in", voice)
    assert asked.awaiting == "passphrase"
    ask(run, ctx, uid, "auth", "amber lantern harbour", voice)
    assert run(ctx.graph.query(cred, {"u": uid}))[0]["n"] == 1


def test_an_enrolled_user_asking_about_passphrases_is_not_a_failed_attempt(run, ctx):
    voice = {"language": "en", "voiceprint": [0.2] * vp.DIM}
    uid = user(run, ctx, "Paris")
    run(AuthAgent().reply(AgentRequest(uid, "e1", "my passphrase is silver tram evening", voice), ctx))
    reply = run(AuthAgent().reply(AgentRequest(uid, "e2", "I forgot my passphrase", voice), ctx))
    assert reply.cultural_context["auth"]["reason"] == "question"
    failures = run(ctx.graph.query("MATCH (:User {id: $u})-[:HAS_CREDENTIAL]->(c) RETURN c.failures AS f",
                                   {"u": uid}))[0]["f"]
    assert not failures


# --------------------------------------------------------------------------- friends

def test_dish_names_are_not_friends(run, ctx):
    assert names_in_group("Dinner with Chicken Ruby and Kemi tonight") == ["Kemi"]
    assert names_in_group("Pav Bhaji and I, table for two") == []
    ruby = {"name": "Ruby", "name_first": "ruby", "name_key": "ruby"}
    assert mentioned([ruby], "order the Chicken Ruby") == [] and mentioned([ruby], "lunch with Ruby") == [ruby]
    ada, friend = user(run, ctx, "London"), user(run, ctx, "London", name="Ruby")
    run(ctx.graph.add_friend(ada, friend))
    members, unknown = run(group_members(ctx, ada, "Dinner with Chicken Ruby and some Jollof tonight"))
    assert members == [] and unknown == []
    members, _ = run(group_members(ctx, ada, "Dinner with Ruby tonight"))
    assert [m["id"] for m in members] == [friend]


def test_a_cuisine_the_city_lacks_is_named_as_such(run, ctx):
    uid = user(run, ctx, "Mumbai")
    reply = ask(run, ctx, uid, "food", "any Korean food around here?")
    assert reply.text.startswith("Nothing with Korean in Mumbai fits"), reply.text
