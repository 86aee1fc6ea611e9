"""Shape checks for the hand-written router training sentences (agents/router_data/train_extra.jsonl).

The classifier trains on this file, so a typo in a label or a copied line would silently skew it.
"""
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "agents" / "router_data" / "train_extra.jsonl"
LABELS = {"food", "travel", "social", "profile", "auth", "onboarding", "none"}
STATE_KEYS = {"onboarded", "previous_agent", "awaiting"}


def _rows():
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _normalised(text):
    # Case and punctuation do not make a sentence new for the classifier.
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def test_rows_have_canonical_labels_text_and_state():
    for row in _rows():
        assert set(row) == {"text", "label", "state"}, row
        assert row["label"] in LABELS, row
        assert isinstance(row["text"], str) and row["text"].strip(), row
        assert isinstance(row["state"], dict) and set(row["state"]) <= STATE_KEYS, row
        if "previous_agent" in row["state"]:
            assert row["state"]["previous_agent"] in LABELS, row


def test_no_duplicate_sentences_under_the_same_state():
    # The same words may recur only when the state differs (e.g. a new user vs an onboarded one).
    keys = Counter((_normalised(r["text"]), json.dumps(r["state"], sort_keys=True)) for r in _rows())
    repeated = [k for k, n in keys.items() if n > 1]
    assert not repeated, repeated[:10]


def test_enough_sentences_for_every_label():
    counts = Counter(r["label"] for r in _rows())
    assert sum(counts.values()) >= 1800, counts
    assert set(counts) == LABELS, counts
    assert min(counts.values()) >= 150, counts
