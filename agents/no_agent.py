"""What no agent does: requests and remarks the router answers with ``clarify`` whatever words
they share with an agent's work.

The labelling conventions of the understanding sets (bench/data/understanding/README.md) name
these classes; the classifier, which learns from examples, kept sending them to the agent whose
words they use (a food diary to food, a sister's move to travel, today's rain to travel):

* how a word is spelt or said, or what it means ("how do you spell bouillabaisse?", "what does
  'abeg' mean?"), not the user's own name;
* a food diary ("log that I had eba for lunch"): the product keeps none;
* the weather here and now ("is it hot in Lagos today?"), not for a trip;
* a relative's or friend's news with nothing asked ("my brother moved to Lagos"): another
  person's life is not the user's profile, nor a group meal (``social``) until the user asks;
* declining to say the passphrase just asked for ("not now, there are people around"): not an
  attempt to check, nor words to enrol.

``reason(text, awaiting)`` names the class, or None; the classifier decides the rest.  Each rule
is written so that any request in the sentence ("find us", "save that", a question) leaves it to
the classifier: a wrong ``clarify`` asks the user again, a wrong agent acts.
"""

from __future__ import annotations

import re

from agents.base import CLARIFY, RouteDecision
from agents.slots import DIET_RE, allergens_in, normalise
from agents.slots_statements import RELATIVES, RELATIVES_FR, RELATIVES_HI
from agents.turn_state import ASKED_PASSPHRASE, HOLDS_ON

# The classes, as ``reason`` names them; each has its own reply (``reply_key``: agents/templates.py).
A_WORD = "asks how a word is spelt, said or what it means"
FOOD_DIARY = "keeps no food diary"
WEATHER_NOW = "the weather here and now, not for a trip"
SOMEONE_ELSES_NEWS = "another person's news, nothing asked"
DECLINES_PASSPHRASE = "declines to say the passphrase asked for"
_REPLIES = {A_WORD: "no_agent_word", FOOD_DIARY: "no_agent_diary", WEATHER_NOW: "no_agent_weather",
            SOMEONE_ELSES_NEWS: "no_agent_news", DECLINES_PASSPHRASE: "no_agent_passphrase_declined"}

_LEAD = r"^\W*(?:(?:also|and|ok|okay|so|oh|well|please|hey|guess what|you know|btw|by the way)\W+)*"

_ABOUT_A_WORD = re.compile(_LEAD + r"(?:how (?:do|would|should) (?:you|i|we|one) (?:spell|pronounce)\b|"
                           r"how (?:do|would|should) (?:you|i|we|one) say [\w' -]+ (?:properly|correctly|right)\b|"
                           r"how (?:is|are) [\w' -]+ (?:spelt|spelled|pronounced)\b|spell (?!it\b|that\b|this\b)|"
                           r"what does (?!(?:it|that|this)\b)[\w' -]{1,30} mean\b|"
                           r"que (?:veut|veulent) dire\b|(?:ca|cela) s'?(?:ecrit|prononce) comment\b|"
                           r"comment (?:on )?(?:ecrit|prononce|dit)(?:-on)?\b)")
_OWN = re.compile(r"\b(?:my|me|mon|ma)\b")

_FOOD_DIARY = re.compile(
    _LEAD + r"(?:(?:can you |could you )?(?:log|note(?: down)?|write(?: down)?|jot(?: down)?|record|track|"
    r"keep (?:a )?(?:food )?(?:diary|log|track)(?: of)?|add (?:it |that )?to my (?:food )?(?:diary|log))\b)"
    r".*\b(?:i (?:had|ate|'ve had|'ve eaten|have eaten|eat|drank)|what i (?:eat|ate|had)|everything i|"
    r"my (?:breakfast|lunch|dinner|meals?|snacks?|calories|food)|calories)\b")
# The same the other way round: "I had eba and egusi for lunch, write it down".
_FOOD_DIARY_AFTER = re.compile(
    _LEAD + r"(?:i (?:had|ate|'ve had|'ve eaten|have eaten|drank|chop|chopped)|for (?:breakfast|lunch|dinner) i)\b"
    r".*\b(?:(?:write|jot|note|log|record|track) (?:it|that|this|them)\b|keep (?:a )?(?:record|note|track|log)|"
    r"add (?:it|that|this|them) to)")

_WEATHER = re.compile(r"\b(?:weather|rain(?:ing|y)?|baarish|hot|cold|warm|chilly|humid|sunny|snow(?:ing)?|"
                      r"forecast|temperature|meteo|pleu(?:t|voir)|mausam)\b")
_HERE_AND_NOW = re.compile(r"\b(?:today|tonight|right now|this (?:morning|afternoon|evening)|outside|aaj|"
                           r"aujourd'hui|ce soir)\b")
_TRIP_OR_NEED = re.compile(r"\b(?:visit\w*|trip|travel\w*|fly\w*|flight|land\w*|holiday|vacation|heading|"
                           r"going (?:to|out)(?! (?:rain|snow|pour|be)\b)|pack|wear|bring|when i|while i|i'll|i will|i'm there|"
                           r"want|need|eat|food|drink|order|deliver\w*|soup|something|recommend|suggest|"
                           r"find|do|see|indoor|fancy|hungry|craving|curry|dish|meal|dinner|lunch|breakfast|restaurant)\b")
# "I've got a horrible cold", "she has a cold": an illness, not the weather.
_ILLNESS = re.compile(r"\b(?:got|have|has|had|caught|with) (?:a |the )?(?:\w+ )?(?:cold|flu|fever)\b")

_RELATION = "(?:" + "|".join(sorted(map(re.escape, RELATIVES + RELATIVES_FR + RELATIVES_HI), key=len, reverse=True)) + ")"
_SOMEONE_ELSE = re.compile(_LEAD + r"(?:(?:my|mon|ma|mes|meri|mera|mere) (?:\w+ )?" + _RELATION + r"|"
                           r"(?:mummy|papa|didi|bhaiya) ne)\b")
# Anything asked or wanted, anything the user does with them, the user's own account: a request.
_ASKS = re.compile(r"\b(?:i|me|we|us|our|ours|myself|together|both|let's|moi|nous|je|j|on|hum|humein|mujhe|"
                   r"can|could|would|will|should|shall|find|book|where|what|which|how|who|when|why|"
                   r"is (?:it|there|that|this|she|he)|are (?:there|they|we)|do(?:es)? (?:it|that|this|she|he|they)|"
                   r"or not|switch\w*|use|sign\w*|log\w*|"
                   r"save|store|remember|note|add|put|keep|bear|mind|update|change|fix|tell|show|suggest|"
                   r"recommend|help|please|pls|kick|remove|delete|account|profile|trouve|reserve|ou|quel|"
                   r"quelle|peux|pouvez|send|share|invite|lock|using|coming|joining|join|team|spot|"
                   r"batao|kahan|kya|main|yaad|rakh\w*|bhej\w*|dh[ou]+nd\w*|chah\w*|karo|dikhao|jaana|chalo|"
                   r"abeg|wetin|make we)\b")
# Agents whose conversation a friend's diet or allergy may belong to ("oh, and my friend Tobi is vegan").
_PLANS_A_MEAL = ("social", "food")
_RHETORICAL = re.compile(r"(?:\b(?:can you believe(?: it| that)?|(?:funny|crazy|mad|weird) right|you know|innit|"
                         r"eh|o|sha|na wa)\b|\bright\?)\W*")


# Saying no to "say your passphrase" (English, Pidgin, Hinglish, French), and what asks something
# of auth or another agent instead ("no idea, can you reset it", "no, find me lunch").
_DECLINES = re.compile(r"^\W*(?:(?:erm|um+|uh+|er|hmm+|oh|ah|sh+|ok|okay|sorry)\W+)*(?:no|nah|nope|not now|later)\b|"
                       # an interruption, nothing asked: "hold on, the baby's crying", "wait small, person dey call me"
                       rf"^\W*(?:{HOLDS_ON})\b.*\b(?:phone|doorbell|(?:at|get) the door|"
                       r"call(?:ing)?|ring\w*|bab(?:y|ies)|crying|kids?|someone|somebody|person dey|driving|busy|"
                       r"meeting|on the bus|on the train)\b|\b(?:rather not|don'?t want|won'?t (?:say|tell)|"
                       r"not (?:telling|saying|going to say)|i'?ll pass|forget it|people around|"
                       r"(?:someone|everyone|people) (?:is |are )?listening|i no go (?:talk|say|tell|yarn)|no be now|"
                       r"nahi (?:bata|bol)\w*|baad mein|sab sun|prefere ne pas|pas maintenant|non merci|"
                       r"laisse tomber|pas ici)\b")
_ASKS_INSTEAD = re.compile(r"\b(?:reset|forgot|change|voice|need|know|sign|log|set (?:it |one )?up|enrol\w*|remind|help|"
                           r"what|how|why|where|when|which|who|find|get|order|book|show|tell me|send|invite|read|"
                           r"can|could|is it|instead)\b|\?")


def declines_passphrase(text: str) -> bool:
    """"not now, there are people around" to "say your passphrase", nothing else asked.  Not a
    passphrase: auth took "je préfère ne pas le dire" for one to enrol."""
    t = normalise(text)
    return bool(_DECLINES.search(t)) and not _ASKS_INSTEAD.search(t)


def reason(text: str, awaiting: str | None = None, previous: str | None = None) -> str | None:
    """Why no agent serves ``text`` ("keeps no food diary"), or None for the classifier to route.
    ``awaiting``: the question the last reply asked, any answer to which is that agent's, but for
    declining to say a passphrase; ``previous``: the agent of the turn before, if recent."""
    if awaiting:
        return DECLINES_PASSPHRASE if awaiting == ASKED_PASSPHRASE and declines_passphrase(text) else None
    t = normalise(text)
    if about_a_word(t):
        return A_WORD
    if _FOOD_DIARY.search(t) or _FOOD_DIARY_AFTER.search(t):
        return FOOD_DIARY
    if _WEATHER.search(t) and _HERE_AND_NOW.search(t) and not (_TRIP_OR_NEED.search(t) or _ILLNESS.search(t)):
        return WEATHER_NOW
    if someone_elses_news(t) and not (previous in _PLANS_A_MEAL and (DIET_RE.search(t) or allergens_in(t))):
        return SOMEONE_ELSES_NEWS
    return None


def decision(text: str, awaiting: str | None = None, previous: str | None = None) -> RouteDecision | None:
    """``clarify`` with the class's name when no agent serves ``text``, else None."""
    why = reason(text, awaiting, previous)
    return RouteDecision(CLARIFY, 0.0, why) if why else None


def reply_key(reason: str) -> str | None:
    """The template that answers a route ``reason`` of this module ("no_agent_diary"), else None."""
    return _REPLIES.get(reason)


def about_a_word(text: str) -> bool:
    """Does ``text`` only ask how a word is spelt or said, or what it means (not the user's own
    name, nor "what does that mean?" about the last reply)?"""
    t = normalise(text)
    return bool(_ABOUT_A_WORD.match(t)) and not _OWN.search(t)


def someone_elses_news(text: str) -> bool:
    """"my sister's just moved to Mumbai": about a relative or friend, asking nothing."""
    t = normalise(text)
    subject = _SOMEONE_ELSE.match(t)
    if not subject or len(re.findall(r"\w+", t[subject.end():])) < 2:  # "and my brother", "my friends' allergies": no news
        return False
    t = _RHETORICAL.sub(" ", t)
    return "?" not in t and not _ASKS.search(t)
