"""Non-English speech through the real speech path: espeak-ng / piper audio, offline Whisper
base, then the transcribe, route and respond stages with a plain event in hand.

Issue 14 item 9: French came out as Thai garbage, Hindi as the prompt's dish names, and both
got a confident English answer.  Here: English and French are understood and answered; Hindi
(no template language, and Whisper base hears espeak-ng's Hindi as Bengali, unsure) is not
acted on: the user is asked to say it again, in their own language, and the session's status
says why.
"""

from __future__ import annotations

import asyncio
import re
import shutil

import pytest

from agents import templates as T
from agents.culture import Style
from speech.speech_check import UNCLEAR_KEY, words_from
from speech.stt import DOMAIN_PROMPT
from speech.audio import decode_audio
from speech.tts import EspeakTTS
from core.settings import Settings
from schemas.events import AudioUploaded
from streams.deps import StageDeps
from streams.stages import respond, route, transcribe
from streams.status import apply
# The module's real engines, loaded once: Settings, PiperTTS (as piper) and OfflineWhisper base.
from tests.test_speech_roundtrip import SENTENCE, settings, stt as whisper, tts as piper  # noqa: F401
from tests.test_speech_reply_language import FRENCH

HINDI = "मुझे आज रात के खाने के लिए शाकाहारी बिरयानी चाहिए।"  # "I want vegetarian biryani for dinner tonight"
LIMITS = dict(max_seconds=60, max_bytes=10_000_000)
pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="apt-get install espeak-ng")


class Store:
    """The stages' store, in memory: read / write / presign_get / bucket."""

    bucket = "audio"

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def read(self, bucket: str, key: str, max_bytes: int) -> bytes:
        return self.objects[key]

    async def write(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = data

    def presign_get(self, key: str, expires_s: int) -> str:
        return f"http://s3.test/{self.bucket}/{key}"


@pytest.fixture(scope="module")
def agents(falkor_socket, loop):
    """The agents' context on a FalkorDB of this module's own."""
    from agents.wiring import build_context, close_context

    context = loop.run_until_complete(build_context(Settings(falkordb_socket=falkor_socket)))
    yield context
    loop.run_until_complete(close_context(context))


@pytest.fixture(scope="module")
def speech(piper):
    """Each test sentence spoken once: English by piper, the others by espeak-ng."""
    return {"en": asyncio.run(piper.synthesize(SENTENCE)),
            # at espeak-ng's full pace this clip sits on the speech check's log-prob edge (-0.81
            # against -0.80 on one machine, above it on another): spoken a little slower, as to an assistant
            "fr": asyncio.run(EspeakTTS(voice="fr-fr").synthesize(FRENCH, speed=0.85)),
            "hi": asyncio.run(EspeakTTS(voice="hi").synthesize(HINDI))}


def through_the_stages(run, wav: bytes, user: str, whisper, piper, agents):
    """transcribe -> route -> respond on ``wav`` uploaded by ``user``; the events and the status."""
    store = Store()
    deps = StageDeps(settings=Settings(), store=store, stt=whisper, tts=piper, agents=agents)
    key = f"uploads/{user}/s1.wav"
    store.objects[key] = wav
    uploaded = AudioUploaded(session_id=f"{user}-s1", user_id=user, bucket="audio", key=key, size=len(wav))
    heard = run(transcribe.process(uploaded, deps))
    routed = run(route.process(heard, deps))
    replied = run(respond.process(routed, deps))
    status = None
    for event in (uploaded, heard, routed, replied):
        status = apply(status, event, now=1.0)
    return heard, routed, replied, status


def test_english_is_acted_on(run, speech, whisper, piper, agents):
    heard, routed, replied, status = through_the_stages(run, speech["en"], "lang-en", whisper, piper, agents)
    assert heard.language == "en" and UNCLEAR_KEY not in heard.voice_profile, heard
    assert "vegetarian" in heard.text.lower()
    assert not routed.reason.startswith("speech"), routed.reason
    assert status.status == "completed" and "clarify_reason" not in status.cultural_context


def test_french_is_understood_and_answered_in_french(run, speech, whisper, piper, agents):
    heard, routed, replied, status = through_the_stages(run, speech["fr"], "lang-fr", whisper, piper, agents)
    assert heard.language == "fr" and UNCLEAR_KEY not in heard.voice_profile, heard
    assert "paris" in heard.text.lower()
    assert not routed.reason.startswith("speech"), routed.reason
    assert replied.cultural_context["reply_language"] == "fr"
    assert replied.cultural_context["reply_voice"]["voice"] == "fr-fr"


def test_hindi_gets_no_confident_wrong_answer(run, speech, whisper, piper, agents):
    run(agents.graph.upsert_user("lang-hi", {"name": "Asha", "home_city": "Mumbai", "onboarded": True}))
    heard, routed, replied, status = through_the_stages(run, speech["hi"], "lang-hi", whisper, piper, agents)
    unclear = heard.voice_profile.get(UNCLEAR_KEY)
    assert unclear and re.search(r"detected \w+ p=0\.\d\d", unclear), heard
    assert (routed.agent, routed.reason) == ("clarify", f"speech {unclear}")
    # The user is asked to say it again (no profile language: in English), and the status says why.
    assert replied.reply_text == T.say("repeat", Style(), name=", Asha")
    assert status.status == "completed" and status.agent_used == "clarify"
    assert status.cultural_context["clarify_reason"] == f"speech {unclear}"
    assert status.voice_profile[UNCLEAR_KEY] == unclear
    assert replied.cultural_context["reply_voice"]["language"] == "en"


def test_unclear_speech_is_asked_about_in_the_users_own_language(run, speech, whisper, piper, agents):
    user = "lang-hi-fr"
    run(agents.graph.upsert_user(user, {"language": "fr"}))
    heard, routed, replied, status = through_the_stages(run, speech["hi"], user, whisper, piper, agents)
    assert heard.voice_profile.get(UNCLEAR_KEY), heard  # French was tried too, and was no surer
    # not onboarded yet: onboarding asks its question again, nothing heard is stored
    assert routed.agent == "onboarding"
    french = Style(lang="fr", register="formal")  # a new user's first words: welcomed, then asked again
    assert replied.reply_text.startswith(T.say("welcome", french) + T.say("repeat_question", french, name="",
                                                                          question="Comment vous appelez-vous"))
    assert run(agents.graph.get_user(user)).get("name") is None
    assert replied.cultural_context["reply_voice"]["voice"] == "fr-fr"


def test_the_english_prompt_stays_out_of_other_languages(speech, whisper):
    """The domain prompt made Hindi come out as its dish names; now it is given to English only."""
    audio = decode_audio(speech["hi"], **LIMITS)
    said = set(re.findall(r"\w+", HINDI.lower()))
    dishes = {w for w in re.findall(r"\w+", DOMAIN_PROMPT.lower()) if len(w) > 3} - said
    new = asyncio.run(whisper.transcribe(audio))
    assert words_from(new.text, dishes) == 0, new.text
    shipped = whisper.prompt_languages
    try:
        whisper.prompt_languages = {new.language: 1}  # the prompt given as before, to this language
        old = asyncio.run(whisper.transcribe(audio))
    finally:
        whisper.prompt_languages = shipped
    assert words_from(old.text, dishes) > 0, old.text  # the cause, still there when prompted
    # English keeps its prompt (the catalogue names it helps with).
    english = asyncio.run(whisper.transcribe(decode_audio(speech["en"], **LIMITS)))
    assert english.language == "en" and "london" in english.text.lower()
