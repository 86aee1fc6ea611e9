"""Agents against a real graph, FalkorDB and Neo4j (``ctx``): catalogue, onboarding, allergy
safety, profile changes, replies."""

import asyncio
import itertools
from collections import Counter
import re

import pytest


from agents.base import AgentRequest  # noqa: E402
from agents.catalogue import data, enrich  # noqa: E402
from agents.catalogue.loader import LABELS, load_catalogue  # noqa: E402
from agents.providers.graph import DishQuery  # noqa: E402
from agents.registry import respond  # noqa: E402
from agents.router import route  # noqa: E402

ALL_DISHES = {d[1]: data.derive(d[4], d[5])[0] for r in data.RESTAURANTS for d in r["dishes"]}
N_DISHES = sum(len(r["dishes"]) for r in data.RESTAURANTS)
REQUESTS = ["I'm starving, anything spicy near me?", "something cheap to eat", "what's for dinner?",
            "anything mild to eat?", "something fancy for lunch", "I fancy some dessert"]
_ids = itertools.count()


def new_user() -> str:
    return f"user-{next(_ids)}"


def say(run, ctx, user, text):
    """Route and answer one utterance; returns (decision, reply)."""
    req = AgentRequest(user, f"s-{next(_ids)}", text)
    decision = run(route(req, ctx))
    return decision, run(respond(req, decision, ctx))


def onboard(run, ctx, text):
    user = new_user()
    decision, reply = say(run, ctx, user, text)
    assert decision.agent == "onboarding"
    return user, reply


def unsafe_names(allergies) -> set[str]:
    return {name for name, allergens in ALL_DISHES.items() if set(allergens) & set(allergies)}


def test_catalogue_loaded_with_expected_counts(run, ctx):
    counts = run(ctx.graph.count_labels(LABELS))
    assert {k: counts[k] for k in ("City", "Restaurant", "Dish", "Stay")} == \
        {"City": 5, "Restaurant": len(data.RESTAURANTS), "Dish": N_DISHES, "Stay": len(data.STAYS)}
    assert counts["Ingredient"] == len(enrich.INGREDIENTS)


def test_catalogue_load_is_idempotent(run, ctx):
    first = run(load_catalogue(ctx.graph, force=True))
    second = run(load_catalogue(ctx.graph, force=True))
    skipped = run(load_catalogue(ctx.graph))
    assert first == second == skipped


def test_two_workers_loading_at_once_do_not_duplicate(run, ctx, graph_settings):
    """Two workers start together: both load (force), MERGE keeps one copy of everything."""
    from agents.providers.graph_backend import make_graph_store

    stores = [make_graph_store(graph_settings) for _ in range(2)]

    async def both():
        for s in stores:
            await s.connect()
        counts = await asyncio.gather(*(load_catalogue(s, force=True) for s in stores))
        for s in stores:
            await s.close()
        return counts

    first, second = run(both())
    assert first["Dish"] == second["Dish"] == N_DISHES
    assert run(ctx.graph.count_labels(LABELS)) == run(load_catalogue(ctx.graph))


def test_unknown_user_is_sent_to_onboarding(run, ctx):
    decision, reply = say(run, ctx, new_user(), "I'm starving, anything spicy near me?")
    assert decision.agent == "onboarding"
    assert "allergies" in reply.text


def test_onboarding_stores_the_profile(run, ctx):
    user, reply = onboard(run, ctx, "Hi, my name is Ada, I live in Lagos and I'm allergic to peanuts")
    profile = run(ctx.graph.get_user(user))
    assert (profile["name"], profile["home_city"], profile["allergies"], profile["onboarded"]) == \
        ("Ada", "Lagos", ["peanut"], True)
    assert reply.cultural_context["currency"] == "NGN"


def test_onboarding_over_several_turns(run, ctx):
    user, reply = onboard(run, ctx, "hi, I'm new here")
    assert "name" in reply.text
    assert say(run, ctx, user, "I'm Tunde")[0].agent == "onboarding"
    decision, reply = say(run, ctx, user, "I live in London, no allergies")
    assert decision.agent == "onboarding" and "Tunde" in reply.text
    assert run(ctx.graph.get_user(user))["onboarded"] is True


def test_without_allergy_spicy_lagos_offers_peanut_dishes(run, ctx):
    """Control for the safety test: peanut dishes are spicy Lagos picks when allowed.

    (With the full catalogue the exact top three depend on ratings, so the control is on
    the candidates the agent ranks, and on what a no-allergy user is actually shown.)
    """
    found = run(ctx.graph.find_dishes(DishQuery("Lagos", min_spice=2)))
    assert any("peanut" in d["allergens"] for d in found)
    user, _ = onboard(run, ctx, "my name is Bola, I live in Lagos, no allergies")
    _, reply = say(run, ctx, user, "I'm starving, anything spicy near me?")
    assert reply.items and all(i["name"] in ALL_DISHES for i in reply.items)


@pytest.mark.parametrize("city", list(data.CITIES))
@pytest.mark.parametrize("allergy,word", [("peanut", "peanuts"), ("dairy", "dairy"), ("gluten", "gluten"),
                                          ("shellfish", "shellfish")])
def test_food_never_recommends_a_declared_allergen(run, ctx, city, allergy, word):
    user, _ = onboard(run, ctx, f"My name is Sam, I live in {city} and I'm allergic to {word}")
    stored = run(ctx.graph.get_user(user))["allergies"]
    assert allergy in stored or (allergy == "shellfish" and {"crustacean", "mollusc"} <= set(stored)), stored
    banned = unsafe_names([allergy])
    for text in REQUESTS:
        decision, reply = say(run, ctx, user, text)
        assert decision.agent == "food" and reply.items, (text, reply.text)
        assert all(allergy not in i["allergens"] for i in reply.items), (text, reply)
        assert not [n for n in banned if n in reply.text], (text, reply.text)


def test_graph_query_itself_filters_allergens(run, ctx):
    for city in data.CITIES:
        dishes = run(ctx.graph.find_dishes(DishQuery(city, allergies=("peanut", "gluten"))))
        assert dishes and all(not {"peanut", "gluten"} & set(d["allergens"]) for d in dishes)


def _orderable(menu, want_peanut: bool) -> tuple[dict, str]:
    """A dish of the city menu the agent can match by one word of its name (unique in the menu)."""
    words = Counter(w for d in menu for w in set(re.findall(r"[a-z]+", d["name"].lower())))
    for d in menu:
        if ("peanut" in d["allergens"]) == want_peanut:
            unique = [w for w in re.findall(r"[a-z]+", d["name"].lower()) if words[w] == 1 and len(w) > 3]
            if unique:
                return d, unique[0]
    raise AssertionError("no orderable dish")


def test_ordering_an_unsafe_dish_is_refused_and_not_recorded(run, ctx):
    menu = run(ctx.graph.find_dishes(DishQuery("Lagos")))
    unsafe, _ = _orderable(menu, want_peanut=True)
    safe, _ = _orderable(menu, want_peanut=False)
    user, _ = onboard(run, ctx, "my name is Ada, I live in Lagos, allergic to peanuts")
    _, reply = say(run, ctx, user, f"please order the {unsafe['name']} for me")
    assert f"won't order {unsafe['name']}" in reply.text
    rows = run(ctx.graph.query("MATCH (:User {id: $u})-[o:ORDERED]->() RETURN count(o) AS n", {"u": user}))
    assert rows[0]["n"] == 0
    _, reply = say(run, ctx, user, f"please order the {safe['name']} for me")
    assert reply.items[0]["ordered"] and f"₦{safe['price']:,.0f}" in reply.text


def test_an_order_names_any_dish_of_the_city_not_only_the_top_results(run, ctx):
    top = {d["id"] for d in run(ctx.graph.find_dishes(DishQuery("Lagos")))}
    menu = run(ctx.graph.menu_names("Lagos"))
    names = Counter(d["name"] for d in menu)
    far = next(d for d in reversed(menu) if d["id"] not in top and names[d["name"]] == 1)
    [dish] = run(ctx.graph.get_dishes([far["id"]]))
    user, _ = onboard(run, ctx, "my name is Ola, I live in Lagos, no allergies")
    _, reply = say(run, ctx, user, f"I'll have the {dish['name']}")
    assert reply.items and reply.items[0]["id"] == dish["id"] and reply.items[0]["ordered"], reply.text
    rows = run(ctx.graph.query("MATCH (:User {id: $u})-[:ORDERED]->(d:Dish) RETURN d.id AS id", {"u": user}))
    assert [r["id"] for r in rows] == [dish["id"]]


def test_an_order_that_fits_several_dishes_asks_which_and_offers_only_safe_ones(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ada, I live in Lagos, allergic to peanuts")
    _, reply = say(run, ctx, user, "I'll have the rice")
    assert reply.text.startswith("Which one do you mean") and len(reply.items) > 1
    assert all("peanut" not in i["allergens"] and "Rice" in i["name"] for i in reply.items)
    rows = run(ctx.graph.query("MATCH (:User {id: $u})-[o:ORDERED]->() RETURN count(o) AS n", {"u": user}))
    assert rows[0]["n"] == 0
    # One name served at several places: the best-rated place's (menu_names lists those first).
    menu = run(ctx.graph.menu_names("Lagos"))
    first = next(d for d in menu if d["name"] == "Jollof Rice with Chicken")
    _, reply = say(run, ctx, user, "I'll have the jollof rice with chicken")
    assert reply.items[0]["ordered"] and reply.items[0]["id"] == first["id"]


def test_profile_change_is_respected_by_the_next_recommendation(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ngozi, I live in Lagos, no allergies")
    _, before = say(run, ctx, user, "anything spicy?")
    assert before.items
    decision, reply = say(run, ctx, user, "add peanuts to my allergies")
    assert decision.agent == "profile" and "peanuts" in reply.text
    _, after = say(run, ctx, user, "anything spicy?")
    assert after.items and all("peanut" not in i["allergens"] for i in after.items)
    assert not [n for n in unsafe_names(["peanut"]) if n in after.text]


def test_diet_change_is_respected(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ravi, I live in Mumbai, no allergies")
    say(run, ctx, user, "I'm vegan now")
    _, reply = say(run, ctx, user, "what's for dinner?")
    vegan = {d[1] for r in data.RESTAURANTS for d in r["dishes"] if "vegan" in data.derive(d[4], d[5])[1]}
    assert reply.items and all(i["name"] in vegan for i in reply.items)
    assert "₹" in reply.text


def test_profile_reads_back(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ada, I live in Paris, allergic to sesame")
    decision, reply = say(run, ctx, user, "what do you know about me")
    assert decision.agent == "profile"
    assert "Ada" in reply.text and "Paris" in reply.text and "sesame" in reply.text


def test_travel_suggests_a_stay_with_local_currency(run, ctx):
    user, _ = onboard(run, ctx, "my name is Lee, I live in London, no allergies")
    decision, reply = say(run, ctx, user, "where should I stay in Paris, somewhere cheap")
    assert decision.agent == "travel"
    cheapest = min((st for st in data.STAYS if st[1] == "Paris"), key=lambda st: st[4])
    assert cheapest[3] in reply.text and f"€{cheapest[4]:,.0f}" in reply.text
    assert reply.cultural_context["city"] == "Paris" and reply.cultural_context["currency"] == "EUR"


def test_social_finds_a_place_for_the_group(run, ctx):
    user, _ = onboard(run, ctx, "my name is Kemi, I live in Lagos, allergic to peanuts")
    decision, reply = say(run, ctx, user, "my friends and I want dinner, there are 15 of us")
    assert decision.agent == "social"
    place = reply.items[0]
    assert place["max_group"] >= 15 and place["name"] in reply.text
    assert "Suya" not in reply.text


def test_auth_never_claims_success(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ada, I live in Lagos, no allergies")
    decision, reply = say(run, ctx, user, "it's me, verify my voice")
    assert decision.agent == "auth"
    assert reply.cultural_context["authenticated"] is False and "not signed in" in reply.text


def test_gibberish_gets_a_clarifying_question(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ada, I live in Lagos, no allergies")
    decision, reply = say(run, ctx, user, "blorp zzz qwerty")
    assert (decision.agent, reply.agent) == ("clarify", "clarify")
    assert reply.text.endswith("?")


def test_a_relatives_news_changes_nothing_and_is_answered_as_such(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ada, I live in Lagos, no allergies")
    before = run(ctx.graph.get_user(user))
    decision, reply = say(run, ctx, user, "my mum went vegan and my brother is allergic to sesame")
    assert (decision.agent, decision.reason) == ("clarify", "another person's news, nothing asked")
    assert reply.text.startswith("Thanks for telling me, Ada.") and reply.text.endswith("?")
    after = run(ctx.graph.get_user(user))
    assert (after.get("diets"), after.get("allergies")) == (before.get("diets"), before.get("allergies"))
    decision, reply = say(run, ctx, user, "log that I had eba and egusi for lunch")
    assert reply.text.startswith("I don't keep a food diary, Ada.")


def test_orders_are_idempotent_per_session(run, ctx):
    user, _ = onboard(run, ctx, "my name is Ada, I live in London, no allergies")
    for _ in range(2):
        assert run(ctx.graph.record_order(user, "d-lon-1", "same-session"))
    rows = run(ctx.graph.query("MATCH (:User {id: $u})-[o:ORDERED]->() RETURN count(o) AS n", {"u": user}))
    assert rows[0]["n"] == 1


class _FakeLLM:
    def __init__(self, answer=None, fail=False):
        self.answer, self.fail = answer, fail

    async def complete(self, prompt, system=""):
        if self.fail:
            raise RuntimeError("down")
        return self.answer(prompt)


@pytest.mark.parametrize("llm,expect_polished", [
    (_FakeLLM(lambda p: "Polished: " + p), True),
    (_FakeLLM(lambda p: "Try something nice."), False),  # dropped the dish names
    (_FakeLLM(fail=True), False),
])
def test_llm_polish_keeps_template_when_model_fails_or_drops_items(run, ctx, llm, expect_polished):
    user, _ = onboard(run, ctx, "my name is Ada, I live in London, no allergies")
    ctx.llm = llm
    try:
        _, reply = say(run, ctx, user, "anything spicy?")
    finally:
        ctx.llm = None
    assert reply.text.startswith("Polished: ") == expect_polished
    assert reply.items[0]["name"] in reply.text


def test_a_second_stay_in_the_same_area_does_not_name_the_area_twice():
    from agents.culture import style_for
    from agents.travel_agent import TravelAgent

    paris = {"name": "Paris", "currency": "EUR", "country": "FR"}
    best = {"name": "Hôtel des Archives", "neighbourhood": "Le Marais", "price": 180, "why": "walkable"}
    same = {"name": "Marais Flats", "neighbourhood": "Le Marais", "price": 140}
    other = {"name": "Hôtel Mouffetard", "neighbourhood": "Latin Quarter", "price": 120}
    text = TravelAgent()._text(paris, [best, same], style_for({}, paris))
    assert "Or Marais Flats, also in Le Marais," in text and "Or Le Marais:" not in text, text
    text = TravelAgent()._text(paris, [best, other], style_for({}, paris))
    assert "Or Latin Quarter: Hôtel Mouffetard" in text
