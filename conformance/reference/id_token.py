"""The token parsed as an OIDC ID token (O2), the way openidconnect's `CoreIdToken::from_str` does.

Segments (`src/jwt/mod.rs`): exactly three, each unpadded base64url with unused bits tolerated.
The header is `header.parse_header`. The payload is `IdTokenClaims` (`src/id_token/mod.rs`): a
derived struct whose own fields are ``iss aud exp iat auth_time nonce acr amr azp at_hash c_hash``
(read first, in document order; a repeat fails), followed by the flattened `StandardClaims`
(`src/claims.rs`) and the additional-claims map. Keys are split at the first ``#`` into a claim
name and a language tag (an empty tag is no tag). Localizable claims (``name given_name
family_name middle_name nickname profile picture website``) keep one value per tag; any other
standard claim with a tag fails; a repeated claim (per tag) fails, even when an earlier value was
``null`` (the behaviour description's rule; the crate's `Option` fields would let ``null`` then a
value through). Everything else is a custom claim; a repeated custom claim keeps its last value.

Types: ``iss`` a URL string; ``aud`` a string or array of strings (default empty); ``exp`` and
``iat`` required timestamps; ``auth_time`` and ``updated_at`` optional timestamps (JSON number or,
with the pinned ``accept-rfc3339-timestamps`` feature, an RFC 3339 string) within the date range;
``nonce acr azp at_hash c_hash`` strings; ``amr`` an array of strings; ``sub`` a required string;
``email_verified``/``phone_number_verified`` JSON booleans (``accept-string-booleans`` is off);
``address`` an object of optional strings or its 6-element sequence form; every other standard
claim a string. ``null`` is absent for optional claims and "missing" for required ones. The crate
also types ``birthday`` as a standard string claim (it is then dropped from the identity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..reasons import Reason
from .base64url import decode
from .header import PARSE_MESSAGE, Header, parse_header
from .instant import Instant, from_timestamp
from .rejection import Rejection
from .rules import O2, O2A
from .strict_json import is_number, member_pairs, repeated_members
from .urls import parse_url

__all__ = ["IdToken", "parse_id_token", "OWN_CLAIMS", "STANDARD_CLAIMS", "LOCALIZED_CLAIMS", "split_claim_key"]

OWN_CLAIMS = ("iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash")
LOCALIZED_CLAIMS = frozenset({"name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture",
                              "website"})
_STRING_CLAIMS = frozenset({"preferred_username", "email", "gender", "birthday", "birthdate", "zoneinfo", "locale",
                            "phone_number"})
_BOOLEAN_CLAIMS = frozenset({"email_verified", "phone_number_verified"})
STANDARD_CLAIMS = LOCALIZED_CLAIMS | _STRING_CLAIMS | _BOOLEAN_CLAIMS | {"sub", "address", "updated_at"}
_ADDRESS_FIELDS = ("formatted", "street_address", "locality", "region", "postal_code", "country")
_OPTIONAL_STRINGS = frozenset({"nonce", "acr", "azp", "at_hash", "c_hash"})


@dataclass(frozen=True)
class IdToken:
    """A parsed ID token: typed registered claims, untagged standard claims, custom claims, raw parts."""

    header: Header
    claims: dict[str, Any]
    issuer: str
    subject: str
    audiences: tuple[str, ...]
    expiration: Instant
    issued_at: Instant
    signing_input: bytes
    signature: bytes
    standard: Mapping[str, Any] = field(default_factory=dict)  # untagged, non-null standard claims
    updated_at: Instant | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)  # the additional-claims map


def split_claim_key(key: str) -> tuple[str, str | None]:
    """``name#en`` -> (``name``, ``en``); ``name#`` and ``name`` -> (``name``, None)."""
    name, _, tag = key.partition("#")
    return name, (tag or None)


def _fail(reason: Reason, detail: str, rule: str = O2) -> Rejection:
    return Rejection(reason, rule, f"{PARSE_MESSAGE}: {detail}")


def _timestamp(name: str, value: Any, *, required: bool) -> Instant | None:
    if value is None:
        if required:
            raise _fail(Reason.MISSING_CLAIM, f"missing field `{name}`")
        return None
    instant = from_timestamp(value)
    if instant is None:
        rule = O2A if is_number(value) else O2  # a number out of the date range is O2a's range rule
        raise _fail(Reason.CLAIM_TYPE, f"`{name}` is not a timestamp in the supported range", rule)
    return instant


def _own_claims(payload: dict[str, Any]) -> dict[str, Any]:
    """IdTokenClaims' own fields, checked in document order; returns their typed values."""
    typed: dict[str, Any] = {}
    for key, value in member_pairs(payload):
        if key not in OWN_CLAIMS:
            continue
        if key in typed:
            raise _fail(Reason.MALFORMED, f"duplicate field `{key}`", O2A)
        if key == "iss":
            if not isinstance(value, str):
                raise _fail(Reason.MISSING_CLAIM if value is None else Reason.CLAIM_TYPE, "`iss` must be a URL")
            if parse_url(value) is None:
                raise _fail(Reason.CLAIM_TYPE, "`iss` is not a valid URL")
            typed[key] = value
        elif key == "aud":
            if not (isinstance(value, str) or isinstance(value, list) and all(isinstance(a, str) for a in value)):
                raise _fail(Reason.CLAIM_TYPE, "`aud` must be a string or an array of strings")
            typed[key] = (value,) if isinstance(value, str) else tuple(value)
        elif key in ("exp", "iat", "auth_time"):
            typed[key] = _timestamp(key, value, required=key != "auth_time")
        elif key == "amr":
            if value is not None and not (isinstance(value, list) and all(isinstance(a, str) for a in value)):
                raise _fail(Reason.CLAIM_TYPE, "`amr` must be an array of strings")
            typed[key] = value
        else:
            if value is not None and not isinstance(value, str):
                raise _fail(Reason.CLAIM_TYPE, f"`{key}` must be a string")
            typed[key] = value
    for name in ("iss", "exp", "iat"):
        if name not in typed:
            raise _fail(Reason.MISSING_CLAIM, f"missing field `{name}`")
    return typed


def _check_address(value: Any) -> None:
    if isinstance(value, dict) and repeated_members(value) & set(_ADDRESS_FIELDS):
        raise _fail(Reason.MALFORMED, "duplicate field in `address`", O2A)
    if isinstance(value, dict):
        parts = [value.get(name) for name in _ADDRESS_FIELDS]
    elif isinstance(value, list) and len(value) == len(_ADDRESS_FIELDS):
        parts = value
    else:
        raise _fail(Reason.CLAIM_TYPE, "`address` must be an object or a 6-element array")
    if not all(part is None or isinstance(part, str) for part in parts):
        raise _fail(Reason.CLAIM_TYPE, "`address` members must be strings")


def _check_standard_value(name: str, value: Any) -> None:
    if name == "sub":
        if value is None:
            raise _fail(Reason.MISSING_CLAIM, "`sub` is null")
        if not isinstance(value, str):
            raise _fail(Reason.CLAIM_TYPE, "`sub` must be a string")
    elif value is None:
        return
    elif name in _BOOLEAN_CLAIMS:
        if not isinstance(value, bool):
            raise _fail(Reason.CLAIM_TYPE, f"`{name}` must be a JSON boolean")
    elif name == "address":
        _check_address(value)
    elif name == "updated_at":
        _timestamp(name, value, required=False)
    elif not isinstance(value, str):
        raise _fail(Reason.CLAIM_TYPE, f"`{name}` must be a string")


def _standard_claims(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """StandardClaims and the additional-claims map, from the members IdTokenClaims does not own."""
    seen: set[tuple[str, str | None]] = set()
    untagged: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for key, value in member_pairs(payload):
        if key in OWN_CLAIMS:
            continue
        name, tag = split_claim_key(key)
        if name not in STANDARD_CLAIMS:
            custom[key] = value
            continue
        localized = name in LOCALIZED_CLAIMS
        if (name, tag if localized else None) in seen:
            raise _fail(Reason.MALFORMED, f"duplicate field `{key}`", O2A)
        if tag is not None and not localized:
            raise _fail(Reason.CLAIM_TYPE, f"unexpected language tag `{tag}` for key `{name}`", O2A)
        seen.add((name, tag))
        _check_standard_value(name, value)
        if tag is None and value is not None:
            untagged[name] = value
    if "sub" not in untagged:
        raise _fail(Reason.MISSING_CLAIM, "missing field `sub`")
    return untagged, custom


def parse_id_token(token: str, payload: dict[str, Any]) -> IdToken:
    """O2 for `token`, whose payload routing already decoded to `payload`; raises `Rejection`."""
    segments = token.split(".")
    if len(segments) != 3:
        raise _fail(Reason.MALFORMED, f"found {len(segments)} parts (expected 3)")
    header_bytes = decode(segments[0], canonical=False)
    if header_bytes is None:
        raise _fail(Reason.MALFORMED, "invalid base64url header encoding")
    header = parse_header(header_bytes)
    own = _own_claims(payload)
    untagged, custom = _standard_claims(payload)
    signature = decode(segments[2], canonical=False)
    if signature is None:
        raise _fail(Reason.MALFORMED, "invalid base64url signature encoding")
    updated_at = untagged.get("updated_at")
    return IdToken(
        header=header, claims=payload, issuer=own["iss"], subject=untagged["sub"],
        audiences=own.get("aud", ()), expiration=own["exp"], issued_at=own["iat"],
        signing_input=f"{segments[0]}.{segments[1]}".encode("ascii"), signature=signature,
        standard=untagged, updated_at=None if updated_at is None else from_timestamp(updated_at), custom=custom,
    )
