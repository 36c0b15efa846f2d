"""Mutation operators on claims and the `typ` / `cty` header: iss, aud, sub, standard-claim types,
localized, custom and duplicated claims, scope claims. The time claims (exp, iat, nbf, auth_time)
are `ops_time`'s.

`expect` is the reason the `convex-oidc` reference rejects with, or ACCEPT for edits a faithful
Convex emulation must still accept (they catch validators that are too strict).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from conformance.jws import json_bytes
from conformance.provider import ProviderConfig
from conformance.reasons import Reason

from .claim_edit import ABSENT, CLAIM_TYPE, DELETE, MISSING, claim_op
from .claims import IDENTITY_FIELDS, STANDARD_CLAIMS, custom_claim_names, json_values, rfc3339_times
from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator

__all__: list[str] = []

_HEX = "0123456789abcdef"


def _app_id(draft: CaseDraft) -> str:
    return draft.provider.application_id if draft.provider is not None else draft.env.application_id


def _swap_case(draw: st.DrawFn, text: str) -> str:
    """`text` with the case of at least one cased character swapped (the caller ensures one exists)."""
    cased = [i for i, char in enumerate(text) if char.swapcase() != char]
    chosen = set(draw(st.lists(st.sampled_from(cased), min_size=1, max_size=len(cased), unique=True)))
    return "".join(char.swapcase() if i in chosen else char for i, char in enumerate(text))


# identity fields a custom claim can be named after; the crate types `birthday` as a standard claim
_IDENTITY_NAMED = ("subject", "tokenIdentifier", "issuer") + tuple(
    sorted(IDENTITY_FIELDS - STANDARD_CLAIMS - {"subject", "tokenIdentifier", "issuer", "birthday"}))


# -- iss ------------------------------------------------------------------------------------------
_ISS_REFS = ("CVX-R4", "OIDCC-3.1.3.7-2", "RFC7519-4.1.1")


_SUFFIXES = st.sampled_from((".evil.example", "x", "/extra", "0", "%2F", "?x=1", "#f", "/."))


def _wrong_host(draw: st.DrawFn, draft: CaseDraft) -> str:
    scheme, _, rest = draft.payload["iss"].partition("://")
    authority, slash, path = rest.partition("/")
    port = authority.partition(":")[2]
    host = draw(st.sampled_from(("127.0.0.2", "evil.example", "localhost", "127.0.0.1.evil.example")))
    return f"{scheme}://{host}{':' + port if port else ''}{slash}{path}"


def _prefix(draw: st.DrawFn, draft: CaseDraft) -> str:
    stripped = draft.payload["iss"].rstrip("/")  # cut beyond trailing slashes, which routing ignores
    return stripped[:-draw(st.integers(1, len(stripped) - 1))]


claim_op("iss.wrong-host", "iss names another host", "iss", _wrong_host, tier="B", expect={Reason.ISSUER},
         refs=_ISS_REFS)
claim_op("iss.prefix", "iss is a strict prefix of the issuer (CVE-2024-53861 class)", "iss", _prefix, tier="B",
         expect={Reason.ISSUER}, refs=_ISS_REFS)
claim_op("iss.suffix", "iss is the issuer with characters appended", "iss",
         lambda draw, draft: draft.payload["iss"] + draw(_SUFFIXES), tier="B", expect={Reason.ISSUER}, refs=_ISS_REFS)
claim_op("iss.case-changed", "iss differs from the issuer in letter case only", "iss",
         lambda draw, draft: _swap_case(draw, draft.payload["iss"]), tier="B", expect={Reason.ISSUER},
         refs=_ISS_REFS + ("OIDCC-14",))
claim_op("iss.array", "iss is an array holding the issuer (CVE-2025-30144 class)", "iss",
         lambda draw, draft: [draft.payload["iss"]], tier="C", expect=CLAIM_TYPE, refs=("CVX-R1", "RFC7519-4.1.1"))
claim_op("iss.number", "iss is a number", "iss", st.integers(0, 2**53), tier="C", expect=CLAIM_TYPE,
         refs=("CVX-R1", "RFC7519-4.1.1"))
claim_op("iss.missing", "iss is absent", "iss", DELETE, tier="B", expect=MISSING, refs=("CVX-R2", "OIDCC-2-iss"))
claim_op("iss.null", "iss is null (counts as absent)", "iss", st.none(), tier="B", expect=MISSING,
         refs=("CVX-R2", "OIDCC-2-iss", "OIDCC-2-null"))


@operator("iss.trailing-slash", "iss and the discovered issuer differ by one trailing slash", tier="B",
          expect={Reason.DISCOVERY}, refs=("CVX-R4", "CVX-O1", "CVX-O3.2", "OIDCC-16.15"))
def _iss_trailing_slash(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Routing strips trailing slashes, so the token reaches discovery (served at the same path);
    the discovered issuer then differs byte for byte, which fails discovery (O1) before the O3.2
    comparison is reached. An issuer ending in ``/`` loses it instead."""
    before = draft.payload["iss"]
    after = before[:-1] if before.endswith("/") else before + "/"
    draft.payload["iss"] = after
    return Mutation("iss.trailing-slash", "payload.iss", before, after,
                    "slash removed" if before.endswith("/") else "slash added")


@operator("iss.scheme-less", "iss without its scheme: routes to an https provider, then is not a URL", tier="B",
          expect={Reason.DISCOVERY}, refs=("CVX-R4", "CVX-O2a", "CVX-O1"))
def _iss_scheme_less(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Convex prepends ``https://`` when routing, so the provider domain is made the https form of
    the issuer (recorded); discovery then fails to parse the raw, scheme-less ``iss`` as a URL."""
    before = draft.payload["iss"]
    after = before.partition("://")[2]
    draft.payload["iss"] = after
    draft.provider = ProviderConfig("https://" + after, _app_id(draft))
    return Mutation("iss.scheme-less", "payload.iss", before, after, f"provider domain https://{after}")


# -- aud ------------------------------------------------------------------------------------------
_AUD_REFS = ("CVX-R4", "OIDCC-3.1.3.7-3", "RFC7519-4.1.3")


def _other_client(draw: st.DrawFn, draft: CaseDraft) -> str:
    app = _app_id(draft)
    other = draw(st.one_of(st.text(_HEX, min_size=32, max_size=32).map(lambda h: "app_" + h),
                           st.just("origin:https://other.example"), st.text(min_size=1, max_size=20)))
    return other if other != app else other + "x"


def _application_id_with_case(draw: st.DrawFn, draft: CaseDraft) -> str:
    app = _app_id(draft)
    return _swap_case(draw, app) if any(c.swapcase() != c for c in app) else app + "\u0130"


claim_op("aud.other-client", "aud names another client", "aud", _other_client, tier="B",
         expect={Reason.AUDIENCE}, refs=_AUD_REFS)
claim_op("aud.issuer", "aud is the issuer, as in an access token", "aud",
         lambda draw, draft: draft.payload["iss"], tier="B", expect={Reason.AUDIENCE}, refs=_AUD_REFS)
claim_op("aud.duplicate", "aud lists the client twice", "aud", lambda draw, draft: [_app_id(draft)] * 2, tier="-",
         expect=ACCEPT, refs=("CVX-O3.3", "OIDCC-2-aud"))
claim_op("aud.one-element-array", "aud is an array holding only the client", "aud",
         lambda draw, draft: [_app_id(draft)], tier="-", expect=ACCEPT, refs=("CVX-R3", "OIDCC-2-aud"))
claim_op("aud.substring", "aud is a strict substring of the client id", "aud",
         lambda draw, draft: draw(st.sampled_from(_substrings(_app_id(draft)))), tier="B",
         expect={Reason.AUDIENCE}, refs=_AUD_REFS)
claim_op("aud.superstring", "aud is the client id with characters around it", "aud",
         lambda draw, draft: draw(st.sampled_from(("x", " ", "/", "-2"))) + _app_id(draft)
         if draw(st.booleans()) else _app_id(draft) + draw(st.sampled_from(("x", " ", "/", "-2"))),
         tier="B", expect={Reason.AUDIENCE}, refs=_AUD_REFS)
claim_op("aud.case-changed", "aud differs from the client id in letter case only", "aud", _application_id_with_case,
         tier="B", expect={Reason.AUDIENCE}, refs=_AUD_REFS + ("OIDCC-14",))
claim_op("aud.missing", "aud is absent", "aud", DELETE, tier="B", expect={Reason.AUDIENCE},
         refs=_AUD_REFS + ("OIDCC-2-aud",))
claim_op("aud.null", "aud is null (counts as absent)", "aud", st.none(), tier="B", expect={Reason.AUDIENCE},
         refs=_AUD_REFS)
claim_op("aud.empty-array", "aud is an empty array", "aud", st.just([]), tier="B", expect={Reason.AUDIENCE},
         refs=_AUD_REFS)
claim_op("aud.number", "aud is a number", "aud", st.integers(0, 2**53), tier="C", expect=CLAIM_TYPE,
         refs=("CVX-R1", "OIDCC-2-aud"))
claim_op("aud.nested-array", "aud is an array holding an array with the client", "aud",
         lambda draw, draft: draw(st.sampled_from(([[_app_id(draft)]], [_app_id(draft), [_app_id(draft)]]))),
         tier="C", expect=CLAIM_TYPE, refs=("CVX-R1", "OIDCC-2-aud"))
claim_op("aud.object", "aud is an object holding the client", "aud",
         lambda draw, draft: {draw(st.sampled_from(("aud", "0", _app_id(draft)))): _app_id(draft)}, tier="C",
         expect=CLAIM_TYPE, refs=("CVX-R1", "OIDCC-2-aud"))


@operator("aud.extra-audience", "aud holds the client plus an untrusted audience", tier="B",
          expect={Reason.AUDIENCE}, refs=("CVX-O3.3", "OIDCC-3.1.3.7-3"))
def _aud_extra(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    app = _app_id(draft)
    other = draw(st.one_of(st.sampled_from((draft.payload["iss"], "https://api.example.com", "")),
                           st.text(min_size=1, max_size=20))).replace(app, "")
    other = other if other != app else other + "x"
    before = draft.payload.get("aud", ABSENT)
    after = [app, other] if draw(st.booleans()) is False else [other, app]
    draft.payload["aud"] = after
    return Mutation("aud.extra-audience", "payload.aud", before, after)


def _substrings(text: str) -> list[str]:
    return [text[:-1], text[1:], text[: len(text) // 2], text.partition("_")[2] or text[:-2]]


# -- sub ------------------------------------------------------------------------------------------
_SUB_REFS = ("CVX-O2", "OIDCC-2-sub")
claim_op("sub.number", "sub is a number", "sub", st.integers(0, 2**53), tier="C", expect=CLAIM_TYPE,
         refs=("CVX-R1",) + _SUB_REFS)
claim_op("sub.array", "sub is an array holding a string", "sub", lambda draw, draft: [draft.payload["sub"]],
         tier="C", expect=CLAIM_TYPE, refs=("CVX-R1",) + _SUB_REFS)
claim_op("sub.missing", "sub is absent", "sub", DELETE, tier="B", expect=MISSING, refs=_SUB_REFS)
claim_op("sub.null", "sub is null (counts as absent)", "sub", st.none(), tier="B", expect=MISSING,
         refs=_SUB_REFS + ("OIDCC-2-null",))
claim_op("sub.empty", "sub is the empty string (still a string for Convex)", "sub", st.just(""), tier="-",
         expect=ACCEPT, refs=_SUB_REFS)
claim_op("sub.long", "sub is longer than 255 characters (Convex sets no limit)", "sub",
         st.integers(256, 2000).map(lambda n: "s" * n), tier="-", expect=ACCEPT, refs=_SUB_REFS)

# -- standard claims ------------------------------------------------------------------------------
_TYPES_REFS = ("CVX-O2", "OIDCC-5.1-types")
claim_op("claims.email-verified-string", "email_verified is a string or number, not a boolean", "email_verified",
         st.sampled_from(("true", "false", 1, 0, "yes")), tier="C", expect=CLAIM_TYPE, refs=_TYPES_REFS)
claim_op("claims.phone-verified-string", "phone_number_verified is a string, not a boolean", "phone_number_verified",
         st.sampled_from(("true", "false", 1)), tier="C", expect=CLAIM_TYPE, refs=_TYPES_REFS)
claim_op("claims.address-string", "address is a string, not an object", "address",
         st.sampled_from(("1 Main St", "", 12)), tier="C", expect=CLAIM_TYPE, refs=_TYPES_REFS)
claim_op("claims.address-array", "address as a 6-element array (serde's sequence form of the struct)", "address",
         st.lists(st.text(max_size=10), min_size=6, max_size=6), tier="-", expect=ACCEPT,
         refs=("CVX-O2a",) + _TYPES_REFS)
claim_op("claims.updated-at-not-rfc3339", "updated_at is a string that is not an RFC 3339 date-time", "updated_at",
         st.sampled_from(("yesterday", "2023-11-14", "1700000000", "Tue, 14 Nov 2023 22:13:20 GMT")), tier="C",
         expect=CLAIM_TYPE, refs=_TYPES_REFS)
claim_op("claims.updated-at-rfc3339", "updated_at is an RFC 3339 date-time string", "updated_at",
         rfc3339_times(max_value=2_000_000_000), tier="-", expect=ACCEPT, refs=_TYPES_REFS)
claim_op("claims.standard-string-not-string", "a string standard claim holds a number or boolean", "given_name",
         st.sampled_from((1, True, ["a"])), tier="C", expect=CLAIM_TYPE, refs=_TYPES_REFS)


@operator("claims.name-localized-alone", "name#en without name: accepted, not mapped to the identity", tier="-",
          expect=ACCEPT, refs=("CVX-O2a", "OIDCC-5.2"))
def _name_localized_alone(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    before = draft.payload.pop("name", ABSENT)
    draft.payload["name#en"] = after = draw(st.text(min_size=1, max_size=20))
    return Mutation("claims.name-localized-alone", "payload.name#en", before, after, "name removed")


@operator("claims.email-localized", "email only with a language tag (email#en), which it cannot carry", tier="C",
          expect=CLAIM_TYPE, refs=("CVX-O2a",) + _TYPES_REFS)
def _email_localized(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Removes an untagged email first (recorded): with both, the crate reports a duplicate instead."""
    before = draft.payload.pop("email", ABSENT)
    draft.payload["email#en"] = after = draw(st.sampled_from(("user@example.com", "")))
    return Mutation("claims.email-localized", "payload.email#en", before, after,
                    "email removed" if before != ABSENT else "")


@operator("claims.identity-field-named", "a custom claim named like a typed identity field (subject, ...)",
          tier="-", expect=ACCEPT, refs=("CVX-ID",))
def _identity_field_named(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Convex writes custom claims after the typed fields, so this changes the identity."""
    name = draw(st.sampled_from(_IDENTITY_NAMED))
    draft.payload[name] = after = draw(st.one_of(st.text(max_size=20), json_values()))
    return Mutation("claims.identity-field-named", f"payload.{name}", ABSENT, after)


@operator("claims.custom-nested", "a custom claim holding nested objects (kept, not flattened)", tier="-",
          expect=ACCEPT, refs=("CVX-ID", "RFC7519-4-b"))
def _custom_nested(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    name = draw(custom_claim_names().filter(lambda n: n not in draft.payload))
    inner = draw(st.dictionaries(st.text(max_size=8), json_values(), min_size=1, max_size=3))
    draft.payload[name] = after = {draw(st.sampled_from(("properties", "a", ""))): inner}
    return Mutation("claims.custom-nested", f"payload.{name}", ABSENT, after)


# -- duplicated members (raw payload bytes) -------------------------------------------------------
def _with_duplicate(payload: dict[str, Any], name: str, first: Any, last: Any) -> bytes:
    """JSON text of `payload` with `name` written twice: `first` at the start, `last` at the end."""
    rest = {k: v for k, v in payload.items() if k != name}
    body = json_bytes(rest)[1:-1]
    lead = json.dumps(name, ensure_ascii=False).encode() + b":" + json.dumps(first, ensure_ascii=False).encode()
    tail = json.dumps(name, ensure_ascii=False).encode() + b":" + json.dumps(last, ensure_ascii=False).encode()
    return b"{" + lead + (b"," + body if body else b"") + b"," + tail + b"}"


@operator("claims.duplicate-custom", "a custom claim appears twice: accepted, the last value wins", tier="D",
          expect=ACCEPT, refs=("CVX-O2a", "RFC7519-4-a"))
def _duplicate_custom(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    name = draw(custom_claim_names().filter(lambda n: n not in draft.payload))
    first, last = draw(json_values()), draw(json_values())
    draft.payload[name] = last
    draft.payload_bytes = _with_duplicate(draft.payload, name, first, last)
    return Mutation("claims.duplicate-custom", f"payload.{name}", first, last, "written twice; last wins")


@operator("claims.duplicate-registered", "a registered claim (iss, sub, aud, exp, iat) appears twice", tier="D",
          expect={Reason.MALFORMED}, refs=("CVX-R1", "CVX-O2a", "RFC7519-4-a"))
def _duplicate_registered(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    name = draw(st.sampled_from(("sub", "iss", "aud", "exp", "iat")))
    value = draft.payload[name]
    draft.payload_bytes = _with_duplicate(draft.payload, name, value, value)
    return Mutation("claims.duplicate-registered", f"payload.{name}", value, value, "written twice, same value")


@operator("claims.duplicate-standard", "a standard claim (email, name, ...) appears twice", tier="D",
          expect={Reason.MALFORMED}, refs=("CVX-O2", "CVX-O2a", "RFC7519-4-a"))
def _duplicate_standard(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    name = draw(st.sampled_from(("email", "name", "picture", "azp", "nonce")))
    first = draw(st.text(min_size=1, max_size=12))
    last = draft.payload.get(name) if isinstance(draft.payload.get(name), str) else draw(st.text(max_size=12))
    draft.payload[name] = last
    draft.payload_bytes = _with_duplicate(draft.payload, name, first, last)
    return Mutation("claims.duplicate-standard", f"payload.{name}", first, last, "written twice")


# -- scopes ---------------------------------------------------------------------------------------
@operator("scope.claims-without-scope", "profile and email claims without those scopes granted", tier="-",
          expect=ACCEPT, refs=("OIDCC-5.4", "OIDCC-5.3.2"))
def _claims_without_scope(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Drops profile and email from the granted scopes (recorded) and adds their claims anyway."""
    draft.scopes = tuple(scope for scope in draft.scopes if scope not in ("profile", "email"))
    added = {"name": draw(st.text(min_size=1, max_size=12)), "email": "someone@example.com",
             "preferred_username": "someone"}
    draft.payload.update(added)
    return Mutation("scope.claims-without-scope", "payload", ABSENT, added, f"granted: {' '.join(draft.scopes)}")


claim_op("scope.scope-claim", "the ID token carries a scope claim (a custom claim for Convex)", "scope",
         lambda draw, draft: " ".join(draft.scopes or ("openid",)), tier="-", expect=ACCEPT, refs=("CVX-ID",))

# -- typ / cty header -----------------------------------------------------------------------------
claim_op("typ.rejected", "typ is not a JWT media type (at+jwt, logout+jwt, ...)", "typ",
         st.sampled_from(("at+jwt", "application/at+jwt", "logout+jwt", "foo", "JWS", "text/plain", "")),
         tier="B", expect={Reason.HEADER}, refs=("CVX-O3.1", "RFC7519-5.1", "RFC8725-3.11", "OIDBCL-2.4"),
         part="header")
claim_op("cty.present", "cty is present (nested JWT content)", "cty", st.sampled_from(("JWT", "jwt", "json")),
         tier="B", expect={Reason.HEADER}, refs=("CVX-O3.1", "RFC7519-5.2"), part="header")
