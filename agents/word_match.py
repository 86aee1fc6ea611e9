"""One regular expression for "any of these words or phrases", longest first."""

from __future__ import annotations

import re
from typing import Iterable


def words_regex(words: Iterable[str]) -> re.Pattern:
    """Match any of ``words`` as whole words; longer ones are tried first, so "new york city"
    wins over "new york"."""
    alts = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in alts) + r")\b")
