"""The agents as MCP clients: local servers (tests/mcp_places_fake.py) started here are asked by
the food and travel agents, by the tools they offer: places (dishes, stays), maps (routes) and
reservations (an outside dish ordered, a table booked); outside dishes still pass the safety
check; a server that is down, slow or answers garbage leaves the catalogue's (or the knowledge's)
answer, and a booking that fails records nothing; an outside dish offered is shared with friends, safety
deciding for each, and its restaurant planned for a group when its dishes are safe for all. Real graph (FalkorDB and Neo4j: each test runs on both), real MCP transports
(streamable HTTP and stdio)."""

from __future__ import annotations

import dataclasses
import json
import sys
import time

import pytest

from agents.base import AgentContext, AgentRequest, RouteDecision
from agents.catalogue.loader import load_catalogue
from agents.food_agent import FoodAgent
from agents.providers.graph_backend import make_graph_store
from agents.providers.mcp_offers import bookings_of, orders_of
from agents.providers.mcp_servers import close_sources
from agents.registry import respond
from agents.travel_agent import TravelAgent
from agents import travel_knowledge as K
from stack.processes import free_port
from tests.mcp_places_fake import ROUTE_SUMMARY, FakeServer, confirmation_for

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def graph_ctx(graph_settings, loop):
    """The agents' context on this module's graph (each backend in turn), catalogue loaded, no external servers."""
    settings = graph_settings
    graph = make_graph_store(settings)
    loop.run_until_complete(graph.connect())
    loop.run_until_complete(load_catalogue(graph))
    loop.run_until_complete(graph.upsert_user("mcp-peanut", {"name": "Ada", "home_city": "Lagos",
                                                             "allergies": ["peanut"], "onboarded": True}))
    for user in ("mcp-free", "mcp-order", "mcp-refused", "mcp-garbled", "mcp-slow", "mcp-plain"):
        loop.run_until_complete(graph.upsert_user(user, {"name": "Bo", "home_city": "Lagos", "onboarded": True}))
    yield AgentContext(graph=graph, settings=settings)
    loop.run_until_complete(graph.close())


@pytest.fixture(autouse=True)
def closed_connections(run):
    """The agents keep their connections to external servers: close them after each test."""
    yield
    run(close_sources())


def with_servers(ctx: AgentContext, servers: str, timeout_s: float = 2.0) -> AgentContext:
    return dataclasses.replace(ctx, settings=ctx.settings.with_(mcp_servers=servers, mcp_timeout_s=timeout_s))


@pytest.fixture(scope="module")
def places(tmp_path_factory, graph_backend):
    """A places server for each backend's run of the module, so that its call log is that run's."""
    server = FakeServer(tmp_path_factory.mktemp("places"))
    yield server
    server.stop()


def food(run, ctx, user: str, text: str):
    return run(FoodAgent().reply(AgentRequest(user, f"s-{time.monotonic_ns()}", text), ctx))


def test_food_agent_offers_the_external_servers_safe_dishes_only(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
    names = [i["name"] for i in reply.items]
    assert names == ["Harbour Jollof"], reply  # the groundnut stew has peanut; the mystery bowl is unknown
    assert reply.items[0]["id"] == "mcp:places:d1" and "Harbour Jollof" in reply.text
    assert {"tool": "find_dishes", "arguments": {"city": "Lagos", "query": "what can I eat tonight?"}} in [
        {k: c[k] for k in ("tool", "arguments")} for c in places.logged()]
    # No allergy and no diet: nothing to decide, so all three may be offered, best rated first.
    free = food(run, ctx, "mcp-free", "what can I eat tonight?")
    assert {i["name"] for i in free.items} == {"Harbour Jollof", "Harbour Groundnut Stew", "Harbour Mystery Bowl"}


def test_travel_agent_offers_the_external_servers_stays(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = run(TravelAgent().reply(AgentRequest("mcp-free", "s-stay", "where should I stay in Paris?"), ctx))
    assert [i["id"] for i in reply.items] == ["mcp:places:s1", "mcp:places:s2"]
    assert "Fake Canal Rooms" in reply.text
    assert any(c["tool"] == "find_stays" and c["arguments"]["city"] == "Paris" for c in places.logged())


def test_a_city_the_server_has_nothing_for_is_answered_from_the_catalogue(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = run(TravelAgent().reply(AgentRequest("mcp-free", "s-stay2", "where should I stay in London?"), ctx))
    assert reply.items and not any(i["id"].startswith("mcp:") for i in reply.items)


def catalogue_only(reply) -> bool:
    return bool(reply.items) and not any(str(i["id"]).startswith("mcp:") for i in reply.items)


def test_a_down_server_falls_back_to_the_catalogue(run, graph_ctx):
    ctx = with_servers(graph_ctx, f"places=http://127.0.0.1:{free_port()}/mcp")
    started = time.monotonic()
    reply = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
    assert catalogue_only(reply), reply
    assert time.monotonic() - started < 10


def test_a_slow_server_is_cut_off_at_the_timeout_and_the_catalogue_answers(run, graph_ctx, tmp_path):
    slow = FakeServer(tmp_path, "--delay", "20")
    try:
        ctx = with_servers(graph_ctx, f"places={slow.url}", timeout_s=1.0)
        started = time.monotonic()
        reply = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
        took = time.monotonic() - started
        assert catalogue_only(reply), reply
        assert slow.logged(), "the slow server was never asked"
        assert took < 8, f"the agent waited {took:.1f} s for a server with a 1 s timeout"
    finally:
        slow.stop()


def test_a_server_that_goes_away_is_skipped_and_asked_again_once_it_is_back(run, graph_ctx, tmp_path):
    server = FakeServer(tmp_path)
    ctx = with_servers(graph_ctx, f"places={server.url}")
    try:
        assert food(run, ctx, "mcp-peanut", "what can I eat tonight?").items[0]["id"] == "mcp:places:d1"
        server.stop()
        started = time.monotonic()
        assert catalogue_only(food(run, ctx, "mcp-peanut", "what can I eat tonight?"))
        assert time.monotonic() - started < 8
        server = FakeServer(tmp_path, port=server.port)
        deadline = time.monotonic() + 60  # the connection is opened again (at most every 5 s)
        while not food(run, ctx, "mcp-peanut", "what can I eat tonight?").items[0]["id"].startswith("mcp:"):
            assert time.monotonic() < deadline, "the server, back, was never asked again"
            time.sleep(0.2)  # between polls
    finally:
        server.stop()


def test_garbage_from_a_server_falls_back_to_the_catalogue(run, graph_ctx, tmp_path):
    bad = FakeServer(tmp_path, "--garbage")
    try:
        reply = food(run, with_servers(graph_ctx, f"places={bad.url}"), "mcp-peanut", "what can I eat tonight?")
        assert catalogue_only(reply) and bad.logged()
    finally:
        bad.stop()


def test_a_stdio_server_is_asked_after_one_that_is_down_and_kept_connected(run, graph_ctx, tmp_path):
    calls = tmp_path / "stdio-calls.jsonl"
    servers = json.dumps([{"name": "down", "url": f"http://127.0.0.1:{free_port()}/mcp"},
                          {"name": "local", "command": [sys.executable, "-m", "tests.mcp_places_fake",
                                                        "--calls", str(calls)]}])
    ctx = with_servers(graph_ctx, servers, timeout_s=0.3)
    first = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
    assert catalogue_only(first)  # a Python server takes over a second to start: the agent did not wait for it
    deadline = time.monotonic() + 60
    while not (reply := food(run, ctx, "mcp-peanut", "what can I eat tonight?")).items[0]["id"].startswith("mcp:"):
        assert time.monotonic() < deadline, "the stdio server never answered"
        time.sleep(0.2)  # between polls
    assert [i["id"] for i in reply.items] == ["mcp:local:d1"]
    again = food(run, ctx, "mcp-peanut", "anything cheap?")
    assert [i["id"] for i in again.items] == ["mcp:local:d1"]
    pids = {json.loads(line)["pid"] for line in calls.read_text().splitlines()}
    assert len(pids) == 1  # one process, one kept connection, for every call


# --- maps and reservations: asked by the tools a server offers ---------------------------------

def travel(run, ctx, text: str):
    return run(TravelAgent().reply(AgentRequest("mcp-free", f"s-{time.monotonic_ns()}", text), ctx))


@pytest.fixture(scope="module")
def maps(tmp_path_factory, graph_backend):  # one per backend's run, as ``places``
    server = FakeServer(tmp_path_factory.mktemp("maps"), "--offer", "maps")
    yield server
    server.stop()


def test_the_travel_agent_asks_the_maps_server_the_way_and_only_it(run, graph_ctx, places, maps):
    ctx = with_servers(graph_ctx, f"places={places.url},maps={maps.url}")
    reply = travel(run, ctx, "How do I get from Ikeja to Lekki?")
    assert reply.text.startswith("From Ikeja to Lekki: " + ROUTE_SUMMARY.format(origin="Ikeja", destination="Lekki"))
    assert "About 35 minutes." in reply.text and reply.items[0]["source"] == "mcp:maps"
    assert [c["arguments"] for c in maps.logged("find_route")] == [
        {"city": "Lagos", "origin": "Ikeja", "destination": "Lekki"}]
    assert places.logged("find_route") == []  # a places server does not offer routes: never asked
    # No place to go named: the agent's own transport notes, and the maps server is not asked.
    around = travel(run, ctx, "How do I get around Lagos?")
    assert around.text == K.CITIES["Lagos"]["transport"] and len(maps.logged("find_route")) == 1
    # A city the maps server has no route for: the knowledge answers.
    paris = travel(run, ctx, "How do I get from the Louvre to Montmartre in Paris?")
    assert "Fake Blue Ferry" not in paris.text and K.CITIES["Paris"]["transport"] in paris.text


@pytest.mark.parametrize("flags", [("--garbage",), ("--delay", "20")], ids=["garbage", "slow"])
def test_a_maps_server_that_answers_garbage_or_too_late_leaves_the_knowledges_answer(run, graph_ctx, tmp_path, flags):
    bad = FakeServer(tmp_path, "--offer", "maps", *flags)
    try:
        started = time.monotonic()
        reply = travel(run, with_servers(graph_ctx, f"maps={bad.url}", timeout_s=1.0), "How do I get from Ikeja to Lekki?")
        assert reply.text == "From Ikeja to Lekki: " + K.CITIES["Lagos"]["transport"], reply
        assert bad.logged("find_route") and time.monotonic() - started < 8
    finally:
        bad.stop()


def offered_then_ordered(run, ctx, user: str, order: str):
    """The outside dishes offered to ``user`` (a recommendation), then the reply to ``order``."""
    offer = food(run, ctx, user, "what can I eat tonight?")
    assert any(i["id"].startswith("mcp:") for i in offer.items), offer
    return food(run, ctx, user, order)


def test_ordering_an_offered_outside_dish_books_it_at_its_server(run, graph_ctx, tmp_path):
    server = FakeServer(tmp_path, "--offer", "places,reservations")  # one server, two contracts
    try:
        ctx = with_servers(graph_ctx, f"lagos={server.url}")
        reply = offered_then_ordered(run, ctx, "mcp-order", "I'll have the Harbour Jollof at 8pm")
        confirmation = confirmation_for("Fake Marina Grill", 1, "8pm")
        assert confirmation in reply.text and "Harbour Jollof" in reply.text, reply
        assert reply.items[0]["ordered"] and reply.items[0]["confirmation"] == confirmation
        assert [c["arguments"] for c in server.logged("reserve_table")] == [
            {"restaurant": "Fake Marina Grill", "city": "Lagos", "party_size": 1, "time": "8pm"}]
        [order] = run(orders_of(graph_ctx.graph, "mcp-order"))
        assert (order["id"], order["confirmation"], order["server"]) == ("mcp:lagos:d1", confirmation, "lagos")
        # Safety still decides, from the ingredients, before any server is asked to book.
        refused = food(run, ctx, "mcp-order", "I'll have the Harbour Groundnut Stew, I'm allergic to peanuts")
        assert "won't order Harbour Groundnut Stew" in refused.text, refused
        assert len(server.logged("reserve_table")) == 1 and len(run(orders_of(graph_ctx.graph, "mcp-order"))) == 1
        # A table, by the name of a restaurant offered ("grill" alone would not name it).
        unnamed = food(run, ctx, "mcp-order", "Book a table for four at the grill")
        assert "Booked" not in unnamed.text and len(server.logged("reserve_table")) == 1  # dishes offered instead
        table = food(run, ctx, "mcp-order", "Book a table for four at Fake Marina Grill at 9pm")
        assert table.text == "Booked: a table for 4 at Fake Marina Grill (9pm). Confirmation " \
                             f"{confirmation_for('Fake Marina Grill', 4, '9pm')}.", table
        [booked] = run(bookings_of(graph_ctx.graph, "mcp-order"))
        assert (booked["restaurant"], booked["party_size"], booked["time"]) == ("Fake Marina Grill", 4, "9pm")
    finally:
        server.stop()


@pytest.mark.parametrize("flags", [("--refuse-bookings",), ("--garbage",), ("--delay", "20")],
                         ids=["refused", "garbage", "slow"])
def test_a_booking_that_fails_is_said_and_nothing_is_recorded(run, graph_ctx, places, tmp_path, flags):
    bookings = FakeServer(tmp_path, "--offer", "reservations", *flags)  # places from another server
    user = {"--refuse-bookings": "mcp-refused", "--garbage": "mcp-garbled", "--delay": "mcp-slow"}[flags[0]]
    try:
        ctx = with_servers(graph_ctx, f"places={places.url},bookings={bookings.url}", timeout_s=1.0)
        reply = offered_then_ordered(run, ctx, user, "I'll have the Harbour Jollof")
        assert reply.text.startswith("I couldn't book Harbour Jollof at Fake Marina Grill"), reply
        assert not reply.items and bookings.logged("reserve_table")
        assert places.logged("reserve_table") == []
        table = food(run, ctx, user, "Book a table for two at Fake Marina Grill")
        assert table.text.startswith("I couldn't book a table at Fake Marina Grill"), table
        assert run(orders_of(graph_ctx.graph, user)) == [] and run(bookings_of(graph_ctx.graph, user)) == []
    finally:
        bookings.stop()


def test_with_no_reservations_server_an_outside_order_is_noted_as_a_catalogue_one_is(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = offered_then_ordered(run, ctx, "mcp-plain", "I'll have the Harbour Jollof")
    assert reply.text.startswith("Done: Harbour Jollof from Fake Marina Grill") and reply.items[0]["ordered"]
    [order] = run(orders_of(graph_ctx.graph, "mcp-plain"))
    assert (order["id"], order["confirmation"]) == ("mcp:places:d1", "")


# --- sharing an outside dish: safety decides for each friend, from the ingredients -----------------

def turn(run, ctx, agent: str, user: str, text: str):
    """One utterance answered by ``agent`` as the pipeline answers it (what it names is remembered)."""
    req = AgentRequest(user, f"s-{time.monotonic_ns()}", text)
    return run(respond(req, RouteDecision(agent, 1.0, "test"), ctx))


def test_an_outside_dish_offered_is_shared_with_friends_safety_deciding_for_each(run, graph_ctx, places):
    ctx, graph = with_servers(graph_ctx, f"places={places.url}"), graph_ctx.graph
    sade, kemi, tunde = "mcp-sade", "mcp-kemi", "mcp-tunde"
    for user, name, allergies, diets in ((sade, "Sade", [], []), (kemi, "Kemi", ["peanut"], []),
                                         (tunde, "Tunde", [], ["vegetarian"])):
        run(graph.upsert_user(user, {"name": name, "home_city": "Lagos", "allergies": allergies, "diets": diets,
                                     "onboarded": True}))
    for friend in (kemi, tunde):
        run(graph.add_friend(sade, friend))
    offer = turn(run, ctx, "food", sade, "what can I eat tonight?")
    assert {i["id"] for i in offer.items} == {"mcp:places:d1", "mcp:places:d2", "mcp:places:d3"}, offer
    reply = turn(run, ctx, "social", sade, "share that with Kemi and Tunde")

    def shared(user):
        return {(r["kind"], r["name"]) for r in run(graph.shared_with(user))}
    # Kemi: not the peanut stew, nor the bowl of unknown ingredients; Tunde: the stew keeps to his diet.
    assert shared(kemi) == {("dish", "Harbour Jollof")}, reply
    assert shared(tunde) == {("dish", "Harbour Jollof"), ("dish", "Harbour Groundnut Stew")}, reply
    assert "I didn't share Harbour Groundnut Stew: it contains peanuts, and Kemi is allergic" in reply.text
    assert "I didn't share Harbour Mystery Bowl: it isn't vegetarian, which Tunde keeps to" in reply.text
    assert places.logged("reserve_table") == []  # shared, not ordered
    # Kemi's next group plan mentions it once, as it does a catalogue dish shared.
    plan = turn(run, ctx, "social", kemi, "somewhere for four of us tonight?")
    assert plan.text.startswith("Sade shared Harbour Jollof (Fake Marina Grill) with you. For 4 in Lagos"), plan
    assert not run(graph.shared_with(kemi, unseen_only=True))
    # The inbox re-checks against the friend's profile as it is now: a peanut allergy since.
    run(graph.upsert_user(tunde, {"allergies": ["peanut"]}))
    inbox = turn(run, ctx, "social", tunde, "what did my friends share with me?")
    assert inbox.text == "Sade shared Harbour Jollof (Fake Marina Grill) with you. 1 shared item(s) left out: " \
                         "not safe for you.", inbox


# --- a group plan: an outside restaurant offered lately first, when its dishes are safe for all --------

def test_a_group_plan_takes_an_outside_restaurant_only_when_its_dishes_are_safe_for_everyone(run, graph_ctx, places):
    ctx, graph = with_servers(graph_ctx, f"places={places.url}"), graph_ctx.graph
    host, ali, hana = "mcp-host", "mcp-ali", "mcp-hana"
    for user, name, allergies, diets in ((host, "Femi", [], []), (ali, "Ali", ["peanut"], []),
                                         (hana, "Hana", ["peanut"], ["halal"])):
        run(graph.upsert_user(user, {"name": name, "home_city": "Lagos", "allergies": allergies, "diets": diets,
                                     "onboarded": True}))
        if user != host:
            run(graph.add_friend(host, user))
    assert len(food(run, ctx, host, "what can I eat tonight?").items) == 3  # all offered: no allergy, no diet
    asked = len(places.logged())
    # Ali's peanut allergy: not the groundnut stew, nor the bowl of unknown ingredients; no seating claimed.
    plan = turn(run, ctx, "social", host, "dinner with Ali tonight?")
    assert plan.text == "For 2 in Lagos (you and Ali), try Fake Marina Grill in Lagos Island. Good to share: " \
                        "Harbour Jollof (₦4,500). All of it is free of peanuts.", plan
    assert [i["id"] for i in plan.items] == ["mcp:places:Fake Marina Grill", "mcp:places:d1"]
    assert len(places.logged()) == asked  # planned from what was offered, the server not asked again
    # Hana keeps halal: no outside server certifies a kitchen, so the catalogue's plan.
    fallback = turn(run, ctx, "social", host, "dinner with Ali and Hana tonight?")
    assert catalogue_only(fallback) and "seats groups up to" in fallback.text, fallback
    assert fallback.text.startswith("For 3 in Lagos (you, Ali and Hana), ")
    # What the outside plan named is shared like any outside dish: Ali may have the jollof.
    turn(run, ctx, "social", host, "dinner with Ali tonight?")
    turn(run, ctx, "social", host, "share that with Ali")
    assert {r["name"] for r in run(graph.shared_with(ali))} == {"Harbour Jollof"}
