"""A place read back as a yes-or-no question, and the answer in the next turn.

"I live in Lucky" is heard, stored as said, and asked about: "did you mean Lekki, in Lagos?".  The
question rides in the conversation state (the profile's ``awaiting``, kept by
``registry.record_turn``): the router sends a yes or no straight back to the profile agent
(``answers_read_back``), which stores the place on a yes and keeps what was heard on a no.
"""

from __future__ import annotations

import re

from agents.slots import normalise
from agents.slots_home import HomeGuess

_HOME = "home:"
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


def answers_read_back(awaiting: str | None, text: str) -> bool:
    """Does ``text`` answer the yes-or-no question the last reply asked?"""
    return asked_home(awaiting) is not None and yes_or_no(text) is not None


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
