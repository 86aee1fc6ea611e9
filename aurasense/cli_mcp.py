"""``aurasense mcp``: the product as an MCP server, over stdio or streamable HTTP.

The tools (aurasense/mcp_server.py) reach the graph, the log and the gateway of the running
product (``AURASENSE_*``, e.g. as ``aurasense up`` prints them). Over stdio, the client starts
this command and speaks on its stdin/stdout; over HTTP it listens on
``http://HOST:PORT/mcp``.
"""

from __future__ import annotations

import argparse
import os

from aurasense.cli_common import EXIT_OK, settings_of


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("mcp", parents=[common], help="serve the product's tools over MCP (stdio or HTTP)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--transport", choices=("stdio", "http"), default="stdio",
                   help="stdio (default: a client starts this command) or streamable HTTP")
    p.add_argument("--host", default="127.0.0.1", help="HTTP: address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, metavar="P", help="HTTP: port (default: AURASENSE_MCP_PORT or 8765)")
    p.add_argument("--gateway", metavar="URL",
                   help="gateway base URL for session tools (default: http://AURASENSE_GATEWAY_HOST:PORT)")
    p.add_argument("--token", default=os.environ.get("AURASENSE_TOKEN", ""),
                   help="the user a stdio server acts for when a call passes no token (default: AURASENSE_TOKEN)")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    from aurasense.mcp_server import Backend, build_server  # the SDK loads only for this command

    settings = settings_of(args)
    gateway = args.gateway or f"http://{settings.gateway_host}:{settings.gateway_port}"
    # Only a stdio server is one user's own process; over HTTP every caller brings their token.
    default_token = args.token if args.transport == "stdio" else ""
    server = build_server(Backend(settings, gateway.rstrip("/"), default_token=default_token))
    if args.transport == "http":
        server.run("streamable-http", host=args.host, port=args.port or settings.mcp_port)
    else:
        server.run()
    return EXIT_OK
