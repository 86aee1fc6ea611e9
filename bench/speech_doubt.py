"""Is the speech check right to doubt?  What it asks the user to repeat, against what was said.

    python -m bench.speech_doubt [--split dev|test] [--sample N]

Each routing line is spoken in its two conditions and heard as the transcribe stage hears it
(``bench.speech_takes``; Whisper decodes cached, so a change to ``speech_check`` re-runs no
model).  For every take it compares the transcript with the sentence that was said:

* doubted takes heard right anyway (WER <= 0.15): the check's false alarms, the class the
  outside evaluation counted ("12 of 21 clarifying questions were transcribed correctly");
* acted-on takes heard badly (WER > 0.5): doubts the check missed;
* what routing the doubted transcripts would do instead of asking to repeat, by the classifier's
  own confidence (before the user-state rules): right and wrong routes, and how many of those go
  to an agent that changes stored state.  The product routes those at or above
  ``router.ACT_ON_DOUBTED_P`` and has the agent read the request back before acting on it.

Writes ``bench/results/speech_doubt.<split>.json``.  Tune on dev; the test split is the one to
report.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.speech_takes import SpeechTakes  # noqa: E402
from bench.stt_wer import wer  # noqa: E402
from bench.understanding_data import load_lines, sample, split_path  # noqa: E402
from bench.understanding_routing import RESULTS, Router, expected_agent, full_state  # noqa: E402
from agents.router import ACT_ON_DOUBTED_P  # noqa: E402
from core.settings import Settings  # noqa: E402

HEARD_RIGHT_WER = 0.15
HEARD_BADLY_WER = 0.5
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
READ_ONLY = {"food", "travel"}  # agents that answer without changing what is stored


def take_row(line: dict, condition, heard, routing: Router) -> dict:
    """One take: what was said and heard, the check's verdict, and the route of the transcript
    (also when the check doubted it: what acting on it would have done)."""
    state = full_state(line.get("state"))
    decision = routing.decide(heard.text, state) if heard.text else None
    classified = routing.classify(heard.text, state) if heard.text else None
    return {"id": line["id"], "said": line["text"], "heard": heard.text, "engine": condition.engine,
            "expected": expected_agent(line["label"]),
            "route": decision.agent if decision else "",
            # the classifier's own, as ``router.read_back_first`` reads it (not the state rules')
            "p": classified.confidence if classified else None,
            "doubt": heard.unclear, "error": heard.error, "wer": round(wer([line["text"]], [heard.text]), 3)}


def summarise(rows: list[dict]) -> dict:
    doubted = [r for r in rows if r["doubt"]]
    acted = [r for r in rows if not r["doubt"] and not r["error"]]
    acting = {}
    for threshold in THRESHOLDS:
        taken = [r for r in doubted if r["route"] and r["route"] != "clarify" and (r["p"] or 0) >= threshold]
        right = [r for r in taken if r["route"] == r["expected"]]
        acting[f"p>={threshold}"] = {
            "routed": len(taken), "right": len(right), "wrong": len(taken) - len(right),
            # asked again, this take was right (it said nothing to act on): routing loses it
            "wrong_was_clarify": sum(r["expected"] == "clarify" for r in taken),
            "right_read_only": sum(r["route"] in READ_ONLY for r in right),
            "wrong_read_only": sum(r["route"] in READ_ONLY for r in taken if r not in right),
            "state_changing": sum(r["route"] not in READ_ONLY for r in taken)}
    return {
        "takes": len(rows), "doubted": len(doubted), "no_speech": sum(bool(r["error"]) for r in rows),
        "doubted_by_reason": dict(Counter(r["doubt"].split(" (")[0] for r in doubted)),
        "doubted_heard_right": sum(r["wer"] <= HEARD_RIGHT_WER for r in doubted),
        "doubted_expected_clarify": sum(r["expected"] == "clarify" for r in doubted),
        "acted_on": len(acted), "acted_on_heard_badly": sum(r["wer"] > HEARD_BADLY_WER for r in acted),
        "routing_doubted_instead_of_asking": acting,
        "product_reads_back_at": ACT_ON_DOUBTED_P,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--sample", type=int, default=300, help="lines picked by the hash of their id")
    args = parser.parse_args(argv)
    lines = sample(load_lines(split_path("routing", args.split)), args.sample)
    routing = Router()
    rows = [take_row(t.line, t.condition, t.heard, routing)
            for t in SpeechTakes(Settings.from_env()).takes(lines, every=100)]
    result = {"split": args.split, "lines": len(lines), **summarise(rows),
              "doubted_heard_right_examples": [r for r in rows if r["doubt"] and r["wer"] <= HEARD_RIGHT_WER][:20]}
    print(json.dumps({k: v for k, v in result.items() if k != "doubted_heard_right_examples"}, indent=1))
    out = RESULTS / f"speech_doubt.{args.split}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"results in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
