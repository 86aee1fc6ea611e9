"""One turn against the question the last reply left about the profile, and the question this
reply leaves: the onboarding and profile agents both take every turn through here, so a yes, a
city or a "nothing" is answered alike wherever the user is.

The questions (kept in the profile's ``awaiting``, ``agents.turn_state.pending``):

* a home place read back ("did you mean Lekki, in Lagos?") and "which city is Corridan in?"
  (``agents.read_back``);
* a health word read back ("did you mean coeliac?"), "what can't you eat?" and "do you leave out
  onion and garlic too?" to a Jain diet (``agents.health_unsure``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agents import health_unsure as unsure
from agents import templates as T
from agents.read_back import (after_yes, confirmed_home, home_answer, home_question, placed_home,
                              where_answer)
from agents.slots_health import health_question
from agents.slots_home import HomeGuess
from agents.turn_state import pending


@dataclass(frozen=True)
class Answer:
    """What a turn answers, and what it leaves unsure."""

    said: str  # the turn as the profile reads it: after its yes, a confirmed guess said plainly
    changes: dict = field(default_factory=dict)  # what the answer itself sets: the home confirmed, the city named
    home_asked: HomeGuess | None = None  # the place read back, when the turn said yes or no to it
    home_yes: bool | None = None
    placed: bool = False  # named the city asked for
    refused_guess: str | None = None  # "coeliac", to which the turn said "no"
    unclear: tuple[str, str | None] | None = None  # a health word heard in this turn and not understood
    asks_strictness: bool = False  # "I'm Jain", strict or not unsaid
    health_asked: bool = False  # the last reply asked what the user can't eat
    waiting: tuple[str, str] | None = None  # (agent, request) that question was asked before

    @property
    def answered_home(self) -> bool:
        return bool(self.home_asked or self.placed)

    @property
    def guess_refused(self) -> bool:
        return self.refused_guess is not None

    def unsure_changes(self, profile: dict, changed: bool = True, allergies_asked: bool = False) -> dict:
        """The ``health_unsure`` change of a health word not understood, of a Jain diet whose
        strictness was not said, or of an answer to a question about allergies that stored nothing
        (``changed``: this turn stored something; ``allergies_asked``: the agent's own question
        asks for allergies): remembered until said plainly, honoured by recommendations meanwhile."""
        if self.unclear:
            return {unsure.FIELD: unsure.with_question(profile, *self.unclear)}
        if self.asks_strictness:
            return {unsure.FIELD: unsure.strictness_question(profile)}
        if self.refused_guess and (kept := unsure.without_guess(profile, self.refused_guess)) != profile.get(unsure.FIELD):
            return {unsure.FIELD: kept}  # "no" to "coeliac?": still unsettled, but no longer that
        if not changed and not self.guess_refused and (self.health_asked or allergies_asked):
            return unsure.unused_answer(profile, self.said)
        return {}


def answer_of(profile: dict | None, text: str) -> Answer:
    """Read ``text`` against the question ``profile``'s last reply asked (if still pending)."""
    awaiting, profile = pending(profile), profile or {}
    home_asked, home_yes = home_answer(awaiting, text)
    placed = where_answer(awaiting, text)  # "London", to "which city is Corridan in?"
    guess, guess_yes = unsure.guess_answer(awaiting, text)  # "Yes", to "did you mean coeliac?"
    said = after_yes(text) if home_yes or guess_yes else text
    if guess_yes:
        said = f"{unsure.statement_of(guess)}. {said}"
    changes = ((confirmed_home(profile, home_asked) if home_yes else {})
               | (placed_home(profile, placed) if placed else {})
               | unsure.settled_by(awaiting, text, profile)
               | unsure.strictness_settled(awaiting, text, profile))  # "No", to "strict Jain?"
    unclear = health_question(text)
    asks_strictness = not unclear and unsure.strictness_unsaid(said) and "strict_jain" not in (profile.get("diets") or [])
    refused = guess if guess_yes is False and guess != unsure.STRICT_JAIN else None  # a "no" to strict Jain settles it
    return Answer(said, changes, home_asked, home_yes, bool(placed), refused, unclear, asks_strictness,
                  health_asked=unsure.asks_health(awaiting), waiting=unsure.request_waiting(awaiting))


def next_question(answer: Answer, text: str, changes: dict, changed: bool, style) -> tuple[str, str] | None:
    """(the question this reply asks about the profile, its ``awaiting``), or None:

    * a health word not understood is read back; nothing wrong was stored;
    * a "no" to the health guess that changed nothing asks what the user can't eat;
    * a Jain diet said without its strictness asks whether onion, garlic and roots are left out;
    * a home place stored as heard is read back, or its city asked (``read_back.home_question``).

    ``changes`` are the fields this turn stores; ``changed``: whether it stored anything the user said.
    """
    if answer.unclear:
        return T.health_readback(answer.unclear, style), unsure.asking_guess(answer.unclear[1])
    if answer.guess_refused and not changed:  # the request it was asked before still waits for the answer
        asking = unsure.asking_before(*answer.waiting) if answer.waiting else unsure.ASKED
        return T.say("health_not_saved", style), asking
    if answer.asks_strictness:
        return T.say("jain_strict", style), unsure.asking_guess(unsure.STRICT_JAIN)
    return home_question(text, changes, answer.answered_home, style)


def home_kept(answer: Answer, profile: dict, changed: bool, style) -> str:
    """"Kept <place>" after a yes or no to the place read back that changed nothing, else ""."""
    if answer.home_asked and not changed:
        return T.say("home_kept", style, heard=profile.get("home_city") or answer.home_asked.heard.title())
    return ""
