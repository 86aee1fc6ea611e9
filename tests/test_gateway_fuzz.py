"""schemathesis against the served OpenAPI schema: no generated request gets a server error,
and every answer matches the documented status codes, content types and bodies."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis not installed (pip install schemathesis==4.32.5)")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (content_type_conformance,  # noqa: E402
                                               response_schema_conformance,
                                               status_code_conformance)

from gateway.config import GatewayConfig  # noqa: E402
from tests.test_gateway_fakes import fake_gateway  # noqa: E402

# Issued sessions stay pending over fakes: their event streams end quickly instead of in 15 min.
client, _fakes = fake_gateway(GatewayConfig.for_tests(stream_max_s=0.3))
schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))  # examples: the profile's
def test_no_server_errors(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance,
                                   content_type_conformance, response_schema_conformance])
