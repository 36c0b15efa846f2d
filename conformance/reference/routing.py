"""Routing (R1-R4): which configured provider a token belongs to, decided before anything is verified.

R1 decodes the payload (the second ``.``-separated segment; the segment count is O2's business)
as canonical unpadded base64url and strict JSON, and types the registered claims as biscuit's
`RegisteredClaims` does: ``iss``, ``sub``, ``jti`` strings, ``aud`` a string or an array of
strings, ``exp``/``nbf``/``iat`` numbers >= 0 that, rounded, fit the date range; ``null`` is
absent; a repeated registered claim fails (serde derive). The reference takes exactly one
provider: with several, Convex uses the first match in an order set by random internal ids, so a
multi-provider configuration has no single reference answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..provider import ProviderConfig
from ..reasons import Reason
from .base64url import decode
from .instant import MAX_SECONDS, round_half_away
from .rejection import Rejection
from .rules import R1, R2, R4
from .strict_json import JsonError, is_number, parse_bytes, repeated_members

__all__ = ["Routed", "route", "REGISTERED_CLAIMS", "normalized_issuer"]

REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
_PAYLOAD = "Could not parse JWT payload"


@dataclass(frozen=True)
class Routed:
    """A token that found its provider: the parsed payload, its raw issuer and its audiences."""

    payload: dict[str, Any]
    issuer: str
    audiences: tuple[str, ...]


def _malformed(detail: str) -> Rejection:
    return Rejection(Reason.MALFORMED, R1, f"{_PAYLOAD}: {detail}")


def _claim_type(detail: str) -> Rejection:
    return Rejection(Reason.CLAIM_TYPE, R1, f"{_PAYLOAD}: {detail}")


def _payload(token: str) -> dict[str, Any]:
    segments = token.split(".")
    if len(segments) < 2:
        raise _malformed("the token has no payload segment")
    data = decode(segments[1], canonical=True)
    if data is None:
        raise _malformed("the payload is not canonical unpadded base64url")
    try:
        payload = parse_bytes(data)
    except JsonError as error:
        raise _malformed(f"the payload is not JSON ({error})") from None
    if not isinstance(payload, dict):
        raise _malformed("the payload is not a JSON object")
    repeated = repeated_members(payload) & set(REGISTERED_CLAIMS)
    if repeated:
        raise _malformed(f"duplicate field `{sorted(repeated)[0]}`")
    return payload


def _check_types(payload: dict[str, Any]) -> None:
    for name in ("iss", "sub", "jti"):
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise _claim_type(f"`{name}` must be a string")
    aud = payload.get("aud")
    if aud is not None and not isinstance(aud, str):
        if not isinstance(aud, list) or not all(isinstance(item, str) for item in aud):
            raise _claim_type("`aud` must be a string or an array of strings")
    for name in ("exp", "nbf", "iat"):
        value = payload.get(name)
        if value is None:
            continue
        if not is_number(value) or value < 0:
            raise _claim_type(f"`{name}` must be a number >= 0")
        if round_half_away(value) > MAX_SECONDS:
            raise _claim_type(f"`{name}` is beyond the supported date range")


def normalized_issuer(iss: str) -> str:
    """The token issuer as routing compares it: https:// prepended if schemeless, trailing slashes dropped."""
    if not iss.startswith(("https://", "http://")):
        iss = "https://" + iss
    return iss.rstrip("/")


def _audiences(payload: dict[str, Any]) -> tuple[str, ...]:
    aud: Any = payload.get("aud")
    if aud is None:
        return ()
    return (aud,) if isinstance(aud, str) else tuple(aud)


def route(token: str, provider: ProviderConfig) -> Routed:
    """R1-R4 for one configured provider; raises `Rejection` when the token does not route to it."""
    payload = _payload(token)
    _check_types(payload)
    issuer = payload.get("iss")
    if issuer is None:
        raise Rejection(Reason.MISSING_CLAIM, R2, "Missing issuer claim ('iss') in auth token")
    audiences = _audiences(payload)
    if provider.application_id not in audiences:
        raise Rejection(Reason.AUDIENCE, R4, "No auth provider found matching the given token "
                        f"(no audience equals the applicationID {provider.application_id!r})")
    if normalized_issuer(issuer) != provider.domain.rstrip("/"):
        raise Rejection(Reason.ISSUER, R4, "No auth provider found matching the given token "
                        f"(issuer {issuer[:200]!r} does not match the domain {provider.domain!r})")
    return Routed(payload, issuer, audiences)
