"""Non-English speech through the offline Whisper path: language detection and confident wrong answers.

    .venv/bin/python -m bench.stt_language --split dev2    # tune speech/speech_check.py here (and dev)
    .venv/bin/python -m bench.stt_language --split test2   # report this

How the speech was made: the sentences (bench/data/speech_language/sentences.json) are requests
a user of a food / travel assistant might say, in French, Hindi, Spanish, German, Nigerian
Pidgin and English, in two sets each split once: ``dev``/``test`` (4 per language, written by
the team; test's misses were seen, so it is no longer unseen) and ``dev2``/``test2`` (8 per
language, written by a helper session that saw neither the code nor any result).  Each is spoken by espeak-ng's voice for its language (fr-fr, hi, es,
de; en-029 for Pidgin; en-us for English) and, for English and Pidgin, by the pinned piper
voice joe as well; every sentence twice: at normal speed and clean, and at 0.85x or 1.15x
(alternating) with white noise at 20 dB SNR (seeded).  Each recording goes through
``decode_audio`` and ``OfflineWhisper`` (base int8, beam 5), as the transcribe stage runs them.

Two ways of hearing it are compared on the same audio:

* ``before``: the English domain prompt for every language, the detected language and the
  text taken as they come (what shipped: every utterance got an answer);
* ``after``: the prompt only for English, then ``speech_check.hear`` (doubt -> one re-decode in
  the user's language or a reply language the detector ranked -> else ask the user).  Run with
  no profile language (``user=none``) and with the spoken language in the profile
  (``user=spoken``).

Per utterance: detected language and probability, mean log-prob, compression ratio, longest
back-to-back repeat, prompt words that leaked in (words of the prompt in the transcript but not
in the sentence), character error rate against the sentence.  A transcript is **wrong** when its
language is not the spoken one (Pidgin counts as English) or its character error rate is over
0.5.  A **confident wrong answer** is a wrong transcript that was acted on.  Writes
``bench/results/stt_language_<split>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from speech.audio import DecodedAudio, decode_audio, wav_bytes  # noqa: E402
from agents.providers.errors import AudioError  # noqa: E402
from speech.speech_check import doubt, hear, repeats, words_from  # noqa: E402
from speech.stt import DOMAIN_PROMPT, OfflineWhisper, SpeechToText  # noqa: E402
from speech.sound_alike import edit_distance  # noqa: E402
from speech.tts import PiperTTS  # noqa: E402
from core.settings import Settings  # noqa: E402

RESULTS = Path(__file__).parent / "results"
LIMITS = dict(max_seconds=60.0, max_bytes=50 * 1024 * 1024)
MAX_CER = 0.5  # over this a transcript is garbage
SNR_DB = 20.0

# (language, voices): "piper" is joe; the others are espeak-ng voice names.
VOICES = {"en": ("piper", "en-us"), "pcm": ("piper", "en-029"), "fr": ("fr-fr",), "hi": ("hi",),
          "es": ("es",), "de": ("de",)}
EXPECTED = {"pcm": "en"}  # Whisper has no Pidgin: English is the right reading

SENTENCES_FILE = Path(__file__).parent / "data" / "speech_language" / "sentences.json"
# split -> language -> sentences; how each pair of splits was written is the file's "about".
SENTENCES = {k: v for k, v in json.loads(SENTENCES_FILE.read_text(encoding="utf-8")).items() if k != "about"}


class _AllLanguages:
    """The old prompt rule: every language gets the English prompt."""

    def __contains__(self, code: str) -> bool:
        return True


def espeak_wav(text: str, voice: str, speed: float) -> bytes:
    return subprocess.run(["espeak-ng", "--stdout", "-v", voice, "-s", str(int(160 * speed)), text],
                          check=True, capture_output=True).stdout


def recordings(split: str, settings: Settings) -> list[dict]:
    """Every sentence of ``split`` by every voice of its language, clean and varied."""
    import onnxruntime

    onnxruntime.set_seed(1)  # piper samples noise: repeatable recordings
    piper = PiperTTS(settings)
    rng = np.random.default_rng(7)
    out, turn = [], 0
    for language, sentences in SENTENCES[split].items():
        for voice in VOICES[language]:
            for text in sentences:
                for varied in (False, True):
                    speed = (0.85 if turn % 2 else 1.15) if varied else 1.0
                    turn += varied
                    wav = (asyncio.run(piper.synthesize(text, speed)) if voice == "piper"
                           else espeak_wav(text, voice, speed))
                    audio = decode_audio(wav, **LIMITS)
                    if varied:
                        audio = _with_noise(audio, rng)
                    out.append({"language": language, "voice": voice, "text": text,
                                "variant": f"x{speed:.2f}+noise" if varied else "clean", "audio": audio})
    return out


def _with_noise(audio: DecodedAudio, rng) -> DecodedAudio:
    x = audio.samples.astype(np.float32)
    power = float(np.mean(x ** 2)) or 1e-8
    noisy = x + rng.normal(0.0, np.sqrt(power / 10 ** (SNR_DB / 10)), x.size).astype(np.float32)
    # Through WAV and decode_audio again, as an upload would arrive.
    return decode_audio(wav_bytes(np.clip(noisy, -1, 1), audio.sample_rate), **LIMITS)


def _chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text.lower())
    return re.sub(r"[\W_]+", "", text)


def cer(ref: str, hyp: str) -> float:
    r, h = _chars(ref), _chars(hyp)
    return edit_distance(r, h) / max(len(r), 1)


def leaked(ref: str, hyp: str) -> int:
    """Prompt words in the transcript that the sentence did not contain."""
    ref_words = set(re.findall(r"\w+", ref.lower()))
    prompt_words = {w for w in re.findall(r"\w+", DOMAIN_PROMPT.lower()) if len(w) > 3} - ref_words
    return words_from(hyp, prompt_words)


def describe(t, ref: str) -> dict:
    return {"language": t.language, "p": None if t.language_probability is None else round(t.language_probability, 3),
            "candidates": [[c, round(p, 3)] for c, p in t.candidates], "forced": t.forced,
            "avg_logprob": None if t.avg_logprob is None else round(t.avg_logprob, 3),
            "compression_ratio": None if t.compression_ratio is None else round(t.compression_ratio, 2),
            "no_speech_prob": None if t.no_speech_prob is None else round(t.no_speech_prob, 3),
            "repeats": repeats(t.text), "leaked": leaked(ref, t.text), "cer": round(cer(ref, t.text), 3),
            "text": t.text, "compute_s": round(t.compute_s, 2)}


class _Memo(SpeechToText):
    """``stt`` answering each (recording, language) once: both user conditions share the
    first decode, as one worker would run it once."""

    def __init__(self, stt: SpeechToText) -> None:
        self.stt, self.seen = stt, {}

    async def _transcribe(self, audio, language=None):
        key = (id(audio), language)
        if key not in self.seen:
            self.seen[key] = await self.stt.transcribe(audio, language=language)
        return self.seen[key]


def _nothing(ref: str) -> dict:
    """A decode that wrote nothing (``AudioError``): not acted on."""
    return {"language": "", "p": None, "candidates": [], "forced": False, "avg_logprob": None,
            "compression_ratio": None, "no_speech_prob": None, "repeats": 0, "leaked": 0,
            "cer": 1.0, "text": "", "compute_s": 0.0}


def wrong(spoken: str, heard: dict) -> bool:
    return heard["language"] != EXPECTED.get(spoken, spoken) or heard["cer"] > MAX_CER


def run(split: str) -> dict:
    settings = Settings(stt_threads=2)
    stt = OfflineWhisper(settings)
    stt.repair = False  # the language question, not the name repair, is measured here
    shipped = stt.prompt_languages  # English only; the old rule is _AllLanguages
    asyncio.run(stt.warm_up())
    started = time.perf_counter()
    items = recordings(split, settings)
    print(f"{len(items)} recordings in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    rows = []
    for item in items:
        ref, spoken, audio = item["text"], item["language"], item["audio"]
        memo = _Memo(stt)
        row = {k: item[k] for k in ("language", "voice", "variant", "text")}
        for user in ("none", "spoken"):
            async def profile_language(user=user):
                return None if user == "none" else EXPECTED.get(spoken, spoken)

            try:
                t, reason = asyncio.run(hear(memo, audio, profile_language))
                row[f"after_{user}"] = describe(t, ref) | {"asked": reason}
            except AudioError as exc:  # the stage fails the session: nothing is acted on
                row[f"after_{user}"] = _nothing(ref) | {"asked": str(exc)}
        first = memo.seen.get((id(audio), None))
        if first is not None and first.language in stt.prompt_languages:
            before = describe(first, ref)  # detection precedes the prompt: the same decode as before
        else:
            stt.prompt_languages = _AllLanguages()
            try:
                before = describe(asyncio.run(stt.transcribe(audio)), ref)
            except AudioError as exc:
                before = _nothing(ref) | {"asked": str(exc)}
            stt.prompt_languages = shipped
        row["before"] = {"asked": None} | before
        rows.append(row)
        a = row["after_none"]
        print(f"{spoken:3} {item['voice']:6} {item['variant']:12} before {before['language']} "
              f"p={before['p']} lp={before['avg_logprob']} cer={before['cer']:.2f} leak={before['leaked']} | "
              f"after {'ASK ' + a['asked'] if a['asked'] else a['language'] + ' cer=%.2f' % a['cer']}",
              file=sys.stderr, flush=True)
    return {"split": split, "rows": rows, "summary": summarise(rows)}


def summarise(rows: list[dict]) -> dict:
    out = {}
    for spoken in [*VOICES, "all"]:
        group = [r for r in rows if spoken in ("all", r["language"])]
        n = len(group)
        s = {"n": n,
             "detected_right": sum(r["before"]["language"] == EXPECTED.get(r["language"], r["language"])
                                   for r in group),
             "before_confident_wrong": sum(wrong(r["language"], r["before"]) for r in group
                                           if not r["before"]["asked"]),
             "before_leaked_utterances": sum(r["before"]["leaked"] > 0 for r in group)}
        for user in ("none", "spoken"):
            key = f"after_{user}"
            acted = [r for r in group if not r[key]["asked"]]
            s[f"{key}_confident_wrong"] = sum(wrong(r["language"], r[key]) for r in acted)
            s[f"{key}_asked"] = n - len(acted)
            s[f"{key}_answered_right"] = sum(not wrong(r["language"], r[key]) for r in acted)
            s[f"{key}_leaked_utterances"] = sum(r[key]["leaked"] > 0 for r in acted)
        out[spoken] = s
    return out


def print_summary(result: dict) -> None:
    print(f"split {result['split']}: wrong = language not the spoken one, or character error rate > {MAX_CER}")
    print(f"{'lang':5} {'n':>3} {'detect ok':>9} | {'before: wrong acted on':>22} {'leak':>4} | "
          f"{'after (no profile lang): wrong acted on / asked / right':>55} | {'after (profile lang): wrong / asked / right':>44}")
    for spoken, s in result["summary"].items():
        print(f"{spoken:5} {s['n']:3} {s['detected_right']:9} | {s['before_confident_wrong']:22} "
              f"{s['before_leaked_utterances']:4} | "
              f"{s['after_none_confident_wrong']:>45} / {s['after_none_asked']:5} / {s['after_none_answered_right']:5} | "
              f"{s['after_spoken_confident_wrong']:>34} / {s['after_spoken_asked']:5} / {s['after_spoken_answered_right']:5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=tuple(SENTENCES), default="dev")
    args = parser.parse_args()
    result = run(args.split)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"stt_language_{args.split}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print_summary(result)


if __name__ == "__main__":
    main()
