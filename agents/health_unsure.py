"""Health words read back and not yet settled: kept on the profile until the user says plainly
what they can't eat, and honoured by every recommendation meanwhile.

A misheard health statement ("I'm Celia", "I know they chop pork") is read back as a question and
nothing is stored (``agents.slots_health``).  If the user never answers and asks for dinner, the
outside evaluation saw forbidden dishes follow.  So the read-back is remembered in the profile's
``health_unsure`` (one "heard|guess" entry per question, the guess empty when there is none):

* a guessed word ("did you mean coeliac?") stops recommendations too: the food agent asks the
  guess again before the first dish (``asking_before`` with the guess), as a guess can be wrong
  ("note makes me ill" read back as nuts, when milk was said) and a dish chosen for it was not
  safe.  Meanwhile every other use of the profile applies it as if stored, the stricter reading
  (``guessed_restrictions``, used by ``food_agent.hard_filters``);
* a word with no guess stops recommendations: the food agent asks what the user can't eat
  first (``unguessed``), as a dish with unknown ingredients is offered to no one with an allergy;
* a yes to the guess read back ("did you mean coeliac?" "Yes.") stores it (``guess_answer``,
  ``statement_of``); a no leaves the word unsettled without its guess (``without_guess``) and
  asks what the user can't eat;
* any plain statement of allergies or diet ("I'm coeliac", "no allergies") settles them all
  (``agents.profile_agent.profile_changes``).

A turn the speech check doubted, from a user who has told no diet or allergy yet, is kept the
same way with nothing heard (``registry.clarify``): it may have been the allergy, so the food
agent asks before the first dish.

A diet said without its variant is kept the same way: "I'm Jain" may or may not leave out onion,
garlic and root vegetables, and "no onion, no garlic" is what a recogniser loses first in a
Hinglish sentence.  Jain is stored as said, and strict Jain is the guess ("jain|strict jain",
``strictness_unsaid``) until the user says yes, no, or which ("I do eat potatoes").
"""

from __future__ import annotations

import re

from agents.read_back import yes_or_no
from agents.slots import NOT_STRICT, allergy_changes, diet_changes, normalise
from agents.slots_allergy import bare_allergens
from agents.slots_health import health_question
from agents.slots_statements import QUESTION, own_statements

FIELD = "health_unsure"
# The ``awaiting`` of a reply that asked what the user can't eat (``food_agent``): the answer goes
# to the profile agent (``agents.router``), a bare "nothing" included.
ASKED = "health"
_GUESS = "health:"  # the ``awaiting`` of a read-back with a guess: "health:coeliac"
_BEFORE = "health>"  # ... asked before a request, kept to answer once told: "health>food|dinner in Lagos?"
_THEN = ">"  # a guess asked before a request: "health:coeliac>food|dinner in Lagos?"
_NOTHING = re.compile(r"^\W*(?:no|nope|nothing|none|nothing at all|no restrictions|no allergies|not really|"
                      r"i (?:can )?eat (?:anything|everything)|rien|aucune?)\W*$")
_SHORT = 12  # words: a longer turn is a new request
_MAX_KEPT = 3  # the latest questions; older ones are long past answering
STRICT_JAIN = "strict jain"  # the guess kept for a Jain diet said without its strictness
_JAIN = "jain"  # what was heard, in that entry
_JAIN_ENTRY = f"{_JAIN}|{STRICT_JAIN}"
# Besides "not very strict" (``slots.NOT_STRICT``), the Jain diet is said not to be strict by
# eating what a strict one leaves out: "I do eat potatoes", "though I eat root vegetables",
# "je mange de l'ail", "aloo khata hoon".
# ("I don't eat onions", "I can't have garlic", "I eat rice but no onions": strict, not this.)
_ROOT_FOODS = r"(?:potato(?:es)?|aloo|onions?|oignons?|garlic|ail|root vegetables?|roots|pyaaz|pyaz|lehsun|lahsun|kanda)"
_ROOTS_EATEN = re.compile(r"(?<!n't )(?<!not )(?<!never )(?<!ne )\b(?:eat|have|take|mange|manges|mangeons)\b"
                          r"(?:(?!\b(?:no|not|never|without|except|but|pas|sans|ni)\b)[^.;!?])*\b" + _ROOT_FOODS + r"\b|"
                          # Hinglish "aloo khata hoon" (not "pyaaz nahi khata")
                          r"\b" + _ROOT_FOODS + r"\b(?:(?!\b(?:nahi|nahin|nahee)\b)[^.;!?])*"
                          r"\b(?:khata|khati|khate|khaata|khaati|khaate)\b")


def with_question(profile: dict, heard: str, guess: str | None) -> list[str]:
    """The profile's ``health_unsure`` with this read-back added (the latest last)."""
    entry = f"{heard.replace('|', ' ').strip()}|{guess or ''}"
    kept = [e for e in profile.get(FIELD) or [] if e != entry]
    return (kept + [entry])[-_MAX_KEPT:]


def unsure_of(profile: dict) -> list[tuple[str, str | None]]:
    """(what was heard, the health word it may be, or None) for each unsettled read-back."""
    pairs = [(e.split("|", 1) + [""])[:2] for e in profile.get(FIELD) or []]
    return [(heard, guess or None) for heard, guess in pairs]


def restrictions_of(guess: str) -> tuple[list[str], list[str]]:
    """(allergies, diets) a guessed health word stands for ("coeliac": gluten; "halal": halal)."""
    diets = diet_changes(f"i'm {guess}")[0]
    allergies = allergy_changes(f"i'm allergic to {guess}")[0]
    return allergies, diets


def guessed_restrictions(profile: dict) -> tuple[list[str], list[str]]:
    """(allergies, diets) of every unsettled guess, to be honoured as if stored."""
    allergies, diets = [], []
    for _, guess in unsure_of(profile):
        if guess:
            a, d = restrictions_of(guess)
            allergies += a
            diets += d
    return list(dict.fromkeys(allergies)), list(dict.fromkeys(diets))


def without_guess(profile: dict, guess: str) -> list[str]:
    """The profile's ``health_unsure`` after a "no" to ``guess``: what was heard stays unsettled,
    with no guess (so the food agent asks what the user can't eat, as the reply to the "no" did)."""
    return [f"{heard}|" if g == guess else f"{heard}|{g or ''}" for heard, g in unsure_of(profile)]


def misheard(profile: dict) -> list[tuple[str, str]]:
    """(what was heard, the guess) for each word misheard and guessed ("seliac", "coeliac"),
    the latest last: all guesses but the strictness of a Jain diet said."""
    return [(heard, g) for heard, g in unsure_of(profile) if g and g != STRICT_JAIN and any(restrictions_of(g))]


def strictness_pending(profile: dict) -> bool:
    """Is strict Jain kept as a guess, the user not having said whether their diet is strict?"""
    return _JAIN_ENTRY in (profile.get(FIELD) or [])


def unguessed(profile: dict) -> list[str]:
    """What was heard of each unsettled read-back that stands for no known restriction."""
    return [heard for heard, g in unsure_of(profile) if not (g and any(restrictions_of(g)))]


def nothing_said(text: str) -> bool:
    """Is ``text`` a bare "nothing" to "what can't you eat?" ("No.", "none", "I eat everything")?"""
    return bool(_NOTHING.match(normalise(text)))


def _asked(awaiting: str | None) -> tuple[str | None, str | None]:
    """(the guess read back, "agent|request" the question was asked before), each None if absent."""
    if not awaiting:
        return None, None
    if awaiting.startswith(_GUESS):
        guess, _, before = awaiting[len(_GUESS):].partition(_THEN)
        return guess or None, before or None
    return None, awaiting[len(_BEFORE):] if awaiting.startswith(_BEFORE) else None


def asking_guess(guess: str | None) -> str:
    """The ``awaiting`` of a health word read back: "did you mean <guess>?" (yes or no), or what
    the user can't eat when there is no guess."""
    return f"{_GUESS}{guess}" if guess else ASKED


def guess_answer(awaiting: str | None, text: str) -> tuple[str | None, bool | None]:
    """(the guess read back, the yes or no ``text`` gives it); (None, None) when no guess was read
    back or ``text`` does not answer it."""
    guess = _asked(awaiting)[0]
    answer = yes_or_no(text) if guess else None
    return (guess, answer) if answer is not None else (None, None)


def statement_of(guess: str) -> str:
    """The guess said plainly, as the profile reads it ("sulphites": "I'm allergic to sulphites")."""
    allergies, diets = restrictions_of(guess)
    return f"I'm allergic to {guess}" if allergies and not diets else f"I'm {guess}"


def asking_before(agent: str, request: str, guess: str | None = None) -> str:
    """The ``awaiting`` of "what can't you eat?" (or "did you mean <guess>?") asked before
    ``agent`` answers ``request``: once the answer is stored, the request is answered
    (``registry.respond``)."""
    return f"{_GUESS}{guess}{_THEN}{agent}|{request}" if guess else f"{_BEFORE}{agent}|{request}"


def asks_health(awaiting: str | None) -> bool:
    """Did the last reply ask what the user can't eat (before a request or not)?"""
    return awaiting == ASKED or _asked(awaiting)[1] is not None


def request_waiting(awaiting: str | None) -> tuple[str, str] | None:
    """(agent, request) that "what can't you eat?" was asked before, from ``awaiting``; else None."""
    before = _asked(awaiting)[1]
    if not before or "|" not in before:
        return None
    agent, request = before.split("|", 1)
    return agent, request


def answers_health(awaiting: str | None, text: str) -> bool:
    """Does ``text`` answer a health question: yes or no to a guess read back, or, to "what can't
    you eat?", a short turn that says nothing, or a diet or allergy?"""
    if guess_answer(awaiting, text)[0]:
        return True
    t = normalise(text)
    if not asks_health(awaiting) or len(t.split()) > _SHORT:
        return False
    added, removed, none = allergy_changes(t)
    return bool(nothing_said(text) or added or removed or none or any(diet_changes(t)) or bare_allergens(t)
                or health_question(text))


def settled_by(awaiting: str | None, text: str, profile: dict) -> dict:
    """The profile changes of a bare "nothing" to "what can't you eat?": no allergies, nothing unsure."""
    if not asks_health(awaiting) or not nothing_said(text) or guess_answer(awaiting, text)[0]:
        return {}  # a "no" to "did you mean coeliac?" refuses the guess, it says nothing of the rest
    wanted = {"allergies_declared": True, FIELD: []}
    return {k: v for k, v in wanted.items() if profile.get(k) != v}


def _not_strict(text: str) -> bool:
    """Does ``text`` say the Jain diet is not strict, in words or by eating roots, onion or garlic?"""
    t = normalise(text)
    return bool(NOT_STRICT.search(t) or _ROOTS_EATEN.search(t))


def strictness_unsaid(text: str) -> bool:
    """Does ``text`` declare a Jain diet without saying whether it is strict ("I'm Jain", "main
    Jain hoon"), so that the stricter one is to be asked about and kept meanwhile?"""
    own = own_statements(text)  # "my in-laws are strict Jain": not the speaker's
    return _JAIN in diet_changes(own)[0] and not _not_strict(own)


def strictness_question(profile: dict) -> list[str]:
    """The profile's ``health_unsure`` with the Jain strictness question added."""
    return with_question(profile, _JAIN, STRICT_JAIN)


def strictness_settled(awaiting: str | None, text: str, profile: dict) -> dict:
    """The ``health_unsure`` change of a "no" to "strict Jain?", or of a turn saying the diet is
    not strict ("I do eat potatoes"): the question is dropped, plain Jain stays."""
    kept = profile.get(FIELD) or []
    refused = guess_answer(awaiting, text) == (STRICT_JAIN, False)
    if _JAIN_ENTRY in kept and (refused or _not_strict(text)):
        return {FIELD: [e for e in kept if e != _JAIN_ENTRY]}
    return {}


# What a turn may say and still tell nothing about the profile: a greeting, thanks, yes or no, an
# opener ("I'm new here", "let's get started").
_SMALL_TALK = re.compile(r"\b(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|thanks|thank you|ok|okay|yes|"
                         r"yeah|no|please|there|everyone|again|bonjour|salut|merci|namaste|sat sri akal|salaam|"
                         r"i'?m new(?: here)?|new here|(?:it'?s )?my first time(?: here)?|i just (?:joined|signed up)|"
                         r"let'?s (?:start|begin|go|get started)|get started|start|help|testing|sure|great|cool|"
                         r"alright|ready)\b")


def unused_answer(profile: dict, text: str) -> dict:
    """The ``health_unsure`` change of an answer to a question that asked for allergies, from which
    nothing was stored ("I'm dairy free" heard "I'm going for me.", "vegan" heard "Begin."), by a
    user who has told no diet or allergy yet: it may have been the allergy, as a turn the speech
    check doubted may (``registry.clarify``), so the food agent asks before the first dish.
    {} for small talk and questions."""
    if health_told(profile) or not tells_something(text):
        return {}
    return {FIELD: with_question(profile, "", None)}


def tells_something(text: str) -> bool:
    """Is ``text`` a statement, not small talk ("Hi there!") nor a question?"""
    t = normalise(text)
    return not QUESTION.search(t) and bool(re.findall(r"\w+", _SMALL_TALK.sub(" ", t)))


def health_told(profile: dict) -> bool:
    """Has the user told any diet or allergy, or that they have none?"""
    return bool(profile.get("allergies") or profile.get("diets") or profile.get("allergies_declared"))
