"""Language-model provider: one small interface, a Groq implementation, none offline.

Agents work without a model (templates); with ``settings.groq_api_key`` set, replies are
re-phrased by Groq's ``llama-3.3-70b-versatile``.  Callers must fall back to their template
text on ``ProviderUnavailable``.

``GroqIntentClassifier`` is the router's online layer: ``llama-3.1-8b-instant`` in JSON mode
names the agent for an utterance; any failure (network, timeout, rate limit, malformed or
off-list answer) raises ``ProviderUnavailable`` and the router routes offline.
"""

from __future__ import annotations

import json
from typing import Mapping, Protocol

from agents.base import CLARIFY, RouteDecision
from agents.providers.errors import MissingDependency, ProviderUnavailable

GROQ_MODEL = "llama-3.3-70b-versatile"
ROUTER_MODEL = "llama-3.1-8b-instant"  # classification: small and fast is enough


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


class IntentClassifier(Protocol):
    """Anything that names the agent for an utterance (raises ProviderUnavailable on failure)."""

    async def classify(self, text: str) -> "RouteDecision": ...


def router_prompt(intents: Mapping[str, str]) -> str:
    """The classifier's system message: each intent (label -> what it covers) on its own line."""
    listed = "\n".join(f"- {label}: {covers}" for label, covers in intents.items())
    return ("You route what a user said to a voice food-and-travel assistant.\n"
            'Answer with a JSON object only: {"intent": "<one of the intents>", "confidence": <0..1>}.\n'
            f"Intents:\n{listed}\n"
            'The text is a speech transcript and may contain recognition errors ("lake gus" = Lagos).')


class GroqIntentClassifier:
    """IntentClassifier over Groq chat completions in JSON mode (one short call, no retries)."""

    def __init__(self, api_key: str, intents: Mapping[str, str], model: str = ROUTER_MODEL,
                 timeout_s: float = 3.0, base_url: str | None = None):
        try:
            from groq import AsyncGroq
        except ImportError as err:  # pragma: no cover - groq is a pinned dependency
            raise MissingDependency("pip install groq") from err
        self._client = AsyncGroq(api_key=api_key, base_url=base_url or None, timeout=timeout_s,
                                 max_retries=0)
        self._model = model
        self._labels = tuple(intents)
        self._system = router_prompt(intents)

    async def classify(self, text: str) -> "RouteDecision":
        try:
            resp = await self._client.chat.completions.create(
                model=self._model, temperature=0, max_tokens=40,
                response_format={"type": "json_object"},
                messages=[{"role": "system", "content": self._system}, {"role": "user", "content": text}])
            answer = json.loads(resp.choices[0].message.content or "")
            intent = str(answer["intent"]).strip().lower()
            confidence = float(answer.get("confidence", 0.8))
        except Exception as err:  # network, timeout, non-JSON, missing keys: the router goes offline
            raise ProviderUnavailable(f"groq intent classification failed: {err!r}") from err
        if intent not in self._labels:
            raise ProviderUnavailable(f"groq named an unknown intent: {intent!r}")
        confidence = min(1.0, max(0.0, confidence)) if intent != CLARIFY else 0.0
        return RouteDecision(intent, confidence, f"groq {self._model}")


def make_intent_classifier(settings, intents: Mapping[str, str]) -> IntentClassifier | None:
    """Groq's classifier over ``intents`` (label -> what it covers; the registry's
    ``routing_descriptions``) when ``settings.groq_api_key`` is set, else None (router offline)."""
    if not settings.groq_api_key:
        return None
    return GroqIntentClassifier(settings.groq_api_key, intents, base_url=settings.groq_base_url or None)
