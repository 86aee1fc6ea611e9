"""The speech evaluation path of the benchmarks (bench/speech_render.py, bench/speech_transcribe.py):
real piper and espeak-ng takes, real noise, real Whisper; no mocks."""

from __future__ import annotations

import shutil
from collections import Counter

import numpy as np
import pytest

from speech.audio import decode_audio
from core.settings import Settings
from bench.speech_render import (ESPEAK_VOICES, LIMITS, NOISES, PIPER_VOICE, SPEEDS, Condition,
                                 SpeechRenderer, conditions_for, measured_snr_db)
from bench.speech_transcribe import Transcriber
from bench.stt_wer import wer

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="apt-get install espeak-ng")
SENTENCE = "Find me a vegetarian restaurant in London tonight"


@pytest.fixture(scope="module", autouse=True)
def restore_piper_seed():
    # The renderer seeds onnxruntime per take; later modules expect conftest's seed.
    yield
    import onnxruntime

    onnxruntime.set_seed(7)


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"), stt_threads=2)


def samples(wav: bytes) -> np.ndarray:
    return decode_audio(wav, **LIMITS).samples


def test_each_line_gets_one_piper_and_one_espeak_condition_from_its_id_alone():
    assert conditions_for("r0042") == conditions_for("r0042")
    ids = [f"r{i:04d}" for i in range(900)]
    drawn = [conditions_for(i) for i in ids]
    assert all(p.engine == "piper" and p.voice == PIPER_VOICE and e.engine == "espeak-ng"
               for p, e in drawn)
    assert len({c for pair in drawn for c in pair}) > 40  # not one fixed pair for everybody
    # Every speed, noise level and voice is drawn, each about equally often.
    for values, options in (
        ([c.speed for pair in drawn for c in pair], SPEEDS),
        ([c.noise_label for pair in drawn for c in pair], {Condition("x", "x", 1, *n).noise_label for n in NOISES}),
        ([e.voice for _, e in drawn], ESPEAK_VOICES),
    ):
        counts = Counter(values)
        assert set(counts) == set(options)
        expected = len(values) / len(set(options))
        assert all(0.75 * expected <= n <= 1.25 * expected for n in counts.values()), counts


@needs_espeak
def test_a_condition_renders_the_same_wav_every_time(settings, tmp_path):
    conditions = [Condition("piper", PIPER_VOICE, 0.85, "pink", 10.0),
                  Condition("espeak-ng", "en-gb+m3", 1.2, "white", 20.0)]
    first = SpeechRenderer(settings, tmp_path / "a")
    second = SpeechRenderer(settings, tmp_path / "b")
    for cond in conditions:
        wav = first.render(SENTENCE, cond)
        second.render("Something else entirely, rendered first", cond)  # order must not matter
        assert second.render(SENTENCE, cond) == wav
        assert first.render(SENTENCE, cond) == wav  # now from the cache
    assert first.rendered == 2 and second.rendered == 4
    other_take = first.render(SENTENCE, Condition("piper", PIPER_VOICE, 1.0, "pink", 10.0))
    assert other_take != first.render(SENTENCE, conditions[0])


@needs_espeak
@pytest.mark.parametrize("engine, voice, noise, snr", [
    ("piper", PIPER_VOICE, "white", 10.0), ("piper", PIPER_VOICE, "pink", 20.0),
    ("espeak-ng", "en-us", "white", 20.0), ("espeak-ng", "en-gb-x-rp", "pink", 10.0),
])
def test_noise_is_added_at_the_requested_snr(settings, tmp_path, engine, voice, noise, snr):
    renderer = SpeechRenderer(settings, tmp_path)
    clean = samples(renderer.render(SENTENCE, Condition(engine, voice, 1.0)))
    noisy = samples(renderer.render(SENTENCE, Condition(engine, voice, 1.0, noise, snr)))
    assert noisy.size == clean.size  # the same take, noise added
    assert measured_snr_db(clean, noisy) == pytest.approx(snr, abs=0.3)


def test_pink_noise_is_darker_than_white(settings, tmp_path):
    renderer = SpeechRenderer(settings, tmp_path)
    clean = samples(renderer.render(SENTENCE, Condition("piper", PIPER_VOICE, 1.0)))

    def low_to_high(noise: str) -> float:
        noisy = samples(renderer.render(SENTENCE, Condition("piper", PIPER_VOICE, 1.0, noise, 10.0)))
        gain = noisy @ clean / (clean @ clean)
        spectrum = np.abs(np.fft.rfft(noisy - gain * clean)) ** 2
        hz = np.fft.rfftfreq(noisy.size, 1 / 16000)
        return spectrum[(hz > 100) & (hz < 500)].mean() / spectrum[(hz > 4000) & (hz < 7000)].mean()

    assert low_to_high("white") == pytest.approx(1.0, rel=0.3)
    assert low_to_high("pink") > 5.0


def test_a_rendered_sentence_transcribes_back(settings, tmp_path):
    wav = SpeechRenderer(settings, tmp_path).render(SENTENCE, Condition("piper", PIPER_VOICE, 1.0))
    transcriber = Transcriber(settings, tmp_path)
    try:
        heard = transcriber.transcribe(wav)
        again = transcriber.transcribe(wav)
    finally:
        transcriber.close()
    assert wer([SENTENCE], [heard.text]) <= 0.15, heard.text
    assert not heard.cached and again.cached and again.text == heard.text
    assert transcriber.transcribed == 1


def test_a_sample_is_the_same_lines_whatever_the_file_order():
    from bench.understanding_data import sample

    lines = [{"id": f"r{i:04d}"} for i in range(200)]
    picked = {line["id"] for line in sample(lines, 50)}
    assert len(picked) == 50
    assert picked == {line["id"] for line in sample(lines[::-1], 50)}
    assert picked != {line["id"] for line in lines[:50]}  # not simply the first lines
    assert sample(lines, None) == lines


def test_a_domain_term_is_heard_only_whole_and_in_order():
    from bench.vocab_wer import term_hits

    assert term_hits("Where can I get pav bhaji in Juhu?", ["pav bhaji", "Juhu", "vada pav"]) == {
        "pav bhaji": True, "Juhu": True, "vada pav": False}
    assert term_hits("bhaji pav, puff puff", ["pav bhaji", "puff-puff"]) == {"pav bhaji": False, "puff-puff": True}
    assert term_hits("Is it safe for a celiac?", ["coeliac"]) == {"coeliac": True}  # spelling only
    assert term_hits("Is it safe for a cell yak?", ["coeliac"]) == {"coeliac": False}
