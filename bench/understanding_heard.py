"""What the product hears of the routing set's **dev** lines: training lines for the router.

    python -m bench.understanding_heard [--sample N] [--part K/N] [--fresh] [--round K]
    python -m bench.understanding_heard --training agents/router_data/train_v4.jsonl [--sample N] [--part K/N]
    python -m bench.understanding_heard --set dev2 [--sample N] [--part K/N]

Each dev line is spoken in its two conditions (``bench.speech_render``: one piper take, one
espeak-ng voice, speed and noise varied) and heard as the transcribe stage hears it
(``bench.speech_transcribe``: Whisper and ``speech_check.hear``).  Every transcript the product
would act on (not asked about, not empty) becomes a line of
``bench/data/understanding/routing.dev.heard.jsonl``: ``{"id", "text" (as heard), "label",
"state", "said", "condition"}``, plus ``"round": K`` from a later round.
``agents.router_training`` fits the classifier on them too, so it learns what speech
recognition does to the product's words ("pesatorian", "sign me and"), and keeps each one in
its dev line's cross-validation fold.

``--round K`` (K > 1) hears every line again in two more conditions, drawn the same way from
its id and the round (``speech_render.round_conditions``: other speeds, noise, espeak voices),
so the router sees more of how each sentence can be misheard.  Round 1 is the default.

``--training FILE`` hears a training file of ``agents/router_data`` instead (its lines named
``<file stem>:<line number>``) and writes ``<stem>.heard.jsonl`` beside it, which the router's
training reads with the other files there: heard sentences the dev split does not have.

``--set devN`` hears a fresh dev set (``routing.devN.jsonl``, another writer's) and writes
``routing.devN.heard.jsonl`` beside it; the router's training keeps those transcripts with their
writer, so leaving that writer out leaves out what was heard of them too.

Only the dev split and training files are read: the test split stays what the benchmarks
report.  Renderings and transcripts come from the same cache as
``bench.understanding_routing --split dev --speech``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.speech_takes import SpeechTakes  # noqa: E402
from bench.understanding_data import DATA_DIR, load_lines, sample, split_path  # noqa: E402
from core.settings import Settings  # noqa: E402

HEARD_DEV = DATA_DIR / "routing.dev.heard.jsonl"


def heard_rows(lines: list[dict], takes: SpeechTakes, round_: int = 1) -> Iterator[dict]:
    """The acted-on transcripts of ``lines`` in the takes' conditions, with the line's label;
    a later round's rows say which round (round 1's are as they always were)."""
    kept = 0
    for line, condition, heard, _ in takes.takes(lines, every=25, progress_note=lambda: f", {kept} kept"):
        if heard.text.strip() and not heard.unclear:
            kept += 1
            yield {"id": line["id"], "text": heard.text, "label": line["label"],
                   "state": line.get("state") or {}, "said": line["text"], "condition": condition.label,
                   **({"round": round_} if round_ > 1 else {})}


def training_lines(path: Path) -> list[dict]:
    """A training file's lines, each named by the file and its line number (they carry no id)."""
    return [{**row, "id": f"{path.stem}:{n}"} for n, row in enumerate(load_lines(path), 1)]


def already_heard(path: Path = HEARD_DEV, round_: int = 1) -> set[str]:
    """The dev lines ``path`` has transcripts of in round ``round_`` (a line whose every take was
    unclear has none, and is heard again: from the cache when it is there)."""
    if not path.exists():
        return set()
    rows = (json.loads(row) for row in path.read_text(encoding="utf-8").splitlines() if row.strip())
    return {row["id"] for row in rows if row.get("round", 1) == round_}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None,
                        help="N dev lines picked by the hash of their id (default: all)")
    parser.add_argument("--fresh", action="store_true",
                        help="start the file anew (default: go on from the lines it has)")
    parser.add_argument("--part", default="0/1", metavar="K/N",
                        help="only every Nth line from the Kth: N processes, one per core, "
                             "append to the same file (default 0/1: all)")
    parser.add_argument("--training", type=Path, default=None, metavar="FILE",
                        help="hear this agents/router_data training file instead of the dev split")
    parser.add_argument("--set", default=None, metavar="devN",
                        help="hear this fresh dev set (routing.devN.jsonl) instead of the dev split")
    parser.add_argument("--round", type=int, default=1, metavar="K",
                        help="hear the lines in round K's two conditions (default 1; "
                             "K > 1: further renderings, appended)")
    args = parser.parse_args(argv)
    if args.round < 1:
        parser.error("--round counts from 1")
    k, n = (int(x) for x in args.part.split("/"))
    if args.fresh and (n > 1 or args.round > 1):
        parser.error("--fresh starts the file anew: run it as one part, in round 1")
    if args.training and args.set:
        parser.error("--training and --set each name what to hear: give one")
    if args.set and not re.fullmatch(r"dev[0-9]+", args.set):
        parser.error(f"--set names a fresh dev set, dev2, dev3…: not {args.set!r}")
    # where the router's training looks for what was heard of a file (it loads the router: only for a run)
    from agents.router_training import heard_file as heard_file_of

    if args.set:
        source = f"routing.{args.set}"
        heard_file = heard_file_of(DATA_DIR / f"{source}.jsonl")
        lines = sample(load_lines(DATA_DIR / f"{source}.jsonl"), args.sample)[k::n]
    elif args.training:
        source, heard_file = "training", heard_file_of(args.training)
        lines = sample(training_lines(args.training), args.sample)[k::n]
    else:
        source, heard_file = "dev", HEARD_DEV
        lines = sample(load_lines(split_path("routing", "dev")), args.sample)[k::n]
    done = set() if args.fresh else already_heard(heard_file, args.round)
    todo = [line for line in lines if line["id"] not in done]
    print(f"hearing {len(todo)} {source} lines in round {args.round}'s conditions "
          f"({len(lines) - len(todo)} already in {heard_file.name})", flush=True)
    written = 0
    # Each row is written as it is heard: an interrupted run keeps what it heard, and goes on.
    with heard_file.open("w" if args.fresh else "a", encoding="utf-8") as out:
        from bench.speech_render import round_conditions  # the speech stack: only for a run

        takes = SpeechTakes(Settings.from_env(), conditions_for=partial(round_conditions, round_=args.round))
        for row in heard_rows(todo, takes, args.round):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            written += 1
    print(f"wrote {written} heard lines of {len(todo)} {source} lines' renderings to {heard_file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
