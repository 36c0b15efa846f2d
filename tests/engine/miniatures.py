"""Miniature validators with one known bug each, to prove the suite catches every kind of bug.

Each miniature is the reference validator reading keys over real HTTP from the local issuer (as a
real target does) with one deliberate deviation. `correct` has none and must pass every check.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any, Callable, Mapping

from conformance import ProviderConfig, Rejected, TargetContext
from conformance.fetching import HttpFetcher
from conformance.reference import validate as reference_validate
from conformance.verdict import Verdict

_FETCHER: HttpFetcher | None = None


def _fetcher() -> HttpFetcher:
    global _FETCHER
    if _FETCHER is None:
        _FETCHER = HttpFetcher(timeout=5.0)
    return _FETCHER


def _verdict(token: str, ctx: TargetContext) -> Verdict:
    provider = ProviderConfig(ctx.domain, ctx.application_id)
    return reference_validate(token, provider=provider, now=ctx.now, fetch=_fetcher())


def _answer(verdict: Verdict) -> Mapping[str, Any]:
    if verdict.accepted:
        return dict(verdict.identity or {})
    raise Rejected(verdict.message, reason=verdict.reason.value if verdict.reason else None)


def _lenient_claims(token: str) -> dict[str, Any]:
    """What a sloppy validator would hand back: the payload, decoded without checks."""
    try:
        segment = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        return claims if isinstance(claims, dict) else {}
    except Exception:
        return {}


def _header(token: str) -> dict[str, Any]:
    try:
        segment = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        return header if isinstance(header, dict) else {}
    except Exception:
        return {}


def correct(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    return _answer(_verdict(token, ctx))


def correct_claims(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    """Correct, returning the verified claims instead of the identity."""
    verdict = _verdict(token, ctx)
    if verdict.accepted:
        return dict(verdict.claims or {})
    raise Rejected(verdict.message, reason=verdict.reason.value if verdict.reason else None)


def _accept_when(condition: Callable[[str, TargetContext, Verdict], bool]) -> Callable[[str, TargetContext], Any]:
    def validate(token: str, ctx: TargetContext) -> Mapping[str, Any]:
        verdict = _verdict(token, ctx)
        if not verdict.accepted and condition(token, ctx, verdict):
            return _lenient_claims(token)
        if verdict.accepted:
            return dict(verdict.claims or {})
        raise Rejected(verdict.message, reason=verdict.reason.value if verdict.reason else None)

    return validate


def _reason(verdict: Verdict) -> str | None:
    return verdict.reason.value if verdict.reason else None


# Bug: no audience check at all (python-jose, apps that skip aud).
ignores_audience = _accept_when(lambda t, c, v: _reason(v) == "audience")
# Bug: accepts a second audience next to the client id (most libraries' default).
allows_extra_audience = _accept_when(
    lambda t, c, v: v.rule == "CVX-O3.3" and c.application_id in (_lenient_claims(t).get("aud") or []))
# Bug: accepts unsigned tokens (CVE-2015-9235 class).
accepts_alg_none = _accept_when(lambda t, c, v: str(_header(t).get("alg", "")).lower() == "none")
# Bug: `now <= exp` instead of `now < exp`.
exp_off_by_one = _accept_when(
    lambda t, c, v: _reason(v) == "expired" and _lenient_claims(t).get("exp") == math.floor(c.now))
# Bug: 60 s leeway on exp (jwcrypto, Nimbus, Spring defaults).
exp_leeway_60 = _accept_when(
    lambda t, c, v: _reason(v) == "expired"
    and isinstance(_lenient_claims(t).get("exp"), (int, float)) and math.floor(c.now) - _lenient_claims(t)["exp"] < 60)
# Bug: does not check `typ` (accepts at+jwt access tokens' header).
ignores_typ = _accept_when(
    lambda t, c, v: v.rule == "CVX-O3.1" and "typ" in _header(t) and not {"crit", "cty"} & set(_header(t)))
# Bug: tries every key instead of requiring exactly one.
tries_every_key = _accept_when(lambda t, c, v: _reason(v) == "key" and "ambiguous" in v.message.lower())


def flattens_custom_claims(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    """Bug: nested custom claims flattened to dotted keys (the customJwt mapping, on the OIDC path)."""
    verdict = _verdict(token, ctx)
    if not verdict.accepted:
        raise Rejected(verdict.message, reason=_reason(verdict))
    identity: dict[str, Any] = {}
    for key, value in (verdict.identity or {}).items():
        if isinstance(value, dict) and key not in {"address"}:
            for inner, inner_value in _flatten(value, key):
                identity[inner] = inner_value
        else:
            identity[key] = value
    return identity


def _flatten(value: dict[str, Any], prefix: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, inner in value.items():
        name = f"{prefix}.{key}"
        if isinstance(inner, dict):
            out.extend(_flatten(inner, name))
        else:
            out.append((name, inner))
    return out


def crashes_on_malformed(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    """Bug: an unhandled exception on tokens that are not three segments."""
    if token.count(".") != 2:
        raise ValueError("not enough values to unpack")
    return correct(token, ctx)


def wrong_reason(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    """Correct verdicts, but every rejection is labelled `signature` (caught only with strict reasons)."""
    verdict = _verdict(token, ctx)
    if verdict.accepted:
        return dict(verdict.identity or {})
    raise Rejected(verdict.message, reason="signature")


def denies_eddsa(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    """Bug: only RS256 allowed (rejects Convex-valid EdDSA tokens)."""
    if _header(token).get("alg") == "EdDSA":
        raise Rejected("EdDSA not allowed", reason="algorithm")
    return correct(token, ctx)
