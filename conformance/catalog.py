"""The catalog of checks for each conformance profile.

Each check states one requirement and is driven by mutation operators (selected by name patterns,
so every operator belongs to exactly one check) or by a whole-case strategy. Spec references are
the union of the operators' references plus the check's own; the profile's expectation is derived
from the operators' intents (all accept, all reject, or mixed).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any, Callable

from .check import Check, Expectation, GenerationEnv, Level
from .errors import UsageError

__all__ = ["checks_for", "CheckSpec", "CONVEX_OIDC_CHECKS", "operators_of"]

R, S = Level.REQUIRED, Level.RECOMMENDED


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    level: Level
    area: str
    patterns: tuple[str, ...] = ()  # operator name patterns (fnmatch)
    whole: str = ""  # or a whole-case strategy: "valid" | "access_token"
    refs: tuple[str, ...] = ()
    attack: str = ""


def _c(id: str, title: str, level: Level, area: str, *patterns: str, refs: tuple[str, ...] = (), whole: str = "",
       attack: str = "") -> CheckSpec:
    return CheckSpec(id, title, level, area, patterns, whole, refs, attack)


CONVEX_OIDC_CHECKS: tuple[CheckSpec, ...] = (
    # --- whole tokens ------------------------------------------------------------------------------
    _c("token.valid", "A well-formed ID token signed by the issuer's only eligible key is accepted, and its claims "
       "and identity are exactly the reference's", R, "token", whole="valid",
       refs=("CVX-R4", "CVX-O3.6", "CVX-ID", "OIDCC-3.1.3.7-6")),
    _c("token.access-token", "An Ave access token (aud = the issuer) given in place of the ID token is rejected", R,
       "aud", whole="access_token", refs=("CVX-R4", "OIDCC-3.1.3.7-3", "RFC8725-3.8"), attack="B"),
    # --- iss ---------------------------------------------------------------------------------------
    _c("iss.exact", "iss equals the configured domain exactly: other hosts, prefixes, suffixes and case changes "
       "are rejected", R, "iss", "iss.wrong-host", "iss.prefix", "iss.suffix", "iss.case-changed", attack="B"),
    _c("iss.trailing-slash", "A trailing slash on iss passes routing but must then equal the discovered issuer "
       "byte for byte", R, "iss", "iss.trailing-slash", attack="B"),
    _c("iss.scheme-less", "A scheme-less iss that matches once https:// is prepended is still rejected "
       "(it is not a URL)", R, "iss", "iss.scheme-less", refs=("OIDCC-2-iss", "OIDCC-3.1.3.7-2"), attack="B"),
    _c("iss.type", "iss must be a JSON string (arrays and numbers are rejected)", R, "iss", "iss.array",
       "iss.number", attack="C"),
    _c("iss.required", "A token without iss (or with iss null) is rejected", R, "iss", "iss.missing", "iss.null",
       attack="B"),
    # --- aud ---------------------------------------------------------------------------------------
    _c("aud.client-id", "aud must contain the applicationID exactly (case-sensitive, no substrings, never missing "
       "or empty)", R, "aud", "aud.other-client", "aud.substring", "aud.superstring", "aud.case-changed",
       "aud.empty-array", "aud.missing", "aud.null", "aud.issuer", attack="B"),
    _c("aud.extra-audience", "A second, different audience next to the applicationID is rejected", R, "aud",
       "aud.extra-audience", attack="B"),
    _c("aud.array-forms", "aud as a one-element array, or repeating the applicationID, is accepted", R, "aud",
       "aud.one-element-array", "aud.duplicate"),
    _c("aud.type", "aud must be a string or an array of strings", R, "aud", "aud.number", "aud.nested-array",
       "aud.object", attack="C"),
    # --- time --------------------------------------------------------------------------------------
    _c("exp.expired", "A token is rejected once now >= exp (now truncated to whole seconds, no leeway)", R, "exp",
       "exp.expired", "exp.equals-now", attack="B"),
    _c("exp.boundary", "A token is accepted while now < exp, including fractional exp and a fractional clock", R,
       "exp", "exp.plus-one", "exp.plus-half", "exp.now-fractional", "exp.float"),
    _c("exp.far-future", "exp far in the future (even milliseconds mistaken for seconds) is accepted: there is no "
       "upper bound", S, "exp", "exp.milliseconds", "exp.largest-date"),
    _c("exp.required", "A token without exp (or with exp null) is rejected", R, "exp", "exp.missing", "exp.null",
       attack="B"),
    _c("exp.type", "exp must be a non-negative JSON number: strings, RFC 3339 text and booleans are rejected", R,
       "exp", "exp.string", "exp.rfc3339", "exp.boolean", "exp.negative", attack="C"),
    _c("exp.range", "Timestamps beyond the representable date range and NaN/Infinity literals are rejected", R,
       "exp", "exp.huge", "exp.non-finite", attack="C"),
    _c("time.unchecked", "nbf and iat are never compared with the clock (a future nbf or iat is accepted)", S,
       "exp", "nbf.future", "nbf.null", "iat.future"),
    _c("iat.required", "A token without iat (or with iat null) is rejected", R, "exp", "iat.missing", "iat.null",
       attack="B"),
    _c("time.types", "iat, nbf and auth_time must be JSON numbers (iat, nbf non-negative)", R, "exp",
       "iat.string", "iat.negative", "nbf.negative", "nbf.not-a-number", "auth_time.not-a-timestamp", attack="C"),
    # --- sub ---------------------------------------------------------------------------------------
    _c("sub.required", "A token without sub (or with sub null) is rejected", R, "sub", "sub.missing", "sub.null",
       attack="B"),
    _c("sub.type", "sub must be a JSON string (numbers and arrays are rejected)", R, "sub", "sub.number",
       "sub.array", attack="C"),
    _c("sub.values", "Any string sub is accepted, empty or long", S, "sub", "sub.empty", "sub.long"),
    # --- signature and algorithms ------------------------------------------------------------------
    _c("signature.alg-none", "Unsigned tokens (alg none, in any letter case) are rejected", R, "signature",
       "signature.alg-none*", attack="A"),
    _c("signature.hmac-confusion", "HS256/384/512 tokens keyed with the issuer's public key (PEM, PKCS#1, OpenSSH, "
       "JWK text) are rejected", R, "signature", "signature.hmac-*", attack="A"),
    _c("signature.header-keys", "Keys embedded in or pointed to by the header (jwk, x5c, jku, x5u) are never "
       "used", R, "signature", "header.embedded-*", "header.jku-*", "header.x5u-*", attack="A"),
    _c("signature.wrong-key", "A signature by any key other than the single selected issuer key is rejected", R,
       "signature", "signature.other-key-same-type", "signature.signed-by-other-listed-key",
       "signature.unknown-kid-other-listed-key", attack="A"),
    _c("signature.tampered", "Flipped, truncated, empty or over-long signatures are rejected", R, "signature",
       "parser.signature-*", "signature.overlong", attack="A"),
    _c("signature.algorithms", "Only RS256 and EdDSA are accepted: ES256, PS256, RS384 and the like are rejected "
       "even with a valid signature", R, "signature", "signature.es256-published-key", "signature.rsa-other-alg",
       "signature.psychic-ecdsa", attack="A"),
    _c("signature.key-strength", "RSA keys outside 2048..8192 bits and EdDSA keys not on Ed25519 are rejected", R,
       "signature", "signature.rsa-weak-key", "signature.rsa-oversized-key", "signature.eddsa-ed448-key",
       attack="A"),
    _c("signature.large-rsa", "An RS256 token signed with an 8192-bit RSA key is accepted", S, "signature",
       "signature.rsa-8192-key"),
    _c("signature.serialization", "Only the compact serialization is accepted (JSON serialization and "
       "JSON/compact polyglots are rejected)", R, "signature", "signature.json-*", attack="A"),
    # --- header ------------------------------------------------------------------------------------
    _c("header.crit", "A token with a crit header (any content, b64:false included) is rejected", R, "header",
       "header.crit-*", "header.b64-false", attack="A"),
    _c("header.typ", "typ, when present, must be JWT or JOSE (after media-type normalisation): at+jwt and other "
       "types are rejected", S, "header", "typ.*", attack="B"),
    _c("header.cty", "A token with a cty header is rejected", S, "header", "cty.*", attack="B"),
    # --- key set -----------------------------------------------------------------------------------
    _c("keyset.selection", "Exactly one key must qualify: an unknown kid, a kid-less key for a kid, two eligible "
       "keys or an empty key set are rejected", R, "keyset", "keyset.kid-not-in-jwks", "keyset.jwk-without-kid",
       "keyset.kidless-two-eligible", "keyset.duplicate-kid", "keyset.empty-keys", attack="A"),
    _c("keyset.eligibility", "A key is eligible only with use absent or sig, the alg's key type, and alg absent or "
       "equal to the token's", R, "keyset", "keyset.use-enc", "keyset.jwk-alg-mismatch",
       "keyset.kty-mismatch-same-kid", attack="A"),
    _c("keyset.tolerated", "Unparseable keys are skipped and keys of other types do not disturb key choice", S,
       "keyset", "keyset.unparseable-keys-mixed", "keyset.other-kty-same-kid-alongside", "keyset.key-ops-present"),
    _c("keyset.document", "A JWKS that is not JSON, lacks keys or has the wrong shape fails validation", R,
       "keyset", "keyset.keys-missing", "keyset.jwks-not-json", "keyset.jwks-wrong-shape"),
    # --- discovery ---------------------------------------------------------------------------------
    _c("discovery.issuer-match", "The discovery document's issuer must equal the token's iss byte for byte", R,
       "discovery", "discovery.issuer-mismatch", "discovery.issuer-trailing-slash", attack="B"),
    _c("discovery.status", "Discovery and JWKS answers other than 200 fail validation (other 2xx included)", R,
       "discovery", "discovery.discovery-status", "discovery.jwks-status"),
    _c("discovery.content-type", "A discovery or JWKS answer with a non-JSON content type fails validation", S,
       "discovery", "discovery.content-type-wrong"),
    _c("discovery.content-type-accepted", "A missing content type, parameters, upper case and "
       "application/jwk-set+json for the JWKS are accepted", S, "discovery", "discovery.content-type-missing",
       "discovery.content-type-parameters", "discovery.content-type-uppercase",
       "discovery.jwks-content-type-jwk-set"),
    _c("discovery.document", "A discovery document that is not a JSON object with URL issuer and jwks_uri fails "
       "validation", R, "discovery", "discovery.document-*", "discovery.issuer-missing",
       "discovery.issuer-not-url", "discovery.jwks-uri-missing", "discovery.jwks-uri-not-url"),
    _c("discovery.tolerated", "Trailing bytes after the JSON, a jwks_uri away from the well-known path and a slow "
       "issuer are accepted", S, "discovery", "discovery.trailing-bytes", "discovery.jwks-uri-other-path",
       "discovery.slow-issuer"),
    # --- claims and identity -----------------------------------------------------------------------
    _c("claims.strict-booleans", "email_verified and phone_number_verified must be JSON booleans (\"true\" fails "
       "the token)", R, "claims", "claims.email-verified-string", "claims.phone-verified-string", attack="C"),
    _c("claims.standard-types", "Standard claims of the wrong JSON type, and language tags on non-localizable "
       "claims, fail the token", R, "claims", "claims.standard-string-not-string", "claims.address-string",
       "claims.updated-at-not-rfc3339", "claims.email-localized", attack="C"),
    _c("claims.accepted-forms", "address as a 6-element array, updated_at and auth_time as RFC 3339 text and a "
       "localized name alone are accepted and mapped as Convex does", S, "claims", "claims.address-array",
       "claims.updated-at-rfc3339", "auth_time.rfc3339", "claims.name-localized-alone"),
    _c("claims.duplicates", "Duplicate registered, standard or known header members fail the token", R, "claims",
       "claims.duplicate-registered", "claims.duplicate-standard", "parser.duplicate-claim-*",
       "parser.duplicate-standard-claim", "parser.duplicate-header-*", attack="D"),
    _c("claims.duplicate-custom", "A duplicated custom claim is accepted with its last value", S, "claims",
       "claims.duplicate-custom", "parser.duplicate-custom-claim"),
    _c("header.unknown-members", "Unknown header members are ignored, even duplicated or holding text a strict "
       "parser refuses", S, "header", "parser.duplicate-unknown-header", "parser.unknown-header-unread"),
    _c("identity.custom-claims", "Custom claims are merged into the identity unflattened, with their JSON types, "
       "after the typed fields", R, "identity", "claims.custom-nested", "claims.identity-field-named",
       "parser.big-integer"),
    _c("identity.scopes", "Scope-dependent claims are mapped when present and absent when not granted", R,
       "identity", "scope.*"),
    # --- parser strictness -------------------------------------------------------------------------
    _c("parser.segments", "A token must have exactly three non-empty-header segments: 2, 4, 5 segments and extra "
       "dots are rejected", R, "parser", "parser.two-segments", "parser.four-segments", "parser.five-segments",
       "parser.empty-segment", "parser.extra-dots", attack="D"),
    _c("parser.base64url", "Segments must be unpadded base64url: padding, the standard alphabet, junk characters "
       "and non-canonical payload bits are rejected", R, "parser", "parser.padding",
       "parser.standard-base64-alphabet", "parser.junk-character", "parser.noncanonical-payload-bits",
       attack="D"),
    _c("parser.base64url-tolerated", "Non-canonical trailing bits in the header and signature segments are "
       "tolerated", S, "parser", "parser.noncanonical-header-bits", "parser.noncanonical-signature-bits"),
    _c("parser.whitespace", "Whitespace or newlines around or inside the token are rejected", R, "parser",
       "parser.whitespace-*", "parser.newline", attack="D"),
    _c("parser.json-syntax", "Header and payload must be strict UTF-8 JSON: NaN, comments, trailing junk, lone "
       "surrogates, BOMs, invalid UTF-8 and nesting beyond 127 levels are rejected", R, "parser",
       "parser.nan-literal", "parser.json-comment", "parser.trailing-junk", "parser.lone-surrogate",
       "parser.non-utf8", "parser.bom", "parser.deep-nesting-rejected", attack="D"),
    _c("parser.json-shape", "Header and payload must be JSON objects", R, "parser", "parser.header-not-object",
       "parser.payload-not-object", attack="D"),
    _c("parser.size", "Large tokens and custom claims nested up to the limit are accepted (there is no size limit)",
       S, "parser", "parser.oversized-*", "parser.deep-nesting-accepted"),
)


def operators_of(spec: CheckSpec, names: list[str]) -> list[str]:
    """The registered operator names a check's patterns select, in registry order."""
    return [name for name in names if any(fnmatchcase(name, pattern) for pattern in spec.patterns)]


@lru_cache(maxsize=None)
def checks_for(profile: str) -> tuple[Check, ...]:
    """All checks of a conformance profile, in catalog order."""
    if profile != "convex-oidc":
        from .profile import profile_names

        raise UsageError(f"no checks for conformance profile {profile!r}", f"use one of: {', '.join(profile_names())}")
    import strategies
    from strategies.mutation import OPERATORS

    names = list(OPERATORS)
    return tuple(_build(spec, names, OPERATORS, strategies) for spec in CONVEX_OIDC_CHECKS)


def _build(spec: CheckSpec, names: list[str], registry: Any, strategies: Any) -> Check:
    if spec.whole:
        strategy = _whole_strategy(spec.whole, strategies)
        expectation = Expectation.ACCEPT if spec.whole == "valid" else Expectation.REJECT
        refs = spec.refs
        description = f"whole-case strategy: {spec.whole}"
    else:
        chosen = operators_of(spec, names)
        if not chosen:
            raise RuntimeError(f"check {spec.id} selects no operator ({', '.join(spec.patterns)})")
        operators = tuple(chosen)
        strategy = _mutated_strategy(operators, strategies)
        intents = {registry[name].expects_acceptance for name in operators}
        expectation = (Expectation.MIXED if len(intents) > 1
                       else Expectation.ACCEPT if intents == {True} else Expectation.REJECT)
        refs = _dedupe(spec.refs + tuple(ref for name in operators for ref in registry[name].refs))
        description = "operators: " + ", ".join(operators)
    rules = tuple(ref for ref in refs if ref.startswith("CVX-"))
    return Check(id=spec.id, title=spec.title, level=spec.level, refs=refs, rules=rules, strategy=strategy,
                 expectations={"convex-oidc": expectation}, area=spec.area, attack=spec.attack,
                 description=description)


def _mutated_strategy(operators: tuple[str, ...], strategies: Any) -> Callable[[GenerationEnv], Any]:
    def build(env: GenerationEnv) -> Any:
        return strategies.mutated_cases(env=env, operators=operators)

    return build


def _whole_strategy(kind: str, strategies: Any) -> Callable[[GenerationEnv], Any]:
    factory = {"valid": strategies.valid_cases, "access_token": strategies.access_token_cases}[kind]

    def build(env: GenerationEnv) -> Any:
        return factory(env=env)

    return build


def _dedupe(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
