"""Is a transcript trustworthy enough to act on?  And if not, is the user's own language?

Why: Whisper base always writes *something*.  French read by espeak-ng came out as Thai,
Hindi as the prompt's dish names, German as English nonsense, and each went on to a confident
English reply.  ``doubt(transcript)`` names what is wrong (unsure language, an improbable
decode, a loop), or None; ``unexpected`` names a sure decode in a language neither the product
nor the user speaks; ``hear(stt, audio, user_language)`` decodes once and, when in doubt or
surprised, once more in the user's language (their profile's, else the product's reply languages among
the detector's runners-up), keeping the second decode only when it is itself sure.  A first
decode already in such a fallback language is judged as that fallback's decode.  What stays
in doubt is not acted on: the route stage asks the user to repeat (``UNCLEAR_KEY``).

Thresholds were chosen on the dev split of ``bench/stt_language.py`` only (espeak-ng and
piper voices, base int8); its test split reports how they do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Awaitable, Callable, Iterable, Optional

from .audio import DecodedAudio
from agents.providers.errors import AudioError
from .stt import SpeechToText, Transcript
from .sound_alike import edit_distance

# The voice profile key the transcribe stage sets when the speech was not understood.
UNCLEAR_KEY = "speech_unclear"

# Dev split (64 recordings): every value from 0.4 to 0.7 / -0.7 to -0.9 / -0.4 to -0.7 left no
# confident wrong answer; these answered the most English, Pidgin and French.  The imposed
# decode's floor is the strictest of its tied values: Whisper base writes Hindi garbage at
# log-prob -0.62 to -0.70 when told the speech is Hindi.
MIN_LANGUAGE_P = 0.50  # detection below this is a guess (as voice_profile's reply voice)
MIN_AVG_LOGPROB = -0.80  # mean token log-prob below this: the words are a guess too
MIN_FORCED_LOGPROB = -0.50  # a re-decode in an imposed language must be surer than a first try
MAX_COMPRESSION = 2.4  # gzip ratio over this: the text repeats itself (faster-whisper's own)
MAX_REPEATS = 3  # the same word or phrase this many times in a row is a loop
REPLY_LANGUAGES = ("en", "fr")  # languages the product answers in (agents.culture.TEMPLATE_LANGS)

MIN_SCRIPT_SHARE = 0.5  # letters in the language's own script below this share: not that language
SAME_WORDS = 0.2  # two decodes whose letters differ by under this share wrote the same words

# The script a language is written in where it is not Latin (Whisper's codes; unicodedata's
# first word of a letter's name).  Whisper base wrote espeak-ng's Hindi in Arabic letters and
# called it Hindi (p=0.64).
SCRIPTS = {"hi": ("DEVANAGARI",), "mr": ("DEVANAGARI",), "ne": ("DEVANAGARI",), "sa": ("DEVANAGARI",),
           "bn": ("BENGALI",), "as": ("BENGALI",), "pa": ("GURMUKHI",), "gu": ("GUJARATI",),
           "ta": ("TAMIL",), "te": ("TELUGU",), "kn": ("KANNADA",), "ml": ("MALAYALAM",),
           "si": ("SINHALA",), "th": ("THAI",), "lo": ("LAO",), "km": ("KHMER",), "my": ("MYANMAR",),
           "bo": ("TIBETAN",), "ar": ("ARABIC",), "ur": ("ARABIC",), "fa": ("ARABIC",),
           "ps": ("ARABIC",), "sd": ("ARABIC",), "ug": ("ARABIC",), "he": ("HEBREW",), "yi": ("HEBREW",),
           "ru": ("CYRILLIC",), "uk": ("CYRILLIC",), "be": ("CYRILLIC",), "bg": ("CYRILLIC",),
           "sr": ("CYRILLIC", "LATIN"), "mk": ("CYRILLIC",), "kk": ("CYRILLIC",), "tt": ("CYRILLIC",),
           "ba": ("CYRILLIC",), "tg": ("CYRILLIC",), "mn": ("CYRILLIC",), "el": ("GREEK",),
           "ka": ("GEORGIAN",), "hy": ("ARMENIAN",), "am": ("ETHIOPIC",), "ko": ("HANGUL",),
           "ja": ("CJK", "HIRAGANA", "KATAKANA"), "zh": ("CJK",), "yue": ("CJK",)}

_TOKEN = re.compile(r"\w+", re.UNICODE)
# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, kana, CJK.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]")


def repeats(text: str) -> int:
    """The most times one word, or run of up to four words, occurs back to back ("kane kane
    kane" -> 3).  Text written without spaces (Japanese, Thai) is read character by character,
    with runs up to eight."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    if _UNSPACED.search(text):
        words, longest = [c for c in "".join(words)], 8
    else:
        longest = 4
    best = 1 if words else 0
    for n in range(1, longest + 1):
        for start in range(len(words) - n):
            count = 1
            while words[start + count * n:start + (count + 1) * n] == words[start:start + n]:
                count += 1
            best = max(best, count)
    return best


def _detected(t: Transcript) -> str:
    """How a reason names the decode's language: "detected th p=0.97"."""
    return f"detected {t.language}" + (f" p={t.language_probability:.2f}"
                                       if t.language_probability is not None else "")


def doubt(t: Transcript) -> Optional[str]:
    """Why ``t`` should not be acted on, or None.  A provider that reports no probability or
    log-prob (Groq) is judged on what it does report."""
    detected = _detected(t)
    if not t.forced and t.language_probability is not None and t.language_probability < MIN_LANGUAGE_P:
        return f"language unclear ({detected})"
    floor = MIN_FORCED_LOGPROB if t.forced else MIN_AVG_LOGPROB
    if t.avg_logprob is not None and t.avg_logprob < floor:
        return f"words unclear ({detected}, log-prob {t.avg_logprob:.2f})"
    if (t.compression_ratio or 0.0) > MAX_COMPRESSION or repeats(t.text) >= MAX_REPEATS:
        return f"heard as a loop ({detected})"
    written = script_of(t.text)
    if written is not None and written not in SCRIPTS.get(t.language, ("LATIN",)):
        return f"written in another script ({detected}, {written.lower()} letters)"
    return None


def script_of(text: str) -> Optional[str]:
    """The script most of ``text``'s letters are in ("LATIN", "DEVANAGARI"...), or None (no
    letters); when no script has ``MIN_SCRIPT_SHARE`` of them, "MIXED"."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, n = max(counts.items(), key=lambda kv: kv[1])
    return script if n >= MIN_SCRIPT_SHARE * sum(counts.values()) else "MIXED"


def same_words(a: Transcript, b: Transcript) -> bool:
    """Whether two decodes wrote the same words (whatever language each was told it is)."""
    x, y = a.text.lower(), b.text.lower()
    return edit_distance(x, y) < SAME_WORDS * max(len(x), len(y), 1)


def unexpected(t: Transcript, user_language: Optional[str]) -> Optional[str]:
    """Why a sure decode is still a surprise, or None: its language is neither one the product
    answers in nor the user's own.  Whisper base is sure of wrong languages on odd voices
    (Hindi as Thai at p=0.97, Spanish as Italian): a language nobody expects from this user is
    checked as an unsure one is (a second decode in the user's language, else ask)."""
    if t.language in REPLY_LANGUAGES or t.language == user_language:
        return None
    detected = _detected(t)
    whose = f"the user speaks {user_language}" if user_language else "no language known for the user"
    return f"language unexpected ({detected}; {whose})"


def fallback_languages(t: Transcript, user_language: Optional[str]) -> list[str]:
    """Languages the product falls back to when detection is unsure: the user's own first,
    then the reply languages the detector ranked among its best."""
    ranked = [code for code, _ in t.candidates]
    wanted = ([user_language] if user_language else []) + [c for c in ranked if c in REPLY_LANGUAGES]
    return list(dict.fromkeys(c for c in wanted if c))


def retry_languages(t: Transcript, user_language: Optional[str]) -> list[str]:
    """Languages worth a second decode: the fallback languages but the one already decoded."""
    return [c for c in fallback_languages(t, user_language) if c != t.language]


def decoded_as_fallback(t: Transcript, user_language: Optional[str]) -> bool:
    """Whether a first decode already is what a fallback would produce: decoded in a language
    the product would fall back to anyway (same language token, same prompt).  Such a decode is
    judged as an imposed one, by the stricter floor, instead of asking (English read by an odd
    voice was detected "en p=0.33" and then heard right)."""
    return not t.forced and t.language in fallback_languages(t, user_language)


async def hear(stt: SpeechToText, audio: DecodedAudio,
               user_language: Optional[Callable[[], Awaitable[Optional[str]]]] = None,
               max_retries: int = 1) -> tuple[Transcript, Optional[str]]:
    """(transcript, None) when it can be acted on; else (the first transcript, why not).
    ``user_language`` is asked for (profile look-up) only when the first decode is in doubt
    or in a language the product does not answer in."""
    first = await stt.transcribe(audio)
    reason = doubt(first)
    if reason is None and first.language in REPLY_LANGUAGES:
        return first, None
    own = await user_language() if user_language else None
    surprise = None if reason else unexpected(first, own)
    reason = reason or surprise
    if reason is None:
        return first, None
    if decoded_as_fallback(first, own) and doubt(replace(first, forced=True)) is None:
        return first, None
    for language in retry_languages(first, own)[:max_retries]:
        try:
            again = await stt.transcribe(audio, language=language)
        except AudioError:  # nothing intelligible in that language either
            continue
        # After a sure detection, the same words again under another language's name mean the
        # model kept to the language it heard (Spanish, told "English", wrote Spanish).
        if doubt(again) is None and not (surprise and same_words(first, again)):
            return again, None
    return first, reason


def words_from(text: str, vocabulary: Iterable[str]) -> int:
    """How many words of ``text`` are in ``vocabulary`` (lower-case): prompt leakage."""
    vocab = {v.lower() for v in vocabulary}
    return sum(1 for w in _TOKEN.findall(text.lower()) if w in vocab)
