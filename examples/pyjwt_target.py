"""PyJWT as an in-process target, set up the way PyJWT's documentation sets it up for OIDC ID tokens.

Target spec: ``examples/pyjwt_target.py:validate``.

Keys come from the issuer's JWKS URL through ``PyJWKClient`` (no caching: every case publishes its
own key set); RS256 only; audience, issuer and the usual ID-token claims required. PyJWT reads the
wall clock, which the suite freezes at the case's ``now`` for the duration of the call.
"""

from __future__ import annotations

import jwt


def validate(token, ctx):
    signing_key = jwt.PyJWKClient(ctx.jwks_uri, cache_jwk_set=False).get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        signing_key,
        algorithms=["RS256"],
        audience=ctx.application_id,
        issuer=ctx.domain,
        options={"require": ["exp", "iat", "iss", "sub", "aud"]},
    )


# Every PyJWT error raised for a token or a key set counts as a rejection; anything else is a crash.
validate.rejects = (jwt.InvalidTokenError, jwt.PyJWKClientError, jwt.PyJWKSetError, jwt.PyJWKError)
validate.implementation = {"name": "pyjwt", "version": jwt.__version__, "language": "python"}
