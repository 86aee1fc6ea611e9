"""What was heard, read back as a yes-or-no question, and the answer in the next turn.

Three questions ride in the conversation state (the profile's ``awaiting``, kept by
``registry.record_turn``):

* a home place: "I live in Lucky" is stored as said and asked about ("did you mean Lekki, in
  Lagos?"); the router sends a yes or no straight back to the profile agent
  (``answers_read_back``), which stores the place on a yes and keeps what was heard on a no;
* a home no one could recommend in (``slots_home.unknown_home``: "I live in Corridan"): stored
  as said and asked "which city is Corridan in?"; an answer naming a city ("London", "Croydon,
  in London") goes back to the profile agent too, which stores that city, with the place heard
  as its neighbourhood unless the answer names one;
* a whole request the speech check doubted but the router was sure of: "I heard: 'find me a
  thali in Dadar'. Is that right?"; a yes runs that request with the agent chosen for it
  (``heard_answer``), a no asks the user to say it again.
"""

from __future__ import annotations

import re

from agents import templates as T
from agents.slots import normalise
from agents.slots_home import HomeGuess, home_heard_as, home_place, unknown_home
from agents.world_cities import is_country, is_world_city

_HOME = "home:"
_WHERE = "where:"
_HEARD = "heard:"
# The route of a "no" to a request read back: clarify, whose reply asks to hear it again.
HEARD_WRONG = "read back and heard wrong"
# A short answer that opens with yes or no, in the languages the product hears.
_YES = re.compile(r"^\W*(?:yes|yeah|yea|yep|yup|yah|ya|correct|right|exactly|sure|indeed|of course|definitely|"
                  r"that'?s (?:it|right|correct|the one)|it is|i did|oui|exactement|haan|han|ji|ji haan|ehen|"
                  r"na so|yes o)\b", re.I)
_NO = re.compile(r"^\W*(?:no|nope|nah|not really|wrong|that'?s wrong|not that|i didn'?t|non|pas du tout|nahi|"
                 r"nahin|no o)\b", re.I)
_SHORT = 8  # words: a longer turn is a new request, even when it opens with "yes"


def asking(guess: HomeGuess) -> str:
    """The ``awaiting`` value that keeps the question for the next turn."""
    return f"{_HOME}{guess.city}|{guess.neighbourhood or ''}|{guess.heard}"


def asked_home(awaiting: str | None) -> HomeGuess | None:
    """The place the last reply asked about, from ``awaiting`` (None if it asked no such thing)."""
    if not awaiting or not awaiting.startswith(_HOME):
        return None
    city, hood, heard = (awaiting[len(_HOME):].split("|") + ["", ""])[:3]
    return HomeGuess(heard, city, hood or None)


def yes_or_no(text: str) -> bool | None:
    """True for a yes ("Yes, that's it"), False for a no ("No, I said Lekki"), None for anything else."""
    t = normalise(text)
    if len(t.split()) > _SHORT:
        return None
    return True if _YES.match(t) else False if _NO.match(t) else None


def asking_heard(agent: str, text: str) -> str:
    """The ``awaiting`` value that keeps "did I hear you right?" about ``text``, routed to ``agent``."""
    return f"{_HEARD}{agent}|{text}"


def asked_heard(awaiting: str | None) -> tuple[str, str] | None:
    """(agent, request) the last reply read back as heard, from ``awaiting``; None if it asked no such thing."""
    if not awaiting or not awaiting.startswith(_HEARD) or "|" not in awaiting:
        return None
    agent, text = awaiting[len(_HEARD):].split("|", 1)
    return agent, text


def heard_answer(awaiting: str | None, text: str) -> tuple[tuple[str, str] | None, bool | None]:
    """((agent, request) the last reply read back as heard, the yes or no ``text`` gives it);
    (None, None) when no such question is pending or ``text`` does not answer it."""
    asked = asked_heard(awaiting)
    answer = yes_or_no(text) if asked else None
    return (asked, answer) if answer is not None else (None, None)


def answers_read_back(awaiting: str | None, text: str) -> bool:
    """Does ``text`` answer the home place the last reply read back, or the city asked for?"""
    return (asked_home(awaiting) is not None and yes_or_no(text) is not None) or bool(where_answer(awaiting, text))


def asking_where(heard: str) -> str:
    """The ``awaiting`` value that keeps "which city is <heard> in?" for the next turn."""
    return f"{_WHERE}{heard}"


def asked_where(awaiting: str | None) -> str | None:
    """The place the last reply asked the city of, from ``awaiting`` (None if it asked no such thing)."""
    return awaiting[len(_WHERE):] if awaiting and awaiting.startswith(_WHERE) else None


# What may surround a bare town in an answer ("it's in Manchester", "near Leeds").
_TOWN_ANSWER = re.compile(r"(?:(?:it'?s|it is|that'?s|that is)\s+)?(?:(?:in|near)\s+)?(.+?)")
_SHORT_WHERE = 12  # words: a longer turn is a new request, even when it names a city


def where_answer(awaiting: str | None, text: str) -> HomeGuess | None:
    """(the place heard, its city, a neighbourhood) when ``text`` answers "which city is <heard>
    in?" with a city we know or a town anywhere ("London", "Croydon, in London", "Leeds"); None
    when no such question is pending or ``text`` names no such city."""
    heard = asked_where(awaiting)
    t = normalise(text).strip(" .!?")
    if heard is None or len(t.split()) > _SHORT_WHERE:
        return None
    city, hood = home_place(text, answering=True)
    if city is None and (town := _TOWN_ANSWER.fullmatch(t)) and is_world_city(town.group(1)):
        city = town.group(1).title()
    return HomeGuess(heard, city, hood) if city and not unknown_home(city) else None


def placed_home(profile: dict, answer: HomeGuess) -> dict:
    """The home fields an answer to "which city is <heard> in?" changes: that city, and the place
    heard as its neighbourhood unless the answer names one ("Corridan" in London) or it was a
    country ("Cairo" in Egypt)."""
    hood = answer.neighbourhood or (None if is_country(answer.heard) else answer.heard)
    wanted = {"home_city": answer.city, "neighbourhood": hood}
    return {k: v for k, v in wanted.items() if profile.get(k) != v}


def home_answer(awaiting: str | None, text: str) -> tuple[HomeGuess | None, bool | None]:
    """(the place the last reply asked about, the yes or no ``text`` gives it); (None, None) when
    no such question is pending or ``text`` does not answer it."""
    asked = asked_home(awaiting)
    answer = yes_or_no(text) if asked else None
    return (asked, answer) if answer is not None else (None, None)


def after_yes(text: str) -> str:
    """What a turn says after its opening yes ("Yes, my name is Bola" -> "my name is Bola"): read
    for the profile as any turn is, while the yes itself is never a name ("Correct")."""
    return _YES.sub("", text, count=1).lstrip(" ,.!;:")


def confirmed_home(profile: dict, asked: HomeGuess) -> dict:
    """The home fields a yes to ``asked`` changes in ``profile``."""
    wanted = {"home_city": asked.city, "neighbourhood": asked.neighbourhood}
    return {k: v for k, v in wanted.items() if profile.get(k) != v}


def home_question(text: str, changes: dict, answered: bool, style) -> tuple[str, str] | None:
    """(the question about the home ``text`` names, its ``awaiting``), or None: a place heard that
    sounds like one we know is read back ("did you mean Lekki, in Lagos?"); a home just stored
    that no one could recommend in gets its city asked.  Nothing is asked over a turn that
    ``answered`` the last question."""
    if answered:
        return None
    if guess := home_heard_as(text):
        return T.home_readback(guess, style), asking(guess)
    city = changes.get("home_city")
    if unknown_home(city):
        return T.home_where(city, is_country(city), style), asking_where(city)
    return None
