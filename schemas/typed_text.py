"""Typed text as a user's utterance: one rule for every place that accepts or documents it.

The gateway answers a text that breaks it with 400 and the reason; the text stage refuses the
same text (an event put on the log by anything else) and the session ends ``failed`` with it.
"""

from __future__ import annotations

import unicodedata

MAX_TEXT_CHARS = 1000  # about a minute of speech: longer is a document, not an utterance
TEXT_RULE = (f"1-{MAX_TEXT_CHARS} characters after trimming surrounding spaces, "
             "with no control characters (no newlines or tabs)")


def text_problem(text: object) -> str:
    """Why ``text`` is not an utterance ('' when it is one); ``text`` is as the client sent it."""
    if text is None:
        return "text is required: what the user says, as a string"
    if not isinstance(text, str):
        return "text must be a string"
    bad = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        return (f"text contains a control character (U+{ord(bad):04X}) at position "
                f"{text.index(bad)}: send one line of plain text")
    trimmed = text.strip()
    if not trimmed:
        return "text is empty: say something"
    if len(trimmed) > MAX_TEXT_CHARS:
        return f"text is {len(trimmed)} characters long; the limit is {MAX_TEXT_CHARS}"
    return ""


def utterance(text: str) -> str:
    """The text as the pipeline hears it (surrounding spaces trimmed); only for a valid text."""
    return text.strip()
