"""joserfc as an in-process target, set up the way joserfc's documentation validates a JWT.

Target spec: ``examples/joserfc_target.py:validate``.

Keys come from the key set the issuer publishes (given in the context); RS256 only; a claims
registry with ``iss``, ``aud``, ``exp``, ``sub`` and ``iat`` essential (the claims OIDC Core requires). joserfc reads the wall clock, which
the suite freezes at the case's ``now`` for the duration of the call.
"""

from __future__ import annotations

from importlib.metadata import version

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


def validate(token, ctx):
    key_set = KeySet.import_key_set(ctx.jwks)
    decoded = jwt.decode(token, key_set, algorithms=["RS256"])
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ctx.domain},
        aud={"essential": True, "value": ctx.application_id},
        exp={"essential": True},
        sub={"essential": True},
        iat={"essential": True},
    )
    registry.validate(decoded.claims)
    return decoded.claims


validate.rejects = (JoseError,)
validate.implementation = {"name": "joserfc", "version": version("joserfc"), "language": "python"}
