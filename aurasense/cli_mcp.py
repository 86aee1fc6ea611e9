"""``aurasense mcp``: the product as an MCP server, over stdio or streamable HTTP.

The tools (aurasense/mcp_server.py) reach the graph, the log and the gateway of the running
product: an ``aurasense up`` running on ``--data-dir`` (its addresses and token secret), else
the ``AURASENSE_*`` settings; a setting in the environment always wins. Over stdio, the client
starts this command and speaks on its stdin/stdout; over HTTP it listens on ``http://HOST:PORT/mcp``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from aurasense import up_state
from aurasense.cli_common import EXIT_OK, EXIT_UNREACHABLE, settings_of
from aurasense.cli_up import DEFAULT_DATA_DIR
from core.settings import Settings


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("mcp", parents=[common], help="serve the product's tools over MCP (stdio or HTTP)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--transport", choices=("stdio", "http"), default="stdio",
                   help="stdio (default: a client starts this command) or streamable HTTP")
    p.add_argument("--host", default="127.0.0.1", help="HTTP: address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, metavar="P", help="HTTP: port (default: AURASENSE_MCP_PORT or 8765)")
    p.add_argument("--gateway", metavar="URL",
                   help="gateway base URL for session tools (default: http://AURASENSE_GATEWAY_HOST:PORT)")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, metavar="D",
                   help=f"the data dir of a running `aurasense up` to serve (default {DEFAULT_DATA_DIR})")
    p.add_argument("--token", default=os.environ.get("AURASENSE_TOKEN", ""),
                   help="the user a stdio server acts for when a call passes no token (default: AURASENSE_TOKEN)")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    from aurasense.mcp_server import Backend, GraphUnreachable, build_server, probe_graph  # the SDK: only here

    explicit = dict(os.environ) | ({"AURASENSE_KAFKA_BOOTSTRAP": args.bootstrap} if getattr(args, "bootstrap", None)
                                   else {})
    settings, service_gateway = running_service(settings_of(args), args.data_dir, explicit)
    gateway = args.gateway or service_gateway or f"http://{settings.gateway_host}:{settings.gateway_port}"
    try:
        asyncio.run(probe_graph(settings))
    except GraphUnreachable as exc:
        print(f"aurasense mcp: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    # Only a stdio server is one user's own process; over HTTP every caller brings their token.
    default_token = args.token if args.transport == "stdio" else ""
    server = build_server(Backend(settings, gateway.rstrip("/"), default_token=default_token))
    if args.transport == "http":
        server.run("streamable-http", host=args.host, port=args.port or settings.mcp_port)
    else:
        server.run()
    return EXIT_OK


# What a running `aurasense up` tells: setting -> its key in the state file (aurasense/up_state.py).
_SERVICE_FIELDS = {"kafka_bootstrap": "kafka_bootstrap", "falkordb_socket": "falkordb_socket",
                   "s3_endpoint": "s3_endpoint"}


def running_service(settings: Settings, data_dir: Path, environ) -> tuple[Settings, str | None]:
    """``settings`` with the addresses and token secret of the ``aurasense up`` running on
    ``data_dir`` (those not set in ``environ``), and its first gateway; unchanged when none runs."""
    state = up_state.running_state(data_dir)
    if state is None:
        return settings, None
    changes = {f: state[k] for f, k in _SERVICE_FIELDS.items()
               if state.get(k) and f"AURASENSE_{f.upper()}" not in environ}
    secret = Path(data_dir) / "token.secret"  # aurasense/up.py makes it on the first run
    if "AURASENSE_TOKEN_SECRET" not in environ and secret.exists():
        changes["token_secret"] = secret.read_text().strip()
    gateways = [] if {"AURASENSE_GATEWAY_HOST", "AURASENSE_GATEWAY_PORT"} & set(environ) else state.get("gateways")
    return settings.with_(**changes), (gateways[0] if gateways else None)
