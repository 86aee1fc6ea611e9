"""The speech benchmarks' shared loop (render, transcribe, progress, close), with a fake renderer
and transcriber: what each benchmark keeps of the takes, without the speech stack."""

from __future__ import annotations

import json
from types import SimpleNamespace

from bench.speech_takes import SpeechTakes
from bench.understanding_heard import heard_rows
from bench.understanding_routing import route_speech
from core.settings import Settings


class FakeRenderer:
    cache_dir = "/fake"

    def __init__(self) -> None:
        self.rendered = 0

    def render(self, text: str, condition) -> bytes:
        self.rendered += 1
        return f"{condition.label}|{text}".encode()


class FakeTranscriber:
    """Hears the text back; "mumble" is unclear and "silence" is nothing at all."""

    def __init__(self) -> None:
        self.transcribed, self.closed = 0, False

    def describe(self) -> str:
        return "fake"

    def transcribe(self, wav: bytes):
        self.transcribed += 1
        text = wav.decode().split("|", 1)[1]
        return SimpleNamespace(text="" if text == "silence" else text, unclear="in doubt" if text == "mumble" else None,
                               error="no speech detected" if text == "silence" else None, audio_s=1.0,
                               compute_s=0.25)

    def close(self) -> None:
        self.closed = True


def condition(engine: str):
    return SimpleNamespace(label=f"{engine}-clean", engine=engine, voice="v", speed=1.0, noise_label="clean")


def fake_takes() -> SpeechTakes:
    return SpeechTakes(Settings(), FakeRenderer(), FakeTranscriber(),
                       conditions_for=lambda line_id: (condition("piper"), condition("espeak-ng")))


LINES = [{"id": "r1", "text": "I want jollof", "label": "food", "state": {"onboarded": True}},
         {"id": "r2", "text": "mumble", "label": "travel"},
         {"id": "r3", "text": "silence", "label": "none"}]


def test_every_line_is_taken_in_each_condition_and_the_transcriber_closed(capsys):
    takes = fake_takes()
    got = [(t.line["id"], t.condition.engine, t.heard.text) for t in takes.takes(LINES, every=2)]
    assert got == [("r1", "piper", "I want jollof"), ("r1", "espeak-ng", "I want jollof"),
                   ("r2", "piper", "mumble"), ("r2", "espeak-ng", "mumble"),
                   ("r3", "piper", ""), ("r3", "espeak-ng", "")]
    assert takes.transcriber.closed
    assert "  2/3 lines, 0 s (4 rendered, 4 transcribed)" in capsys.readouterr().out


def test_heard_rows_keeps_what_the_product_would_act_on(capsys):
    rows = list(heard_rows(LINES[:2], fake_takes()))
    assert rows == [{"id": "r1", "text": "I want jollof", "label": "food", "state": {"onboarded": True},
                     "said": "I want jollof", "condition": c} for c in ("piper-clean", "espeak-ng-clean")]
    assert capsys.readouterr().out == ""  # progress every 25 lines


def fake_route(text, state, unclear=None):
    """The router's interface: doubted speech asked again (as an unsure router does), else food."""
    return ("clarify", f"speech {unclear}") if unclear else ("food" if "jollof" in text else "clarify", "fake")


def test_route_speech_routes_the_heard_and_passes_the_doubt_on_to_the_router(capsys):
    routing = SimpleNamespace(route=fake_route)
    rows, timing = route_speech(LINES, routing, fake_takes())
    assert [(r["id"], r["got"], r["reason"]) for r in rows] == [
        ("r1", "food", "fake"), ("r1", "food", "fake"), ("r2", "clarify", "speech in doubt"),
        ("r2", "clarify", "speech in doubt"), ("r3", "(no transcript)", "no speech detected"),
        ("r3", "(no transcript)", "no speech detected")]
    assert timing["rendered"] == timing["transcribed"] == 6 and timing["stt_s_total"] == 1.5
    assert "speech: rendering to /fake, transcribing with fake" in capsys.readouterr().out


def test_decodes_are_cached_per_audio_and_imposed_language_and_errors_too(tmp_path):
    import asyncio

    import numpy as np
    import pytest

    from agents.providers.errors import AudioError
    from bench.speech_transcribe import CachedDecodes
    from speech.audio import DecodedAudio
    from speech.stt import SpeechToText, Transcript

    class Counting(SpeechToText):
        calls: list = []

        async def _transcribe(self, audio, language=None):
            self.calls.append(language)
            if audio.samples[0] < 0:
                return Transcript("...", "en", 0.9, audio.duration_s, 0.0)  # no words: an AudioError
            return Transcript(f"said in {language or 'en'}", language or "en", 0.9, audio.duration_s,
                              0.0, candidates=(("en", 0.9), ("fr", 0.1)))

    def audio(first: float) -> DecodedAudio:
        return DecodedAudio(np.full(16000, first, dtype=np.float32), 16000, 1.0, "wav")

    def decode(stt, clip, language=None):
        return asyncio.run(stt.transcribe(clip, language=language))

    stt = Counting()
    first = CachedDecodes(stt, tmp_path, {"model": "m"})
    heard = decode(first, audio(0.1))
    assert decode(first, audio(0.1), "fr").text == "said in fr"
    with pytest.raises(AudioError):
        decode(first, audio(-0.1))
    again = CachedDecodes(stt, tmp_path, {"model": "m"})  # a later run: served from disk
    assert decode(again, audio(0.1)) == heard and heard.candidates == (("en", 0.9), ("fr", 0.1))
    with pytest.raises(AudioError):
        decode(again, audio(-0.1))
    assert stt.calls == [None, "fr", None] and (first.decoded, again.decoded) == (3, 0)
    decode(CachedDecodes(stt, tmp_path, {"model": "other"}), audio(0.1))  # another model decodes
    assert stt.calls == [None, "fr", None, None]


def test_a_later_round_draws_new_conditions_from_the_id_and_round():
    from bench.speech_render import conditions_for, round_conditions

    ids = [f"r{i:04d}" for i in range(200)]
    assert all(round_conditions(i) == conditions_for(i) for i in ids)
    for i in ids:
        later = round_conditions(i, 2)
        assert later == round_conditions(i, 2)  # the same on every run
        # round 2's draw, less a take round 1 already heard (the same audio again)
        assert later == tuple(c for c in conditions_for(f"{i}#round2") if c not in conditions_for(i))
    drawn = [c for i in ids for c in round_conditions(i, 2)]
    assert 370 < len(drawn) < 400 and {c.engine for c in drawn} == {"piper", "espeak-ng"}


def test_heard_round_k_rows_say_their_round_and_resume_by_round(tmp_path, monkeypatch):
    from bench import understanding_heard
    from bench.speech_render import round_conditions

    heard = tmp_path / "routing.dev.heard.jsonl"
    heard.write_text(json.dumps({"id": "r1", "text": "I want jollof", "condition": "piper-clean"}) + "\n"
                     + json.dumps({"id": "r2", "text": "x", "condition": "piper-clean", "round": 2}) + "\n")
    assert understanding_heard.already_heard(heard) == {"r1"}
    assert understanding_heard.already_heard(heard, 2) == {"r2"}

    used = []

    def takes(settings, conditions_for):
        used.append(conditions_for)
        return SpeechTakes(settings, FakeRenderer(), FakeTranscriber(), conditions_for)

    monkeypatch.setattr(understanding_heard, "HEARD_DEV", heard)
    monkeypatch.setattr(understanding_heard, "SpeechTakes", takes)
    monkeypatch.setattr(understanding_heard, "load_lines", lambda path: LINES[:2])
    assert understanding_heard.main(["--round", "2"]) == 0
    rows = [json.loads(r) for r in heard.read_text().splitlines()][2:]
    # r1 is heard in round 2 (its round-1 rows do not count), r2 was already; rows keep the line's id
    round_two = round_conditions("r1", 2)
    assert used[0]("r1") == round_two
    assert [(r["id"], r["round"], r["condition"]) for r in rows] == [("r1", 2, c.label) for c in round_two]


def test_a_training_file_is_heard_into_its_own_heard_file_named_by_line(tmp_path, monkeypatch):
    from bench import understanding_heard

    training = tmp_path / "train_x.jsonl"
    training.write_text("".join(json.dumps({"text": line["text"], "label": line["label"], "state": {}}) + "\n"
                                for line in LINES[:2]))
    monkeypatch.setattr(understanding_heard, "SpeechTakes",
                        lambda settings, conditions_for: SpeechTakes(settings, FakeRenderer(), FakeTranscriber(),
                                                                     conditions_for))
    assert understanding_heard.main(["--training", str(training)]) == 0
    rows = [json.loads(r) for r in (tmp_path / "train_x.heard.jsonl").read_text().splitlines()]
    # line 1 heard in its two conditions, line 2 unclear (not kept)
    assert {(r["id"], r["text"], r["label"]) for r in rows} == {("train_x:1", "I want jollof", "food")}
    assert len(rows) == 2
    assert understanding_heard.already_heard(tmp_path / "train_x.heard.jsonl") == {"train_x:1"}
    assert understanding_heard.main(["--training", str(training)]) == 0  # resumes: nothing new
    assert len((tmp_path / "train_x.heard.jsonl").read_text().splitlines()) == 2


def test_speech_losses_tell_asking_again_from_reading_back():
    from bench.understanding_routing import speech_losses

    text = [{"id": i, "got": "food", "expected": "food"} for i in ("a", "b", "c", "d")]
    speech = [{"id": "a", "got": "food", "expected": "food", "unclear": False},
              {"id": "b", "got": "food", "expected": "food", "unclear": True},     # read back, right
              {"id": "c", "got": "travel", "expected": "food", "unclear": True},   # read back, wrong
              {"id": "d", "got": "clarify", "expected": "food", "unclear": True}]  # asked again
    losses = speech_losses(text, speech)
    assert (losses["asked_to_repeat"], losses["read_back"], losses["read_back_right"]) == (0.25, 2, 1)
    assert (losses["accuracy_when_acted_on"], losses["wrong_agent"]) == (1.0, 0.25)
