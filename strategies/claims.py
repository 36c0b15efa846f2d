"""Strategies for token payloads shaped like real ID tokens and access tokens (Ave, OIDC Core §2, §5).

Claims follow the drawn scopes (``profile`` adds name, preferred_username and picture; ``email``
adds email), so scope-dependent claims appear in both directions. Optional claims shrink away, so
a minimal example is the few claims Convex requires plus the client's audience.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .timestamps import check_now, draw_auth_time, draw_expiration, draw_issue_time, draw_not_before

__all__ = [
    "REGISTERED_CLAIMS", "ID_TOKEN_CLAIMS", "STANDARD_CLAIMS", "LOCALIZABLE_CLAIMS", "IDENTITY_FIELDS",
    "RESERVED_NAMES", "SCOPES", "scopes", "audiences", "subjects", "json_values", "custom_claim_names",
    "custom_claims", "standard_claims", "organization_claims", "rfc3339_times", "id_token_claims",
    "access_token_claims", "draw_id_token_claims", "draw_access_token_claims", "draw_standard_claims",
]

REGISTERED_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
ID_TOKEN_CLAIMS = frozenset({"auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash"})
LOCALIZABLE_CLAIMS = ("name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture",
                      "website")
STANDARD_CLAIMS = frozenset(LOCALIZABLE_CLAIMS) | {
    "preferred_username", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
    "phone_number", "phone_number_verified", "address", "updated_at"}
# the typed fields of Convex's user identity: a custom claim with one of these names overwrites it
IDENTITY_FIELDS = frozenset({
    "tokenIdentifier", "issuer", "subject", "name", "givenName", "familyName", "nickname", "preferredUsername",
    "profileUrl", "pictureUrl", "websiteUrl", "email", "emailVerified", "gender", "birthday", "timezone",
    "language", "phoneNumber", "phoneNumberVerified", "address", "updatedAt"})
# names a custom claim must not take unless a test means it to
RESERVED_NAMES = REGISTERED_CLAIMS | ID_TOKEN_CLAIMS | STANDARD_CLAIMS | IDENTITY_FIELDS | {"fva"}

SCOPES = ("openid", "profile", "email", "offline_access", "user_id")
_LANGUAGE_TAGS = ("en", "fr-CA", "de", "ja-Kana-JP", "es-419")
_REALISTIC_CUSTOM_NAMES = ("role", "tenant", "permissions", "groups", "plan", "is_admin", "metadata",
                           "https://example.com/roles", "features", "team_ids")
_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TEXT = st.characters(codec="utf-8")
_UUIDS = st.uuids().map(str)


# one boolean per optional scope: each shrinks to "not granted" on its own
_SCOPES = st.tuples(*(st.booleans() for _ in SCOPES[1:])).map(
    lambda granted: ("openid",) + tuple(name for name, yes in zip(SCOPES[1:], granted) if yes))
_SUBJECTS = st.one_of(_UUIDS, st.integers(1, 10**12).map(lambda n: f"user_{n}"),
                      st.text(_TEXT, min_size=1, max_size=40))
_AUDIENCE_FORMS = st.sampled_from(("string", "array", "twice"))
_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
                          st.floats(allow_nan=False, allow_infinity=False), st.text(_TEXT, max_size=20))
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.text(_TEXT, max_size=8), children, max_size=3)),
    max_leaves=6)
_CUSTOM_NAMES = st.one_of(
    st.sampled_from(_REALISTIC_CUSTOM_NAMES),
    st.text(_NAME_ALPHABET, min_size=1, max_size=12).map(lambda text: "x_" + text),
).filter(lambda name: name not in RESERVED_NAMES)
_CUSTOM_CLAIMS = st.dictionaries(_CUSTOM_NAMES, _JSON_VALUES, max_size=3)
_SHORT_TEXT = st.text(_TEXT, min_size=1, max_size=20)
_NONCES = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=8, max_size=32)
_USERNAMES = st.text("abcdefghijklmnopqrstuvwxyz0123456789_.", max_size=15).map(lambda rest: "u" + rest)
_EMAILS = st.builds("{}@{}".format, st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=20),
                    st.sampled_from(("example.com", "aveid.net", "mail.example.org")))
_PICTURES = st.sampled_from((None, "https://cdn.example.com/avatar.png"))
_PROFILES = st.fixed_dictionaries({"name": _SHORT_TEXT, "preferred_username": _USERNAMES, "picture": _PICTURES})
# (org_name, org_role, org_scopes, org_signing_authority, org_encryption_mode, org_key_custody, auth_method)
_ORGANIZATIONS = (
    ("Acme", "member", ["read"], False, "none", "member", "passkey"),
    ("Initech", "admin", ["read", "write", "admin"], True, "e2ee", "organization", "sso"),
    ("Ünïcode GmbH", "owner", [], True, "none", "organization", "password"),
)
_ORGANIZATION_CLAIMS = st.builds(
    lambda org_id, member_id, profile, sso: {
        "org_id": org_id, "org_name": profile[0], "org_member_id": member_id, "org_role": profile[1],
        "org_scopes": list(profile[2]), "org_signing_authority": profile[3], "org_encryption_mode": profile[4],
        "org_key_custody": profile[5], "auth_method": profile[6], "sso_connection_id": sso,
        "auth_context": "organization"},
    _UUIDS, _UUIDS, st.sampled_from(_ORGANIZATIONS), st.one_of(st.none(), _UUIDS))
_OFFSETS = st.sampled_from((0, 60, 120, -300, 330, -600))
_MILLIS = st.one_of(st.just(0), st.integers(1, 999))
_ACCESS_AUDIENCE_FORMS = st.sampled_from(("issuer", "array", "api"))
_RARELY = st.integers(0, 4).map(lambda ticket: ticket == 4)  # one time in five; shrinks to False


def scopes() -> SearchStrategy[tuple[str, ...]]:
    """Granted scopes: ``openid`` always first, then any of profile, email, offline_access, user_id.

    Shrinks towards ``("openid",)``.
    """
    return _SCOPES


def audiences(*, application_id: str) -> SearchStrategy[str | list[str]]:
    """`aud` values Convex accepts for `application_id`: the id as one string (as Ave sends it),
    a one-element array, or the id twice. Shrinks towards the plain string."""
    _check_text("application_id", application_id)
    return _AUDIENCE_FORMS.map(lambda form: _audience(form, application_id))


def subjects() -> SearchStrategy[str]:
    """`sub` values: UUIDs (Ave's identity ids), short opaque ids, or any non-empty text.

    Shrinks towards ``00000000-0000-0000-0000-000000000000``.
    """
    return _SUBJECTS


def json_values() -> SearchStrategy[Any]:
    """Any JSON value Convex keeps as it is: null, booleans, 64-bit integers, finite floats, text,
    and arrays / objects nesting them (at most 6 leaves). Shrinks towards ``None``."""
    return _JSON_VALUES


def custom_claim_names() -> SearchStrategy[str]:
    """Names of application-specific claims that collide with no registered, ID-token, standard or
    identity-field name (and carry no ``#`` language tag). Shrinks towards ``role``."""
    return _CUSTOM_NAMES


def custom_claims() -> SearchStrategy[dict[str, Any]]:
    """Up to four custom claims with any JSON values, nested objects and arrays included.

    Shrinks towards ``{}``.
    """
    return _CUSTOM_CLAIMS


def rfc3339_times(*, min_value: int = 0, max_value: int = 4_102_444_800) -> SearchStrategy[str]:
    """RFC 3339 date-times (``Z``, ``+00:00`` or another offset; sometimes fractional seconds) for
    seconds between `min_value` and `max_value`. Shrinks towards ``1970-01-01T00:00:00Z``."""
    if not (isinstance(min_value, int) and isinstance(max_value, int) and 0 <= min_value <= max_value):
        raise InvalidArgument(f"min_value={min_value!r}, max_value={max_value!r} must be integers, "
                              "0 <= min_value <= max_value")
    return st.builds(_rfc3339, st.integers(min_value, max_value), _OFFSETS, _MILLIS)


def _rfc3339(seconds: int, offset_minutes: int, millis: int) -> str:
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc).astimezone(timezone(timedelta(minutes=offset_minutes)))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{millis:03d}" if millis else "")
    if offset_minutes == 0:
        return text + "Z"
    sign = "+" if offset_minutes > 0 else "-"
    return text + f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"


_ADDRESSES = st.sampled_from((
    {}, {"formatted": "1 Main St\nSpringfield"}, {"country": "FR", "locality": "Paris"},
    {"formatted": "1-2-3 Chiyoda, Tōkyō", "street_address": "1-2-3 Chiyoda", "locality": "Tōkyō", "region": "",
     "postal_code": "100-0001", "country": "JP"}))
_UPDATED_AT_FORMS = st.one_of(st.integers(0, 2_000_000_000),
                              st.integers(0, 2_000_000_000).map(lambda s: s + 0.5),
                              st.builds(_rfc3339, st.integers(0, 2_000_000_000), _OFFSETS, _MILLIS))
_STANDARD_VALUES: dict[str, SearchStrategy[Any]] = {
    "given_name": _SHORT_TEXT, "family_name": _SHORT_TEXT, "middle_name": _SHORT_TEXT, "nickname": _SHORT_TEXT,
    "email_verified": st.booleans(), "phone_number": st.sampled_from(("+15555550100", "+33 1 23 45 67 89")),
    "phone_number_verified": st.booleans(), "address": _ADDRESSES, "updated_at": _UPDATED_AT_FORMS,
    "locale": st.sampled_from(("en-US", "fr-FR", "ja")),
    "zoneinfo": st.sampled_from(("Europe/Paris", "America/New_York")),
    "birthdate": st.sampled_from(("1990-01-31", "0000-05-06", "2001")),
    "website": st.just("https://example.com/~me"), "gender": st.sampled_from(("female", "male", "other")),
    "profile": st.just("https://example.com/profile"), "acr": st.just("urn:mace:incommon:iap:silver"),
    "amr": st.lists(st.sampled_from(("pwd", "mfa", "otp", "hwk")), max_size=3, unique=True),
    **{f"{claim}#{tag}": _SHORT_TEXT for claim in ("name", "given_name", "nickname") for tag in _LANGUAGE_TAGS[:2]},
}
_STANDARD_NAMES = st.lists(st.sampled_from(tuple(_STANDARD_VALUES)), max_size=6, unique=True)


def draw_standard_claims(draw: st.DrawFn) -> dict[str, Any]:
    """One value of `standard_claims()`, drawn inside another strategy."""
    return {name: draw(_STANDARD_VALUES[name]) for name in draw(_STANDARD_NAMES)}


_STANDARD_CLAIMS = st.composite(draw_standard_claims)()


def standard_claims() -> SearchStrategy[dict[str, Any]]:
    """Up to six optional OIDC standard claims with their proper JSON types (OIDC Core §5.1):
    localized names (``name#en``), ``email_verified`` as a boolean, an ``address`` object,
    ``updated_at`` as an int, a float or an RFC 3339 string (before 2034), and the other string
    claims. Shrinks towards ``{}``."""
    return _STANDARD_CLAIMS


def organization_claims() -> SearchStrategy[dict[str, Any]]:
    """The claims an Ave organization sign-in adds (org_id, org_role, org_scopes array,
    org_signing_authority boolean, ...), from a few realistic organizations. Shrinks towards the
    first organization with nil UUIDs and no SSO connection."""
    return _ORGANIZATION_CLAIMS


def id_token_claims(*, issuer: str, application_id: str, now: float,
                    scopes: tuple[str, ...] | SearchStrategy[tuple[str, ...]] | None = None,
                    ) -> SearchStrategy[dict[str, Any]]:
    """ID-token payloads Convex accepts for `issuer` and `application_id` at `now`.

    Always iss, sub, aud, exp (valid at `now`) and iat; optionally auth_time, azp, sid, nonce,
    nbf (anywhere: Convex ignores it);
    profile / email claims when those scopes are granted (`scopes`: a tuple, a strategy, or None
    to draw from `scopes()`); sometimes organization claims, other standard claims and custom
    claims with nested values. Shrinks towards ``{iss, sub, aud, exp, iat}`` with a UUID ``sub``,
    the client id as ``aud`` and ``exp = floor(now) + 3600``.
    """
    _check_text("issuer", issuer)
    _check_text("application_id", application_id)
    now = check_now(now)
    granted = _scope_strategy(scopes)
    return st.composite(lambda draw: draw_id_token_claims(draw, issuer=issuer, application_id=application_id,
                                                          now=now, scopes=draw(granted)))()


def draw_id_token_claims(draw: st.DrawFn, *, issuer: str, application_id: str, now: float,
                         scopes: tuple[str, ...]) -> dict[str, Any]:
    """One value of `id_token_claims(...)` for fixed `scopes`, drawn inside another strategy."""
    issued_at = draw_issue_time(draw, now)
    claims: dict[str, Any] = {"iss": issuer, "sub": draw(_SUBJECTS),
                              "aud": _audience(draw(_AUDIENCE_FORMS), application_id),
                              "exp": draw_expiration(draw, now), "iat": issued_at}
    if draw(st.booleans()):
        claims["auth_time"] = draw_auth_time(draw, issued_at)
    if draw(st.booleans()):
        claims["azp"] = application_id
    if draw(st.booleans()):
        claims["sid"] = draw(_UUIDS)
    if draw(st.booleans()):
        claims["nonce"] = draw(_NONCES)
    if draw(_RARELY):
        claims["nbf"] = draw_not_before(draw, now)  # anywhere in range: Convex ignores it
    # drawn whatever the scopes, so that dropping a scope while shrinking keeps later draws aligned
    profile, email = draw(_PROFILES), draw(_EMAILS)
    if "profile" in scopes:
        claims.update(profile)
    if "email" in scopes:
        claims["email"] = email
    if draw(st.booleans()):
        claims.update(draw(_ORGANIZATION_CLAIMS))
    if draw(st.booleans()):
        claims.update(draw_standard_claims(draw))
    if draw(st.booleans()):
        claims.update({name: value for name, value in draw(_CUSTOM_CLAIMS).items() if name not in claims})
    return claims


def access_token_claims(*, issuer: str, application_id: str, now: float,
                        scopes: tuple[str, ...] | SearchStrategy[tuple[str, ...]] | None = None,
                        ) -> SearchStrategy[dict[str, Any]]:
    """Ave access-token payloads: ``{iss, sub, aud, exp, iat, scope, cid, sid | jti, uid?}`` whose
    ``aud`` is the issuer (the resource), never the client id. Convex must reject them (audience).
    Shrinks towards ``aud = issuer`` with a ``sid``."""
    _check_text("issuer", issuer)
    _check_text("application_id", application_id)
    now = check_now(now)
    granted = _scope_strategy(scopes)
    return st.composite(lambda draw: draw_access_token_claims(draw, issuer=issuer, application_id=application_id,
                                                              now=now, scopes=draw(granted)))()


def draw_access_token_claims(draw: st.DrawFn, *, issuer: str, application_id: str, now: float,
                             scopes: tuple[str, ...]) -> dict[str, Any]:
    """One value of `access_token_claims(...)` for fixed `scopes`, drawn inside another strategy."""
    subject = draw(_UUIDS)
    form = draw(_ACCESS_AUDIENCE_FORMS)
    audience: Any = issuer if form == "issuer" else [issuer] if form == "array" else issuer.rstrip("/") + "/api"
    claims: dict[str, Any] = {"iss": issuer, "sub": subject, "aud": audience, "exp": draw_expiration(draw, now),
                              "iat": draw_issue_time(draw, now), "scope": " ".join(scopes), "cid": application_id}
    claims[draw(st.sampled_from(("sid", "jti")))] = draw(_UUIDS)
    if "user_id" in scopes:
        claims["uid"] = subject
    return claims


def _audience(form: str, application_id: str) -> str | list[str]:
    if form == "string":
        return application_id
    return [application_id] if form == "array" else [application_id, application_id]


def _scope_strategy(value: Any) -> SearchStrategy[tuple[str, ...]]:
    if value is None:
        return _SCOPES
    if isinstance(value, SearchStrategy):
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(item, str) for item in value):
        return st.just(tuple(value))
    raise InvalidArgument(f"scopes={value!r} must be a tuple of scope names, a strategy, or None")


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"{name}={value!r} must be a non-empty string")
