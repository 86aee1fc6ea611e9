"""Groups, friends and sharing on a real graph (FalkorDB and Neo4j): everyone's allergies are hard filters,
unknown names get a clear reply, shares are recorded and never carry a friend's allergen."""

import itertools

import pytest

from agents.base import AgentRequest
from agents.providers.graph import DishQuery
from agents.registry import respond
from agents.router import route

_ids = itertools.count()


def say(run, ctx, user, text, session=None):
    req = AgentRequest(user, session or f"s-{next(_ids)}", text)
    decision = run(route(req, ctx))
    return decision, run(respond(req, decision, ctx))


def person(run, ctx, name, city, allergies=(), diets=()):
    """A known, onboarded user (written straight to the graph: onboarding is tested elsewhere)."""
    user = f"soc-{next(_ids)}"
    run(ctx.graph.upsert_user(user, {"name": name, "home_city": city, "onboarded": True,
                                     "allergies": list(allergies), "diets": list(diets)}))
    return user


def allergens_of(run, ctx, names) -> dict:
    rows = run(ctx.graph.query("MATCH (d:Dish) WHERE d.name IN $n RETURN d.name AS name, d.allergens AS a",
                               {"n": list(names)}))
    return {r["name"]: set(r["a"]) for r in rows}


@pytest.fixture
def trio(run, ctx):
    """Ada (peanuts) with friends Kemi (sesame) and Tunde (shellfish, vegetarian), all in Lagos."""
    tag = next(_ids)
    ada = person(run, ctx, "Ada", "Lagos", ["peanut"])
    kemi = person(run, ctx, f"Kemi{tag}", "Lagos", ["sesame"])
    tunde = person(run, ctx, f"Tunde{tag}", "Lagos", ["shellfish"], ["vegetarian"])
    for friend in (f"Kemi{tag}", f"Tunde{tag}"):
        decision, reply = say(run, ctx, ada, f"add {friend} as a friend")
        assert decision.agent == "social" and friend in reply.text and "friends" in reply.text
    return ada, kemi, tunde, f"Kemi{tag}", f"Tunde{tag}"


def test_adding_friends_by_voice_records_the_relation(run, ctx, trio):
    ada, kemi, tunde, *_ = trio
    assert {f["id"] for f in run(ctx.graph.friends_of(ada))} == {kemi, tunde}
    _, reply = say(run, ctx, ada, "who are my friends?")
    assert trio[3] in reply.text and trio[4] in reply.text


def test_group_request_applies_every_members_allergies_and_diets(run, ctx, trio):
    ada, _, _, kemi, tunde = trio
    decision, reply = say(run, ctx, ada, f"Dinner with {kemi} and {tunde} tonight?")
    assert decision.agent == "social", decision
    place, *dishes = reply.items
    assert place["kind"] == "restaurant" and place["max_group"] >= 3 and place["name"] in reply.text
    assert dishes and kemi in reply.text and tunde in reply.text
    facts = allergens_of(run, ctx, [d["name"] for d in dishes])
    assert all(not facts[d["name"]] & {"peanut", "sesame", "shellfish"} for d in dishes), facts
    veg = run(ctx.graph.get_dishes([d["id"] for d in dishes]))
    assert all("vegetarian" in d["diets"] for d in veg)
    assert "peanuts" in reply.text and "sesame" in reply.text  # the safety note names the group's allergens


def test_without_the_members_the_same_request_is_less_restricted(run, ctx, trio):
    """Control: the speaker alone may be offered what the friends could not eat."""
    found = run(ctx.graph.find_dishes(DishQuery("Lagos", ("peanut",))))
    assert any({"sesame", "shellfish"} & set(d["allergens"]) for d in found)


def test_a_name_that_is_not_a_friend_gets_a_clear_reply(run, ctx, trio):
    ada, *_ = trio
    decision, reply = say(run, ctx, ada, "Lunch with Zainab and Obi on Saturday, somewhere for a group")
    assert decision.agent == "social"
    assert "Zainab and Obi" in reply.text and "add Zainab as a friend" in reply.text
    assert not reply.items


def test_adding_an_unknown_or_ambiguous_name(run, ctx):
    me = person(run, ctx, "Lee", "London")
    _, reply = say(run, ctx, me, "add Nobodyknowsme as a friend")
    assert "don't know anyone called Nobodyknowsme" in reply.text
    tag = next(_ids)
    person(run, ctx, f"Sam{tag}", "London")
    person(run, ctx, f"Sam{tag}", "Paris")
    _, reply = say(run, ctx, me, f"add Sam{tag} as a friend")
    assert "2 people" in reply.text and not run(ctx.graph.friends_of(me))
    _, reply = say(run, ctx, me, f"add Sam{tag} from Paris as a friend")
    [friend] = run(ctx.graph.friends_of(me))
    assert friend["home_city"] == "Paris"
    _, reply = say(run, ctx, me, f"remove Sam{tag} from my friends")
    assert not run(ctx.graph.friends_of(me))


def test_share_that_sends_the_last_recommendation_and_the_friend_sees_it(run, ctx, trio):
    ada, kemi, _, kemi_name, _ = trio
    _, food = say(run, ctx, ada, "what's for dinner?")
    assert food.agent == "food" and food.items
    decision, reply = say(run, ctx, ada, f"share that with {kemi_name}")
    assert decision.agent == "social"
    rows = run(ctx.graph.shared_with(kemi))
    shared = {r["name"] for r in rows}
    assert shared and shared <= {i["name"] for i in food.items}
    assert all(not allergens_of(run, ctx, [n])[n] & {"sesame"} for n in shared)
    assert all(n in reply.text for n in shared) and kemi_name in reply.text
    # Kemi's next social or profile reply mentions it once; the inbox lists it any time.
    _, news = say(run, ctx, kemi, "what do you know about me?")
    assert "Ada shared" in news.text and any(n in news.text for n in shared)
    assert not run(ctx.graph.shared_with(kemi, unseen_only=True))
    decision, inbox = say(run, ctx, kemi, "what did my friends share with me?")
    assert decision.agent == "social" and "Ada shared" in inbox.text


def test_a_dish_the_friend_is_allergic_to_is_not_shared_and_the_reply_says_so(run, ctx, trio):
    ada, kemi, _, kemi_name, _ = trio
    [dish] = [d for d in run(ctx.graph.find_dishes(DishQuery("Lagos", ("peanut",), limit=500)))
              if "sesame" in d["allergens"]][:1]
    session = f"s-{next(_ids)}"
    run(ctx.graph.record_recommended(ada, session, [{"kind": "dish", "id": dish["id"]}]))
    _, reply = say(run, ctx, ada, f"send it to {kemi_name}")
    assert f"didn't share anything with {kemi_name}" in reply.text and "sesame" in reply.text
    assert dish["name"] not in {r["name"] for r in run(ctx.graph.shared_with(kemi))}


def test_share_needs_a_previous_recommendation_and_a_friend(run, ctx, trio):
    _, _, _, kemi_name, _ = trio
    loner = person(run, ctx, "Solo", "Paris")
    _, reply = say(run, ctx, loner, "share that with Zed")
    assert "add Zed as a friend" in reply.text
    friend = person(run, ctx, f"Pal{next(_ids)}", "Paris")
    run(ctx.graph.add_friend(loner, friend))
    pal = run(ctx.graph.get_user(friend))["name"]
    _, reply = say(run, ctx, loner, f"share that with {pal}")
    assert "nothing to share" in reply.text


def test_friends_named_in_a_food_request_make_it_a_group_request(run, ctx, trio):
    ada, _, _, kemi, _ = trio
    request = AgentRequest(ada, "s-route", f"lunch with {kemi}?")
    assert run(route(request, ctx)).agent == "social"
    # the friend list settles it even where the classifier hears only food
    from agents.base import RouteDecision
    from agents.router import _with_friends

    decision = run(_with_friends(RouteDecision("food", 0.9, "classifier"), request, ctx))
    assert decision.agent == "social" and kemi in decision.reason


def test_a_misheard_friend_name_reaches_the_one_friend_it_sounds_like(run, ctx):
    """Whisper may hear "Oliver" as "All Over": within the speaker's friends, that is Oliver."""
    me = person(run, ctx, "Maya", "London", ["peanut"])
    oliver, emma = person(run, ctx, "Oliver", "London", ["sesame"]), person(run, ctx, "Emma", "London")
    for friend in (oliver, emma):
        run(ctx.graph.add_friend(me, friend))
    decision, group = say(run, ctx, me, "Dinner with All Over and Emma tonight, where can we go?")
    assert decision.agent == "social" and "Oliver" in group.text and "Emma" in group.text, group.text
    assert "add All Over" not in group.text and "sesame" in group.text  # Oliver's allergy applied
    _, food = say(run, ctx, me, "what's for dinner?")
    assert food.items
    _, reply = say(run, ctx, me, "Share that with All Over.")
    assert "Oliver" in reply.text and run(ctx.graph.shared_with(oliver)), reply.text


def test_a_real_users_name_is_never_taken_for_a_sound_alike_friend(run, ctx):
    me = person(run, ctx, "Noah", "London")
    oliver = person(run, ctx, "Oliver", "London")
    run(ctx.graph.add_friend(me, oliver))
    person(run, ctx, "Olivia", "London")  # a real user, not Noah's friend
    run(ctx.graph.record_recommended(me, "s-olivia", [{"kind": "restaurant", "id": "x"}]))
    _, reply = say(run, ctx, me, "share that with Olivia", session="s-olivia")
    assert "add Olivia as a friend" in reply.text and not run(ctx.graph.shared_with(oliver)), reply.text
    run(ctx.graph.add_friend(me, person(run, ctx, "Ava", "London")))
    _, reply = say(run, ctx, me, "Lunch with Eve on Saturday, somewhere for a group")
    assert "add Eve as a friend" in reply.text, reply.text  # three letters: too short to guess
