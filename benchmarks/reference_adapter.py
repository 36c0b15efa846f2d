#!/usr/bin/env python3
"""A conformant protocol-1 adapter around the convex-oidc reference, for the certification benchmark.

It reads discovery and keys over real HTTP from the suite's local issuer, exactly as
``examples/reference_target.py`` does in-process, so the three target kinds of the benchmark do the
same work and differ only in how the suite reaches them. `ReferenceEndpoint` serves the same
replies over HTTP, for the benchmark's HTTP target.

Target spec: exec:python benchmarks/reference_adapter.py
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conformance.fetching import HttpFetcher  # noqa: E402
from conformance.provider import ProviderConfig  # noqa: E402
from conformance.reference import validate  # noqa: E402

__all__ = ["answer", "handshake", "reply", "ReferenceEndpoint", "main"]

_FETCH = HttpFetcher(timeout=5.0)


def handshake() -> dict[str, Any]:
    return {"ready": True, "protocol": 1, "capabilities": {"returns": "identity", "reasons": True},
            "implementation": {"name": "convex-oidc reference (adapter)", "version": "0", "language": "python"}}


def answer(token: str, context: dict[str, Any]) -> dict[str, Any]:
    """The reference's verdict on one token, as a protocol answer (without the id)."""
    try:
        verdict = validate(token, provider=ProviderConfig(context["domain"], context["application_id"]),
                           now=context["now"], fetch=_FETCH)
    except Exception as exc:  # the reference never raises; report it as the adapter's own failure if it does
        return {"result": "error", "message": repr(exc), "traceback": traceback.format_exc()}
    if verdict.accepted:
        return {"result": "accept", "identity": verdict.identity}
    return {"result": "reject", "reason": verdict.reason.value if verdict.reason else None,
            "message": verdict.message}


def reply(request: dict[str, Any]) -> dict[str, Any] | None:
    """The reply to one protocol message; None for ``stop``."""
    if request.get("cmd") == "start":
        return handshake()
    if request.get("cmd") == "validate":
        return {"id": request["id"], **answer(request["token"], request["context"])}
    return None


class ReferenceEndpoint:
    """A threaded http.server on 127.0.0.1:0 answering protocol messages with the reference adapter."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the suite's httpx client expects
            disable_nagle_algorithm = True  # headers and body go out as two writes

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = json.dumps(reply(json.loads(body)) or {}).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/validate"

    def __enter__(self) -> "ReferenceEndpoint":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def main() -> None:
    for line in sys.stdin:
        message = reply(json.loads(line))
        if message is None:
            return
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
