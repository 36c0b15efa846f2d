"""The reason taxonomy: why a token was rejected, as a small closed set of codes.

The reference validator reports one of these with every rejection; targets may report one too,
and with strict reasons on the engine compares them.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Reason", "ROUTING_REASONS"]


class Reason(str, Enum):
    """Why a token was rejected. The value is the stable wire code."""

    MALFORMED = "malformed"  # not a compact JWS: segments, base64url, UTF-8 or JSON syntax
    NO_PROVIDER = "no_provider"  # no configured provider matches the token (Convex routing)
    ISSUER = "issuer"  # iss wrong, missing, or not equal to the discovered issuer
    AUDIENCE = "audience"  # aud missing, wrong, or carrying an untrusted extra audience
    EXPIRED = "expired"  # now >= exp
    SIGNATURE = "signature"  # the signature does not verify with the selected key
    ALGORITHM = "algorithm"  # alg none, or an algorithm the profile does not allow
    KEY = "key"  # no single eligible key (unknown kid, ambiguous, wrong type or size)
    HEADER = "header"  # typ / cty / crit rules
    CLAIM_TYPE = "claim_type"  # a claim of the wrong JSON type or out of range
    MISSING_CLAIM = "missing_claim"  # a required claim is absent (or null)
    DISCOVERY = "discovery"  # discovery document or JWKS could not be fetched or used

    def __str__(self) -> str:
        return self.value


# Convex reports every routing failure as "no provider"; a target may name the cause instead.
ROUTING_REASONS = frozenset({Reason.NO_PROVIDER, Reason.ISSUER, Reason.AUDIENCE})
