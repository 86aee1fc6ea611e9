"""Webhooks without a stack: signatures, the allow-list (real DNS for localhost), the backoff, the
payload, and the deliverer's retries against a real HTTP receiver on loopback."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest
from aiohttp import web

from core.settings import Settings
from schemas.events import SessionStatus
from schemas.webhooks import DELIVERED, GAVE_UP, PENDING, RETRYING, WebhookDelivery, WebhookRegistered
from streams.webhooks.deliverer import WebhookDeliverer, finished_status
from streams.webhooks.offsets import OffsetTracker
from streams.webhooks.schedule import backoff_delays, event_of, payload
from streams.webhooks.sender import AllowListResolver, WebhookSender
from streams.webhooks.signing import SIGNATURE_HEADER, registration_secret, signature_header, verify
from streams.webhooks.targets import RefusedTarget, TargetPolicy, check_addresses, check_target, check_url
from streams.webhooks.view import WebhookView

LOOPBACK = TargetPolicy.parse("127.0.0.1,localhost", "127.0.0.0/8,::1/128")


# --- signatures ---------------------------------------------------------------------------------

def test_a_signature_verifies_only_for_its_body_secret_and_time():
    secret, body, now = "whsec_abc", b'{"type":"session.completed"}', 1_700_000_000
    header = signature_header(secret, body, now)
    assert header.startswith(f"t={now},v1=")
    assert verify(secret, header, body, now=now + 10)
    assert not verify(secret, header, body + b" ", now=now)  # tampered body
    assert not verify("whsec_other", header, body, now=now)  # another registration's secret
    assert not verify(secret, header, body, now=now + 301)  # replayed too late
    assert not verify(secret, header.replace(f"t={now}", f"t={now + 1}"), body, now=now)  # moved stamp
    for broken in (None, "", "v1=abc", "t=x,v1=abc", f"t={now}"):
        assert not verify(secret, broken, body, now=now)


def test_each_registration_has_its_own_secret_derived_from_the_key():
    first = registration_secret(b"key", "wh_1")
    assert first == registration_secret(b"key", "wh_1") and first.startswith("whsec_")
    assert first != registration_secret(b"key", "wh_2") != registration_secret(b"other", "wh_1")


# --- the allow-list -----------------------------------------------------------------------------

@pytest.mark.parametrize("url, reason", [
    ("ftp://127.0.0.1/x", r"http\(s\)"), ("file:///etc/passwd", r"http\(s\)"), ("http:///path", r"http\(s\)"),
    ("http://user:pw@127.0.0.1/", "credentials"), (42, "URL"), ("http://" + "a" * 2100, "2048"),
    ("http://10.0.0.1/hook", "not in AURASENSE_WEBHOOK_ALLOWED_HOSTS"),
    ("http://127.0.0.1:99999/", "not a valid URL"),
])
def test_urls_of_the_wrong_form_or_host_are_refused(url, reason):
    with pytest.raises(RefusedTarget, match=reason):
        check_url(url, LOOPBACK)


def test_an_empty_allow_list_refuses_every_host():
    with pytest.raises(RefusedTarget, match="ALLOWED_HOSTS is empty"):
        check_url("https://example.com/hook", TargetPolicy.parse(""))


def test_host_patterns():
    policy = TargetPolicy.parse("hooks.example.com, *.example.org")
    assert policy.host_allowed("HOOKS.example.com.") and policy.host_allowed("a.b.example.org")
    assert not policy.host_allowed("example.org")  # "*." means subdomains only
    assert not policy.host_allowed("evilexample.org") and not policy.host_allowed("example.com")
    assert TargetPolicy.parse("*").host_allowed("anything.test")


def fixed(*addresses: str):
    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)
    return resolve


def run(coro):
    return asyncio.run(coro)


def test_a_name_resolving_to_loopback_is_refused_unless_its_network_is_allowed():
    names_only = TargetPolicy.parse("localhost")
    with pytest.raises(RefusedTarget, match="loopback"):  # the machine's own resolver (/etc/hosts)
        run(check_target("http://localhost:8080/hook", names_only))
    assert run(check_target("http://localhost:8080/hook", LOOPBACK)) == "http://localhost:8080/hook"


@pytest.mark.parametrize("addresses, kind", [
    (("93.184.216.34", "127.0.0.1"), "loopback"),  # every address counts, not the first
    (("169.254.169.254",), "link-local"),  # cloud metadata
    (("10.1.2.3",), "private"), (("192.168.0.7",), "private"), (("fd00::1",), "private"),
    (("::ffff:127.0.0.1",), "loopback"), (("100.64.0.1",), "non-public"), (("0.0.0.0",), "unspecified"),
    (("224.0.0.1",), "multicast"), ((), "no address"),
])
def test_every_resolved_address_must_be_public_or_allowed(addresses, kind):
    policy = TargetPolicy.parse("hooks.example.com", "10.9.0.0/16")
    with pytest.raises(RefusedTarget, match=kind):
        run(check_addresses("hooks.example.com", 443, policy, fixed(*addresses)))


def test_public_addresses_and_allowed_networks_pass():
    policy = TargetPolicy.parse("*", "10.9.0.0/16")
    assert run(check_addresses("a.test", 443, policy, fixed("93.184.216.34", "2606:2800::1"))) == [
        "93.184.216.34", "2606:2800::1"]
    assert run(check_addresses("b.test", 443, policy, fixed("10.9.3.4"))) == ["10.9.3.4"]
    with pytest.raises(RefusedTarget, match="link-local"):  # a literal address is checked too
        run(check_addresses("169.254.169.254", 80, policy))


def test_a_malformed_network_setting_is_a_clear_error():
    with pytest.raises(ValueError, match="ALLOWED_NETWORKS"):
        TargetPolicy.parse("*", "10.0.0.0/33")


def test_the_connection_resolver_refuses_what_the_allow_list_refuses():
    async def resolve_localhost(policy):
        resolver = AllowListResolver(policy)
        try:
            return await resolver.resolve("localhost", 80)
        finally:
            await resolver.close()
    with pytest.raises(RefusedTarget, match="loopback"):
        run(resolve_localhost(TargetPolicy.parse("localhost")))
    assert {r["host"] for r in run(resolve_localhost(LOOPBACK))} <= {"127.0.0.1", "::1"}


# --- schedule and payload -----------------------------------------------------------------------

def test_backoff_doubles_up_to_its_cap():
    assert backoff_delays(6, 1.0, 60.0) == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert backoff_delays(5, 10.0, 25.0) == [10.0, 20.0, 25.0, 25.0]
    assert backoff_delays(1, 1.0, 60.0) == [] and backoff_delays(0, 1.0, 60.0) == []


def status(state: str = "completed", session_id: str = "s-1", **changes) -> SessionStatus:
    return SessionStatus(session_id=session_id, user_id="usr-a", status=state, attempt=1,
                         completed_at=time.time(), response_text="Try the jollof.", **changes)


def test_only_finished_sessions_make_events():
    assert event_of(status()) == "session.completed" and event_of(status("failed")) == "session.failed"
    assert event_of(status("processing")) is None and event_of(status("pending")) is None
    assert finished_status(status("processing").encode()) is None
    done = status()
    assert finished_status(done.encode()) == done
    assert finished_status(b"not json") is None and finished_status(None) is None


def test_the_payload_carries_the_status_and_a_delivery_id():
    body = orjson.loads(payload(status(), 123.0))
    assert body["type"] == "session.completed" and body["delivery_id"] == "s-1:1"
    assert body["created_at"] == 123.0
    assert body["session"]["response_text"] == "Try the jollof." and body["session"]["user_id"] == "usr-a"


# --- the deliverer against a real receiver ------------------------------------------------------

class Receiver:
    """An HTTP server on loopback answering the statuses given, in order, then 200."""

    def __init__(self, *statuses: int) -> None:
        self.statuses, self.calls = list(statuses), []

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((dict(request.headers), await request.read()))
        code = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=code, headers={"Location": "http://127.0.0.1:1/"} if code == 302 else {})

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = self.runner.addresses[0][1]
        return f"http://127.0.0.1:{port}/hook"

    async def __aexit__(self, *exc) -> None:
        await self.runner.cleanup()


class FakeView(WebhookView):
    """The real view, fed directly instead of from the log."""

    async def caught_up(self, timeout_s: float = 10.0) -> bool:
        return True


async def deliver(receiver: Receiver, attempts: int) -> tuple[list[WebhookDelivery], str]:
    settings = Settings(webhook_attempts=attempts, webhook_backoff_s=0.05, webhook_timeout_s=5)
    view, published = FakeView("unused:9092"), []
    async with receiver as url:
        reg = WebhookRegistered(scope="user", subject="usr-a", user_id="usr-a", url=url,
                                registration_id="wh_1", registered_at=time.time() - 5)
        view.apply("webhook-registrations", reg.encode())

        async def publish(topic, key, value):
            published.append(WebhookDelivery.decode(value))

        sender = WebhookSender(LOOPBACK, 5.0)
        await sender.start()
        try:
            deliverer = WebhookDeliverer(settings, view, sender, publish, b"key")
            await deliverer.take([(0, 10, status("processing").encode()), (0, 11, status().encode()),
                                  (0, 12, status().encode())])
            await deliverer.idle()
            assert deliverer.offsets.committable() == {0: 13}
            await deliverer.take([(0, 13, status().replace(duplicates_ignored=1).encode())])  # done
            await deliverer.idle()
        finally:
            await sender.close()
    return published, registration_secret(b"key", "wh_1")


def test_a_failed_post_is_retried_and_the_delivered_body_verifies():
    receiver = Receiver(500)
    states, secret = run(deliver(receiver, attempts=3))
    assert [(s.state, s.tries) for s in states] == [(PENDING, 0), (RETRYING, 1), (DELIVERED, 2)]
    assert states[1].last_error == "HTTP 500" and states[1].next_try_at is not None
    assert len(receiver.calls) == 2  # the duplicate changelog records made no third call
    headers, body = receiver.calls[-1]
    assert verify(secret, headers[SIGNATURE_HEADER], body)
    assert headers["Aurasense-Event"] == "session.completed" and headers["Aurasense-Delivery"] == "s-1:1"
    assert orjson.loads(body)["session"]["status"] == "completed"


def test_a_delivery_is_given_up_after_its_attempts_and_a_redirect_at_once():
    states, _ = run(deliver(Receiver(503, 503, 503), attempts=3))
    assert [(s.state, s.tries) for s in states][-1] == (GAVE_UP, 3)
    assert states[-1].last_error == "HTTP 503" and states[-1].response_status == 503
    redirect = Receiver(302)
    states, _ = run(deliver(redirect, attempts=3))
    assert [(s.state, s.tries) for s in states] == [(PENDING, 0), (GAVE_UP, 1)]
    assert "redirects are not followed" in states[-1].last_error and len(redirect.calls) == 1


def test_a_slow_receiver_holds_back_the_commit_but_not_the_other_callbacks():
    async def scenario():
        slow, quick = Receiver(503, 503, 503, 503), Receiver()
        settings = Settings(webhook_attempts=5, webhook_backoff_s=0.05, webhook_timeout_s=5)
        view, published = FakeView("unused:9092"), []

        async def publish(topic, key, value):
            published.append(WebhookDelivery.decode(value))

        async with slow as slow_url, quick as quick_url:
            for sid, url in (("s-slow", slow_url), ("s-quick", quick_url)):
                view.apply("webhook-registrations", WebhookRegistered(
                    scope="session", subject=sid, user_id="usr-a", url=url, registration_id=f"wh_{sid}",
                    registered_at=0.0).encode())
            sender = WebhookSender(LOOPBACK, 5.0)
            await sender.start()
            try:
                deliverer = WebhookDeliverer(settings, view, sender, publish, b"key")
                await deliverer.take([(0, 1, status(session_id="s-slow").encode()),
                                      (0, 2, status(session_id="s-quick").encode())])
                while view.delivery("s-quick") is None or not view.delivery("s-quick").final:
                    await asyncio.sleep(0.01)
                while_slow = (view.delivery("s-slow").state, deliverer.offsets.committable())
                await deliverer.idle()
                return while_slow, deliverer.offsets.committable(), view.delivery("s-slow")
            finally:
                await sender.close()

    (slow_state, held), released, slow_done = run(scenario())
    assert slow_state in (PENDING, RETRYING) and held == {0: 1}  # nothing past the slow one
    assert released == {0: 3} and (slow_done.state, slow_done.tries) == (DELIVERED, 5)


def test_committable_offsets_stop_at_the_first_open_one():
    offsets = OffsetTracker()
    for offset in (5, 6, 7):
        offsets.read("p0", offset)
    offsets.read("p1", 0)
    offsets.opened("p0", 6)
    assert offsets.committable() == {"p0": 6, "p1": 1}
    assert offsets.committable() == {}  # nothing moved since
    offsets.closed("p0", 6)
    assert offsets.committable() == {"p0": 8}
    offsets.opened("p1", 0)
    offsets.forget(["p1"])
    offsets.read("p1", 4)
    assert offsets.committable(["p1"]) == {"p1": 5}
