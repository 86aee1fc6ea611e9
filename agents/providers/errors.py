"""Errors raised by the speech providers.

``ProviderError`` is the root so a stage can catch everything a provider raises in one
clause.  ``AudioError`` means *the input* is at fault: retrying will not help, and its
``str()`` is a reason that can be shown to the person who sent the audio.
"""

from __future__ import annotations


class ProviderError(Exception):
    """Root of every error raised by a provider (STT, TTS, model files)."""


class AudioError(ProviderError):
    """The audio itself is unusable; ``str(err)`` is a user-readable reason.

    Not retryable: the same bytes will fail the same way.
    """


class ModelFileError(ProviderError):
    """A pinned model file is missing, not installed, or fails its sha256 check."""


class ProviderUnavailable(ProviderError):
    """A remote provider failed after its retries (network, rate limit, 5xx)."""


class MissingDependency(ProviderError):
    """An optional Python package is not installed; the message says what to install."""
