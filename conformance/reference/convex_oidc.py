"""The ``convex-oidc`` reference validator: exactly what the Convex backend does with an ID token
from a custom OIDC provider ``{domain, applicationID}``.

Pipeline, in the backend's order: routing (`routing`: R1-R4) -> discovery from the raw ``iss``
(`discovery`: O1) -> parsing as an OIDC ID token (`id_token`, `header`: O2, O2a) -> verification
(`verification`: O3.1-O3.8, with the clock C0) -> the Convex identity (`identity`: ID). The first
failing step decides; `validate` never raises and never reads the wall clock.

Reason codes (``conformance.reasons.Reason``) by failing step:

========================================================  ===============  ============
failure                                                   reason           rule
========================================================  ===============  ============
no payload segment, payload not canonical base64url,     MALFORMED        CVX-R1
not UTF-8 / JSON / an object, repeated registered claim
iss/sub/jti/aud of the wrong type, exp/nbf/iat not a      CLAIM_TYPE       CVX-R1
number >= 0 or beyond 8210266876799
iss missing or null                                       MISSING_CLAIM    CVX-R2
aud lacks the applicationID                               AUDIENCE         CVX-R4
iss does not match the domain                             ISSUER           CVX-R4
iss is not a URL (e.g. scheme-less after routing)         DISCOVERY        CVX-O2a
discovery or JWKS fetch, status, content type, body,      DISCOVERY        CVX-O1
issuer mismatch, keys missing
not 3 segments, header/signature not base64url, header    MALFORMED        CVX-O2
JSON syntax, header not an object
header strictness (UTF-8, depth, surrogates, NaN,         MALFORMED        CVX-O2a
number range), repeated known header field or claim
alg missing / not a string, kid/typ/cty/crit mistyped     HEADER           CVX-O2
alg an unknown name (``None``, ``RSA-OAEP``, ...)         ALGORITHM        CVX-O2
claim of the wrong type                                   CLAIM_TYPE       CVX-O2
tag on a non-localizable claim, timestamp out of range    CLAIM_TYPE       CVX-O2a
iss/sub/exp/iat missing or null                           MISSING_CLAIM    CVX-O2
typ, cty, crit                                            HEADER           CVX-O3.1
JWE content-encryption alg                                ALGORITHM        CVX-O3.1
iss differs from the discovered issuer                    ISSUER           CVX-O3.2
aud lacks the applicationID or holds another audience     AUDIENCE         CVX-O3.3
alg none, or not RS256/EdDSA                              ALGORITHM        CVX-O3.4
no eligible key, or several                               KEY              CVX-O3.5
RSA size, EdDSA curve, missing/undecodable key members    KEY              CVX-O3.6
signature does not verify                                 SIGNATURE        CVX-O3.6
now >= exp                                                EXPIRED          CVX-O3.7
clock not representable (before 1970, not finite)         EXPIRED          CVX-C0
========================================================  ===============  ============

Acceptance is ``Verdict.accept(claims=<payload>, identity=<Convex identity>, rule="CVX-ID")``.
O3.2 cannot fail after O1 succeeded (both compare the same strings); it is kept because the crate
checks it and `verification.verify` can be given other metadata.

Scope: exactly one provider. With several, Convex takes the first match in an order set by random
internal ids, so there is no single reference answer. Each call reads discovery and the key set
afresh (no HTTP cache). Any unexpected exception inside the pipeline becomes a rejection whose
message starts with ``internal error:``; the tests treat that message as a bug.
"""

from __future__ import annotations

from ..fetching import Fetcher
from ..provider import ProviderConfig
from ..reasons import Reason
from ..verdict import Verdict
from .discovery import discover
from .id_token import parse_id_token
from .identity import identity
from .rejection import Rejection
from .routing import route
from .rules import ID, O1, O2, O3_1, R1
from .strict_json import plain
from .verification import verify

__all__ = ["validate", "INTERNAL_ERROR"]

INTERNAL_ERROR = "internal error:"


def validate(token: str, *, provider: ProviderConfig, now: float, fetch: Fetcher) -> Verdict:
    """The reference verdict on `token` for `provider` at `now`, reading the issuer through `fetch`."""
    stage = R1
    try:
        if not isinstance(token, str):
            return Verdict.reject(Reason.MALFORMED, R1, "Could not parse JWT payload: the token is not a string")
        routed = route(token, provider)
        stage = O1
        discovery = discover(routed.issuer, fetch)
        stage = O2
        id_token = parse_id_token(token, routed.payload)
        stage = O3_1
        verify(id_token, discovery, provider, now)
        stage = ID
        return Verdict.accept(plain(routed.payload), identity(id_token), rule=ID)
    except Rejection as rejection:
        return rejection.verdict()
    except Exception as exc:  # the last resort: a bug here must show up as a verdict, not a crash
        return Verdict.reject(Reason.MALFORMED, stage, f"{INTERNAL_ERROR} {type(exc).__name__}: {exc}"[:500])
