"""Verification (O3.1-O3.8) of a parsed ID token against the discovered metadata, in the crate's order.

Every failure carries the backend's one generic message ("Could not verify OIDC token claim...")
with the specific cause appended in parentheses. The clock (C0) is the integer part of `now`,
read only when the expiry is checked, as the backend's time function is; a clock before the epoch
or beyond the date range makes the backend panic, which is a rejection here.
"""

from __future__ import annotations

import math

from ..provider import ProviderConfig
from ..reasons import Reason
from .discovery import Discovery
from .header import VERIFY_MESSAGE, check_header
from .id_token import IdToken
from .instant import MAX_SECONDS, Instant
from .keys import choose_key
from .rejection import Rejection
from .rules import C0, O3_2, O3_3, O3_4, O3_5, O3_6, O3_7
from .signature import key_problem, verify_signature

__all__ = ["verify", "ALLOWED_ALGORITHMS", "clock_seconds"]

ALLOWED_ALGORITHMS = ("RS256", "EdDSA")


def _reject(reason: Reason, rule: str, detail: str) -> Rejection:
    return Rejection(reason, rule, f"{VERIFY_MESSAGE} ({detail})")


def clock_seconds(now: float) -> int:
    """C0: `now` truncated to whole seconds; `Rejection` when the backend could not represent it."""
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not math.isfinite(now):
        raise Rejection(Reason.EXPIRED, C0, f"{VERIFY_MESSAGE} (the clock {now!r} is not a time)")
    if now < 0 or now > MAX_SECONDS:
        raise Rejection(Reason.EXPIRED, C0, f"{VERIFY_MESSAGE} (the clock {now!r} is outside the date range)")
    return int(now)


def _check_audience(token: IdToken, application_id: str) -> None:
    if application_id not in token.audiences:
        raise _reject(Reason.AUDIENCE, O3_3, f"audiences must contain {application_id!r}")
    for audience in token.audiences:
        if audience != application_id:
            raise _reject(Reason.AUDIENCE, O3_3, f"{audience[:200]!r} is not a trusted audience")


def verify(token: IdToken, discovery: Discovery, provider: ProviderConfig, now: float) -> None:
    """O3.1-O3.8 in order; raises `Rejection` at the first failing rule."""
    check_header(token.header)  # O3.1
    if token.issuer != discovery.issuer:
        raise _reject(Reason.ISSUER, O3_2, f"expected issuer {discovery.issuer[:200]!r}")
    _check_audience(token, provider.application_id)
    alg = token.header.alg
    if token.header.alg_kind == "none":
        raise _reject(Reason.ALGORITHM, O3_4, "unsigned tokens (alg none) are not accepted")
    if alg not in ALLOWED_ALGORITHMS:
        raise _reject(Reason.ALGORITHM, O3_4, f"algorithm {alg!r} is not one of {', '.join(ALLOWED_ALGORITHMS)}")
    key = choose_key(discovery.keys, token.header.kid, alg, rule=O3_5, message=VERIFY_MESSAGE)
    problem = key_problem(alg, key.members)
    if problem is not None:
        raise _reject(Reason.KEY, O3_6, f"invalid key: {problem}")
    if not verify_signature(alg, key.members, token.signing_input, token.signature):
        raise _reject(Reason.SIGNATURE, O3_6, "bad signature")
    if not Instant(clock_seconds(now)) < token.expiration:
        raise _reject(Reason.EXPIRED, O3_7, "the token has expired")
    # O3.8: iat, nbf, nonce, acr, auth_time, at_hash, c_hash and azp are deliberately not checked.
