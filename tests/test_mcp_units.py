"""The MCP parts that need no stack (make check): the external servers' configuration, what is
kept of an external server's rows, and the gateway's rules applied to MCP callers."""

from __future__ import annotations

import pytest
from mcp.server.mcpserver.exceptions import ToolError

from agents import safety
from agents.providers.mcp_places import ConfigError, ServerSpec, parse_dish, items_in, parse_stay, parse_servers
from aurasense import mcp_access as access
from core import tokens
from gateway.config import GatewayConfig


def test_server_config_is_parsed_or_refused_clearly():
    assert parse_servers("places=http://h:1/mcp, maps=python -m maps --x 1") == (
        ServerSpec("places", url="http://h:1/mcp"), ServerSpec("maps", command=("python", "-m", "maps", "--x", "1")))
    assert parse_servers('{"places": "https://h/mcp"}') == (ServerSpec("places", url="https://h/mcp"),)
    assert parse_servers('[{"name": "r", "command": ["srv", "--a"]}]') == (ServerSpec("r", command=("srv", "--a")),)
    assert parse_servers("") == ()
    for bad, words in (("places", "not name=url-or-command"), ("{bad json", "not valid JSON"),
                       ('[{"name": "x"}]', "a url or a command"), ("a=http://h/mcp,a=http://h2/mcp", "twice"),
                       ("places=", "no url or command")):
        with pytest.raises(ConfigError, match=words):
            parse_servers(bad)


GOOD = {"id": "7", "name": "Suya Plate", "restaurant": "Grill", "price": 3000, "ingredients": ["beef", "peanut"],
        "diets": ["halal"], "spice": 2}


def test_an_external_dish_keeps_what_the_reply_needs_and_no_claim_makes_it_safer():
    dish = parse_dish(GOOD, "places")
    assert dish["id"] == "mcp:places:7" and dish["source"] == "mcp:places" and dish["spice"] == 2
    assert "peanut" in dish["allergens"]  # from the ingredient table, though the server listed none
    assert dish["diets"] == []  # a halal certification is not taken from outside
    assert not safety.allowed(dish, allergies=("peanut",)) and not safety.allowed(dish, diets=("halal",))
    mystery = parse_dish(GOOD | {"ingredients": ["beef", "secret sauce"]}, "places")
    assert mystery is not None and not safety.allowed(mystery, allergies=("sesame",))  # unknown is not safe


@pytest.mark.parametrize("change", [{"price": "cheap"}, {"price": -1}, {"price": float("nan")}, {"name": ""},
                                    {"id": None}, {"ingredients": "beef"}, {"ingredients": [1]}, {"restaurant": 3}])
def test_an_external_dish_missing_or_wrong_in_a_needed_field_is_dropped(change):
    assert parse_dish(GOOD | change, "places") is None


def test_garbage_shapes_give_no_items():
    for data in (None, [], "x", {"dishes": "x"}, {"dishes": [1, "a", None]}, {"other": []}):
        assert items_in(data, "dishes", "s", parse_dish) == []
    assert parse_stay({"id": "s", "name": "Inn", "neighbourhood": "Soho", "price": 90, "tags": ["budget", 3]},
                 "m")["tags"] == ["budget"]
    assert parse_stay({"id": "s", "name": "Inn", "price": 90}, "m") is None


CONFIG = GatewayConfig.for_tests()


def token_for(user_id: str) -> str:
    return tokens.issue(CONFIG.token_secret, user_id, 60)[0]


def test_the_caller_is_the_token_the_header_or_the_servers_own():
    ada = token_for("usr-ada")
    assert access.identify(CONFIG, ada, None, "").user_id == "usr-ada"
    assert access.identify(CONFIG, "", {"authorization": f"Bearer {ada}"}, "").user_id == "usr-ada"
    assert access.identify(CONFIG, "", None, ada).user_id == "usr-ada"
    assert access.identify(CONFIG, "", None, "") == access.Caller(None, None)
    with pytest.raises(ToolError, match="invalid or expired token"):
        access.identify(CONFIG, ada + "x", None, "")
    other_secret = tokens.issue(b"another secret", "usr-ada", 60)[0]
    with pytest.raises(ToolError, match="invalid or expired token"):
        access.identify(CONFIG, other_secret, None, "")


def test_a_user_acts_only_as_themselves_and_guests_as_at_the_gateway():
    ada = access.identify(CONFIG, token_for("usr-ada"), None, "")
    nobody = access.Caller(None, None)
    assert access.user_to_act_as(CONFIG, ada, "") == "usr-ada"
    with pytest.raises(ToolError, match="only their own profile, not usr-bo's"):
        access.user_to_act_as(CONFIG, ada, "usr-bo")
    with pytest.raises(ToolError, match="not allowed"):
        access.user_to_act_as(CONFIG, ada, "guest-x")
    with pytest.raises(ToolError, match="registered user"):
        access.user_to_act_as(CONFIG, nobody, "usr-ada")
    with pytest.raises(ToolError, match="a bearer token is required"):
        access.user_to_act_as(CONFIG, nobody, "")
    assert access.user_to_act_as(CONFIG, nobody, "guest-x") == "guest-x"  # guest data is not private
    no_guests = GatewayConfig.for_tests(guest_access=False)
    with pytest.raises(ToolError, match="not allowed"):
        access.user_to_act_as(no_guests, nobody, "guest-x")


def test_aurasense_mcp_serves_the_running_up_on_its_data_dir_unless_the_environment_says_otherwise(tmp_path):
    import os

    from aurasense import up_state
    from aurasense.cli_mcp import running_service
    from core.settings import Settings

    base = Settings()
    assert running_service(base, tmp_path, {}) == (base, None)  # nothing runs there
    up_state.write_state(tmp_path, {"pid": os.getpid(), "kafka_bootstrap": "127.0.0.1:19092",
                                    "falkordb_socket": "/run/f.sock", "s3_endpoint": "http://127.0.0.1:18333",
                                    "gateways": ["http://127.0.0.1:18000"]})
    (tmp_path / "token.secret").write_text("s3cret\n")
    settings, gateway = running_service(base, tmp_path, {})
    assert (settings.kafka_bootstrap, settings.falkordb_socket, settings.token_secret, gateway) == (
        "127.0.0.1:19092", "/run/f.sock", "s3cret", "http://127.0.0.1:18000")
    settings, gateway = running_service(base, tmp_path, {"AURASENSE_KAFKA_BOOTSTRAP": "x:1",
                                                         "AURASENSE_TOKEN_SECRET": "mine",
                                                         "AURASENSE_GATEWAY_PORT": "9"})
    assert (settings.kafka_bootstrap, settings.token_secret, gateway) == ("127.0.0.1:9092", "", None)
    assert settings.falkordb_socket == "/run/f.sock"


def test_aurasense_mcp_without_a_reachable_graph_says_so_and_exits_3(tmp_path, monkeypatch, capsys):
    from aurasense.cli import main

    monkeypatch.setenv("AURASENSE_FALKORDB_SOCKET", str(tmp_path / "no-graph.sock"))
    assert main(["mcp", "--data-dir", str(tmp_path)]) == 3
    assert "aurasense mcp: cannot reach the graph at" in capsys.readouterr().err
