"""Split the held-out understanding sets once into dev (tune on it) and test (report it).

    .venv/bin/python -m bench.understanding_split            # the one split; refuses a second
    .venv/bin/python -m bench.understanding_split --verify   # re-hash, check the manifest

Reads ``bench/data/understanding/<set>.jsonl`` for each set, splits it 50/50 with
``random.Random(20261202)``, stratified by ``label`` (routing), the first tag (profiles,
safety, requests) or the first term (vocab, which has no tags), writes ``<set>.dev.jsonl``,
``<set>.test.jsonl`` and ``MANIFEST.json`` (line counts, per-split counts of strata and tags,
sha256 of every file).  A split that could be redone could be redone until test looked
good, so the script stops when any dev/test file already exists.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "understanding"
SEED = 20261202
SETS = ("routing", "profiles", "safety", "requests", "vocab")
SPLITS = ("dev", "test")


def normalised(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed: the duplicate key."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def text_of(name: str, row: dict) -> str:
    """What a person says in a row: the sentence, the request, or the onboarding turns."""
    if name == "profiles":
        return " ".join(row["turns"])
    if name == "safety":
        return row["request"]
    return row["text"]


def stratum(name: str, row: dict) -> str:
    if name == "routing":
        return row["label"]
    if name == "vocab":
        return row["terms"][0]
    return row["tags"][0]


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split(name: str, rows: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Half of every stratum to each side; odd strata give their extra row to dev and test in turn."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(stratum(name, row), []).append(row)
    dev, test, extra_to_dev = [], [], True
    for key in sorted(groups):
        group = sorted(groups[key], key=lambda r: r["id"])
        rng.shuffle(group)
        half = len(group) // 2
        if len(group) % 2:
            half += extra_to_dev
            extra_to_dev = not extra_to_dev
        dev += group[:half]
        test += group[half:]
    return sorted(dev, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])


def split_all() -> dict[str, tuple[list[dict], list[dict]]]:
    rng = random.Random(SEED)  # one generator over the sets in a fixed order: the whole split is one draw
    return {name: split(name, read_rows(DATA / f"{name}.jsonl"), rng) for name in SETS}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def summary(name: str, rows: list[dict]) -> dict:
    return {"lines": len(rows),
            "strata": dict(sorted(Counter(stratum(name, r) for r in rows).items())),
            "tags": dict(sorted(Counter(t for r in rows for t in r.get("tags", [])).items()))}


def split_paths() -> list[Path]:
    return [DATA / f"{name}.{side}.jsonl" for name in SETS for side in SPLITS]


def write_split() -> dict:
    existing = [p.name for p in split_paths() if p.exists()]
    if existing:
        sys.exit(f"refusing to split again: {', '.join(existing)} already exist (the split is done once; "
                 "use --verify)")
    manifest = {"seed": SEED, "split_date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                "stratified_by": {"routing": "label", "profiles": "first tag", "safety": "first tag",
                                  "requests": "first tag", "vocab": "first term"},
                "sets": {}, "sha256": {}}
    for name, (dev, test) in split_all().items():
        source = DATA / f"{name}.jsonl"
        entry = {"source": {"file": source.name, "lines": len(dev) + len(test)}}
        for side, rows in zip(SPLITS, (dev, test)):
            path = DATA / f"{name}.{side}.jsonl"
            path.write_text(dump(rows), encoding="utf-8")
            entry[side] = {"file": path.name, **summary(name, rows)}
        manifest["sets"][name] = entry
    for path in sorted([DATA / f"{n}.jsonl" for n in SETS] + split_paths()):
        manifest["sha256"][path.name] = sha256(path)
    (DATA / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def verify() -> list[str]:
    """Problems found: a file whose hash is not the manifest's, or a split the seed does not reproduce."""
    manifest = json.loads((DATA / "MANIFEST.json").read_text(encoding="utf-8"))
    problems = [f"{file}: sha256 differs from MANIFEST.json" for file, digest in manifest["sha256"].items()
                if not (DATA / file).exists() or sha256(DATA / file) != digest]
    for name, (dev, test) in split_all().items():
        for side, rows in zip(SPLITS, (dev, test)):
            if (DATA / f"{name}.{side}.jsonl").read_text(encoding="utf-8") != dump(rows):
                problems.append(f"{name}.{side}.jsonl: not what seed {SEED} gives from {name}.jsonl")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="re-hash every file and check MANIFEST.json")
    args = parser.parse_args(argv)
    if args.verify:
        problems = verify()
        print("\n".join(problems) or "MANIFEST.json matches every file; the split reproduces from the seed")
        return 1 if problems else 0
    manifest = write_split()
    for name, entry in manifest["sets"].items():
        print(f"{name:9s} {entry['source']['lines']:5d} lines -> dev {entry['dev']['lines']}, "
              f"test {entry['test']['lines']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
