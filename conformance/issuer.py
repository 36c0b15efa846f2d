"""The local issuer: a real HTTP server on loopback serving the current publication.

Targets that fetch discovery documents and key sets over HTTP talk to this server. It answers
with `conformance.fetching.respond`, the same function `PublicationFetcher` uses, so what a
target fetches and what the reference reads directly cannot drift apart. The publication can be
swapped at any time (one case after another); every request sees one whole publication.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socketserver
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable, Mapping, NamedTuple
from urllib.parse import urlsplit

from .errors import UsageError
from .fetching import respond
from .keypool import PoolKey, key_pool
from .publication import Publication

__all__ = ["LocalIssuer", "SeenRequest", "default_publication", "DEFAULT_KEY_ID"]

DEFAULT_KEY_ID = "rsa-2048-a"
_MAX_DRAINED_BODY = 1 << 20
# A header value that reaches an HTTP client byte for byte (clients strip outer whitespace).
_HEADER_VALUE = re.compile(r"([!-~]([\t -~]*[!-~])?)?")


def default_publication(origin: str, *, issuer_path: str = "",
                        key_ids: Iterable[str] = (DEFAULT_KEY_ID,)) -> Publication:
    """A well-behaved issuer at ``origin + issuer_path`` publishing the given pool keys.

    Each key is published as its public JWK with ``kid`` (the pool id), ``use: sig`` and its
    natural ``alg``; by default only ``rsa-2048-a`` (RS256).
    """
    jwks = {"keys": [_published_jwk(key_pool()[key_id]) for key_id in key_ids]}
    return Publication.standard(origin=origin, issuer_path=issuer_path, jwks=jwks)


def _published_jwk(key: PoolKey) -> dict[str, Any]:
    # the pool's JWKs carry the private key's ``key_ops: ["sign"]``, which a published key does not
    public = {name: value for name, value in key.public_jwk.items() if name != "key_ops"}
    return {**public, "kid": key.id, "use": "sig", "alg": key.natural_alg}


class SeenRequest(NamedTuple):
    """One request the issuer received: method, request path as sent (query included), Accept header."""

    method: str
    path: str
    accept: str | None


class LocalIssuer:
    """Serves discovery and JWKS on ``http://127.0.0.1:<port>`` from a daemon thread.

    Use it as a context manager or call `start()` / `stop()` (both idempotent). Port 0 picks a
    free port; a restarted issuer with port 0 gets a new one.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, request_log_size: int = 1000) -> None:
        self.host = _loopback_host(host)
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise UsageError(f"port {port!r} is not a TCP port number", "use 0 (any free port) up to 65535")
        self._wanted_port = port
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._origin: str | None = None
        self._default: Publication | None = None
        self._publication: Publication | None = None
        self._requests: deque[SeenRequest] = deque(maxlen=request_log_size)

    # lifecycle

    def start(self) -> "LocalIssuer":
        """Bind the port and serve in a daemon thread; a no-op when already serving."""
        if self._server is not None:
            return self
        server = _Server((self.host, self._wanted_port), self)
        origin = f"http://{self.host}:{server.server_address[1]}"
        with self._lock:
            previous_default, self._origin = self._default, origin
            self._default = default_publication(origin)
            if self._publication is None or self._publication is previous_default:
                self._publication = self._default
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"local-issuer-{server.server_address[1]}", daemon=True)
        self._server = server
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, join the thread and release the port; a no-op when not serving."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._server = self._thread = None
        server.shutdown()
        server.server_close()
        thread.join()

    def __enter__(self) -> "LocalIssuer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    # where it serves

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>`` (the last one when stopped)."""
        if self._origin is None:
            raise _not_started()
        return self._origin

    @property
    def port(self) -> int:
        return int(self.origin.rsplit(":", 1)[1])

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this issuer."""
        return self.origin + path

    @property
    def discovery_url(self) -> str:
        return self.url(self.publication.discovery.path)

    @property
    def jwks_url(self) -> str:
        return self.url(self.publication.jwks.path)

    # what it serves

    @property
    def publication(self) -> Publication:
        """The publication served right now."""
        with self._lock:
            publication = self._publication
        if publication is None:
            raise _not_started()
        return publication

    def publish(self, publication: Publication) -> None:
        """Serve `publication` from now on; a request in flight keeps the one it started with.

        A content type that HTTP cannot carry unchanged (control characters, non-ASCII, spaces at
        either end) is refused with a UsageError rather than served differently from what
        `PublicationFetcher` reads.
        """
        if not isinstance(publication, Publication):
            raise TypeError(f"publish() takes a Publication, got {type(publication).__name__}")
        _check_servable(publication)
        with self._lock:
            self._publication = publication

    def reset(self) -> None:
        """Serve the default publication again (see `default_publication`)."""
        with self._lock:
            self._publication = self._default

    # what it saw

    @property
    def requests(self) -> tuple[SeenRequest, ...]:
        """The most recent requests, oldest first (bounded by `request_log_size`)."""
        with self._lock:
            return tuple(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, seen: SeenRequest) -> None:
        with self._lock:
            self._requests.append(seen)

    def __repr__(self) -> str:
        state = self._origin if self.running else "stopped"
        return f"LocalIssuer({state})"


class _Handler(BaseHTTPRequestHandler):
    """Answers GET from the issuer's current publication; every other method gets 405."""

    server: "_Server"
    server_version = "idtoken-conformance-issuer"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
        issuer = self.server.issuer
        target = self._raw_target()
        issuer._record(SeenRequest("GET", target, self.headers.get("Accept")))
        if not target.startswith("/"):
            self._send(400, {"cache-control": "no-store", "content-type": "text/plain"}, b"bad request target")
            return
        publication = issuer.publication  # one snapshot: the whole answer comes from it
        url = issuer.origin + target
        endpoint = publication.endpoint_at(urlsplit(url).path)
        if endpoint is not None and endpoint.delay > 0:
            time.sleep(endpoint.delay)
        response = respond(issuer.origin, publication, url)
        self._send(response.status, response.headers, response.body)

    def __getattr__(self, name: str) -> Callable[[], None]:
        # the stdlib dispatches method M to do_M and answers 501 when it is missing; every
        # method but GET is refused with 405 instead
        if name.startswith("do_"):
            return self._refuse_method
        raise AttributeError(name)

    def _refuse_method(self) -> None:
        self.server.issuer._record(SeenRequest(self.command, self._raw_target(), self.headers.get("Accept")))
        self._drain_body()
        self._send(405, {"allow": "GET", "cache-control": "no-store", "content-type": "text/plain"},
                   b"method not allowed")

    def _raw_target(self) -> str:
        """The request target as sent: the stdlib rewrites a leading ``//`` in `self.path` to ``/``."""
        words = self.requestline.split()
        return words[1] if len(words) >= 2 else self.path

    def _drain_body(self) -> None:
        """Read a small request body so closing the connection does not reset it before the answer."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < length <= _MAX_DRAINED_BODY:
            self.rfile.read(length)

    def _send(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.title(), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        """Silent: a run makes thousands of requests."""


class _Server(ThreadingHTTPServer):
    """One thread per connection; HTTP/1.0, so every connection ends with its answer."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], issuer: LocalIssuer) -> None:
        self.issuer = issuer
        try:
            super().__init__(address, _Handler)
        except OSError as exc:
            raise _bind_error(address, exc) from None

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host name up (getfqdn); loopback needs no lookup
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away (timeout, closed early): nothing to report
        super().handle_error(request, client_address)


def _check_servable(publication: Publication) -> None:
    for name, endpoint in (("discovery", publication.discovery), ("jwks", publication.jwks)):
        if endpoint.content_type is not None and not _HEADER_VALUE.fullmatch(endpoint.content_type):
            raise UsageError(f"the {name} endpoint's content type {endpoint.content_type!r} cannot be sent "
                             "unchanged in an HTTP header",
                             "use visible ASCII, with spaces or tabs only between other characters")


def _loopback_host(host: str) -> str:
    try:
        loopback = ipaddress.IPv4Address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise UsageError(f"refusing to serve on host {host!r}: the local issuer only listens on IPv4 loopback",
                         "use 127.0.0.1 (or another 127.x.y.z address)")
    return host


def _bind_error(address: tuple[str, int], exc: OSError) -> UsageError:
    host, port = address
    if exc.errno == errno.EADDRINUSE:
        return UsageError(f"port {port} on {host} is already in use",
                          f"stop whatever listens on {host}:{port}, or use port 0 to pick a free port")
    if exc.errno == errno.EACCES:
        return UsageError(f"no permission to listen on port {port}", "use a port above 1023, or 0 for any free port")
    return UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                      "use 127.0.0.1 and port 0 to pick a free port")


def _not_started() -> UsageError:
    return UsageError("the local issuer is not started",
                      "call start() first, or use it as `with LocalIssuer() as issuer:`")
