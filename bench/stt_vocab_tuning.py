"""Tune how Whisper is biased toward the product's words (diet and sign-in words) on a dev set.

    .venv/bin/python -m bench.stt_vocab_tuning                 # every option, dev sentences
    .venv/bin/python -m bench.stt_vocab_tuning --options shipped,hotwords

Issue 15 item 4: Whisper base never wrote "halal"; "coeliac", "Jain", "passphrase", "sign in"
and "log out" were lost too.  This compares ways of biasing the decoder on the same audio:
the shipped ``initial_prompt`` (cities and dishes), no prompt, the prompt plus faster-whisper's
``hotwords``, hotwords alone, and the prompt with a second sentence naming the words.  Each is
scored with and without ``repair_transcript`` (the catalogue-name repair).

How the speech was made: the ``DEV`` sentences below were written for this tuning (each
target word at least twice, in requests a user might make), spoken by piper joe and espeak-ng
en-us (``--voices`` adds others), at 16 kHz, through ``decode_audio`` and ``OfflineWhisper``
(base int8, beam 5).  They are for choosing an option only: the held-out
judgement is ``bench/vocab_wer.py`` on ``bench/data/understanding/vocab.test.jsonl`` (another
set, written separately); ``--data`` reads that set's dev split instead of these sentences.

Term recall: the term's words appear in order in the normalised transcript ("celiac" counts as
"coeliac", "pass phrase" / "pass-phrase" as "passphrase", "sign-in" as "sign in", "logout" as
"log out": the slot parser reads those spellings alike).  Writes
``bench/results/stt_vocab_tuning.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from speech.audio import decode_audio  # noqa: E402
from agents.providers.errors import AudioError  # noqa: E402
from speech.stt import DOMAIN_HOTWORDS, DOMAIN_PROMPT, OfflineWhisper, repair_transcript  # noqa: E402
from speech.sound_alike import edit_distance  # noqa: E402
from speech.tts import PiperTTS  # noqa: E402
from core.settings import Settings  # noqa: E402
from bench.stt_wer import espeak_wav, normalise  # noqa: E402

RESULTS = Path(__file__).parent / "results"
LIMITS = dict(max_seconds=60.0, max_bytes=50 * 1024 * 1024)
TERMS = ("halal", "coeliac", "jain", "passphrase", "sign in", "log out")
VOICES = ("piper", "espeak:en-us")  # --voices adds piper#2 (another seeded take), espeak:en-gb...

DEV = [
    "I eat halal food only, please keep that in mind.",
    "Is the lamb at this place halal?",
    "Show me halal and kosher options in London.",
    "My wife is coeliac, so nothing with wheat or barley.",
    "I'm coeliac and I need a gluten-free dinner tonight.",
    "My friend is coeliac and allergic to sesame.",
    "We follow a Jain diet, no onions or garlic please.",
    "My parents are Jain, can you find them a thali?",
    "Strict Jain food in Mumbai, nothing grown underground.",
    "I want to change my passphrase.",
    "Let me sign in with my passphrase.",
    "Set a new passphrase for my voice sign in.",
    "Please sign in for me, it's Kemi.",
    "Log out of my account now.",
    "Can you log out and sign in as my brother?",
    "How do I log out?",
]

OPTIONS = {  # name -> (initial_prompt, hotwords)
    "shipped": (DOMAIN_PROMPT, None),
    "none": (None, None),
    "hotwords": (DOMAIN_PROMPT, DOMAIN_HOTWORDS),
    "hotwords_only": (None, DOMAIN_HOTWORDS),
    "prompt_plus": (DOMAIN_PROMPT + " My friend is halal, his wife is coeliac and her parents are Jain;"
                    " I sign in with my passphrase and log out.", None),
}

OPTIONS["both"] = (OPTIONS["prompt_plus"][0], DOMAIN_HOTWORDS)

_SAME = ((r"\bceliac\b", "coeliac"), (r"\bpass[ -]?phrase\b", "passphrase"), (r"\bsign-in\b", "sign in"),
         (r"\blogout\b", "log out"), (r"\blog-out\b", "log out"))


def term_words(text: str) -> list[str]:
    text = text.lower()
    for pattern, canonical in _SAME:
        text = re.sub(pattern, canonical, text)
    return normalise(text)


def has(words: list[str], term: str) -> bool:
    t = term.split()
    return any(words[i:i + len(t)] == t for i in range(len(words) - len(t) + 1))


def sentences(data: str | None) -> list[tuple[str, list[str]]]:
    """(sentence, the terms it says): ``DEV`` with the issue's six terms, or a vocab dev set."""
    if not data:
        return [(t, [term for term in TERMS if has(term_words(t), term)]) for t in DEV]
    if "test" in Path(data).name:
        raise SystemExit("tuning never reads a test split")
    rows = [json.loads(line) for line in Path(data).read_text().splitlines() if line.strip()]
    return [(r["text"], r["terms"]) for r in rows]


def speak(texts: list[str], voice: str, settings: Settings) -> list[bytes]:
    if voice.startswith("piper"):
        import onnxruntime

        onnxruntime.set_seed(int(voice.partition("#")[2] or 1))
        tts = PiperTTS(settings)
        return [asyncio.run(tts.synthesize(t)) for t in texts]
    return [espeak_wav(t, voice.removeprefix("espeak:")) for t in texts]


def run(options: list[str], items: list[tuple[str, list[str]]], voices=VOICES) -> dict:
    settings = Settings(stt_threads=2)
    stt = OfflineWhisper(settings)
    stt.repair = False  # scored both ways from one decode
    asyncio.run(stt.warm_up())
    texts = [t for t, _ in items]
    audio = {v: [decode_audio(w, **LIMITS) for w in speak(texts, v, settings)] for v in voices}
    out = {}
    for name in options:
        stt._prompt, stt.hotwords = OPTIONS[name]
        started, rows = time.perf_counter(), []
        for voice, clips in audio.items():
            for (text, terms), clip in zip(items, clips):
                try:
                    heard = asyncio.run(stt.transcribe(clip))
                    said, language = heard.text, heard.language
                except AudioError:  # the decoder wrote nothing: every word missed
                    said, language = "", "en"
                rows.append({"voice": voice, "ref": text, "terms": terms, "raw": said,
                             "repaired": repair_transcript(said, language)})
        out[name] = {"rows": rows, "compute_s": round(time.perf_counter() - started, 1)}
        for kind in ("raw", "repaired"):
            out[name][kind] = score(rows, kind)
        print(f"{name:14} raw {summary(out[name]['raw'])}  | repaired {summary(out[name]['repaired'])}",
              file=sys.stderr)
    return out


def score(rows: list[dict], kind: str) -> dict:
    refs = [term_words(r["ref"]) for r in rows]
    hyps = [term_words(r[kind]) for r in rows]
    errors = sum(edit_distance(r, h) for r, h in zip(refs, hyps))
    recall: dict[str, list[int]] = {}
    for row, hyp in zip(rows, hyps):
        for term in row["terms"]:
            tally = recall.setdefault(term.lower(), [0, 0])
            tally[0] += has(hyp, " ".join(term_words(term)))
            tally[1] += 1
    issue = [recall.get(t, [0, 0]) for t in TERMS]
    return {"wer": round(errors / max(sum(map(len, refs)), 1), 4),
            "terms_heard": sum(v[0] for v in recall.values()), "terms_said": sum(v[1] for v in recall.values()),
            "issue_terms_heard": sum(v[0] for v in issue), "issue_terms_said": sum(v[1] for v in issue),
            "recall": recall}


def summary(s: dict) -> str:
    per = " ".join(f"{t.replace(' ', '_')} {s['recall'][t][0]}/{s['recall'][t][1]}" for t in TERMS if t in s["recall"])
    return (f"WER {100 * s['wer']:.1f}% all terms {s['terms_heard']}/{s['terms_said']}, "
            f"issue terms {s['issue_terms_heard']}/{s['issue_terms_said']} ({per})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--options", default=",".join(OPTIONS))
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--out", default="stt_vocab_tuning.json", help="file name under bench/results")
    parser.add_argument("--data", help="a vocab *dev* jsonl ({'text': ...} per line) instead of DEV")
    args = parser.parse_args()
    items = sentences(args.data)
    voices = tuple(args.voices.split(","))
    result = run(args.options.split(","), items, voices)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / args.out).write_text(json.dumps(
        {"sentences": "DEV in this script" if not args.data else args.data, "voices": voices,
         "options": {k: {"prompt": OPTIONS[k][0], "hotwords": OPTIONS[k][1]} for k in result},
         "results": result}, ensure_ascii=False, indent=1))
    print(f"dev sentences: {len(items)} x {len(voices)} voices ({args.data or 'DEV in this script'})")
    for name, r in result.items():
        print(f"{name:14} raw      {summary(r['raw'])}")
        print(f"{'':14} repaired {summary(r['repaired'])}")


if __name__ == "__main__":
    main()
