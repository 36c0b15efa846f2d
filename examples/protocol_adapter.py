#!/usr/bin/env python3
"""A complete idtoken-conformance adapter (protocol 1) around PyJWT; needs only the stdlib and pyjwt.

Target spec: exec:python examples/protocol_adapter.py
"""
import json
import sys
import traceback

import jwt


class ClaimTypeError(jwt.InvalidTokenError):
    """A time claim that is not a number."""


REASONS = [  # PyJWT exception -> reason code; the first match wins, so subclasses come first
    (ClaimTypeError, "claim_type"),
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidAudienceError, "audience"),
    (jwt.InvalidIssuerError, "issuer"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.InvalidAlgorithmError, "algorithm"),
    (jwt.InvalidSignatureError, "signature"),
    (jwt.PyJWKClientError, "key"),
    (jwt.DecodeError, "malformed"),
]


def validate(token, ctx):
    key = jwt.PyJWKClient(ctx["jwks_uri"], cache_jwk_set=False).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=ctx["application_id"], issuer=ctx["domain"],
                        options={"require": ["exp", "iat", "iss", "sub", "aud"],
                                 "verify_exp": False, "verify_iat": False, "verify_nbf": False})
    # PyJWT reads the wall clock; the suite's clock is ctx["now"], so the time claims are checked here.
    for name in ("exp", "iat", "nbf"):
        if name in claims and (isinstance(claims[name], bool) or not isinstance(claims[name], (int, float))):
            raise ClaimTypeError(f"{name} must be a number")
    if claims["exp"] <= ctx["now"]:
        raise jwt.ExpiredSignatureError("Signature has expired")
    if claims.get("nbf", ctx["now"]) > ctx["now"]:
        raise jwt.ImmatureSignatureError("The token is not yet valid (nbf)")
    return claims


def answer(request):
    try:
        return {"result": "accept", "claims": validate(request["token"], request["context"])}
    except jwt.PyJWTError as exc:
        reason = next((code for kind, code in REASONS if isinstance(exc, kind)), None)
        return {"result": "reject", "reason": reason, "message": str(exc)}
    except Exception as exc:
        return {"result": "error", "message": repr(exc), "traceback": traceback.format_exc()}


def main():
    for line in sys.stdin:
        request = json.loads(line)
        if request["cmd"] == "start":
            reply = {"ready": True, "protocol": 1, "capabilities": {"returns": "claims", "reasons": True},
                     "implementation": {"name": "pyjwt", "version": jwt.__version__, "language": "python"}}
        elif request["cmd"] == "validate":
            reply = {"id": request["id"], **answer(request)}
        else:  # "stop"
            return
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
