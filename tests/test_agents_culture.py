"""Replies adapt to the user: language (French templates), register, greetings, money and units."""

import itertools
import string

import pytest

from agents import templates as T
from agents.base import AgentRequest
from agents.culture import Style, language_change, register_change, style_for
from agents.registry import respond
from agents.router import route

_ids = itertools.count()
FRENCH_VOICE = {"language": "fr", "cultural_voice_preference": {"language": "fr", "voice": "fr-fr"}}


def say(run, ctx, user, text, voice=None):
    req = AgentRequest(user, f"c-{next(_ids)}", text, voice)
    decision = run(route(req, ctx))
    return decision, run(respond(req, decision, ctx))


def test_language_and_register_by_voice_words():
    assert language_change("please reply in French from now on") == "fr"
    assert language_change("my first language is Yoruba") == "yo"
    assert language_change("parlez-moi en français") == "fr"
    assert language_change("I love French food") is None
    assert register_change("could you be more formal") == "formal"
    assert register_change("you can be casual with me") == "informal"
    assert register_change("what's for dinner") is None


@pytest.mark.parametrize("profile,city,voice,expected", [
    ({}, {"country": "Nigeria", "greeting": "Bawo"}, None, Style("en", "informal", "Bawo", "km")),
    ({}, {"country": "United States", "greeting": "Hey"}, None, Style("en", "informal", "Hey", "mi")),
    ({"register": "formal"}, {"country": "United States", "greeting": "Hey"}, None, Style("en", "formal", "Hello", "mi")),
    ({}, {"country": "United Kingdom", "greeting": "Hello"}, FRENCH_VOICE, Style("fr", "formal", "Bonjour", "km")),
    ({"language": "fr", "register": "informal"}, {}, None, Style("fr", "informal", "Salut", "km")),
    ({"language": "yo"}, {"country": "United Kingdom", "greeting": "Hello"}, None, Style("en", "formal", "E kaabo", "km")),
    ({"language": "hi"}, {"country": "India", "greeting": "Namaste"}, None, Style("en", "formal", "Namaskar", "km")),
    ({"language": "en"}, {"country": "France", "greeting": "Bonjour"}, FRENCH_VOICE, Style("en", "informal", "Bonjour", "km")),
])
def test_style_for_a_user_in_a_city(profile, city, voice, expected):
    assert style_for(profile, city, voice) == expected


def test_money_distance_and_listing_follow_the_style():
    fr, us = Style("fr", "formal", "Bonjour", "km"), Style("en", "informal", "Hey", "mi")
    paris, lagos = {"symbol": "€"}, {"symbol": "₦"}
    assert (T.money(14.5, paris), T.money(14.5, paris, fr), T.money(6500, lagos, fr)) == ("€14.50", "14,50 €", "6 500 ₦")
    assert (T.distance(1200), T.distance(850), T.distance(1609.344, us), T.distance(1200, fr)) == \
        ("1.2 km", "850 m", "1.0 mi", "1,2 km")
    assert T.listing(["a", "b", "c"], fr) == "a, b et c"
    assert T.allergen_words(["peanut", "mollusc"], fr) == "arachides et mollusques"
    assert T.say("clarify", Style(register="formal"), name="").startswith("I beg your pardon")
    assert "Tu veux" in T.say("clarify", Style("fr", "informal"), name="")


def test_every_template_fills_in_every_language_and_register():
    # Every field any template names (read from the templates, so a new one is never missed),
    # then: each key of the English set exists in every language and register and fills.
    fields = {name for table in T.TEMPLATES.values() for text in table.values()
              for _, name, _, _ in string.Formatter().parse(text) if name}
    facts = dict.fromkeys(fields, "x")
    for lang, register in itertools.product(("en", "fr"), ("formal", "informal")):
        for key in T.TEMPLATES["en"]:
            assert T.say(key, Style(lang, register), **facts)


def test_a_french_speaker_is_answered_in_french_with_euro_prices(run, ctx):
    user = f"fr-{next(_ids)}"
    _, reply = say(run, ctx, user, "my name is Marie, I live in Paris, allergic to peanuts", FRENCH_VOICE)
    assert reply.text.startswith("Bonjour, Marie !") and "arachides" in reply.text
    assert {"reply_language": "fr", "register": "formal", "greeting": "Bonjour"}.items() <= reply.cultural_context.items()
    decision, food = say(run, ctx, user, "what's for dinner?", FRENCH_VOICE)
    assert decision.agent == "food" and food.text.startswith("À Paris, essayez")
    assert " €" in food.text and "Tout est sans arachides" in food.text


def test_asking_for_french_and_informal_by_voice_changes_later_replies(run, ctx):
    user = f"fr-{next(_ids)}"
    say(run, ctx, user, "my name is Ben, I live in London, no allergies")
    decision, reply = say(run, ctx, user, "please reply in French from now on")
    assert decision.agent == "profile" and run(ctx.graph.get_user(user))["language"] == "fr"
    assert reply.text.startswith("C'est à jour") and "langue français" in reply.text
    _, food = say(run, ctx, user, "what's for lunch?")
    assert food.text.startswith("À London, essayez") and "£" in food.text
    say(run, ctx, user, "you can be casual with me")
    _, food = say(run, ctx, user, "what's for lunch?")
    assert food.text.startswith("À London, essaie") and food.cultural_context["register"] == "informal"


def test_greeting_in_the_users_language_and_the_city(run, ctx):
    _, reply = say(run, ctx, f"g-{next(_ids)}", "my name is Ravi, I live in Mumbai, my first language is Hindi, no allergies")
    assert reply.text.startswith("Namaskar, Ravi!")
    _, reply = say(run, ctx, f"g-{next(_ids)}", "my name is Bola, I live in Lagos, no allergies")
    assert reply.text.startswith("Bawo, Bola!")
    _, reply = say(run, ctx, f"g-{next(_ids)}", "my name is Jo, I live in New York, no allergies")
    assert reply.text.startswith("Hey, Jo!") and reply.cultural_context["units"] == "mi"
