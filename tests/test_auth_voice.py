"""Voice sign-in against a real graph (FalkorDB and Neo4j): voiceprints, enrolment, verification,
tokens, lockout.

Voices: piper's joe is the user; the "other" speaker is espeak-ng en-us+f3 when installed,
else hibari, else joe pitch-shifted by resampling (a different-sounding voice).
"""

import itertools
import os
import shutil
import time

import numpy as np
import pytest


from core import tokens  # noqa: E402
from agents.auth_agent import (AuthAgent, normalise_words, spoken_passphrase)  # noqa: E402
from agents.base import AgentContext, AgentRequest  # noqa: E402
from speech import voiceprint as vp  # noqa: E402
from speech.audio import DecodedAudio, decode_audio, wav_bytes  # noqa: E402
from agents.providers.graph_backend import make_graph_store  # noqa: E402
from speech.tts import EspeakTTS, PiperTTS  # noqa: E402
from core.settings import Settings  # noqa: E402

SECRET = "test-voice-secret"
LIMITS = dict(max_seconds=60, max_bytes=1 << 30)
_ids = itertools.count()


@pytest.fixture(scope="module")
def ctx(graph_settings, loop):
    """Only the graph (no catalogue, no memory): this module's own, on each backend."""
    graph = make_graph_store(graph_settings)
    loop.run_until_complete(graph.connect())
    context = AgentContext(graph=graph)
    context.settings = graph_settings.with_(token_secret=SECRET)
    yield context
    loop.run_until_complete(graph.drop())
    loop.run_until_complete(graph.close())


@pytest.fixture(scope="module")
def voices(loop):
    """{"user": say(text), "other": say(text)} -> DecodedAudio (16 kHz)."""
    settings = Settings()
    joe = PiperTTS(settings)

    def speaker(tts, shift=1.0):
        def say(text: str, speed: float = 1.0) -> DecodedAudio:
            audio = decode_audio(loop.run_until_complete(tts.synthesize(text, speed)), **LIMITS)
            if shift == 1.0:
                return audio
            # play 16 kHz samples as if at 16 kHz * shift: pitch and formants move up
            x = audio.samples
            idx = np.arange(0, x.size - 1, shift)
            y = np.interp(idx, np.arange(x.size), x).astype(np.float32)
            return decode_audio(wav_bytes(y, 16_000), **LIMITS)
        return say

    if shutil.which("espeak-ng"):
        other = speaker(EspeakTTS(settings, voice="en-us+f3"))
    else:
        try:
            import hibari  # noqa: F401
            from speech.tts import HibariTTS
            other = speaker(HibariTTS(settings))
        except ImportError:
            other = speaker(joe, shift=1.3)
    return {"user": speaker(joe), "other": other}


def profile_of(audio: DecodedAudio) -> dict:
    return {"language": "en", "voiceprint": vp.voiceprint(audio)}


def ask(run, ctx, user, text, audio, agent=None, session=None):
    req = AgentRequest(user, session or f"s-{next(_ids)}", text, profile_of(audio) if audio is not None else None)
    return run((agent or AuthAgent()).reply(req, ctx))


def enrol(run, ctx, voices, passphrase="blue mango sunrise"):
    user = f"usr-auth-{next(_ids)}"
    reply = ask(run, ctx, user, f"set up voice sign-in, my passphrase is {passphrase}",
                voices["user"](f"set up voice sign-in, my passphrase is {passphrase}"))
    assert reply.cultural_context["auth"]["enrolled"] is True, reply
    reply = ask(run, ctx, user, f"My passphrase is {passphrase}.", voices["user"](f"my passphrase is {passphrase}", 1.1))
    assert reply.cultural_context["auth"].get("voice_samples") == 2, reply
    return user


# --------------------------------------------------------------------------- voiceprint

def test_voiceprint_shape_and_speed(voices):
    audio = voices["user"]("I would like something spicy to eat in Lagos tonight, please.")
    assert audio.duration_s >= 2.5
    three = DecodedAudio(audio.samples[: 3 * 16_000], 16_000, 3.0, "wav")
    print_ = vp.voiceprint(three)
    assert len(print_) == vp.DIM <= 128
    assert abs(np.linalg.norm(print_) - 1) < 1e-3
    times = []
    for _ in range(5):
        started = time.perf_counter()
        vp.voiceprint(three)
        times.append(time.perf_counter() - started)
    assert min(times) < 0.030, times
    assert vp.similarity(print_, []) == 0.0 and vp.similarity(print_, print_[:-1]) == 0.0


def test_same_speaker_scores_higher_than_another(voices):
    enrol_prints = [vp.voiceprint(voices["user"](t)) for t in
                    ("my passphrase is blue mango sunrise", "set up voice sign-in please")]
    tmpl = vp.template(enrol_prints)
    same = vp.similarity(tmpl, vp.voiceprint(voices["user"]("sign me in: blue mango sunrise", 0.9)))
    other = vp.similarity(tmpl, vp.voiceprint(voices["other"]("sign me in: blue mango sunrise")))
    assert same > other + 0.2, (same, other)
    from agents.auth_agent import VOICE_THRESHOLD
    assert same >= VOICE_THRESHOLD > other


# --------------------------------------------------------------------------- passphrase text

def test_passphrase_normalisation():
    assert normalise_words("Blue Mango, sunrise!") == ["blue", "mango", "sunrise"]
    assert normalise_words("room 7 café") == ["room", "seven", "cafe"]
    assert spoken_passphrase("Set up voice sign-in. My passphrase is: Blue mango sunrise.") == \
        ["blue", "mango", "sunrise"]
    assert spoken_passphrase("my passphrase is mango") is None  # too short
    assert spoken_passphrase("sign me in") is None


# --------------------------------------------------------------------------- agent

def test_enrolment_stores_a_salted_hash_not_the_passphrase(run, ctx, voices):
    user = enrol(run, ctx, voices)
    rows = run(ctx.graph.query("MATCH (:User {id: $id})-[:HAS_CREDENTIAL]->(c:VoiceCredential) "
                               "RETURN properties(c) AS c", {"id": user}))
    cred = rows[0]["c"]
    flat = repr(cred).lower()
    assert "mango" not in flat and "sunrise" not in flat
    assert len(cred["pass_hash"]) == 64 and len(cred["pass_salt"]) == 32
    assert cred["voice_samples"] == 2 and len(cred["voice_template"]) == vp.DIM
    profile = run(ctx.graph.get_user(user))
    assert profile["auth_enrolled"] is True
    assert not any(k.startswith("pass") or k.startswith("voice_template") for k in profile)
    # a second user with the same passphrase gets a different salt and hash
    other = enrol(run, ctx, voices)
    cred2 = run(ctx.graph.query("MATCH (:User {id: $id})-[:HAS_CREDENTIAL]->(c) RETURN properties(c) AS c",
                                {"id": other}))[0]["c"]
    assert cred2["pass_salt"] != cred["pass_salt"] and cred2["pass_hash"] != cred["pass_hash"]


def test_same_voice_and_passphrase_signs_in_with_a_valid_token(run, ctx, voices):
    user = enrol(run, ctx, voices)
    reply = ask(run, ctx, user, "Sign me in. Blue Mango, Sunrise!", voices["user"]("sign me in, blue mango sunrise", 0.95))
    auth = reply.cultural_context["auth"]
    assert auth["authenticated"] is True and reply.cultural_context["authenticated"] is True, reply
    assert tokens.verify(ctx.settings.token_secret.encode(), auth["token"]) == user
    assert auth["expires_at"] > time.time() + 3600
    # the gateway accepts it too (same format, same secret)
    from gateway.auth import verify_token
    from gateway.config import GatewayConfig
    assert verify_token(GatewayConfig(token_secret=SECRET.encode(), webhook_secret=b"w"), auth["token"]) == user
    assert verify_token(GatewayConfig.for_tests(), auth["token"]) is None  # other secret
    # "it's me, verify my voice" with the passphrase also works
    reply = ask(run, ctx, user, "it's me, verify my voice: blue mango sunrise",
                voices["user"]("it's me, verify my voice: blue mango sunrise"))
    assert reply.cultural_context["auth"]["authenticated"] is True


def test_wrong_passphrase_and_wrong_voice_fail_alike(run, ctx, voices):
    user = enrol(run, ctx, voices)
    wrong_phrase = ask(run, ctx, user, "sign me in: green mango sunset", voices["user"]("sign me in: green mango sunset"))
    wrong_voice = ask(run, ctx, user, "sign me in: blue mango sunrise", voices["other"]("sign me in: blue mango sunrise"))
    for reply in (wrong_phrase, wrong_voice):
        auth = reply.cultural_context["auth"]
        assert auth["authenticated"] is False and "token" not in auth, reply
        assert auth["reason"] == "no_match"
    # the replies do not say which factor failed
    assert wrong_phrase.text.split(" You're not signed in.")[0] == wrong_voice.text.split(" You're not signed in.")[0]
    assert "passphrase and voice didn't both match" in wrong_voice.text


def test_lockout_after_repeated_failures(run, ctx, voices):
    agent = AuthAgent(max_failures=3, lock_s=600)
    user = enrol(run, ctx, voices)
    impostor = voices["other"]("sign me in: blue mango sunrise")
    replies = [ask(run, ctx, user, "sign me in: blue mango sunrise", impostor, agent) for _ in range(3)]
    assert [r.cultural_context["auth"].get("attempts_left") for r in replies[:2]] == [2, 1]
    assert replies[2].cultural_context["auth"]["reason"] == "locked"
    # while locked, even the right voice and passphrase are not checked
    reply = ask(run, ctx, user, "sign me in: blue mango sunrise", voices["user"]("sign me in: blue mango sunrise"), agent)
    assert reply.cultural_context["auth"] == {**reply.cultural_context["auth"], "authenticated": False, "reason": "locked"}
    assert "locked" in reply.text


def test_redelivered_session_counts_once(run, ctx, voices):
    agent = AuthAgent(max_failures=2, lock_s=600)
    user = enrol(run, ctx, voices)
    audio = voices["user"]("sign me in: purple tiger morning")
    for _ in range(3):  # the same session processed three times (at-least-once delivery)
        reply = ask(run, ctx, user, "sign me in: purple tiger morning", audio, agent, session="s-redelivered")
    assert reply.cultural_context["auth"]["attempts_left"] == 1


def test_not_enrolled_no_voice_and_no_secret(run, ctx, voices):
    reply = ask(run, ctx, f"usr-auth-{next(_ids)}", "sign me in", voices["user"]("sign me in"))
    assert reply.cultural_context["auth"]["reason"] == "not_enrolled" and "isn't set up" in reply.text
    user = f"usr-auth-{next(_ids)}"
    reply = ask(run, ctx, user, "set up voice sign-in, my passphrase is blue mango sunrise", None)
    assert reply.cultural_context["auth"]["reason"] == "no_voice"
    assert not run(ctx.graph.query("MATCH (c:VoiceCredential {user_id: $id}) RETURN c", {"id": user}))
    user = enrol(run, ctx, voices)
    saved = ctx.settings
    ctx.settings = saved.with_(token_secret="")
    env = os.environ.pop("AURASENSE_TOKEN_SECRET", None)
    try:
        reply = ask(run, ctx, user, "sign me in: blue mango sunrise", voices["user"]("sign me in: blue mango sunrise"))
    finally:
        ctx.settings = saved
        if env is not None:
            os.environ["AURASENSE_TOKEN_SECRET"] = env
    assert reply.cultural_context["auth"] == {"authenticated": False, "enrolled": True, "reason": "no_token_secret"}


def test_re_enrolment_refuses_another_voice_or_passphrase(run, ctx, voices):
    user = enrol(run, ctx, voices)
    reply = ask(run, ctx, user, "my passphrase is blue mango sunrise", voices["other"]("my passphrase is blue mango sunrise"))
    assert reply.cultural_context["auth"]["reason"] == "voice_mismatch"
    reply = ask(run, ctx, user, "my passphrase is seven silver lanterns", voices["user"]("my passphrase is seven silver lanterns"))
    assert reply.cultural_context["auth"]["reason"] == "passphrase_change_refused"
    cred = run(ctx.graph.query("MATCH (c:VoiceCredential {user_id: $id}) RETURN c.voice_samples AS n", {"id": user}))
    assert cred[0]["n"] == 2


def test_an_order_by_the_enrolled_voice_goes_through_and_a_stranger_is_sent_to_sign_in(run, ctx, voices):
    from agents.router import route

    user = enrol(run, ctx, voices)
    run(ctx.graph.upsert_user(user, {"name": "Ada", "home_city": "London", "onboarded": True}))
    text = "I'll have the jollof rice please."
    own = AgentRequest(user, "s-own", text, profile_of(voices["user"](text)))
    stranger = AgentRequest(user, "s-other", text, profile_of(voices["other"](text)))
    assert run(route(own, ctx)).agent == "food"
    decision = run(route(stranger, ctx))
    assert decision.agent == "auth" and "verified" in decision.reason
