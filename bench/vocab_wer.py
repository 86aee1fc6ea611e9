"""How well the product's speech recognition hears its own domain vocabulary.

    python -m bench.vocab_wer [--split test|dev] [--limit N] [--file F]

Each line of ``bench/data/understanding/vocab.<split>.jsonl`` (``{"id", "text", "terms"}``: a
sentence and the domain terms in it: dishes, neighbourhoods, names...) is spoken in its two
conditions (``bench.speech_render``: one piper take, one espeak-ng voice, speed and noise
varied) and transcribed by the product's STT (``bench.speech_transcribe``).  A term *survives*
when its normalised words appear, in order and adjacent, in the normalised transcript
(``bench.stt_wer.normalise``: case, punctuation, hyphens, digits; American spellings such as
"celiac" count as the British term, ``SPELLING``).

Prints term recall overall, per engine, per noise level and per term (the least-heard first,
with what was heard instead), the ordinary word error rate, and how often the speech check
would have asked the user to repeat; writes ``bench/results/vocab_wer.json`` (``--split dev``: ``vocab_wer.dev.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.settings import Settings  # noqa: E402
from bench.speech_takes import SpeechTakes  # noqa: E402
from bench.stt_wer import normalise, wer  # noqa: E402
from bench.understanding_data import load_lines, sample, shown, source_of  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
# American spellings Whisper writes for British terms: the term was heard, only spelled the
# other way (the product's word lists take both, e.g. agents.slots "coeliac" / "celiac").
SPELLING = {"celiac": "coeliac", "sulfite": "sulphite", "sulfites": "sulphites",
            "mollusk": "mollusc", "mollusks": "molluscs"}


def words(text: str) -> list[str]:
    return [SPELLING.get(w, w) for w in normalise(text)]


def contains(words: list[str], term: list[str]) -> bool:
    """Is ``term`` (a word list) a contiguous run of ``words``?"""
    n = len(term)
    return n > 0 and any(words[i:i + n] == term for i in range(len(words) - n + 1))


def term_hits(text: str, terms: list[str]) -> dict[str, bool]:
    heard = words(text)
    return {term: contains(heard, words(term)) for term in terms}


def recall(rows: list[dict]) -> dict:
    said = sum(len(r["hits"]) for r in rows)
    heard = sum(sum(r["hits"].values()) for r in rows)
    return {"recall": round(heard / said, 4) if said else None, "heard": heard, "said": said}


def grouped(rows: list[dict], key: str) -> dict[str, dict]:
    groups = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    return {str(k): recall(v) | {
        "unclear": round(sum(bool(r["unclear"]) for r in v) / len(v), 4),
        "wer": round(wer([r["text"] for r in v], [r["heard"] for r in v]), 4), "renderings": len(v)}
        for k, v in sorted(groups.items())}


def per_term(rows: list[dict]) -> dict[str, dict]:
    terms: dict[str, dict] = {}
    for r in rows:
        for term, hit in r["hits"].items():
            t = terms.setdefault(term.lower(), {"said": 0, "heard": 0, "misheard_as": []})
            t["said"] += 1
            t["heard"] += hit
            if not hit:
                t["misheard_as"].append(f"[{r['condition']}] {r['heard']}")
    for t in terms.values():
        t["recall"] = round(t["heard"] / t["said"], 3)
    return dict(sorted(terms.items(), key=lambda kv: (kv[1]["recall"], -kv[1]["said"], kv[0])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--limit", type=int, default=None, help="first N lines only (development)")
    parser.add_argument("--sample", type=int, default=None,
                        help="N lines picked by the hash of their id (the speech pass on a busy machine)")
    parser.add_argument("--file", default=None, help="another vocab JSON-lines file")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)

    source = source_of("vocab", args.split, args.file)
    lines = sample(load_lines(source, args.limit), args.sample)
    settings = Settings.from_env()
    speech = SpeechTakes(settings)
    renderer, transcriber = speech.renderer, speech.transcriber
    print(f"{len(lines)} lines from {source}; transcribing with {transcriber.describe()}", flush=True)
    rows, started = [], time.perf_counter()
    for line, cond, heard, _ in speech.takes(lines):
        rows.append({"id": line["id"], "text": line["text"], "heard": heard.text,
                     "unclear": heard.unclear, "engine": cond.engine, "voice": cond.voice,
                     "noise": cond.noise_label, "speed": cond.speed, "condition": cond.label,
                     "hits": term_hits(heard.text, line["terms"]),
                     "stt_s": round(heard.compute_s, 3)})

    overall = recall(rows) | {"wer": round(wer([r["text"] for r in rows], [r["heard"] for r in rows]), 4),
                              "unclear": round(sum(bool(r["unclear"]) for r in rows) / max(len(rows), 1), 4),
                              "renderings": len(rows)}
    by = {k: grouped(rows, k) for k in ("engine", "noise", "voice", "speed")}
    terms = per_term(rows)

    print(f"\nterm recall {overall['recall']:.1%} ({overall['heard']}/{overall['said']}), "
          f"WER {overall['wer']:.1%}; speech check unsure (would ask to repeat) "
          f"{overall['unclear']:.1%} of renderings")
    for key, groups in by.items():
        print(f"\nper {key}:")
        for k, g in groups.items():
            print(f"  {str(k):<20} term recall {g['recall']:>6.1%}  WER {g['wer']:>6.1%}  "
                  f"unsure {g['unclear']:>6.1%}  n={g['renderings']}")
    print("\nleast-heard terms:")
    for term, t in list(terms.items())[:30]:
        example = t["misheard_as"][0] if t["misheard_as"] else ""
        print(f"  {term:<22} {t['heard']}/{t['said']}  {example}")
    stt = [r["stt_s"] for r in rows]
    timing = {"wall_s": round(time.perf_counter() - started, 1), "rendered": renderer.rendered,
              "transcribed": transcriber.transcribed, "stt_mean_s": round(sum(stt) / max(len(stt), 1), 3),
              "stt_provider": transcriber.describe()}
    print(f"\ntiming: {timing}")

    if args.limit and not args.out:
        print("(--limit: nothing written; pass --out to keep it)")
        return 0
    name = "vocab_wer" + ("" if args.split == "test" and not args.file else
                          f".{'file' if args.file else args.split}")
    out = Path(args.out) if args.out else RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"source": shown(source), "split": None if args.file else args.split,
                               "n_lines": len(lines), "sample": args.sample, "overall": overall, "by": by, "terms": terms,
                               "timing": timing, "rows": rows}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
