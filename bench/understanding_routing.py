"""Routing accuracy on the held-out understanding set, through text and through speech.

    python -m bench.understanding_routing [--split test|dev] [--speech] [--limit N] [--file F]

Every line of ``bench/data/understanding/routing.<split>.jsonl`` is routed with its user state
(``state``: onboarded, previous agent, what the assistant is waiting for) by
``agents.router.decide``.

``--speech``: each line is also spoken in its two conditions (``bench.speech_render``: one piper
take, one espeak-ng voice; speed and noise varied), transcribed by the product's STT
(``bench.speech_transcribe``: ``speech_check.hear``, as the transcribe stage) and the transcript
routed with the same state; speech the check doubts is routed as in the route stage: to the
agent the router is sure of, which reads it back before acting, else to clarify (the user is
asked to repeat).

Prints accuracy through text and through speech (per engine, noise level, speed, voice),
per-label precision/recall, confusion matrices, accuracy per tag, the worst misroutes with their
transcripts, and timings; writes ``bench/results/understanding_routing.json`` (with
``--split dev``: ``understanding_routing.dev.json``).  The test split is the one to report;
tune on dev only.  Target: >= 95 % through speech.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")

from agents import router  # noqa: E402
from agents.base import CLARIFY  # noqa: E402
from core.settings import Settings  # noqa: E402
from bench.routing_scores import LABELS, ms_summary, score, table  # noqa: E402
from bench.speech_takes import SpeechTakes  # noqa: E402
from bench.stt_wer import wer  # noqa: E402
from bench.understanding_data import load_lines, sample, shown, source_of  # noqa: E402

TARGET_SPEECH = 0.95
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_STATE = {"onboarded": True, "previous_agent": None, "awaiting": None}
WORST = 30


def expected_agent(label: str) -> str:
    """The data's ``none`` is the product's clarify."""
    return CLARIFY if label == "none" else label


def full_state(state: dict | None) -> dict:
    return DEFAULT_STATE | (state or {})


class Router:
    """``route(text, state) -> agent``: ``decide`` if the router has it, else the offline path."""

    def __init__(self) -> None:
        started = time.perf_counter()
        self.embedder = router.load_router_embedder()
        self.load_s = time.perf_counter() - started
        self.entry = "agents.router.decide"
        self.times_ms: list[float] = []

    def decide(self, text: str, state: dict, unclear: str | None = None):
        """The router's ``RouteDecision`` for ``text`` said by a user in ``state`` (a full state
        dict); ``unclear``: why the speech check doubted it."""
        started = time.perf_counter()
        decision = router.decide(text, state, self.embedder, unclear)
        self.times_ms.append((time.perf_counter() - started) * 1000)
        return decision

    def classify(self, text: str, state: dict):
        """The classifier's own ``RouteDecision``, before the user-state rules."""
        return router.classify(text, self.embedder, state)

    def route(self, text: str, state: dict, unclear: str | None = None) -> tuple[str, str]:
        """(agent, reason) of ``decide``."""
        decision = self.decide(text, state, unclear)
        return decision.agent, decision.reason


# --------------------------------------------------------------------------- scoring

def confusion(pairs: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """expected -> got -> count, over every label (zeros included, so the table is square)."""
    counts = Counter(pairs)
    return {e: {g: counts[(e, g)] for g in LABELS} for e in LABELS}


def confusion_table(matrix: dict[str, dict[str, int]]) -> str:
    short = {label: label[:5] for label in LABELS}
    lines = ["expected \\ got " + "".join(f"{short[g]:>7}" for g in LABELS)]
    for e in LABELS:
        lines.append(f"{e:<15}" + "".join(f"{matrix[e][g] or '.':>7}" for g in LABELS))
    return "\n".join(lines)


def accuracy_by(rows: list[dict], key) -> dict[str, dict]:
    """Accuracy of ``rows`` grouped by ``key(row)`` (a value or a list of values)."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        keys = key(row)
        for k in keys if isinstance(keys, list) else [keys]:
            groups[k].append(row["got"] == row["expected"])
    return {k: {"accuracy": round(sum(v) / len(v), 4), "n": len(v)} for k, v in sorted(groups.items())}


def training_texts() -> set[str]:
    """Normalised sentences of the router's training data (agent specs, agents/router_data/): a test line
    written the same way by chance is reported apart, as it says less about new sentences."""
    from agents.router_training import team_rows

    return {_plain(row["text"]) for row in team_rows()}


def _plain(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def summary(rows: list[dict], seen: set[str] | None = None) -> dict:
    pairs = [(r["expected"], r["got"]) for r in rows]
    result = score(pairs) | {"n": len(rows), "confusion": confusion(pairs),
                             "by_tag": accuracy_by(rows, lambda r: r["tags"] or ["(none)"])}
    if seen is not None:
        result["by_training_overlap"] = accuracy_by(
            rows, lambda r: "also in training data" if _plain(r["text"]) in seen else "not in training data")
    return result


def print_summary(title: str, result: dict) -> None:
    print(f"\n== {title}: accuracy {result['accuracy']:.1%} over {result['n']}")
    print(table(result))
    print(confusion_table(result["confusion"]))


def print_groups(title: str, groups: dict[str, dict]) -> None:
    print(f"\n{title}")
    for k, v in groups.items():
        print(f"  {k:<28} {v['accuracy']:>7.1%}  n={v['n']}")


# --------------------------------------------------------------------------- runs

def route_text(lines: list[dict], routing: Router) -> list[dict]:
    rows = []
    for line in lines:
        agent, reason = routing.route(line["text"], full_state(line.get("state")))
        rows.append({"id": line["id"], "text": line["text"], "expected": expected_agent(line["label"]),
                     "got": agent, "reason": reason, "tags": line.get("tags", []),
                     "state": line.get("state") or {}})
    return rows


def route_speech(lines: list[dict], routing: Router, takes: SpeechTakes) -> tuple[list[dict], dict]:
    renderer, transcriber = takes.renderer, takes.transcriber
    print(f"speech: rendering to {renderer.cache_dir}, transcribing with {transcriber.describe()}",
          flush=True)
    rows, render_s, started = [], 0.0, time.perf_counter()
    for line, cond, heard, take_render_s in takes.takes(lines):
        render_s += take_render_s
        if heard.text:  # doubted speech as the route stage: read back if sure, else asked again
            agent, reason = routing.route(heard.text, full_state(line.get("state")), heard.unclear)
        else:
            agent, reason = "(no transcript)", heard.error or ""
        rows.append({"id": line["id"], "text": line["text"], "heard": heard.text,
                     "expected": expected_agent(line["label"]), "got": agent, "reason": reason,
                     "unclear": bool(heard.unclear),
                     "tags": line.get("tags", []), "engine": cond.engine, "voice": cond.voice,
                     "speed": cond.speed, "noise": cond.noise_label, "condition": cond.label,
                     "wer": round(wer([line["text"]], [heard.text]), 3),
                     "audio_s": round(heard.audio_s, 2), "stt_s": round(heard.compute_s, 3)})
    stt = [r["stt_s"] for r in rows]
    timing = {"render_s": round(render_s, 1), "rendered": renderer.rendered,
              "transcribed": transcriber.transcribed, "wall_s": round(time.perf_counter() - started, 1),
              "stt_s_total": round(sum(stt), 1), "audio_s_total": round(sum(r["audio_s"] for r in rows), 1),
              "stt_mean_s": round(sum(stt) / max(len(stt), 1), 3), "stt_provider": transcriber.describe()}
    return rows, timing


def worst_misroutes(text_rows: list[dict], speech_rows: list[dict], n: int = WORST) -> list[dict]:
    """Speech misroutes, lines wrong on most paths first (text and each condition), then by WER."""
    text_ok = {r["id"]: r["got"] == r["expected"] for r in text_rows}
    text_got = {r["id"]: r["got"] for r in text_rows}
    wrong = Counter(r["id"] for r in speech_rows if r["got"] != r["expected"])
    for i, ok in text_ok.items():
        wrong[i] += not ok
    misses = [r | {"text_got": text_got[r["id"]]} for r in speech_rows if r["got"] != r["expected"]]
    misses.sort(key=lambda r: (-wrong[r["id"]], -r["wer"], r["id"]))
    return misses[:n]


def speech_losses(text_rows: list[dict], speech_rows: list[dict]) -> dict:
    """What speech itself costs: of the renderings whose line routes right as text, the share
    still right through speech; how many wrong as text came out right through speech; how
    often the product asked to repeat (speech_check), read a doubted request back to the agent
    chosen for it, and sent it to a wrong agent."""
    text_ok = {r["id"]: r["got"] == r["expected"] for r in text_rows}
    kept = [r["got"] == r["expected"] for r in speech_rows if text_ok[r["id"]]]
    fixed = sum(r["got"] == r["expected"] for r in speech_rows if not text_ok[r["id"]])
    acted = [r for r in speech_rows if not r["unclear"]]
    read_back = [r for r in speech_rows if r["unclear"] and r["got"] != CLARIFY]
    wrong_action = sum(r["got"] != r["expected"] and r["got"] != CLARIFY for r in speech_rows)
    n = max(len(speech_rows), 1)
    return {"kept": round(sum(kept) / len(kept), 4) if kept else None, "n_text_right": len(kept),
            "lost": len(kept) - sum(kept), "right_only_through_speech": fixed,
            "asked_to_repeat": round((len(speech_rows) - len(acted) - len(read_back)) / n, 4),
            "read_back": len(read_back),
            "read_back_right": sum(r["got"] == r["expected"] for r in read_back),
            "accuracy_when_acted_on": round(sum(r["got"] == r["expected"] for r in acted)
                                            / max(len(acted), 1), 4),
            "wrong_agent": round(wrong_action / n, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--speech", action="store_true", help="also route through TTS + STT")
    parser.add_argument("--limit", type=int, default=None, help="first N lines only (development)")
    parser.add_argument("--sample", type=int, default=None,
                        help="N lines picked by the hash of their id (the speech pass on a busy machine)")
    parser.add_argument("--file", default=None, help="another routing JSON-lines file")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)

    source = source_of("routing", args.split, args.file)
    lines = load_lines(source, args.limit)
    routing = Router()
    print(f"{len(lines)} lines from {source}; router: {routing.entry} "
          f"(embedder + examples loaded in {routing.load_s:.2f} s)")
    text_rows = route_text(lines, routing)
    text_ms = ms_summary(routing.times_ms)
    text = summary(text_rows, training_texts())
    print_summary("through text", text)
    print_groups("through text, accuracy per tag", text["by_tag"])
    print_groups("through text, by overlap with the training sentences", text["by_training_overlap"])
    result = {"source": shown(source), "split": None if args.file else args.split, "n_lines": len(lines),
              "router": routing.entry, "router_load_s": round(routing.load_s, 3),
              "target_speech": TARGET_SPEECH, "text": text | {"route_latency": text_ms},
              "text_misses": [r for r in text_rows if r["got"] != r["expected"]]}

    if args.speech:
        settings = Settings.from_env()
        routing.times_ms.clear()
        spoken = sample(lines, args.sample)
        speech_rows, timing = route_speech(spoken, routing, SpeechTakes(settings))
        speech = summary(speech_rows)
        ids = {line["id"] for line in spoken}
        text_same = summary([r for r in text_rows if r["id"] in ids])
        by = {"engine": accuracy_by(speech_rows, lambda r: r["engine"]),
              "noise": accuracy_by(speech_rows, lambda r: r["noise"]),
              "speed": accuracy_by(speech_rows, lambda r: str(r["speed"])),
              "voice": accuracy_by(speech_rows, lambda r: r["voice"])}
        wer_by_engine = {e: round(wer([r["text"] for r in speech_rows if r["engine"] == e],
                                      [r["heard"] for r in speech_rows if r["engine"] == e]), 4)
                         for e in by["engine"]}
        engines = {e: summary([r for r in speech_rows if r["engine"] == e]) for e in by["engine"]}
        print_summary("through speech (all renderings)", speech)
        for engine, res in engines.items():
            print(f"  {engine:<10} accuracy {res['accuracy']:.1%} over {res['n']}, "
                  f"transcript WER {wer_by_engine[engine]:.1%}")
        for name, groups in by.items():
            print_groups(f"through speech, accuracy per {name}", groups)
        print_groups("through speech, accuracy per tag", speech["by_tag"])
        losses = speech_losses(text_rows, speech_rows)
        print(f"\nspeech's own cost: {losses['kept']:.1%} of the {losses['n_text_right']} renderings "
              f"of lines routed right as text stay right ({losses['lost']} lost); "
              f"{losses['right_only_through_speech']} right only through speech; asked to repeat "
              f"{losses['asked_to_repeat']:.1%} of renderings; doubted but read back to the agent chosen "
              f"{losses['read_back']} ({losses['read_back_right']} right); accuracy on the undoubted "
              f"{losses['accuracy_when_acted_on']:.1%}; sent to a wrong agent {losses['wrong_agent']:.1%}")
        worst = worst_misroutes(text_rows, speech_rows)
        print(f"\n{len(worst)} worst misroutes through speech (expected -> text / speech):")
        for r in worst:
            print(f"  {r['id']:<7} {r['expected']:>10} -> {r['text_got']:<10} / {r['got']:<10} "
                  f"[{r['condition']}] said {r['text']!r} heard {r['heard']!r}")
        print(f"\ntiming: {timing}")
        print(f"route latency (speech transcripts): {ms_summary(routing.times_ms)}")
        result |= {"speech": speech | {"by": by, "by_engine": engines, "wer_by_engine": wer_by_engine,
                                       "timing": timing, "n_lines": len(spoken),
                                       "sample": args.sample, "text_same_lines": text_same},
                   "speech_losses": losses, "speech_worst": worst,
                   "speech_misses": [r for r in speech_rows if r["got"] != r["expected"]]}
        same = "" if len(spoken) == len(lines) else \
            f" ({text_same['accuracy']:.1%} on the {len(spoken)} spoken lines)"
        print(f"\nthrough text {text['accuracy']:.1%}{same}, through speech {speech['accuracy']:.1%} "
              f"over {speech['n']} renderings of {len(spoken)} lines ("
              + ", ".join(f"{e} {r['accuracy']:.1%}" for e, r in engines.items())
              + f"); target >= {TARGET_SPEECH:.0%} through speech")
    else:
        print(f"\nthrough text {text['accuracy']:.1%} (route latency mean {text_ms['mean_ms']:.1f} ms, "
              f"p95 {text_ms['p95_ms']:.1f} ms)")

    name = "understanding_routing" + ("" if args.split == "test" and not args.file else
                                      f".{'file' if args.file else args.split}")
    if args.limit and not args.out:
        print("(--limit: nothing written; pass --out to keep it)")
        return 0
    out = Path(args.out) if args.out else RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result |= {"load_average": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
