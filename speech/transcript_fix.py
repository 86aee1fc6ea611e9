"""Repair catalogue names that Whisper misheard ("jollof rice and laigas" -> "jollof rice in Lagos").

Why: Whisper base spells a name it does not know as a made-up word that sounds like it
("laigas", "tajin", "leki").  The product knows which names matter (its cities,
neighbourhoods, dishes, cuisines and diet words), so a made-up word that sounds like exactly
one of them is replaced by it.  Conservative on purpose, a word is changed only when:

* it is not an ordinary word: not in the 30k-word uncased vocabulary of the MiniLM tokenizer
  the agents already ship (``agents.embeddings``), so "buy", "legs", "hell" never change; nor
  shorter than four letters, nor an acronym ("PCM");
* its consonant skeleton (``sound_key``) equals the name's, first vowel included ("accra"
  keeps its "a" and is not "okra");
* its spelling, once written as it sounds, is at most 40 % edits away ("kemi" is not "kheema");
* a dish word has another word of its dish beside it ("bada pav", "vegetable tajin"; a lone
  "tajin" stays), since a lone made-up word is as likely a name the catalogue lacks;
* exactly one name fits best (a tie changes nothing).  English transcripts only (``stt``).

When the repaired word is a place and Whisper wrote "and" before it, that "and" was "in" (the
two sound alike before a name it did not know): "stay and leki" -> "stay in Lekki".
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from .sound_alike import edit_distance, sound_key, sound_ratio, sound_spelling

_LOGGER = logging.getLogger(__name__)

MAX_EDIT_RATIO = 0.4  # edits / longer spelling, measured on the sound-spellings
_WORD = re.compile(r"[A-Za-z]+")

@dataclass(frozen=True)
class Term:
    """One word of a catalogue name, as it should be written."""

    text: str  # "Lagos", "tagine"
    place: bool
    neighbours: frozenset  # the other words of the names it appears in, lower-case


class TranscriptFixer:
    """Replaces made-up words that sound like one catalogue word (see the module doc)."""

    def __init__(self, names: Iterable[tuple[str, bool]], is_ordinary: Callable[[str], bool]) -> None:
        self._is_ordinary = is_ordinary
        words: dict[str, dict] = {}
        for name, place in names:
            parts = _WORD.findall(name)
            for part in parts:
                low = part.lower()
                entry = words.setdefault(low, {"text": low, "place": False, "nb": set()})
                if place and entry["text"].islower():  # places are written capitalised
                    entry["place"], entry["text"] = True, part if part[0].isupper() else part.capitalize()
                entry["nb"].update(p.lower() for p in parts if p.lower() != low)
        self._by_key: dict[str, list[tuple[str, Term]]] = {}
        for low, e in words.items():
            key = sound_key(low)
            if len(low) >= 3 and len(key) >= 2:
                term = Term(e["text"], e["place"], frozenset(e["nb"]))
                self._by_key.setdefault(key, []).append((sound_spelling(low), term))
        self._known = set(words)
        self._places = {low for low, e in words.items() if e["place"]}

    def match(self, word: str, before: str = "", after: str = "") -> Optional[Term]:
        """The catalogue word ``word`` is a mishearing of, or None."""
        low = word.lower()
        if len(low) < 4 or word.isupper() or low in self._known or self._is_ordinary(low):
            return None  # short words and acronyms ("PCM") are too easy to match by chance
        heard = sound_spelling(low)
        beside = {before.lower(), after.lower()}
        fits = []
        for spelling, term in self._by_key.get(sound_key(low), ()):
            close = sound_ratio(heard, spelling) <= MAX_EDIT_RATIO
            if close and (term.place or beside & term.neighbours):  # a dish word: its name beside it
                fits.append((edit_distance(heard, spelling), term))
        fits.sort(key=lambda f: f[0])
        if len({t.text for e, t in fits if e == fits[0][0]} if fits else ()) != 1:
            return None  # nothing fits, or two names fit equally well: leave the word as heard
        return fits[0][1]

    def fix(self, text: str) -> str:
        """``text`` with misheard catalogue words replaced."""
        tokens = list(_WORD.finditer(text))
        words = [t.group() for t in tokens]
        edits: list[tuple[int, int, str]] = []
        for i, tok in enumerate(tokens):
            before, after = words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else ""
            term = self.match(words[i], before, after)
            if term is None:
                continue
            capital = words[i][0].isupper() and not term.place  # a dish word at a sentence start
            edits.append((tok.start(), tok.end(), term.text.capitalize() if capital else term.text))
            # "and" right before a repaired place was "in", unless it joins two places ("London and")
            if (term.place and before.lower() == "and" and text[tokens[i - 1].end():tok.start()] == " "
                    and (i < 2 or words[i - 2].lower() not in self._places)):
                edits.append((tokens[i - 1].start(), tokens[i - 1].end(), "In" if before[0] == "A" else "in"))
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def catalogue_names() -> list[tuple[str, bool]]:
    """(name, is a place) for every city, neighbourhood, dish, cuisine and diet the product knows."""
    from agents import slots
    from agents.areas import CITY_ALIASES
    from agents.catalogue.build_dataset import read

    data = read()
    names = [(c["name"], True) for c in data["cities"]]
    names += [(n, True) for c in data["cities"] for n in c.get("neighbourhoods", ())]
    names += [(alias, True) for alias in CITY_ALIASES]
    names += [(d["name"], False) for r in data["restaurants"] for d in r["dishes"]]
    names += [(r["cuisine"], False) for r in data["restaurants"]]
    names += [(w, False) for w in (*slots.DIET_WORDS, *slots.ALLERGEN_WORDS)]
    return names


def ordinary_words() -> frozenset:
    """Whole words of the MiniLM uncased vocabulary (pinned, sha256-checked by agents.embeddings)."""
    from agents.embeddings import TOKENIZER_PACKAGE, TOKENIZER_SHA256, tokenizer_file, verified

    path = verified(tokenizer_file(), TOKENIZER_SHA256, TOKENIZER_PACKAGE)
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha() and w.isascii())


@functools.lru_cache(maxsize=1)
def default_fixer() -> Optional[TranscriptFixer]:
    """The fixer over the bundled catalogue, or None (logged) when its word list is missing."""
    try:
        ordinary = ordinary_words()
    except Exception as exc:  # noqa: BLE001 - no repair is better than no transcript
        _LOGGER.warning("transcript repair off: no word list (%s)", exc)
        return None
    return TranscriptFixer(catalogue_names(), ordinary.__contains__)
