"""HTTP targets: the same protocol messages, each POSTed as JSON to one URL.

The start message is POSTed once by `start()` (its answer is the handshake); each validate message
is POSTed by `run()`. An answer must be status 200 with one JSON object of the same shape as on the
subprocess protocol. Unreachable endpoint: ERRORED(connection); no answer within the timeout:
ERRORED(timeout); another status or a broken body: ERRORED(protocol).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Mapping
from typing import Any

import httpx

from ..context import TargetContext
from ..errors import UsageError
from ..observation import ErrorKind, Observation
from .base import Target
from .protocol import (
    ProtocolError,
    decode,
    encode,
    excerpt,
    parse_answer,
    parse_handshake,
    start_message,
    validate_message,
)

__all__ = ["HttpTarget"]

_JSON = {"content-type": "application/json", "accept": "application/json"}


class HttpTarget(Target):
    """POSTs protocol messages to `url` with httpx (no proxies from the environment, no redirects)."""

    kind = "http"

    def __init__(self, url: str, *, timeout: float = 5.0, spec: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(spec or url, timeout=timeout)
        self.url = url
        self._transport = transport
        self._client: httpx.Client | None = None
        self._next_id = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._client is not None:
                return
            client = httpx.Client(timeout=self.timeout, trust_env=False, follow_redirects=False,
                                  transport=self._transport)
            try:
                response = client.post(self.url, content=encode(start_message()), headers=_JSON)
                if response.status_code != 200:
                    raise ProtocolError(f"the start message was answered with HTTP {response.status_code}: "
                                        f"{excerpt(response.content, 300)}")
                self._implementation = parse_handshake(decode(response.content))
            except httpx.HTTPError as exc:
                client.close()
                raise UsageError(f"no validator answers at {self.url}: {type(exc).__name__}: {exc}",
                                 "start the endpoint first, and check the URL and port") from None
            except ProtocolError as problem:
                client.close()
                raise UsageError(f"the endpoint {self.url} did not complete the handshake: {problem}",
                                 "see docs/protocol.md, section HTTP") from None
            self._client, self._closed = client, False

    def run(self, token: str, ctx: TargetContext) -> Observation:
        self._require_started()
        with self._lock:
            assert self._client is not None
            self._next_id += 1
            request_id = self._next_id
            began = time.perf_counter()
            observation = self._post(self._client, validate_message(request_id, token, ctx), request_id)
            return dataclasses.replace(observation, elapsed=time.perf_counter() - began)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
            if client is not None:
                client.close()

    def _post(self, client: httpx.Client, message: Mapping[str, Any], request_id: int) -> Observation:
        try:
            response = client.post(self.url, content=encode(message), headers=_JSON)
        except httpx.TimeoutException:
            return Observation.errored(ErrorKind.TIMEOUT,
                                       f"no answer to request {request_id} within {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Observation.errored(ErrorKind.CONNECTION,
                                       f"request {request_id}: {type(exc).__name__}: {exc}")
        body = response.content
        if response.status_code != 200:
            return Observation.errored(ErrorKind.PROTOCOL,
                                       f"request {request_id}: HTTP status {response.status_code}, expected 200",
                                       detail=f"body: {excerpt(body)}")
        try:
            return parse_answer(decode(body), request_id)
        except ProtocolError as problem:
            return Observation.errored(ErrorKind.PROTOCOL, f"request {request_id}: {problem}",
                                       detail=f"body: {excerpt(body)}")
