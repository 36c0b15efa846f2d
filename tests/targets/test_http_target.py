"""HTTP targets against a tiny threaded server on 127.0.0.1 that answers like the toy adapter."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from target_helpers import adapter_module

from conformance.errors import UsageError
from conformance.observation import ErrorKind, ObservationKind
from conformance.targets import HttpTarget, load_target

toy_logic = adapter_module("toy_logic")


class ToyEndpoint:
    """Serves the protocol over HTTP; `handshake` says how it answers the start message."""

    def __init__(self, handshake: str = "ok") -> None:
        self.handshake = handshake
        self.received: list[dict[str, Any]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.received.append({"message": message, "content_type": self.headers["Content-Type"]})
                status, body = endpoint.respond(message)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/validate"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def respond(self, message: dict[str, Any]) -> tuple[int, bytes]:
        if message["cmd"] == "start":
            if self.handshake == "not-found":
                return 404, b"no such route"
            if self.handshake == "old-protocol":
                return 200, json.dumps({**toy_logic.HANDSHAKE, "protocol": 0}).encode()
            return 200, json.dumps(toy_logic.HANDSHAKE).encode()
        token = message["token"]
        if token == "slow":
            time.sleep(1.5)
        if token == "status500":
            return 500, b"Internal Server Error"
        if token == "notjson":
            return 200, b"<html>hello</html>"
        return 200, toy_logic.answer(message).encode()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[ToyEndpoint]:
    served = ToyEndpoint()
    yield served
    served.stop()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/validate"


def test_start_posts_the_handshake_once(started, endpoint) -> None:
    target = started(endpoint.url)
    assert isinstance(target, HttpTarget) and target.kind == "http"
    assert target.implementation.name == "toy" and target.implementation.capabilities["reasons"] is True
    assert endpoint.received == [{"message": {"cmd": "start", "protocol": 1}, "content_type": "application/json"}]


@pytest.mark.parametrize(("token", "kind", "error", "reason"), [
    ("good-1", ObservationKind.ACCEPTED, None, None),
    ("reject:expired", ObservationKind.REJECTED, None, "expired"),
    ("skip", ObservationKind.SKIPPED, None, None),
    ("error", ObservationKind.ERRORED, ErrorKind.EXCEPTION, None),
    ("wrong-id", ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ("status500", ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ("notjson", ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ('raw:{"id": {id}, "result": "reject", "reason": "nope"}', ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
])
def test_each_answer_maps_to_its_observation(started, endpoint, ctx, token, kind, error, reason) -> None:
    observation = started(endpoint.url).run(token, ctx)
    assert (observation.kind, observation.error, observation.reason) == (kind, error, reason)


def test_requests_carry_the_validate_message(started, endpoint, ctx) -> None:
    target = started(endpoint.url)
    assert target.run("good-a", ctx).claims == {"sub": "good-a", "now": ctx.now, "aud": "app-123"}
    target.run("good-b", ctx)
    sent = [entry["message"] for entry in endpoint.received[1:]]
    assert sent == [{"cmd": "validate", "id": 1, "token": "good-a", "context": ctx.to_json()},
                    {"cmd": "validate", "id": 2, "token": "good-b", "context": ctx.to_json()}]


def test_a_non_200_status_is_a_protocol_error_naming_it(started, endpoint, ctx) -> None:
    observation = started(endpoint.url).run("status500", ctx)
    assert "HTTP status 500" in observation.message and "Internal Server Error" in observation.detail


def test_a_slow_endpoint_times_out(started, endpoint, ctx) -> None:
    target = started(endpoint.url, timeout=0.5)
    observation = target.run("slow", ctx)
    assert observation.error is ErrorKind.TIMEOUT
    assert 0.5 <= observation.elapsed < 1.5
    assert target.run("good-c", ctx).accepted


def test_an_endpoint_that_goes_away_is_a_connection_error(started, ctx) -> None:
    served = ToyEndpoint()
    target = started(served.url)
    served.stop()
    observation = target.run("good-d", ctx)
    assert observation.kind is ObservationKind.ERRORED and observation.error is ErrorKind.CONNECTION
    assert not observation.rejected


def test_nothing_listening_at_start_is_a_usage_error() -> None:
    url = closed_port_url()
    with pytest.raises(UsageError, match=f"no validator answers at {url}"):
        load_target(url).start()


@pytest.mark.parametrize(("handshake", "complaint"), [("not-found", "HTTP 404"),
                                                      ("old-protocol", "speaks protocol 0")])
def test_a_broken_handshake_is_a_usage_error(handshake: str, complaint: str) -> None:
    served = ToyEndpoint(handshake)
    try:
        with pytest.raises(UsageError, match=complaint):
            load_target(served.url).start()
    finally:
        served.stop()


def test_close_is_idempotent_and_ends_the_target(endpoint, ctx) -> None:
    target = load_target(endpoint.url)
    with target:
        assert target.run("good-e", ctx).accepted
    target.close()
    with pytest.raises(RuntimeError, match="not running"):
        target.run("good-f", ctx)
