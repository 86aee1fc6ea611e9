"""Speech the speech check doubted, routed only when the router is sure of the words, and read
back before any agent acts on it ("I heard: '…'. Is that right?"); the user's yes runs the
request, a no asks again.  The rules on plain text, then the whole turn pair on the real graph
(FalkorDB and Neo4j) through the router and the agents."""

from __future__ import annotations

import itertools

import pytest

from agents.base import CLARIFY, AgentRequest
from agents.read_back import HEARD_WRONG, asked_heard, asking_heard, heard_answer
from agents.registry import respond
from agents.router import ACT_ON_DOUBTED_P, classify, decide
from speech.speech_check import UNCLEAR_KEY
from tests.conversation_helpers import VAGUE, onboarded_user, turn

DOUBT = "words unclear (detected en p=0.55, log-prob -0.85)"
SURE = "where can I get suya tonight"  # the classifier is sure: food (VAGUE: it is not)
_ids = itertools.count()


def test_the_request_read_back_survives_the_conversation_state():
    awaiting = asking_heard("food", "a thali | with extra pickle")  # a "|" in the words is kept
    assert asked_heard(awaiting) == ("food", "a thali | with extra pickle")
    assert heard_answer(awaiting, "Yes.") == (("food", "a thali | with extra pickle"), True)
    assert heard_answer(awaiting, "No, not that") == (("food", "a thali | with extra pickle"), False)
    assert heard_answer(awaiting, "what's for dinner?") == (None, None)
    assert heard_answer("passphrase", "yes") == (None, None)
    assert asked_heard("home:Lagos|Lekki|lucky") is None


def test_doubted_speech_keeps_its_agent_only_when_the_classifier_is_sure():
    assert classify(SURE).confidence >= ACT_ON_DOUBTED_P > classify(VAGUE).confidence
    sure = decide(SURE, {"onboarded": True}, unclear=DOUBT)
    assert sure.agent == "food" and sure.reason.endswith(f"speech {DOUBT}: read back first")
    vague = decide(VAGUE, {"onboarded": True}, unclear=DOUBT)
    assert (vague.agent, vague.reason) == (CLARIFY, f"speech {DOUBT}")
    # a question already pending (a passphrase asked for): doubted words never answer it, the
    # agent that asked asks again; so does onboarding for a user whose profile is not complete
    pending = decide(SURE, {"onboarded": True, "awaiting": "passphrase"}, unclear=DOUBT)
    assert (pending.agent, pending.reason) == ("auth", f"speech {DOUBT}: auth asks again")
    new_user = decide(SURE, {"onboarded": False}, unclear=DOUBT)
    assert (new_user.agent, new_user.reason) == ("onboarding", f"speech {DOUBT}: onboarding asks again")
    other = decide(SURE, {"onboarded": True, "awaiting": "home:Lagos|Lekki|lucky"}, unclear=DOUBT)
    assert other.agent == CLARIFY


@pytest.fixture
def known_user(run, ctx):
    return onboarded_user(run, ctx, "heard")


def test_a_sure_doubted_request_is_read_back_and_a_yes_answers_it(run, ctx, known_user):
    decision, asked = turn(run, ctx, known_user, SURE, DOUBT)
    assert decision.agent == asked.agent == "food"
    assert SURE in asked.text and "yes or no" in asked.text and not asked.items  # nothing acted on yet
    decision, answered = turn(run, ctx, known_user, "Yes, that's it.")
    assert (decision.agent, decision.request) == ("food", SURE)
    assert answered.agent == "food" and answered.items  # the thali request, answered
    assert not answered.awaiting
    decision, _ = turn(run, ctx, known_user, "Yes.")  # nothing is asked now: a bare yes is not an answer
    assert decision.request is None


def test_a_doubted_health_fact_is_stored_only_after_the_yes(run, ctx, known_user):
    told = "I'm allergic to peanuts"
    decision, asked = turn(run, ctx, known_user, told, DOUBT)
    assert decision.agent == "profile" and told in asked.text
    assert not run(ctx.graph.get_user(known_user)).get("allergies")
    turn(run, ctx, known_user, "Yes")
    assert run(ctx.graph.get_user(known_user))["allergies"] == ["peanut"]


def test_a_no_asks_again_and_stores_nothing(run, ctx, known_user):
    turn(run, ctx, known_user, "I'm allergic to peanuts", DOUBT)
    decision, again = turn(run, ctx, known_user, "No.")
    assert (decision.agent, decision.reason) == (CLARIFY, HEARD_WRONG)
    assert "say it again" in again.text
    assert not run(ctx.graph.get_user(known_user)).get("allergies")


def test_unsure_or_unknown_speakers_are_asked_to_repeat(run, ctx, known_user):
    decision, reply = turn(run, ctx, known_user, VAGUE, DOUBT)
    assert (decision.agent, decision.reason) == (CLARIFY, f"speech {DOUBT}") and "say it again" in reply.text
    # no profile: nowhere to keep the question, so no read-back; onboarding asks its question again
    decision, _ = turn(run, ctx, f"heard-new-{next(_ids)}", SURE, DOUBT)
    assert decision.agent == "onboarding"


def test_doubted_speech_while_onboarding_stores_nothing_and_asks_the_question_again(run, ctx):
    user = f"heard-onboarding-{next(_ids)}"
    decision, reply = turn(run, ctx, user, "I'm Kemi and I live in Lekki", DOUBT)
    assert decision.agent == reply.agent == "onboarding"
    assert "couldn't make out" in reply.text and "your name" in reply.text and "which city" in reply.text.lower()
    assert reply.text.startswith("Welcome to Aurasense!")  # a new user's first words, doubted: still welcomed
    first = run(ctx.graph.get_user(user))  # nothing heard was stored; only that something was not heard
    assert not first.get("name") and not first.get("home_city") and first["health_unsure"] == ["|"]
    turn(run, ctx, user, "I'm Kemi")
    decision, reply = turn(run, ctx, user, "I live in Lekki", DOUBT)
    assert decision.agent == "onboarding" and reply.text.startswith("Sorry, I couldn't make out what you said, Kemi. Which city")
    profile = run(ctx.graph.get_user(user))
    assert profile["name"] == "Kemi" and not profile.get("home_city")
    # told nothing about their health yet: the doubted turn may have been it, so it is asked for
    assert profile.get("health_unsure")
    turn(run, ctx, user, "I live in Lekki")
    assert run(ctx.graph.get_user(user))["home_city"] == "Lagos"


def test_a_doubted_answer_to_a_question_read_back_keeps_the_question(run, ctx):
    user = f"heard-onboarding-{next(_ids)}"
    _, asked = turn(run, ctx, user, "I live in Lucky")  # "did you mean Lekki?"; no name yet
    assert asked.awaiting and not run(ctx.graph.get_user(user))["onboarded"]
    decision, again = turn(run, ctx, user, "yes", DOUBT)
    assert decision.agent == "onboarding" and again.awaiting == asked.awaiting and "say it again" in again.text
    turn(run, ctx, user, "Yes")
    assert run(ctx.graph.get_user(user))["home_city"] == "Lagos"


def test_a_doubted_passphrase_is_never_enrolled_and_is_asked_for_again(run, ctx, known_user):
    _, asked = turn(run, ctx, known_user, "set up voice sign-in")
    assert asked.awaiting == "passphrase"
    decision, again = turn(run, ctx, known_user, "blue mango sunrise", DOUBT)
    assert decision.agent == again.agent == "auth" and again.awaiting == "passphrase"
    assert "couldn't make out your passphrase" in again.text
    assert not run(ctx.graph.query("MATCH (:User {id: $id})-[:HAS_CREDENTIAL]->(c) RETURN c", {"id": known_user}))



def test_the_route_stage_carries_the_confirmed_request_on_as_the_events_text(run, ctx, known_user):
    from types import SimpleNamespace

    from agents.base import RouteDecision
    from schemas.events import AudioTranscribed
    from streams.stages import route as route_stage

    def heard(text, unclear=None):
        return AudioTranscribed(session_id=f"s-{next(_ids)}", user_id=known_user, attempt=1, bucket="audio",
                                key="uploads/x.wav", text=text, voice_profile={UNCLEAR_KEY: unclear} if unclear else {})

    deps = SimpleNamespace(agents=ctx)
    asked = run(route_stage.process(heard(SURE, DOUBT), deps))
    assert (asked.agent, asked.text) == ("food", SURE)
    # the respond stage's turn, from the event's fields: it reads the request back
    request = AgentRequest(known_user, asked.session_id, asked.text, asked.voice_profile)
    reply = run(respond(request, RouteDecision(asked.agent, asked.confidence, asked.reason), ctx))
    assert reply.awaiting and not reply.items
    confirmed = run(route_stage.process(heard("Yes."), deps))
    assert (confirmed.agent, confirmed.text) == ("food", SURE)  # answered next: the request, not "Yes."
