"""The maps and reservations contracts without a stack (make check): what is kept of a server's
answer, and what the agents read from a request to ask it (the way's ends, a table's size, time
and restaurant)."""

from __future__ import annotations

import pytest

from agents.food_booking import party_size, restaurant_named, time_said, wants_table
from agents.providers.mcp_maps import parse_route
from agents.providers.mcp_places import parse_dish
from agents.providers.mcp_reservations import parse_confirmation
from agents.travel_agent import route_ends, route_text

ROUTE = {"route": {"summary": "Ferry across", "steps": ["walk", 3, "", "sail"], "minutes": 35, "mode": "ferry"}}


def test_a_route_keeps_its_summary_and_text_steps_bounded():
    route = parse_route(ROUTE, "maps")
    assert route == {"summary": "Ferry across", "mode": "ferry", "steps": ["walk", "sail"], "minutes": 35,
                     "source": "mcp:maps"}
    assert route_text(route, "Ikeja", "Lekki") == "From Ikeja to Lekki: Ferry across. walk; sail. About 35 minutes."
    long = parse_route({"route": {"summary": "x" * 5000, "steps": ["s"] * 100, "minutes": 10 ** 9}}, "m")
    assert len(long["summary"]) == 200 and len(long["steps"]) == 8 and long["minutes"] is None


@pytest.mark.parametrize("data", [None, [], {"route": None}, {"route": "north"}, {"route": {"summary": 42}},
                                  {"route": {"summary": "  "}}, {"other": {}}])
def test_a_route_without_a_usable_summary_is_none(data):
    assert parse_route(data, "maps") is None


def test_a_confirmation_is_a_short_plain_token_or_nothing():
    assert parse_confirmation({"confirmation": "FAKE-00042"}, "r") == "FAKE-00042"
    for bad in ({"confirmation": ["x"]}, {"confirmation": "two words"}, {"confirmation": "x" * 65},
                {"confirmation": "<script>"}, {"booked": True}, "FAKE-1", None):
        assert parse_confirmation(bad, "r") is None, bad


def test_an_outside_dish_with_a_huge_ingredient_list_is_dropped_and_long_texts_cut():
    row = {"id": "1", "name": "N" * 1000, "restaurant": "R", "price": 5, "ingredients": ["rice"]}
    assert len(parse_dish(row, "p")["name"]) == 200
    assert parse_dish(row | {"ingredients": ["rice"] * 41}, "p") is None  # cutting it could hide an allergen


@pytest.mark.parametrize("text, ends", [
    ("How do I get from Ikeja to Lekki?", ("Ikeja", "Lekki")),
    ("best way to get from the airport to Victoria Island tonight", ("airport", "Victoria Island")),
    ("how do i get to the Eiffel Tower by metro", ("", "Eiffel Tower")),
    ("How do I get around Lagos?", None),
])
def test_the_ends_of_a_way_are_read_as_said(text, ends):
    assert route_ends(text, [], None) == ends


def test_a_table_request_is_read_for_size_time_and_a_restaurant_named():
    text = "Book a table for four at Fake Marina Grill at 8pm"
    assert wants_table(text) and party_size(text) == 4 and time_said(text) == "8pm"
    assert restaurant_named(text, ["Tripoli Grill", "Fake Marina Grill"]) == "Fake Marina Grill"
    assert restaurant_named("a table at the grill", ["Tripoli Grill", "Fake Marina Grill"]) is None
    assert party_size("reserve a table for 6 tonight") == 6 and time_said("reserve a table for 6 tonight") == "tonight"
    assert party_size("I'll have the jollof", default=1) == 1 and time_said("table for 2 at 19:30") == "19:30"
    assert not wants_table("I'll have the jollof") and not wants_table("what's on the table in Lagos?")
