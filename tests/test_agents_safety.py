"""Health facts are hard filters: ``agents.safety`` decides from every ingredient's full allergen
list, and the food, social and friends agents never name a dish it refuses."""

import itertools

from agents import safety
from agents.base import AgentRequest, RouteDecision
from agents.catalogue import enrich
from agents.registry import respond

_ids = itertools.count()


def dish(*ingredients, diets=()):
    return {"ingredients": list(ingredients), "diets": list(diets), "allergens": []}


def test_compound_ingredients_count_with_all_their_allergens():
    # the old view kept one tag per ingredient: soy sauce was only "gluten", mayonnaise only "egg"
    assert not safety.allowed(dish("rice", "soy sauce"), ["soy"])
    assert not safety.allowed(dish("rice", "soy sauce"), ["gluten"])
    assert not safety.allowed(dish("lettuce", "mayonnaise"), ["mustard"])
    assert safety.allowed(dish("rice", "tomato"), ["soy", "mustard"])


def test_a_stored_tag_never_makes_a_dish_safer():
    stale = {"ingredients": ["rice", "peanut sauce"], "allergens": [], "diets": ["vegan"]}
    assert safety.verdict(stale, ["peanut"]).allergens == ("peanut",)


def test_shellfish_means_crustaceans_and_molluscs():
    assert not safety.allowed(dish("rice", "prawn"), ["shellfish"])
    assert not safety.allowed(dish("rice", "squid"), ["shellfish"])
    assert safety.allowed(dish("rice", "squid"), ["crustacean"])
    assert set(safety.expand_allergies(["shellfish", "egg"])) == {"shellfish", "crustacean", "mollusc", "egg"}


def test_unknown_ingredients_are_not_offered_to_anyone_with_a_health_fact():
    assert safety.verdict(dish("rice", "mystery sauce"), ["peanut"]).unknown
    assert not safety.allowed(dish(), ["peanut"]) and not safety.allowed(dish(), (), ["vegan"])
    assert safety.allowed(dish(), (), ())  # nothing to protect: no check


def test_diets_are_decided_from_ingredients_and_certification():
    assert safety.verdict(dish("rice", "bacon"), (), ["no_pork", "halal"]).diets_broken == ("no_pork", "halal")
    assert safety.allowed(dish("rice", "lamb", diets=["halal"]), (), ["halal", "no_pork", "no_beef"])
    assert not safety.allowed(dish("rice", "lamb"), (), ["halal"])  # no certified kitchen
    assert not safety.allowed(dish("paneer", "potato"), (), ["strict_jain"])
    assert safety.allowed(dish("paneer", "potato"), (), ["jain"])
    assert not safety.allowed(dish("raw tuna", "sushi rice"), (), ["pregnancy_safe"])


def _ask(run, ctx, city, allergies, diets, text, agent="food"):
    user = f"safe-{next(_ids)}"
    run(ctx.graph.upsert_user(user, {"name": "Safe", "home_city": city, "onboarded": True,
                                     "allergies": list(allergies), "diets": list(diets)}))
    return run(respond(AgentRequest(user, f"s-{next(_ids)}", text), RouteDecision(agent, 1.0, "test"), ctx))


def _ingredients(run, ctx, ids):
    rows = run(ctx.graph.query("MATCH (d:Dish) WHERE d.id IN $ids RETURN d.id AS id, d.ingredients AS i",
                               {"ids": list(ids)}))
    return {r["id"]: r["i"] for r in rows}


def test_food_agent_names_only_dishes_safe_by_their_ingredients(run, ctx):
    cases = [("London", ["soy", "mustard"], ["no_pork"]), ("Mumbai", ["dairy"], ["strict_jain"]),
             ("New York", ["shellfish", "sesame"], ["pregnancy_safe"]), ("Lagos", ["peanut"], ["no_beef"])]
    for city, allergies, diets in cases:
        reply = _ask(run, ctx, city, allergies, diets, "What should I eat tonight?")
        dishes = [i for i in reply.items if i["kind"] == "dish"]
        assert dishes, (city, reply.text)
        for d_id, ings in _ingredients(run, ctx, [d["id"] for d in dishes]).items():
            held = set(enrich.allergens_of(ings))
            assert not held & set(safety.expand_allergies(allergies)), (city, d_id, ings)
            assert set(diets) <= set(enrich.diets_of(ings)), (city, d_id, ings)


def test_asking_for_something_unsafe_says_so_and_offers_the_closest_safe_dish(run, ctx):
    reply = _ask(run, ctx, "London", ["gluten", "dairy"], [], "I'd love a pizza")
    assert reply.text.startswith("Nothing with pizza in London fits"), reply.text
    assert reply.items and all("pizza" not in i["name"].lower() for i in reply.items)


def test_an_order_breaking_a_diet_is_refused_for_the_diet(run, ctx):
    reply = _ask(run, ctx, "Lagos", [], ["no_beef"], "I'll have the suya skewers")
    assert reply.text.startswith("I won't order Suya Skewers: it isn't beef-free"), reply.text


def test_social_group_dishes_pass_the_safety_module(run, ctx):
    reply = _ask(run, ctx, "Paris", ["egg", "sulphites"], ["pregnancy_safe"], "a table for six tonight?", "social")
    dishes = [i for i in reply.items if i["kind"] == "dish"]
    assert dishes, reply.text
    for ings in _ingredients(run, ctx, [d["id"] for d in dishes]).values():
        assert safety.allowed({"ingredients": ings}, ["egg", "sulphites"], ["pregnancy_safe"]), ings


def test_onboarding_reads_back_a_misheard_allergy_and_keeps_the_neighbourhood(run, ctx):
    user = f"safe-{next(_ids)}"
    text = "Hi, I'm Ada and I live in Peckham, I'm allergic to seesame"
    reply = run(respond(AgentRequest(user, "s-onb", text), RouteDecision("onboarding", 1.0, "test"), ctx))
    assert 'I heard "seesame": did you mean sesame?' in reply.text, reply.text
    profile = run(ctx.graph.get_user(user))
    assert (profile["name"], profile["home_city"], profile["neighbourhood"]) == ("Ada", "London", "Peckham")
    assert profile["allergies"] == [] and not profile.get("allergies_declared")


def test_asking_for_the_allergen_itself_is_answered_with_closest_safe_dishes(run, ctx):
    reply = _ask(run, ctx, "Lagos", ["peanut"], [], "peanut stew please")
    assert reply.text.startswith("Nothing with peanut in Lagos fits without peanuts"), reply.text
    for ings in _ingredients(run, ctx, [d["id"] for d in reply.items]).values():
        assert "peanut" not in enrich.allergens_of(ings), ings


def test_an_order_naming_another_dishs_word_is_not_taken_as_this_dish():
    from agents.dish_match import match_dish

    menu = [{"id": "a", "name": "Salt Beef Bagel", "restaurant": "Levy"},
            {"id": "b", "name": "Salmon Nigiri", "restaurant": "Hinata"}]
    assert match_dish("order a smoked salmon bagel", menu) is None  # asked which, never ordered blind
    assert match_dish("I'll have the salt beef bagel", menu)["id"] == "a"
