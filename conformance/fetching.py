"""How the reference validator reads discovery documents and key sets.

One seam, two implementations: `HttpFetcher` does real HTTP GETs on loopback (as Convex does),
`PublicationFetcher` answers straight from a `Publication` so the runner is not slowed by HTTP.
Tests prove the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol
from urllib.parse import urlsplit

import httpx

from .publication import Publication

__all__ = ["HttpResponse", "FetchError", "Fetcher", "HttpFetcher", "PublicationFetcher"]


@dataclass(frozen=True)
class HttpResponse:
    """Status, lower-cased header names, and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class FetchError(Exception):
    """The resource could not be fetched at all (bad URL, refused connection, timeout)."""


class Fetcher(Protocol):
    def __call__(self, url: str, *, accept: str = "application/json") -> HttpResponse: ...


class HttpFetcher:
    """Real HTTP GET with httpx; only loopback addresses are ever contacted."""

    def __init__(self, *, timeout: float = 5.0, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def __call__(self, url: str, *, accept: str = "application/json") -> HttpResponse:
        host = urlsplit(url).hostname or ""
        if host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("127."):
            raise FetchError(f"refusing to fetch {url!r}: the suite only contacts loopback issuers")
        try:
            response = self._client.get(url, headers={"Accept": accept})
        except (httpx.HTTPError, ValueError) as exc:
            raise FetchError(f"GET {url} failed: {exc}") from exc
        headers = {name.lower(): value for name, value in response.headers.items()}
        return HttpResponse(response.status_code, headers, response.content)

    def close(self) -> None:
        self._client.close()


class PublicationFetcher:
    """Answers GETs from a publication without the network, exactly as the local issuer would."""

    def __init__(self, origin: str, publication: Publication) -> None:
        self._origin = origin.rstrip("/")
        self._publication = publication

    def __call__(self, url: str, *, accept: str = "application/json") -> HttpResponse:
        return respond(self._origin, self._publication, url)


def respond(origin: str, publication: Publication, url: str) -> HttpResponse:
    """The response the local issuer gives for `url` (shared by the server and the direct fetcher)."""
    try:
        parts = urlsplit(url)
        target = f"{parts.scheme}://{parts.netloc}"
    except ValueError as exc:
        raise FetchError(f"bad URL {url!r}: {exc}") from exc
    if target != origin:
        raise FetchError(f"connection refused: {url!r} is not served by the issuer at {origin}")
    endpoint = publication.endpoint_at(parts.path or "/")  # an HTTP client asks for "/" when the path is empty
    if endpoint is not None:
        headers = {"cache-control": "no-store"}
        if endpoint.content_type is not None:
            headers["content-type"] = endpoint.content_type
        # 204 and 304 answers end at their headers: an HTTP client never sees a body there
        body = b"" if endpoint.status in (204, 304) else endpoint.body
        return HttpResponse(endpoint.status, headers, body)
    return HttpResponse(404, {"content-type": "text/plain", "cache-control": "no-store"}, b"not found")
