"""What no agent does is ``clarify`` before any model is asked (agents.no_agent)."""

import pytest

from agents import no_agent
from agents.base import CLARIFY
from agents.router import classify


@pytest.mark.parametrize("text", [
    "log my lunch, I had rice and beans", "note down that I had two coffees this morning",
    "also, write down that I had a salad for lunch", "keep a diary of everything I eat this week",
    "can you track my calories", "I ate moi moi and pap this morning, note that down",
    "I had two samosas for breakfast, can you keep a record of it",
])
def test_a_food_diary_is_kept_by_no_agent(text):
    assert no_agent.reason(text) == "keeps no food diary"
    assert classify(text).agent == CLARIFY


@pytest.mark.parametrize("text,meaning", [
    ("what does 'abeg' mean?", True), ("what does ubuntu mean", True), ("que veut dire chakchouka ?", True),
    ("what does that mean?", False),  # about the last reply: the agent that gave it
    ("what does my name mean?", False), ("what does the hotel cost?", False),
])
def test_what_a_word_means_is_no_agents(text, meaning):
    assert (no_agent.reason(text) == no_agent.A_WORD) is meaning


@pytest.mark.parametrize("text", [
    "is it hot in Lagos today?", "is it going to rain this afternoon?", "aaj Mumbai mein baarish hogi kya?",
])
def test_the_weather_here_and_now_is_no_agents(text):
    assert no_agent.reason(text) == "the weather here and now, not for a trip"


@pytest.mark.parametrize("text", [
    "my sister's just moved to Mumbai", "my brother and his wife are off to Lagos next month",
    "Mon frère s'est installé à Londres", "mummy ne aajkal non-veg chhod diya hai",
    "my dad's gone vegan, can you believe it", "my grandma's allergic to nuts, poor thing",
    "My brother dot a new passport.",  # as Whisper heard "got"
])
def test_another_persons_news_asking_nothing_is_no_agents(text):
    assert no_agent.reason(text) == "another person's news, nothing asked"
    assert classify(text).agent == CLARIFY


@pytest.mark.parametrize("text", [
    # anything asked, wanted or done with them is a request for the classifier
    "my sister is vegan, find us somewhere to eat together", "my friend Ada is allergic to peanuts, remember that",
    "my sister's just moved to the 18th in Paris, is it safe for her to walk home at night?",
    "my wife and I are vegetarian", "my brother's been using my account, kick him off",
    "my friend is coming too, she's vegan", "mera dost Aditya strict Jain hai, group dinner mein yaad rakhna",
    "ma copine est végane, on mange où ce soir", "and my brother",
    # weather for a trip, food for the weather, a diary of something else
    "will it rain in Paris next weekend while I'm there?", "it's raining today and I want soup",
    "re-record my voice, I had a cold when I set it up", "log me out",
    "I've got a bad cold today so my voice is off, use my passphrase", "I fancy a curry tonight, nothing too hot",
    # someone else's news that asks something, or hands over the app
    "my son has a peanut allergy and wants the satay, does it have nuts or not",
    "my sister will use it now, switch the account to her",
])
def test_requests_are_left_to_the_classifier(text):
    assert no_agent.reason(text) is None


def test_a_friends_diet_in_a_meal_being_planned_is_left_to_the_classifier():
    said = "oh, and my friend Tobi is vegan"
    assert no_agent.reason(said) == "another person's news, nothing asked"
    assert no_agent.reason(said, previous="social") is None
    assert no_agent.reason("my friend Ada just got married by the way", previous="social") is not None


def test_an_answer_to_a_pending_question_is_the_asking_agents():
    # a passphrase may be any sentence at all
    assert no_agent.reason("my sister's just moved to Mumbai") is not None
    assert no_agent.reason("my sister's just moved to Mumbai", awaiting="passphrase") is None
    assert classify("my grandmother lives in Enugu", state={"awaiting": "passphrase", "previous_agent": "auth"}).agent == "auth"


@pytest.mark.parametrize("text", [
    "not now, there are people around", "no, I'm not telling you that", "I'd rather not say it out loud",
    "abeg I no go talk am for here", "nahi bataunga yaar, sab sun rahe hain", "je préfère ne pas le dire",
    "um, no, later", "shh, not now",  # a hesitation first
    "hold on, someone's at the door", "wait, my phone is ringing", "one sec, the kids are shouting",  # interrupted
])
def test_declining_to_say_the_passphrase_is_no_agents(text):
    assert no_agent.reason(text, awaiting="passphrase") == no_agent.DECLINES_PASSPHRASE
    assert no_agent.reason(text) != no_agent.DECLINES_PASSPHRASE  # only as the answer to "say your passphrase"


@pytest.mark.parametrize("text", [
    "Lagos no dey carry last", "wahala no dey finish", "blue mango sunrise",  # passphrases, "no" or not
    "no idea, can you reset it", "never mind the passphrase, just find me some lunch", "no, use my voice instead",
    "hold on, it's purple rain forty", "wait, let me think... the front door is green",  # a pause, then the passphrase
    "hang on, I need to know if Lagos needs a visa first",
])
def test_a_passphrase_or_another_request_is_not_declining(text):
    assert no_agent.reason(text, awaiting="passphrase") is None


def test_declining_to_say_a_passphrase_checks_nothing_and_asks_nothing_more(run, ctx):
    from tests.conversation_helpers import onboarded_user, turn

    user = onboarded_user(run, ctx, "decline")
    _, asked = turn(run, ctx, user, "set up voice sign-in")
    assert asked.awaiting == "passphrase"
    decision, reply = turn(run, ctx, user, "not now, there are people around")
    assert (decision.agent, decision.reason) == (CLARIFY, no_agent.DECLINES_PASSPHRASE)
    assert reply.text.startswith("No problem, Ada") and not reply.awaiting
    assert not run(ctx.graph.query("MATCH (:User {id: $id})-[:HAS_CREDENTIAL]->(c) RETURN c", {"id": user}))


def test_chit_chat_while_onboarding_is_answered_and_onboarding_asks_on(run, ctx):
    from tests.conversation_helpers import turn

    user = "chit-chat-onboarding"
    decision, _ = turn(run, ctx, user, "hi, I'm Ada")
    assert decision.agent == "onboarding"
    decision, reply = turn(run, ctx, user, "wait, are you a bot?")
    assert decision.agent == CLARIFY
    assert "which city do you live in" in reply.text  # onboarding's question, after the answer
    profile = run(ctx.graph.get_user(user))
    assert (profile["name"], profile.get("home_city"), profile.get("onboarded")) == ("Ada", None, False)
    decision, _ = turn(run, ctx, user, "I live in Lagos, no allergies")
    assert decision.agent == "onboarding"
    assert run(ctx.graph.get_user(user))["home_city"] == "Lagos"
