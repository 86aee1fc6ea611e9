"""How a word sounds, and how alike two words sound: the spelling written as it sounds, its
consonant skeleton, and the share of sounds that differ.  Shared by the transcript repair
(``speech.transcript_fix``) and the agents' read-backs of misheard words (health words, home
places, friends' names).  A leaf: it imports nothing of the product.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

# Spelling -> sound, in order: digraphs first, then soft c/g, then letters that sound alike.
_SOUNDS = (
    (r"ch", "C"), (r"sh", "S"), (r"ph", "f"), (r"([kgbdtw])h", r"\1"), (r"ck", "k"), (r"qu", "kw"),
    (r"c(?=[eiy])", "s"), (r"[cq]", "k"), (r"x", "ks"), (r"z", "s"), (r"g(?=[eiy])", "j"),
    (r"v", "b"), (r"ee", "i"), (r"oo", "u"), (r"(?<=.)y", "i"), (r"(?<=\w\w[^aeiou])e$", ""),
    (r"(.)\1+", r"\1"),
)


def sound_spelling(word: str) -> str:
    """``word`` written roughly as it sounds: "tagine" -> "tajin", "Brooklyn" -> "bruklin"."""
    w = word.lower()
    for pattern, repl in _SOUNDS:
        w = re.sub(pattern, repl, w)
    return w


def sound_key(word: str) -> str:
    """Leading vowel (if any) and consonants of the sound-spelling: "lagos" -> "lgs"."""
    s = sound_spelling(word)
    return s[:1] + re.sub(r"[aeiou]", "", s[1:])


def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance (substitutions, insertions, deletions) over letters or words."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def sound_ratio(a: str, b: str) -> float:
    """How unalike two sound spellings are: the edits between them over the longer one (0 the
    same, 1 nothing in common)."""
    return edit_distance(a, b) / max(len(a), len(b), 1)


def sounds_most_like(heard: str, words: Iterable[str], max_ratio: float) -> Optional[str]:
    """The one of ``words`` whose sound ``heard`` is closest to, if within ``max_ratio``; else None."""
    sound = sound_spelling(heard)
    ratio, word = min(((sound_ratio(sound, sound_spelling(w)), w) for w in words), default=(1.0, None))
    return word if ratio <= max_ratio else None
