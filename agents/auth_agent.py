"""Auth agent: voice sign-in with a spoken passphrase plus a voiceprint.

**Enrolment** ("set up voice sign-in, my passphrase is blue mango sunrise"): the passphrase
(the words after "passphrase is" / "password is" / "pass phrase:") is normalised (lower case,
punctuation dropped, digits 0-20 spelled out, so ASR's "Blue mango, sunrise." is the same) and
stored only as a salted PBKDF2-HMAC-SHA256 hash; the utterance's voiceprint
(``voice_profile["voiceprint"]``, ``speech.voiceprint``) becomes the template.
Enrolling again with the same passphrase and a matching voice adds the sample to the template
(running mean); a different passphrase on an enrolled account is refused (changing it needs
an account-level reset, not a voice one).

Stored on a ``(:VoiceCredential)`` node linked ``(:User)-[:HAS_CREDENTIAL]->``, so the secrets
never appear in ``get_user`` (whose profile feeds replies and prompts); the user gets
``auth_enrolled: true`` (the router reads it).

**Verification** ("sign me in: blue mango sunrise", "it's me, verify my voice ..."): every run
of ``passphrase_words`` consecutive normalised words of the utterance is hashed and compared
in constant time, AND the voiceprint's cosine similarity to the template must be
>= ``VOICE_THRESHOLD`` (chosen on the benchmark: ``python -m bench.voice_auth``).  Success →
a bearer token (``core.tokens``, the gateway's format) in
``cultural_context["auth"] = {"authenticated": true, "token", "expires_at"}``.

**Failures** are counted; after ``MAX_FAILURES`` in a row the credential is locked for
``LOCK_S`` seconds (no checks at all while locked).  A redelivered session (same session id,
at-least-once processing) is not counted twice.

**What a failed reply says**: only "the passphrase and voice didn't both match", never which
one.  Saying "right passphrase, wrong voice" would confirm a guessed passphrase to an
impostor (and "right voice" would tell a recording's owner which factor to attack).  What is
not secret is said plainly: not enrolled, no voice sample heard, locked (and for how long),
attempts left.  The log records which factor failed, never the passphrase.

Limits: no liveness check (a recording of the user replays), the voiceprint cannot tell the
same voice in another accent apart (see the benchmark), and the token secret must be set
(``AURASENSE_TOKEN_SECRET`` or ``settings.token_secret``) or no token is issued.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import re
import time
import unicodedata

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.turn_state import ASKED_PASSPHRASE, pending
from speech import voiceprint as vp
from core import tokens

log = logging.getLogger(__name__)

# Cosine similarity a voiceprint needs to the enrolled template (bench/results/voice_auth.json).
VOICE_THRESHOLD = 0.83  # dev draw: lowest threshold with FAR <= 1 % (0.832)
MAX_FAILURES = 5
LOCK_S = 15 * 60
PBKDF2_ITERATIONS = 20_000  # ~10 ms per candidate on this machine; a passphrase is short and low-entropy
MIN_PASSPHRASE_WORDS = 2
MAX_PASSPHRASE_WORDS = 8

REPLIES = {
    "enrolled": "Voice sign-in is set up{who}. Next time, say 'sign me in' followed by your passphrase.",
    "sample_added": "Thanks{who}, I've added that recording to your voiceprint. Voice sign-in is ready.",
    "no_voice": "I couldn't get a clear voice sample from that recording, so I can't {what} by voice. "
                "Please try again somewhere quieter and speak for a couple of seconds.",
    "passphrase_unclear": "I couldn't make out your passphrase, so nothing is set up yet. Please say 'my passphrase "
                          "is' followed by your {min}-{max} words again, slowly and clearly.",
    "ask_passphrase": "To set up voice sign-in, say 'my passphrase is' followed by {min}-{max} words "
                      "you'll remember, for example 'my passphrase is blue mango sunrise'.",
    "already_enrolled": "Voice sign-in is already set up with a different passphrase{who}. "
                        "I can't change it by voice; keep using the one you enrolled.",
    "not_enrolled": "Voice sign-in isn't set up yet{who}. Say 'set up voice sign-in, my passphrase is' "
                    "followed by a few words you'll remember. You're not signed in.",
    "verified": "Welcome back{who}, you're signed in.",
    "failed": "I couldn't verify you: the passphrase and voice didn't both match. You're not signed in.{left}",
    "locked": "Too many failed attempts: voice sign-in is locked for about {minutes} more minute{s}.",
    "unavailable": "I recognised you{who}, but sign-in tokens aren't configured on this server, "
                   "so I can't sign you in right now.",
    "about_passphrases": "Your passphrase is {min}-{max} words you choose; you say them with your voice to sign "
                         "in, and I keep only a salted hash, so I can't read it back. I can't change one by voice. "
                         "To set one up, say 'my passphrase is' followed by the words.",
    "enrol_mismatch": "That voice doesn't match the one enrolled on this account, so I didn't add it.",
}

_ENROL = re.compile(r"\b(set ?up|enrol|enroll|register|create|add|start|turn on|new)\b.*"
                    r"\b(voice|passphrase|pass phrase|password|sign ?in|log ?in|voiceprint)\b"
                    r"|\bmy (new )?(passphrase|pass phrase|password|pass word) (is|will be)\b"
                    r"|\bremember my voice\b")
# Only an explicit statement names a passphrase: "my (new) passphrase is X", "passphrase: X",
# "set my passphrase to X".  A sentence that only talks about passphrases ("how do passphrases
# work", "I forgot my passphrase", "can I change my passphrase to something else") names none.
_WORD = r"(?:passphrase|pass phrase|password|pass word|secret phrase)"
_PASSPHRASE = re.compile(r"\b" + _WORD + r"(?:\s+(?:is|will be|should be)\s*[:\-,]?|\s*[:=])\s*(.+)$"
                         r"|\bset (?:up )?(?:my |the |a )?(?:new )?" + _WORD + r"\s+(?:to|as)\s+(.+)$", re.IGNORECASE)
_ABOUT = re.compile(r"\b(?:passphrases?|pass phrases?|passwords?|pass words?|secret phrases?)\b", re.IGNORECASE)
_QUESTION = re.compile(r"^\s*(?:how|what|why|when|where|which|who|is|are|do|does|did|can|could|would|should)\b"
                       r"|\?\s*$", re.IGNORECASE)
# Bare words after "say your passphrase" that answer something else ("no thanks", "not now"), or
# talk about choosing one rather than say it ("let me think of one", "hmm, something with my
# dog's name", "forget it, find me food"): never enrolled.
_NOT_A_PHRASE = {"no", "not", "nope", "cancel", "later", "stop", "skip", "nevermind", "never", "dont", "why",
                 "how", "what", "passphrase", "password", "help", "let", "lets", "think", "thinking", "something",
                 "hmm", "hmmm", "um", "umm", "uh", "er", "erm", "maybe", "wait", "ok", "okay", "forget", "instead",
                 "actually", "idea", "dunno", "unsure", "sure", "find", "rather", "another", "tomorrow"}
# A phrase quoted at the end of the answer is the one proposed ("how about 'mango tree by the
# gate'?"), unless the words around it refuse it or ask about it ("no, not 'red kite'", "what do
# you mean by 'say your passphrase'?").  An apostrophe inside a word opens no quote.
_QUOTED = re.compile(r"(?<!\w)[\'\"‘“«]\s*([^\'\"‘’“”«»]{3,80}?)\s*[\'\"’”»](?=\W*$)")
_NOT_PROPOSED = {"no", "not", "nope", "dont", "never", "cancel", "stop", "mean", "means", "meaning",
                 "passphrase", "password", "why"}
_SIGN_IN = re.compile(r"\b(?:sign|log) (?:me )?in\b|\bverify me\b", re.IGNORECASE)
# "set up voice sign-in", "enrol me": a request to enrol, even when it also talks about passphrases.
_ENROL_VERB = re.compile(r"\b(set ?up|enrol|enroll|register|turn on|remember my voice)\b", re.IGNORECASE)
_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()

_CREDENTIAL = """
MATCH (u:User {id: $id})-[:HAS_CREDENTIAL]->(c:VoiceCredential)
RETURN properties(c) AS c
"""
_SAVE = """
MERGE (u:User {id: $id})
ON CREATE SET u.onboarded = false
SET u.auth_enrolled = true
MERGE (u)-[:HAS_CREDENTIAL]->(c:VoiceCredential {user_id: $id})
SET c += $changes
RETURN properties(c) AS c
"""
_UPDATE = """
MATCH (u:User {id: $id})-[:HAS_CREDENTIAL]->(c:VoiceCredential)
SET c += $changes
RETURN properties(c) AS c
"""


# --------------------------------------------------------------------------- passphrases

def normalise_words(text: str) -> list[str]:
    """Lower-case words of ``text`` without punctuation or accents; digits 0-20 spelled out."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"(\d)[,.](\d)", r"\1\2", text)
    words = re.sub(r"[^a-z0-9']+", " ", text).replace("'", "").split()
    return [_NUMBERS[int(w)] if w.isdigit() and int(w) <= 20 else w for w in words]


def spoken_passphrase(text: str, bare: bool = False) -> list[str] | None:
    """The passphrase words an utterance states ("my passphrase is blue mango sunrise"), or None.

    ``bare``: the assistant has just asked for a passphrase, so words said on their own
    ("blue mango sunrise") are the passphrase, unless they ask or refuse something."""
    match = _PASSPHRASE.search(text or "")
    if match:
        words = normalise_words(match.group(1) or match.group(2))
        if words[:1] == ["is"]:
            words = words[1:]
        if _QUESTION.search(text) and not re.match(r"\s*(?:can|could|would) you\b", text, re.IGNORECASE):
            return None  # "what if my passphrase is too short?" asks, it doesn't state
    elif bare and (quoted := _QUOTED.search(text or "")):
        around = text[:quoted.start()] + " " + text[quoted.end():]
        if _NOT_PROPOSED & set(normalise_words(around)):
            return None
        words = normalise_words(quoted.group(1))
    elif bare and not (_QUESTION.search(text or "") or _ABOUT.search(text or "") or _SIGN_IN.search(text or "")):
        words = normalise_words(text)
        if _NOT_A_PHRASE & set(words):
            return None
    else:
        return None
    return words if MIN_PASSPHRASE_WORDS <= len(words) <= MAX_PASSPHRASE_WORDS else None


def talks_about_passphrases(text: str) -> bool:
    """A sentence about passphrases that states none and isn't a sign-in ("I forgot my passphrase")."""
    return bool(_ABOUT.search(text or "")) and not _PASSPHRASE.search(text or "") and not _SIGN_IN.search(text or "")


def hash_passphrase(words: list[str], salt: bytes, iterations: int = PBKDF2_ITERATIONS) -> str:
    return hashlib.pbkdf2_hmac("sha256", " ".join(words).encode(), salt, iterations).hex()


def passphrase_in(text: str, salt: bytes, digest: str, n_words: int,
                  iterations: int = PBKDF2_ITERATIONS) -> bool:
    """Does any run of ``n_words`` consecutive words of ``text`` hash to ``digest``?"""
    words = normalise_words(text)
    found = False
    seen = set()
    for i in range(max(0, len(words) - n_words + 1)):
        candidate = tuple(words[i:i + n_words])
        if candidate in seen:
            continue
        seen.add(candidate)
        found |= hmac.compare_digest(hash_passphrase(list(candidate), salt, iterations), digest)
    return found


# --------------------------------------------------------------------------- the agent

def _who(profile: dict) -> str:
    return f", {profile['name']}" if profile.get("name") else ""


class AuthAgent:
    """Enrols and verifies a spoken passphrase plus voiceprint; issues a token on success."""

    name = "auth"

    def __init__(self, threshold: float = VOICE_THRESHOLD, max_failures: int = MAX_FAILURES,
                 lock_s: float = LOCK_S) -> None:
        self.threshold = threshold
        self.max_failures = max_failures
        self.lock_s = lock_s

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile = await ctx.graph.get_user(req.user_id) or {}
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        rows = await ctx.graph.query(_CREDENTIAL, {"id": req.user_id})
        cred = dict(rows[0]["c"]) if rows else None
        asked = pending(profile) == ASKED_PASSPHRASE  # the last reply asked for one: bare words count
        stated = spoken_passphrase(req.text, bare=asked)
        if talks_about_passphrases(req.text) and not _ENROL_VERB.search(req.text):
            text, auth = REPLIES["about_passphrases"].format(min=MIN_PASSPHRASE_WORDS, max=MAX_PASSPHRASE_WORDS), {
                "authenticated": False, "enrolled": cred is not None, "reason": "question"}
        elif _ENROL.search(" ".join(normalise_words(req.text))) or (cred is None and stated):
            text, auth = await self._enrol(req, ctx, profile, cred, stated)
        else:
            text, auth = await self._verify(req, ctx, profile, cred)
        context = T.cultural_context(city, req.voice_profile) | {
            "authenticated": bool(auth.get("authenticated")), "auth": auth}
        awaiting = ASKED_PASSPHRASE if auth.get("reason") == "no_passphrase" else ""
        return AgentReply(self.name, text, context, awaiting=awaiting)

    async def ask_again(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        """Speech doubted after a passphrase was asked for (``turn_state.leading_agent``): words
        not made out are never enrolled; the passphrase is asked for again."""
        profile = await ctx.graph.get_user(req.user_id) or {}
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        text = REPLIES["passphrase_unclear"].format(min=MIN_PASSPHRASE_WORDS, max=MAX_PASSPHRASE_WORDS)
        context = T.cultural_context(city, req.voice_profile) | {
            "authenticated": False, "auth": {"authenticated": False, "reason": "speech_unclear"}}
        return AgentReply(self.name, text, context, awaiting=ASKED_PASSPHRASE)

    # ------------------------------------------------------------------ enrolment
    async def _enrol(self, req, ctx, profile, cred, words) -> tuple[str, dict]:
        who = _who(profile)
        print_ = _voiceprint_of(req)
        if words is None:
            return (REPLIES["ask_passphrase"].format(min=MIN_PASSPHRASE_WORDS, max=MAX_PASSPHRASE_WORDS),
                    {"authenticated": False, "enrolled": cred is not None, "reason": "no_passphrase"})
        if print_ is None:
            return REPLIES["no_voice"].format(what="enrol you"), {
                "authenticated": False, "enrolled": cred is not None, "reason": "no_voice"}
        if cred is None or cred.get("voice_method") != vp.VERSION:
            salt = os.urandom(16)
            digest = await asyncio.to_thread(hash_passphrase, words, salt)
            await ctx.graph.query(_SAVE, {"id": req.user_id, "changes": {
                "pass_hash": digest, "pass_salt": salt.hex(), "pass_words": len(words),
                "pass_iterations": PBKDF2_ITERATIONS, "voice_template": print_, "voice_samples": 1,
                "voice_method": vp.VERSION, "failures": 0, "locked_until": 0.0,
                "enrolled_at": time.time(), "last_session": req.session_id}})
            log.info("auth: %s enrolled (%d-word passphrase)", req.user_id, len(words))
            return REPLIES["enrolled"].format(who=who), {"authenticated": False, "enrolled": True}
        # Already enrolled: the same passphrase and a matching voice add a sample.
        if cred.get("last_session") == req.session_id:  # redelivery of the enrolment itself
            return REPLIES["sample_added"].format(who=who), {"authenticated": False, "enrolled": True}
        same = await asyncio.to_thread(
            hmac.compare_digest,
            await asyncio.to_thread(hash_passphrase, words, bytes.fromhex(cred["pass_salt"]),
                                    int(cred.get("pass_iterations") or PBKDF2_ITERATIONS)),
            cred["pass_hash"])
        if not same:
            return REPLIES["already_enrolled"].format(who=who), {
                "authenticated": False, "enrolled": True, "reason": "passphrase_change_refused"}
        score = vp.similarity(cred.get("voice_template") or [], print_)
        if score < self.threshold:
            log.info("auth: %s re-enrolment refused, voice %.3f < %.3f", req.user_id, score, self.threshold)
            return REPLIES["enrol_mismatch"], {"authenticated": False, "enrolled": True, "reason": "voice_mismatch"}
        n = int(cred.get("voice_samples") or 1)
        mean = [(t * n + p) / (n + 1) for t, p in zip(cred["voice_template"], print_)]
        await ctx.graph.query(_UPDATE, {"id": req.user_id, "changes": {
            "voice_template": [round(v, 5) for v in mean], "voice_samples": n + 1,
            "last_session": req.session_id}})
        return REPLIES["sample_added"].format(who=who), {"authenticated": False, "enrolled": True,
                                                         "voice_samples": n + 1}

    # ------------------------------------------------------------------ verification
    async def _verify(self, req, ctx, profile, cred) -> tuple[str, dict]:
        who = _who(profile)
        if cred is None:
            return REPLIES["not_enrolled"].format(who=who), {
                "authenticated": False, "enrolled": False, "reason": "not_enrolled"}
        now = time.time()
        locked_until = float(cred.get("locked_until") or 0.0)
        if locked_until > now:
            minutes = max(1, round((locked_until - now) / 60))
            return REPLIES["locked"].format(minutes=minutes, s="" if minutes == 1 else "s"), {
                "authenticated": False, "enrolled": True, "reason": "locked", "locked_until": locked_until}
        print_ = _voiceprint_of(req)
        if print_ is None:  # not a failed attempt: nothing was tried
            return REPLIES["no_voice"].format(what="sign you in"), {
                "authenticated": False, "enrolled": True, "reason": "no_voice"}
        phrase_ok = await asyncio.to_thread(
            passphrase_in, req.text, bytes.fromhex(cred["pass_salt"]), cred["pass_hash"],
            int(cred["pass_words"]), int(cred.get("pass_iterations") or PBKDF2_ITERATIONS))
        score = vp.similarity(cred.get("voice_template") or [], print_)
        voice_ok = score >= self.threshold
        log.info("auth: %s passphrase %s, voice %.3f (%s)", req.user_id,
                 "ok" if phrase_ok else "wrong", score, "ok" if voice_ok else "below threshold")
        if phrase_ok and voice_ok:
            try:
                token, expiry = tokens.issue(ctx.settings.token_secret.encode(), req.user_id,
                                             ctx.settings.voice_token_ttl_s)
            except ValueError:  # no token secret: refuse rather than mint one nobody verifies
                log.error("auth: no token secret configured; cannot sign %s in", req.user_id)
                return REPLIES["unavailable"].format(who=who), {
                    "authenticated": False, "enrolled": True, "reason": "no_token_secret"}
            await ctx.graph.query(_UPDATE, {"id": req.user_id, "changes": {
                "failures": 0, "locked_until": 0.0, "last_success": now, "last_session": req.session_id}})
            return REPLIES["verified"].format(who=who), {
                "authenticated": True, "enrolled": True, "token": token, "expires_at": expiry}
        failures = int(cred.get("failures") or 0)
        if cred.get("last_failed_session") != req.session_id:  # a redelivery counts once
            failures += 1
        changes = {"failures": failures, "last_failed_session": req.session_id, "last_failure": now}
        left = self.max_failures - failures
        if left <= 0:
            changes |= {"failures": 0, "locked_until": now + self.lock_s}
        await ctx.graph.query(_UPDATE, {"id": req.user_id, "changes": changes})
        if left <= 0:
            minutes = max(1, round(self.lock_s / 60))
            text = REPLIES["failed"].format(left="") + " " + REPLIES["locked"].format(
                minutes=minutes, s="" if minutes == 1 else "s")
            return text, {"authenticated": False, "enrolled": True, "reason": "locked",
                          "locked_until": now + self.lock_s}
        note = f" {left} attempt{'s' if left != 1 else ''} left before a {round(self.lock_s / 60)}-minute lock."
        return REPLIES["failed"].format(left=note), {
            "authenticated": False, "enrolled": True, "reason": "no_match", "attempts_left": left}


async def speaker_verified(req: AgentRequest, ctx: AgentContext, threshold: float = VOICE_THRESHOLD) -> bool:
    """Whether this utterance's voice matches the user's enrolled voiceprint (no passphrase:
    an order by the enrolled voice is the user acting, a stranger's is sent to sign in)."""
    heard = _voiceprint_of(req)
    rows = await ctx.graph.query(_CREDENTIAL, {"id": req.user_id}) if heard else []
    enrolled = rows[0]["c"].get("voice_template") if rows else None
    return bool(enrolled) and vp.similarity(enrolled, heard) >= threshold


def _voiceprint_of(req: AgentRequest) -> list[float] | None:
    found = (req.voice_profile or {}).get("voiceprint")
    if not found or len(found) != vp.DIM:
        return None
    return [float(v) for v in found]
