"""The held-out understanding sets (``bench/data/understanding/``), read one split at a time.

Each set was split once into ``<name>.dev.jsonl`` (tune on it) and ``<name>.test.jsonl``
(report it).  ``--file`` in the benchmarks reads another JSON-lines file instead (e.g. the
unsplit set while the split does not exist yet).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "understanding"
SPLITS = ("test", "dev")


def split_path(name: str, split: str) -> Path:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    return DATA_DIR / f"{name}.{split}.jsonl"


def load_lines(path: Path, limit: int | None = None) -> list[dict]:
    """The JSON objects of a JSON-lines file (blank lines skipped), the first ``limit`` of them."""
    if not path.exists():
        raise SystemExit(f"{path} does not exist (the split is made by bench/understanding_split.py; "
                         "--file reads another file)")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit] if limit else lines


def source_of(name: str, split: str, file: str | None = None) -> Path:
    """The file a benchmark's ``--file`` / ``--split`` arguments name."""
    return Path(file) if file else split_path(name, split)


def sample(lines: list[dict], n: int | None) -> list[dict]:
    """``n`` lines picked by the sha256 of their id (all of them for None): the same lines on
    every run, unrelated to the file's order (which groups lines by how they were written)."""
    if not n:
        return lines
    ranked = sorted(lines, key=lambda line: hashlib.sha256(str(line["id"]).encode()).hexdigest())
    return ranked[:n]


def shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (results name no machine's folders)."""
    try:
        return str(Path(path).resolve().relative_to(DATA_DIR.parents[2]))
    except ValueError:
        return str(path)
