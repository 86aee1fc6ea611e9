"""Word error rate and real-time factor of the offline STT on synthesized speech.

    .venv/bin/python -m bench.stt_wer                      # full matrix (~10 min on 2 cores)
    .venv/bin/python -m bench.stt_wer --voices piper --rates 16000 --prompts domain,none

Every utterance of ``bench/utterances.py`` is spoken by each voice (piper's pinned joe;
espeak-ng voices, which need ``apt-get install espeak-ng``; hibari when installed),
resampled to each rate (8 kHz telephone, 16 kHz), encoded as 16-bit WAV, then run through
``decode_audio`` and ``OfflineWhisper.transcribe`` as a worker would, once with the domain
``initial_prompt`` and once without.  Prints WER (word-level edit distance over normalised
words, own implementation) and RTF (compute seconds / audio seconds) per voice, rate and
prompt, the domain words heard right, and writes everything to
``bench/results/stt_wer.json``.

``WER`` is the shipped output, with the catalogue-name repair (``repair_transcript``);
``raw`` is the same decode before it (one decode serves both).  Piper samples noise, so
``--takes N`` records every utterance N times (piper, piper#2, ...), onnxruntime seeded with
the take number: the recordings differ from each other but are the same on every run.  The
"pooled" lines add up the piper takes' errors per rate and prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from speech.audio import decode_audio, wav_bytes  # noqa: E402
from speech.stt import DOMAIN_PROMPT, OfflineWhisper, repair_transcript  # noqa: E402
from speech.sound_alike import edit_distance  # noqa: E402  (over words here)
from speech.tts import PiperTTS  # noqa: E402
from core.settings import Settings  # noqa: E402
from bench.utterances import UTTERANCES  # noqa: E402

RESULTS = Path(__file__).parent / "results"
LIMITS = dict(max_seconds=60.0, max_bytes=50 * 1024 * 1024)
ESPEAK_VOICES = ("en-us", "en-gb", "en-us+f3")
# Prompt variants compared on the same audio (``--prompts``); "domain" is the shipped one.
PROMPTS = {
    "domain": DOMAIN_PROMPT,
    "none": None,
    "long": ("Food and travel in Lagos (Victoria Island, Lekki, Ikeja), London, New York (Brooklyn), "
             "Paris and Mumbai: jollof rice, suya, egusi, moi moi, ofada rice, ayamase, puff-puff, "
             "pounded yam, biryani, paneer tikka, vada pav, pav bhaji, pani puri, thali, daal, "
             "shakshuka, tagine, harira, mapo tofu. Halal, vegan, vegetarian, pescatarian, gluten-free."),
    "cities": "Lagos, London, New York, Paris, Mumbai.",
}
DOMAIN_WORDS = ("lagos", "mumbai", "jollof", "suya", "egusi", "biryani", "vada", "pav", "bhaji",
                "paneer", "tikka", "pani", "puri", "tagine", "lekki", "pho", "injera", "nairobi",
                "accra", "amara", "priya", "kemi", "olumide", "tunde", "chidi", "pescatarian")

# --------------------------------------------------------------------------- WER

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    return str(n)


# Spelling variants that are not recognition errors (Whisper writes American spelling).
_SPELLING = {"traveling": "travelling", "center": "centre", "guest house": "guesthouse",
             "color": "colour", "favorite": "favourite", "okay": "ok"}


def normalise(text: str) -> list[str]:
    """Lower-case words: punctuation dropped, hyphens split, digits spelled, £20 -> twenty pounds,
    American spellings as British (``_SPELLING``)."""
    text = text.lower().replace("’", "'")
    for variant, canonical in _SPELLING.items():
        text = re.sub(rf"\b{variant}\b", canonical, text)
    text = re.sub(r"£(\d+)", r"\1 pounds", text)
    text = re.sub(r"\d+", lambda m: _number_words(int(m.group())), text)
    text = re.sub(r"[-/]", " ", text)
    text = re.sub(r"[^a-z0-9' ]", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def wer(refs: list[str], hyps: list[str]) -> float:
    """Corpus WER: total edits / total reference words."""
    errors = sum(edit_distance(normalise(r), normalise(h)) for r, h in zip(refs, hyps))
    return errors / max(sum(len(normalise(r)) for r in refs), 1)


# --------------------------------------------------------------------------- speech

def espeak_wav(text: str, voice: str) -> bytes:
    return subprocess.run(["espeak-ng", "--stdout", "-v", voice, text],
                          check=True, capture_output=True).stdout


def hibari_tts():
    try:
        from hibari import Hibari
    except ImportError:
        return None
    return Hibari()


def resample_wav(wav: bytes, rate: int) -> bytes:
    """The speech as a 16-bit mono WAV at ``rate`` (FFmpeg's resampler via PyAV)."""
    import av

    audio = decode_audio(wav, **LIMITS)  # 16 kHz float
    if rate == audio.sample_rate:
        return wav_bytes(audio.samples, rate)
    frame = av.AudioFrame.from_ndarray(audio.samples.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = audio.sample_rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    out = resampler.resample(frame) + resampler.resample(None)
    return wav_bytes(np.concatenate([f.to_ndarray().reshape(-1) for f in out]), rate)


def synthesize_all(voices: list[str], settings: Settings, take: int = 1) -> dict[str, list[bytes]]:
    speech: dict[str, list[bytes]] = {}
    texts = [text for _, text in UTTERANCES]
    for voice in voices:
        started = time.perf_counter()
        if voice == "piper":
            import onnxruntime

            # Why: each new piper session replays the same noise within a process and other
            # noise in the next process; a seed per take gives N distinct, repeatable recordings.
            onnxruntime.set_seed(take)
            tts = PiperTTS(settings)
            speech[voice] = [asyncio.run(tts.synthesize(t)) for t in texts]
        elif voice == "hibari":
            engine = hibari_tts()
            if engine is None:
                print("skip hibari: pip install hibari-tts==0.2.1", file=sys.stderr)
                continue
            speech[voice] = [wav_bytes(engine(t, seed=0), 24000) for t in texts]
        else:
            name = voice.removeprefix("espeak:")
            speech[voice] = [espeak_wav(t, name) for t in texts]
        print(f"synthesized {len(texts)} x {voice} in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    return speech


# --------------------------------------------------------------------------- run

def run_condition(stt: OfflineWhisper, wavs: list[bytes]) -> dict:
    refs = [text for _, text in UTTERANCES]
    hyps, raws, audio_s, compute_s, rows = [], [], 0.0, 0.0, []
    stt.repair = False  # repaired here, from the same decode, to report both
    for (domain, ref), wav in zip(UTTERANCES, wavs):
        audio = decode_audio(wav, **LIMITS)
        result = asyncio.run(stt.transcribe(audio))
        started = time.perf_counter()
        text = repair_transcript(result.text, result.language)
        raws.append(result.text)
        hyps.append(text)
        audio_s += audio.duration_s
        compute_s += result.compute_s + time.perf_counter() - started
        rows.append({"domain": domain, "ref": ref, "hyp": text, "raw": result.text,
                     "errors": edit_distance(normalise(ref), normalise(text)),
                     "words": len(normalise(ref)), "audio_s": round(audio.duration_s, 2),
                     "compute_s": round(result.compute_s, 3)})
    by_domain = {}
    for domain in dict.fromkeys(d for d, _ in UTTERANCES):
        picked = [i for i, (d, _) in enumerate(UTTERANCES) if d == domain]
        by_domain[domain] = round(wer([refs[i] for i in picked], [hyps[i] for i in picked]), 4)
    heard, said = 0, 0
    for ref, hyp in zip(refs, hyps):
        ref_words, hyp_words = set(normalise(ref)), set(normalise(hyp))
        for word in DOMAIN_WORDS:
            if word in ref_words:
                said += 1
                heard += word in hyp_words
    return {"wer": round(wer(refs, hyps), 4), "wer_raw": round(wer(refs, raws), 4),
            "errors": sum(r["errors"] for r in rows), "words": sum(r["words"] for r in rows),
            "errors_raw": sum(edit_distance(normalise(r["ref"]), normalise(r["raw"])) for r in rows),
            "rtf": round(compute_s / audio_s, 3),
            "audio_s": round(audio_s, 1), "compute_s": round(compute_s, 1),
            "domain_words_heard": f"{heard}/{said}", "wer_by_domain": by_domain, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", default="piper," + ",".join(f"espeak:{v}" for v in ESPEAK_VOICES),
                        help="comma list: piper, hibari, espeak:<voice>")
    parser.add_argument("--rates", default="16000,8000")
    parser.add_argument("--prompts", default="domain,none")
    parser.add_argument("--model", default="base", help="Settings.stt_model")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--takes", type=int, default=3,
                        help="piper recordings per utterance (seeded noise, see the module doc)")
    parser.add_argument("--out", default=str(RESULTS / "stt_wer.json"))
    args = parser.parse_args(argv)

    voices = [v for v in args.voices.split(",") if v]
    if any(v.startswith("espeak:") for v in voices) and shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: apt-get install espeak-ng "
              "(or pass --voices piper)", file=sys.stderr)
        return 2
    rates = [int(r) for r in args.rates.split(",")]
    prompts = [p for p in args.prompts.split(",") if p]
    data_dir = Path(os.environ.get("AURASENSE_DATA_DIR", ".aurasense"))
    base = Settings(data_dir=data_dir, stt_model=args.model, stt_threads=args.threads)

    speech = synthesize_all(voices, base)
    for take in range(2, args.takes + 1):
        if "piper" in speech:
            speech[f"piper#{take}"] = synthesize_all(["piper"], base, take)["piper"]
    models = {}
    for prompt in prompts:
        stt = OfflineWhisper(base)
        stt._prompt = PROMPTS[prompt]  # same model, prompt toggled
        models[prompt] = stt
    loaded = time.perf_counter()
    asyncio.run(models[prompts[0]].warm_up())
    for prompt in prompts[1:]:  # share the loaded model: one load, one copy in memory
        models[prompt]._model = models[prompts[0]]._model
    print(f"model {args.model} loaded in {time.perf_counter() - loaded:.1f} s", file=sys.stderr)

    results = []
    print(f"{'voice':<16}{'rate':>6}  {'prompt':<7}{'WER':>7}{'raw':>7}{'RTF':>7}  domain words  "
          + "  ".join(f"{d:>10}" for d in dict.fromkeys(d for d, _ in UTTERANCES)))
    for voice, wavs in speech.items():
        for rate in rates:
            resampled = [resample_wav(w, rate) for w in wavs]
            for prompt in prompts:
                r = run_condition(models[prompt], resampled)
                r.update(voice=voice, rate=rate, prompt=prompt)
                results.append(r)
                write(Path(args.out), args, results)  # partial results survive an interrupt
                print(f"{voice:<16}{rate:>6}  {prompt:<7}{r['wer']:>7.1%}{r['wer_raw']:>7.1%}"
                      f"{r['rtf']:>7.3f}  {r['domain_words_heard']:>12}  "
                      + "  ".join(f"{v:>10.1%}" for v in r["wer_by_domain"].values()), flush=True)

    for p in pooled(results):
        print(f"{'pooled piper':<16}{p['rate']:>6}  {p['prompt']:<7}{p['wer']:>7.1%}{p['wer_raw']:>7.1%}"
              f"{p['rtf']:>7.3f}  {p['takes']} takes: " + ", ".join(f"{w:.1%}" for w in p["per_take"]))
    write(Path(args.out), args, results)
    return 0


def pooled(results: list[dict]) -> list[dict]:
    """Per rate and prompt, the piper takes added up: total errors / total words."""
    out = []
    for rate, prompt in dict.fromkeys((r["rate"], r["prompt"]) for r in results):
        takes = [r for r in results if r["rate"] == rate and r["prompt"] == prompt
                 and r["voice"].split("#")[0] == "piper"]
        if not takes:
            continue
        words = sum(r["words"] for r in takes)
        out.append({"rate": rate, "prompt": prompt, "takes": len(takes),
                    "wer": round(sum(r["errors"] for r in takes) / words, 4),
                    "wer_raw": round(sum(r["errors_raw"] for r in takes) / words, 4),
                    "per_take": [r["wer"] for r in takes],
                    "rtf": round(sum(r["compute_s"] for r in takes) / sum(r["audio_s"] for r in takes), 3)})
    return out


def write(out: Path, args, results: list[dict]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"model": args.model, "threads": args.threads, "utterances": len(UTTERANCES),
            "cpu_count": os.cpu_count(), "machine": platform.machine(),
            "prompts": {k: PROMPTS[k] for k in args.prompts.split(",") if k}, "beam_size": OfflineWhisper.BEAM_SIZE}
    out.write_text(json.dumps({"meta": meta, "pooled_piper": pooled(results), "results": results}, indent=1))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
