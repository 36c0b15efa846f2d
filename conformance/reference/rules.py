"""The rules of the ``convex-oidc`` reference, each with the behaviour it states and where it comes from.

Sources name files of the Convex backend (get-convex/convex-backend at 94a42c3) and of the crates
it pins (openidconnect 4.0.1, get-convex fork 15a9c551; biscuit 0.7.0, get-convex fork 05bdaab2;
serde_json; chrono). Section numbers refer to the profile's behaviour description.
"""

from __future__ import annotations

from ..profile import Rule

__all__ = ["RULES", "C0", "R1", "R2", "R3", "R4", "O1", "O2", "O2A", "O3_1", "O3_2", "O3_3", "O3_4", "O3_5",
           "O3_6", "O3_7", "O3_8", "ID"]

C0, R1, R2, R3, R4 = "CVX-C0", "CVX-R1", "CVX-R2", "CVX-R3", "CVX-R4"
O1, O2, O2A = "CVX-O1", "CVX-O2", "CVX-O2a"
O3_1, O3_2, O3_3, O3_4, O3_5, O3_6, O3_7, O3_8 = (f"CVX-O3.{n}" for n in range(1, 9))
ID = "CVX-ID"

_AUTH = "convex-backend crates/authentication/src/lib.rs (validate_id_token)"
_VERIFY = "openidconnect 4.0.1 src/verification/mod.rs (JwtClaimsVerifier::verified_claims)"

RULES: tuple[Rule, ...] = (
    Rule(C0, "The clock is the current time truncated to whole seconds; every time rule uses that integer",
         f"{_AUTH}: set_time_fn with SystemTime::as_secs (section 0)"),
    Rule(R1, "The payload is decoded unverified: strict unpadded base64url, serde_json JSON, an object whose "
             "iss/sub/jti are strings, aud a string or array of strings, exp/nbf/iat numbers >= 0 within the "
             "date range; null counts as absent and registered claims may not repeat",
         f"{_AUTH} + biscuit 0.7.0 fork RegisteredClaims (section 1 R1)"),
    Rule(R2, "A token without iss is rejected", f"{_AUTH}: \"Missing issuer claim\" (section 1 R2)"),
    Rule(R3, "aud as a string becomes a one-element list, an array stays, a missing aud is empty",
         f"{_AUTH} (section 1 R3)"),
    Rule(R4, "The provider must match: aud contains applicationID exactly, and iss (https:// prepended when it "
             "has no http(s) scheme) equals the domain once all trailing slashes are stripped from both",
         "convex-backend crates/common/src/auth.rs (provider matching) (section 1 R4)"),
    Rule(O1, "Discovery from the raw iss: GET {iss}/.well-known/openid-configuration with Accept "
             "application/json, status 200, JSON content type or none, issuer equal to iss byte for byte, "
             "then GET jwks_uri (200; JSON, JWK-set or no content type) whose keys array is required; "
             "unparseable keys are skipped",
         "openidconnect 4.0.1 src/discovery/mod.rs, src/types/jwks.rs, src/http_utils.rs (section 2 O1)"),
    Rule(O2, "The token parses as an OIDC ID token: three base64url segments, a header with a known alg, "
             "iss/sub/exp/iat present and typed, standard claims typed (booleans strictly), addresses as "
             "objects or 6-element arrays",
         "openidconnect 4.0.1 src/jwt/mod.rs, src/id_token/mod.rs, src/claims.rs (section 2 O2)"),
    Rule(O2A, "serde_json strictness and struct rules: UTF-8 only, no NaN/Infinity, nesting up to 127, no lone "
              "surrogates, integers beyond 64 bits become floats, repeated registered/named/standard claims "
              "and known header fields fail, a language tag on a non-localized claim fails, timestamps "
              "beyond the date range fail",
         "serde_json de.rs, serde derive, openidconnect 4.0.1 src/types/localized.rs, chrono (section 2 O2a)"),
    Rule(O3_1, "typ, lowercased with application/ prepended when it has no slash, must be application/jwt or "
               "application/jose; cty and crit must be absent; a JWE alg fails",
         f"{_VERIFY} validate_jose_header (section 2 O3.1)"),
    Rule(O3_2, "iss equals the discovered issuer exactly", f"{_VERIFY} step 2 (section 2 O3.2)"),
    Rule(O3_3, "aud contains applicationID and no other audience (repeats of applicationID are fine); azp is "
               "not checked", f"{_VERIFY} step 3 (section 2 O3.3)"),
    Rule(O3_4, "alg none fails; only RS256 and EdDSA are allowed", f"{_VERIFY} step 7 (section 2 O3.4)"),
    Rule(O3_5, "Exactly one JWKS key qualifies: equal kid when the token has one, use absent or sig, kty "
               "fitting the alg, key alg absent or equal", f"{_VERIFY} signing_key, src/types/jwks.rs "
                                                          "filter_keys (section 2 O3.5)"),
    Rule(O3_6, "The signature verifies; RS256 needs a 2048..8192-bit modulus, EdDSA needs crv Ed25519",
         "openidconnect 4.0.1 src/core/jwk/mod.rs verify_signature (section 2 O3.6)"),
    Rule(O3_7, "The token is valid iff now < exp, with no leeway; a fractional exp keeps its fraction",
         "openidconnect 4.0.1 src/verification/mod.rs IdTokenVerifier::verify_claims (section 2 O3.7)"),
    Rule(O3_8, "iat is required but never compared with the clock; nbf, nonce, acr, auth_time, at_hash, "
               "c_hash and azp are not checked", f"{_VERIFY} and {_AUTH} (section 2 O3.8)"),
    Rule(ID, "The accepted token becomes the Convex user identity: typed camelCase fields from standard claims, "
             "then custom claims in sorted order (unflattened, able to overwrite a typed field)",
         "convex-backend crates/keybroker/src/broker.rs, crates/convex/sync_types/src/types/{mod,json}.rs "
         "(section 4)"),
)
