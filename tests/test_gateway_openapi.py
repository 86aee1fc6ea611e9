"""The OpenAPI document keeps up with the route table (gateway/app.py, the single source): every
route and method is documented or left out by gateway/openapi.py's explicit rule, and nothing is
documented that is not served. No stack needed."""

from __future__ import annotations

import pytest

from gateway.app import routes
from gateway.openapi import SCHEMA, UNDOCUMENTED_PREFIXES
from tests.test_gateway_fakes import gw  # noqa: F401  (fixture)

IMPLIED = {"HEAD"}  # Starlette answers HEAD wherever it answers GET


def served() -> set[tuple[str, str]]:
    return {(r.path, method.lower()) for r in routes for method in r.methods - IMPLIED}


def documented() -> set[tuple[str, str]]:
    return {(path, method) for path, ops in SCHEMA["paths"].items() for method in ops}


def left_out(path: str) -> bool:
    return path.startswith(UNDOCUMENTED_PREFIXES)


def test_every_route_is_documented_or_left_out_on_purpose():
    missing = sorted(r for r in served() - documented() if not left_out(r[0]))
    assert not missing, f"in gateway/app.py, not in gateway/openapi.py: {missing}"


def test_nothing_is_documented_that_is_not_served():
    assert sorted(documented() - served()) == []


def test_the_rule_leaves_out_only_routes_that_exist():
    for prefix in UNDOCUMENTED_PREFIXES:
        assert any(path.startswith(prefix) for path, _ in served()), f"stale rule: {prefix}"
    assert not any(left_out(path) for path, _ in documented())


def test_every_operation_says_what_it_takes_and_how_it_fails():
    for path, method in documented():
        op = SCHEMA["paths"][path][method]
        assert op["summary"] and op["responses"], (path, method)
        if method in ("post", "put"):
            assert "requestBody" in op, f"{method.upper()} {path}: no request body documented"
        for code, answer in op["responses"].items():
            if code == "503" and path != "/healthz":  # /healthz: readiness, not an outage
                assert "Retry-After" in answer.get("headers", {}), f"{method.upper()} {path}"


def test_the_served_document_is_valid_openapi(gw):  # noqa: F811
    client, _ = gw
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.") and doc["paths"].keys() == SCHEMA["paths"].keys()
    schemathesis = pytest.importorskip("schemathesis", reason="schemathesis validates the schema")
    schemathesis.openapi.from_dict(doc).validate()  # against the OpenAPI 3.0 meta-schema
