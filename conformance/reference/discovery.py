"""Discovery (O1): the provider metadata and key set, fetched from the token's raw issuer.

The discovery URL is the raw ``iss`` joined with ``.well-known/openid-configuration`` without
doubling a trailing slash (`conformance.publication.discovery_path`), parsed as a URL. Both GETs
send ``Accept: application/json`` and need status 200 exactly. A Content-Type may be missing;
otherwise its media type (before ``;``, trimmed, lowercased) must be ``application/json`` for the
document and ``application/json`` or ``application/jwk-set+json`` for the key set (a header value
that is not visible ASCII fails, as `HeaderValue::to_str` does). Bodies are read up to the end of
their first JSON value; trailing bytes are ignored. The document needs ``issuer`` and ``jwks_uri``
as URLs (not repeated) and its ``issuer`` must equal the raw ``iss`` byte for byte; other metadata
members are not examined. The key set is a struct with a required ``keys`` array (its sequence form
``[[...]]`` works too); unknown top-level members are only syntax-checked, each key must be valid
JSON, and keys that are not valid JWKs are skipped (`keys`).

Nothing is cached: each validation reads the issuer afresh, as a cold HTTP cache would. A slow
issuer either answers or makes the fetcher raise `FetchError`; there is no timeout logic here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..fetching import FetchError, Fetcher, HttpResponse
from ..publication import discovery_path
from ..reasons import Reason
from .keys import Jwk, parse_key_list
from .lenient_json import read_struct
from .rejection import Rejection
from .rules import O1, O2A
from .strict_json import JsonError, parse_prefix, repeated_members
from .urls import parse_url

__all__ = ["Discovery", "discover"]

_JSON = "application/json"
_JWK_SET = "application/jwk-set+json"
_VISIBLE_ASCII = re.compile(r"[\t\x20-\x7e]*")


@dataclass(frozen=True)
class Discovery:
    """What discovery produced: the document's issuer, its jwks_uri, and the parseable keys."""

    issuer: str
    jwks_uri: str
    keys: tuple[Jwk, ...]


def _failure(iss: str, detail: str, rule: str = O1) -> Rejection:
    return Rejection(Reason.DISCOVERY, rule, f"Auth provider discovery of {iss[:200]} failed: {detail}")


def _get(url: str, iss: str, fetch: Fetcher, accepted: tuple[str, ...], what: str) -> bytes:
    parsed = parse_url(url)
    if parsed is None:
        raise _failure(iss, f"{what} URL {url[:200]!r} is not a valid URL")
    if parsed.scheme not in ("http", "https"):
        raise _failure(iss, f"{what} URL scheme {parsed.scheme!r} cannot be fetched")
    try:
        response: HttpResponse = fetch(parsed.request, accept=_JSON)
    except FetchError as error:
        raise _failure(iss, f"{what} request failed ({error})") from None
    if response.status != 200:
        raise _failure(iss, f"{what} answered HTTP status {response.status}")
    content_type = response.content_type
    if content_type is not None:
        media_type = content_type.split(";", 1)[0].strip(" \t").lower()
        if _VISIBLE_ASCII.fullmatch(content_type) is None or media_type not in accepted:
            raise _failure(iss, f"{what} has Content-Type {content_type[:100]!r}")
    return response.body


def _url_member(document: dict[str, Any], name: str, iss: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or parse_url(value) is None:
        raise _failure(iss, f"discovery document needs `{name}` as a URL")
    return value


def _document(iss: str, fetch: Fetcher) -> tuple[str, str]:
    body = _get(discovery_path(iss), iss, fetch, (_JSON,), "discovery document")
    try:
        document = parse_prefix(body)
    except JsonError as error:
        raise _failure(iss, f"discovery document is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise _failure(iss, "discovery document is not a JSON object")
    repeated = repeated_members(document) & {"issuer", "jwks_uri"}
    if repeated:
        raise _failure(iss, f"discovery document repeats `{sorted(repeated)[0]}`")
    issuer = _url_member(document, "issuer", iss)
    jwks_uri = _url_member(document, "jwks_uri", iss)
    if issuer != iss:
        raise _failure(iss, f"discovered issuer {issuer[:200]!r} differs from the token issuer")
    return issuer, jwks_uri


def _keys(jwks_uri: str, iss: str, fetch: Fetcher) -> tuple[Jwk, ...]:
    body = _get(jwks_uri, iss, fetch, (_JSON, _JWK_SET), "JWKS")
    try:
        struct = read_struct(body, ("keys",), trailing=True)
    except JsonError as error:
        raise _failure(iss, f"JWKS is not a JSON object ({error})") from None
    found: list[Any]
    if struct.sequence is not None:
        if len(struct.sequence) != 1:
            raise _failure(iss, "JWKS sequence form needs exactly one element")
        found = struct.sequence
    else:
        found = [value for key, value in struct.members if key == "keys"]
        if len(found) != 1:
            raise _failure(iss, "JWKS needs exactly one `keys` member")
    keys = parse_key_list(found[0])
    if keys is None:
        raise _failure(iss, "JWKS `keys` is not an array")
    return keys


def discover(iss: str, fetch: Fetcher) -> Discovery:
    """O1 for the raw issuer `iss`; raises `Rejection` (DISCOVERY) on any failure."""
    if parse_url(iss) is None:
        raise _failure(iss, "the issuer is not a URL", rule=O2A)
    issuer, jwks_uri = _document(iss, fetch)
    return Discovery(issuer, jwks_uri, _keys(jwks_uri, iss, fetch))
