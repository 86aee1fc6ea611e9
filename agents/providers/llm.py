"""Language-model provider: one small interface, a Groq implementation, none offline.

Agents work without a model (templates); with ``settings.groq_api_key`` set, replies are
re-phrased by Groq's ``llama-3.3-70b-versatile``.  Callers must fall back to their template
text on ``ProviderUnavailable``.
"""

from __future__ import annotations

from typing import Protocol

from agents.providers.errors import MissingDependency, ProviderUnavailable

GROQ_MODEL = "llama-3.3-70b-versatile"


class LanguageModel(Protocol):
    """Anything that completes a prompt under a system message."""

    async def complete(self, prompt: str, system: str = "") -> str: ...


class GroqLanguageModel:
    """LanguageModel over the Groq chat completions API (async client)."""

    def __init__(self, api_key: str, model: str = GROQ_MODEL, timeout_s: float = 10.0):
        try:
            from groq import AsyncGroq
        except ImportError as err:  # pragma: no cover - groq is a pinned dependency
            raise MissingDependency("pip install groq") from err
        self._client = AsyncGroq(api_key=api_key, timeout=timeout_s, max_retries=1)
        self._model = model

    async def complete(self, prompt: str, system: str = "") -> str:
        messages = ([{"role": "system", "content": system}] if system else [])
        messages.append({"role": "user", "content": prompt})
        try:
            resp = await self._client.chat.completions.create(
                model=self._model, messages=messages, temperature=0.3, max_tokens=220)
        except Exception as err:  # network, auth, rate limit: the caller falls back
            raise ProviderUnavailable(f"groq completion failed: {err}") from err
        return (resp.choices[0].message.content or "").strip()


def make_language_model(settings) -> LanguageModel | None:
    """Groq when ``settings.groq_api_key`` is set, else None (agents use templates)."""
    if not settings.groq_api_key:
        return None
    return GroqLanguageModel(settings.groq_api_key)
