"""Fixtures for the target tests: a context, started targets closed at teardown, a loopback JWKS issuer."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from target_helpers import PAST, JwksIssuer

from conformance.context import TargetContext
from conformance.keypool import key_pool
from conformance.targets import Target, load_target


@pytest.fixture
def ctx() -> TargetContext:
    return TargetContext(domain="https://issuer.test", application_id="app-123", now=PAST)


@pytest.fixture
def started() -> Iterator[Callable[..., Target]]:
    """load_target + start, closed at teardown."""
    targets: list[Target] = []

    def start(spec: str, **options: Any) -> Target:
        target = load_target(spec, **options)
        target.start()
        targets.append(target)
        return target

    yield start
    for target in targets:
        target.close()


@pytest.fixture(scope="session")
def jwks_issuer() -> Iterator[JwksIssuer]:
    def published(key_id: str, kid: str) -> dict[str, Any]:  # the pool's key_ops ["sign"] is not published
        members = {name: value for name, value in key_pool()[key_id].public_jwk.items() if name != "key_ops"}
        return {**members, "kid": kid, "use": "sig", "alg": "RS256"}

    jwks = {"keys": [published("rsa-2048-a", "k1"), published("rsa-2048-b", "k2")]}
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            status, payload = (200, body) if self.path == "/jwks" else (404, b"not found")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield JwksIssuer(origin=f"http://127.0.0.1:{server.server_address[1]}", jwks=jwks)
    finally:
        server.shutdown()
        server.server_close()
