"""Shape checks for the hand-written router training sentences (agents/router_data/train_extra.jsonl, train_hard.jsonl, train_v4.jsonl).

The classifier trains on these files, so a typo in a label or a copied line would silently skew it.
"""
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[1] / "agents" / "router_data"
# Each file with the least it must hold: (total lines, lines per label).
FILES = {"train_extra.jsonl": (1800, 150), "train_hard.jsonl": (1500, 120), "train_v4.jsonl": (1200, 100)}
LABELS = {"food", "travel", "social", "profile", "auth", "onboarding", "none"}
STATE_KEYS = {"onboarded", "previous_agent", "awaiting"}


def _rows(name):
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _normalised(text):
    # Case and punctuation do not make a sentence new for the classifier.
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


@pytest.mark.parametrize("name", FILES)
def test_rows_have_canonical_labels_text_and_state(name):
    for row in _rows(name):
        assert set(row) == {"text", "label", "state"}, row
        assert row["label"] in LABELS, row
        assert isinstance(row["text"], str) and row["text"].strip(), row
        assert isinstance(row["state"], dict) and set(row["state"]) <= STATE_KEYS, row
        if "previous_agent" in row["state"]:
            assert row["state"]["previous_agent"] in LABELS, row


@pytest.mark.parametrize("name", FILES)
def test_no_duplicate_sentences_under_the_same_state(name):
    # The same words may recur only when the state differs (e.g. a new user vs an onboarded one).
    keys = Counter((_normalised(r["text"]), json.dumps(r["state"], sort_keys=True)) for r in _rows(name))
    repeated = [k for k, n in keys.items() if n > 1]
    assert not repeated, repeated[:10]


@pytest.mark.parametrize("name", FILES)
def test_enough_sentences_for_every_label(name):
    least_total, least_per_label = FILES[name]
    counts = Counter(r["label"] for r in _rows(name))
    assert sum(counts.values()) >= least_total, counts
    assert set(counts) == LABELS, counts
    assert min(counts.values()) >= least_per_label, counts


def test_hard_file_has_state_dependent_follow_ups():
    # The hard batch exists partly to teach state: new users, follow-ups and a pending passphrase.
    rows = _rows("train_hard.jsonl")
    with_state = [r for r in rows if r["state"]]
    assert len(with_state) >= 0.15 * len(rows), len(with_state)
    pending = [r for r in with_state if r["state"].get("awaiting") == "passphrase"]
    assert pending and Counter(r["label"] for r in pending).most_common(1)[0][0] == "auth"
    new_users = [r for r in with_state if r["state"].get("onboarded") is False]
    assert new_users and all(r["label"] == "onboarding" for r in new_users)


def test_what_was_heard_of_a_set_is_that_sets_lines_with_their_labels():
    """A heard transcript trains the router with its line's label and state, and is left out with
    its writer: so each must come from a line of its own set, said as that line says it."""
    from agents.router_training import DEV_SPLIT, FRESH_DEV, heard_file, load_lines

    for lines in [DEV_SPLIT, *FRESH_DEV]:
        if not heard_file(lines).exists():
            continue
        said = {row["id"]: row for row in load_lines(lines)}
        for row in load_lines(heard_file(lines)):
            line = said[row["id"]]
            assert (row["label"], row["said"], row["state"]) == (line["label"], line["text"], line.get("state") or {}), row
