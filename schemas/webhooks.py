"""The webhook records on the log (topics in schemas/topics.py, the deliverer in streams/webhooks/deliverer.py).

A registration is keyed ``session:<session_id>`` (one upload or utterance) or ``user:<user_id>``
(every session of that user); the latest record for a key wins, and an empty ``url`` removes it.
The registration's secret is never on the log: it is derived from ``registration_id`` and the
workers' signing key (streams/webhooks/signing.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.records import Record

SESSION_SCOPE = "session"
USER_SCOPE = "user"

# The delivery states a client reads (GET /v1/sessions/{id}/webhook).
PENDING, RETRYING, DELIVERED, GAVE_UP = "pending", "retrying", "delivered", "gave_up"
FINAL_STATES = frozenset({DELIVERED, GAVE_UP})


def registration_key(scope: str, subject: str) -> str:
    return f"{scope}:{subject}"


@dataclass(frozen=True, kw_only=True)
class WebhookRegistered(Record):
    """A callback URL for one session or for every session of one user (topic webhook-registrations)."""

    scope: str  # SESSION_SCOPE or USER_SCOPE
    subject: str  # the session id or the user id
    user_id: str  # whose sessions may be sent there (the gateway checked the caller's token)
    registration_id: str
    url: str  # "" removes the registration
    registered_at: float

    @property
    def key(self) -> str:
        return registration_key(self.scope, self.subject)


@dataclass(frozen=True, kw_only=True)
class WebhookDelivery(Record):
    """One state of one session's callback (topic webhook-deliveries, keyed by session id)."""

    session_id: str
    user_id: str
    attempt: int  # the session's attempt (a reprocessed session is called back again)
    event: str  # "session.completed" or "session.failed"
    registration_id: str
    url: str
    state: str  # PENDING, RETRYING, DELIVERED or GAVE_UP
    tries: int = 0  # POSTs made so far
    last_error: str = ""
    response_status: int = 0  # the receiver's last HTTP status (0: no answer)
    updated_at: float = 0.0
    next_try_at: float | None = None  # while RETRYING
    deliverer: str = ""  # the gateway URL of the worker that made this state (operators, tests)

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES
