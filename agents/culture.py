"""How a reply should sound for this user in this city: language, register, greeting, units.

* language: the one the user asked for ("reply in French", stored as ``profile["language"]``),
  else the one they are speaking (the voice profile's confident detection), else English.
  Full templates exist in English and French; for other languages (Yoruba, Hindi...) the reply
  is English with that language's greeting.
* register: what the user asked for ("be more formal", stored as ``profile["register"]``), else
  formal where politeness with a stranger is the norm of the user's language or background
  (French vous, Yoruba and Hindi honorifics), else informal.
* greeting: the user's language's, else the city's own (catalogue: "Bawo" in Lagos).
* units: miles in the United States, kilometres elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents import templates as T
from agents.slots import normalise

TEMPLATE_LANGS = ("en", "fr")
FORMAL_BY_DEFAULT = {"fr", "yo", "hi", "ja", "ko", "de"}
MILES_COUNTRIES = {"United States"}
LANGUAGE_WORDS = {"english": "en", "french": "fr", "francais": "fr", "yoruba": "yo", "hindi": "hi",
                  "igbo": "ig", "hausa": "ha", "spanish": "es", "arabic": "ar"}
_LANG = "|".join(LANGUAGE_WORDS)
_LANGUAGE_PREF = re.compile(
    rf"\b(?:(?:speak|reply|answer|talk|respond)(?: to me)? in|in ({_LANG}) please|my (?:first |native |home |"
    rf"preferred )?language is|i prefer|switch to|parle(?:z)?(?:[- ]moi)? en|reponds(?:[- ]moi)? en)\s+({_LANG})\b"
    rf"|\b(?:i'?m a native|native) ({_LANG}) speaker")
_FORMAL = re.compile(r"\b(be|more|speak|talk)( more)? (formal|polite)|formally|use vous|vouvoie")
_INFORMAL = re.compile(r"\b(be|more|speak|talk)( more)? (casual|informal|relaxed)|informally|no need to be formal|"
                       r"use tu\b|tutoie|you can be casual")


@dataclass(frozen=True)
class Style:
    lang: str = "en"            # template language: "en" or "fr"
    register: str = "informal"  # or "formal"
    greeting: str = "Hi"
    units: str = "km"           # "mi" in the United States


def language_change(text: str) -> str | None:
    """"reply in French" / "my language is Yoruba" -> "fr" / "yo"; None if not said."""
    m = _LANGUAGE_PREF.search(normalise(text))
    word = m and next(g for g in m.groups() if g)
    return LANGUAGE_WORDS[word] if word else None


def register_change(text: str) -> str | None:
    """"be more formal" -> "formal", "you can be casual" -> "informal"; None if not said."""
    t = normalise(text)
    return "informal" if _INFORMAL.search(t) else "formal" if _FORMAL.search(t) else None


def voice_language(voice_profile: dict | None) -> str | None:
    """The language the user spoke in, when the speech model was reasonably sure."""
    pref = (voice_profile or {}).get("cultural_voice_preference") or {}
    return pref.get("language")


def style_for(profile: dict | None, city: dict | None, voice_profile: dict | None = None) -> Style:
    """The reply's language, register, greeting and units for this user in this city."""
    profile, city = profile or {}, city or {}
    spoken = profile.get("language") or voice_language(voice_profile) or "en"
    lang = spoken if spoken in TEMPLATE_LANGS else "en"
    background = {spoken, *(profile.get("cultural_background") or [])}
    register = profile.get("register") or ("formal" if background & FORMAL_BY_DEFAULT else "informal")
    units = "mi" if city.get("country") in MILES_COUNTRIES else "km"
    return Style(lang, register, _greeting(spoken, register, city), units)


def style_of(cultural_context: dict) -> Style | None:
    """The style a reply was written in, read back from its cultural context (None if absent)."""
    if not cultural_context.get("reply_language"):
        return None
    c = cultural_context
    return Style(c["reply_language"], c.get("register", "informal"), c.get("greeting", "Hi"), c.get("units", "km"))


def _greeting(spoken: str, register: str, city: dict) -> str:
    formal = register == "formal"
    if spoken != "en" and spoken in T.GREETINGS:
        return T.GREETINGS[spoken][formal]
    local = city.get("greeting")
    if local and not (formal and local in ("Hey", "Hi")):
        return local
    return T.GREETINGS["en"][formal]
