"""What the product hears of the routing set's **dev** lines: training lines for the router.

    python -m bench.understanding_heard [--sample N]

Each dev line is spoken in its two conditions (``bench.speech_render``: one piper take, one
espeak-ng voice, speed and noise varied) and heard as the transcribe stage hears it
(``bench.speech_transcribe``: Whisper and ``speech_check.hear``).  Every transcript the product
would act on (not asked about, not empty) becomes a line of
``bench/data/understanding/routing.dev.heard.jsonl``: ``{"id", "text" (as heard), "label",
"state", "said", "condition"}``.  ``agents.router_training`` fits the classifier on them too, so
it learns what speech recognition does to the product's words ("pesatorian", "sign me and"),
and keeps each one in its dev line's cross-validation fold.

Only the dev split is read: the test split stays what the benchmarks report.  Renderings and
transcripts come from the same cache as ``bench.understanding_routing --split dev --speech``.
"""

from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.speech_takes import SpeechTakes  # noqa: E402
from bench.understanding_data import DATA_DIR, load_lines, sample, split_path  # noqa: E402
from core.settings import Settings  # noqa: E402

HEARD_DEV = DATA_DIR / "routing.dev.heard.jsonl"


def heard_lines(lines: list[dict], takes: SpeechTakes) -> list[dict]:
    """The acted-on transcripts of ``lines`` in their two conditions, with the line's label."""
    rows = []
    for line, condition, heard, _ in takes.takes(lines, every=25, progress_note=lambda: f", {len(rows)} kept"):
        if heard.text.strip() and not heard.unclear:
            rows.append({"id": line["id"], "text": heard.text, "label": line["label"],
                         "state": line.get("state") or {}, "said": line["text"], "condition": condition.label})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None,
                        help="N dev lines picked by the hash of their id (default: all)")
    args = parser.parse_args(argv)
    lines = sample(load_lines(split_path("routing", "dev")), args.sample)
    print(f"hearing {len(lines)} dev lines in two conditions each", flush=True)
    rows = heard_lines(lines, SpeechTakes(Settings.from_env()))
    HEARD_DEV.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} heard lines of {2 * len(lines)} renderings to {HEARD_DEV}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
