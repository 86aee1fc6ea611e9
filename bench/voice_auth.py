"""Voice sign-in: false-accept and false-reject rates of the voiceprint at the agent's threshold.

    .venv/bin/python -m bench.voice_auth                   # ~2 min on 2 shared cores
    .venv/bin/python -m bench.voice_auth --fit-background  # print voiceprint.py's _BG_* constants

Speakers (synthetic, the only voices available offline): piper's joe (neural, male US),
hibari's heart (neural, female US; when ``hibari-tts`` is installed) and espeak-ng voice
variants on en-us (m1 = the default, m2..m7, f1..f5, klatt).  Each speaker has a passphrase;
it *enrols* with 3 utterances ("set up voice sign-in, my passphrase is …") and *verifies* with
4 others ("sign me in: …"); **impostor trials** are every other speaker saying the target's
verification sentences, passphrase included, so only the voice can reject them.

Every utterance is spoken at a random pace (0.85-1.15), scaled to a random level (-12..0 dB)
and mixed with white noise (enrolment 20-35 dB SNR, verification 15-30 dB), written as WAV
and decoded by ``decode_audio`` as the pipeline does.  Two independent draws: the *dev* draw
(seed 1) chooses a threshold (the lowest with FAR <= 1 %), the *eval* draw (seed 2, other
paces, noise and passphrase assignment) reports FAR/FRR at the agent's threshold
(``agents.auth_agent.VOICE_THRESHOLD``, set from the dev draw) and the EER.

A separate *same voice, other accent* table: espeak-ng en-gb, en-gb-scotland and en-029 share
en-us's default vocal-tract parameters; they try to pass as the en-us speaker.

The background statistics in ``speech/voiceprint.py`` come from other espeak-ng
variants (``BACKGROUND``), never from the benchmark's speakers.

Results: printed as a table and written to ``bench/results/voice_auth.json``.  Last run
(15 speakers, threshold 0.83): quiet (30-45 dB SNR) FAR 0.7 %, FRR 10 %, EER 1.9 %; noisy
(15-30 dB) FAR 1.2 %, FRR 53 %, EER 13 %; same voice in another accent: 0 of 12 accepted.
piper's synthesis is not seeded, so numbers move a little between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from speech.audio import decode_audio, wav_bytes  # noqa: E402
from speech.tts import EspeakTTS, HibariTTS, PiperTTS  # noqa: E402
from speech import voiceprint as vp  # noqa: E402
from core.settings import Settings  # noqa: E402

RESULTS = Path(__file__).parent / "results"
LIMITS = dict(max_seconds=60.0, max_bytes=50 * 1024 * 1024)
ESPEAK_SPEAKERS = ("en-us", "en-us+m2", "en-us+m3", "en-us+m4", "en-us+m5", "en-us+m6", "en-us+m7",
                   "en-us+f1", "en-us+f2", "en-us+f3", "en-us+f4", "en-us+f5", "en-us+klatt")
ACCENTS = ("en-gb", "en-gb-scotland", "en-029")  # same vocal tract as "en-us", other accent
BACKGROUND = ("en-us+Andy", "en-us+Annie", "en-us+adam", "en-us+anika", "en-us+Alex", "en-us+boris",
              "en-us+david", "en-us+ed", "en-us+gustave", "en-us+john", "en-us+linda", "en-us+max",
              "en-us+michel", "en-us+paul", "en-us+rob", "en-us+steph", "en-us+quincy", "en-us+zac")
BACKGROUND_SENTENCES = ("Find me somewhere quiet for dinner in London tonight.",
                        "I am allergic to peanuts and shellfish.",
                        "What should I eat in Lagos if I like spicy food?",
                        "Book a hotel near the river for three nights.",
                        "My friends and I want a table for six on Saturday.")
PASSPHRASES = ("blue mango sunrise", "seven silver lanterns", "purple tiger morning",
               "quiet river bakery", "golden pepper garden", "orange kite festival",
               "paper moon harbour", "green tea thunder")
ENROL = ("set up voice sign-in, my passphrase is {p}", "my passphrase is {p}", "{p}. remember my voice")
VERIFY = ("sign me in: {p}", "it's me, verify my voice. {p}", "log me in, {p}", "{p}")
IMPOSTOR_VERIFY = VERIFY[:2]
TARGET_FAR = 0.01
ENROL_SNR = (20, 45)
CONDITIONS = {"quiet": (30, 45), "noisy": (15, 30)}  # verification SNR, dB
BACKGROUND_SNR = (15, 45)


def speakers(settings: Settings) -> dict:
    out = {"piper-joe": PiperTTS(settings)}
    try:
        import hibari  # noqa: F401
        out["hibari-heart"] = HibariTTS(settings)
    except ImportError:
        print("hibari-tts not installed: benchmark without it (pip install hibari-tts==0.2.1)")
    for voice in ESPEAK_SPEAKERS:
        out[f"espeak-{voice}"] = EspeakTTS(settings, voice=voice)
    return out


async def utterance(tts, text: str, rng: np.random.Generator, snr_db: tuple[float, float]):
    """Speak ``text`` at a random pace, level and noise; return what decode_audio makes of it."""
    clean = decode_audio(await tts.synthesize(text, float(rng.uniform(0.85, 1.15))), **LIMITS).samples
    x = clean * 10 ** (rng.uniform(-12, 0) / 20)
    noise = rng.standard_normal(x.size)
    power = float(np.mean(x ** 2)) or 1e-12
    x = x + noise * np.sqrt(power / 10 ** (rng.uniform(*snr_db) / 10))
    return decode_audio(wav_bytes(np.clip(x, -1, 1).astype(np.float32), vp.RATE), **LIMITS)


async def draw(voices: dict, seed: int, verify_snr: tuple[float, float], accents: dict | None = None) -> dict:
    """Scores of one random draw: genuine and impostor trials (and accent trials)."""
    rng = np.random.default_rng(seed)
    names = list(voices)
    order = rng.permutation(len(PASSPHRASES) * (len(names) // len(PASSPHRASES) + 1))
    phrase = {name: PASSPHRASES[order[i] % len(PASSPHRASES)] for i, name in enumerate(names)}
    templates, genuine, impostor, timings = {}, [], [], []
    for name in names:
        prints = []
        for t in ENROL:
            audio = await utterance(voices[name], t.format(p=phrase[name]), rng, ENROL_SNR)
            started = time.perf_counter()
            prints.append(vp.voiceprint(audio))
            timings.append((time.perf_counter() - started) / max(audio.duration_s, 1e-3) * 3.0)
        templates[name] = vp.template(prints)
    for target in names:
        for t in VERIFY:
            audio = await utterance(voices[target], t.format(p=phrase[target]), rng, verify_snr)
            genuine.append({"speaker": target, "score": vp.similarity(templates[target], vp.voiceprint(audio))})
        for other in names:
            if other == target:
                continue
            for t in IMPOSTOR_VERIFY:
                audio = await utterance(voices[other], t.format(p=phrase[target]), rng, verify_snr)
                impostor.append({"target": target, "speaker": other,
                                 "score": vp.similarity(templates[target], vp.voiceprint(audio))})
    accent_trials = []
    for name, tts in (accents or {}).items():
        target = "espeak-en-us"
        for t in VERIFY:
            audio = await utterance(tts, t.format(p=phrase[target]), rng, verify_snr)
            accent_trials.append({"target": target, "speaker": name,
                                  "score": vp.similarity(templates[target], vp.voiceprint(audio))})
    return {"phrases": phrase, "genuine": genuine, "impostor": impostor, "accent": accent_trials,
            "voiceprint_ms_per_3s": float(np.median(timings)) * 1000}


def rates(genuine: list[float], impostor: list[float], threshold: float) -> tuple[float, float]:
    g, i = np.asarray(genuine), np.asarray(impostor)
    return float((i >= threshold).mean()), float((g < threshold).mean())


def eer(genuine: list[float], impostor: list[float]) -> tuple[float, float]:
    """(equal error rate, threshold there): the threshold where FAR and FRR cross."""
    best = None
    for t in np.unique(np.concatenate([genuine, impostor])):
        far, frr = rates(genuine, impostor, t)
        if best is None or abs(far - frr) < best[0]:
            best = (abs(far - frr), (far + frr) / 2, float(t))
    return best[1], best[2]


def threshold_for(genuine: list[float], impostor: list[float], target_far: float = TARGET_FAR) -> float:
    """The lowest threshold (fewest false rejects) whose FAR is <= ``target_far``."""
    for t in np.unique(np.concatenate([genuine, impostor])):
        if rates(genuine, impostor, t)[0] <= target_far:
            return round(float(t), 3)
    return 1.0


async def fit_background(settings: Settings) -> None:
    rng = np.random.default_rng(0)
    rows = []
    for voice in BACKGROUND:
        tts = EspeakTTS(settings, voice=voice)
        for sentence in BACKGROUND_SENTENCES:
            audio = await utterance(tts, sentence, rng, BACKGROUND_SNR)
            rows.append(vp.statistics(audio.samples))
    rows = np.asarray(rows)
    fmt = lambda a: "np.array([" + ", ".join(f"{v:.4f}" for v in a) + "])"  # noqa: E731
    print(f"# {len(BACKGROUND)} espeak-ng variants x {len(BACKGROUND_SENTENCES)} sentences, noise {BACKGROUND_SNR} dB SNR")
    print(f"_BG_MEAN = {fmt(rows.mean(0))}")
    print(f"_BG_STD = {fmt(rows.std(0))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit-background", action="store_true")
    parser.add_argument("--out", default=str(RESULTS / "voice_auth.json"))
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is missing: apt-get update && apt-get install -y espeak-ng", file=sys.stderr)
        return 2
    settings = Settings()
    if args.fit_background:
        asyncio.run(fit_background(settings))
        return 0
    from agents.auth_agent import VOICE_THRESHOLD

    voices = speakers(settings)
    accents = {f"espeak-{a}": EspeakTTS(settings, voice=a) for a in ACCENTS}
    started = time.perf_counter()
    draws = {"dev (quiet)": asyncio.run(draw(voices, 1, CONDITIONS["quiet"])),
             "eval quiet": asyncio.run(draw(voices, 2, CONDITIONS["quiet"], accents)),
             "eval noisy": asyncio.run(draw(voices, 3, CONDITIONS["noisy"]))}
    elapsed = time.perf_counter() - started
    score = lambda trials: [t["score"] for t in trials]  # noqa: E731
    dev = draws["dev (quiet)"]
    dev_threshold = threshold_for(score(dev["genuine"]), score(dev["impostor"]))
    table = {}
    for label, d in draws.items():
        g, i = score(d["genuine"]), score(d["impostor"])
        far, frr = rates(g, i, VOICE_THRESHOLD)
        equal, at = eer(g, i)
        table[label] = {"far": far, "frr": frr, "eer": equal, "eer_threshold": at,
                        "genuine_trials": len(g), "impostor_trials": len(i),
                        "verify_snr_db": CONDITIONS["noisy" if "noisy" in label else "quiet"]}
    ev = draws["eval quiet"]
    g = score(ev["genuine"])
    accent_far = rates(g, score(ev["accent"]), VOICE_THRESHOLD)[0]
    per_speaker = {}
    for name in voices:
        gs = [t["score"] for t in ev["genuine"] if t["speaker"] == name]
        as_target = [t["score"] for t in ev["impostor"] if t["target"] == name]
        per_speaker[name] = {"frr": rates(gs, [0.0], VOICE_THRESHOLD)[1],
                             "far_as_target": rates([1.0], as_target, VOICE_THRESHOLD)[0],
                             "genuine_min": round(min(gs), 3), "impostor_max": round(max(as_target), 3)}
    worst = sorted(ev["impostor"], key=lambda t: -t["score"])[:8]

    print(f"\nvoice sign-in, voiceprint {vp.VERSION} ({vp.DIM} floats), {len(voices)} speakers, "
          f"{elapsed:.0f} s; threshold {VOICE_THRESHOLD:.3f}\n")
    print(f"{'draw':<12} {'SNR dB':>8} {'genuine':>8} {'impostor':>9} {'FAR':>7} {'FRR':>7} {'EER':>7} {'at':>6}")
    for label, row in table.items():
        snr = "%d-%d" % row["verify_snr_db"]
        print(f"{label:<12} {snr:>8} {row['genuine_trials']:>8} {row['impostor_trials']:>9} {row['far']:>7.2%} "
              f"{row['frr']:>7.2%} {row['eer']:>7.2%} {row['eer_threshold']:>6.3f}")
    print(f"\ndev-chosen threshold (lowest with FAR <= {TARGET_FAR:.0%}): {dev_threshold:.3f}; "
          f"agent uses {VOICE_THRESHOLD:.3f}")
    print(f"same voice, other accent ({', '.join(ACCENTS)} as en-us, quiet): FAR {accent_far:.0%} "
          f"of {len(ev['accent'])} trials (scores {min(score(ev['accent'])):.3f}-{max(score(ev['accent'])):.3f})")
    print(f"\n{'speaker (eval quiet)':<22} {'FRR':>6} {'FAR as target':>14} {'genuine min':>12} {'impostor max':>13}")
    for name, row in per_speaker.items():
        print(f"{name:<22} {row['frr']:>6.0%} {row['far_as_target']:>14.1%} {row['genuine_min']:>12.3f} {row['impostor_max']:>13.3f}")
    print("\nhighest impostor scores:", ", ".join(f"{t['speaker']}→{t['target']} {t['score']:.3f}" for t in worst[:5]))
    print(f"voiceprint cost: {ev['voiceprint_ms_per_3s']:.1f} ms per 3 s of audio")

    result = {
        "method": vp.VERSION, "dims": vp.DIM, "speakers": list(voices), "threshold": VOICE_THRESHOLD,
        "dev_chosen_threshold": dev_threshold, "target_far": TARGET_FAR, "draws": table,
        "same_voice_other_accent": {"far": accent_far, "trials": ev["accent"]},
        "per_speaker_eval_quiet": per_speaker, "worst_impostors_eval_quiet": worst,
        "voiceprint_ms_per_3s": ev["voiceprint_ms_per_3s"], "seconds": elapsed,
        "conditions": f"pace 0.85-1.15, level -12..0 dB, white noise: enrol {ENROL_SNR} dB SNR, verify {CONDITIONS}",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, default=float))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
