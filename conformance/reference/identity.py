"""The Convex user identity an accepted token becomes (what `ctx.auth.getUserIdentity()` returns).

Typed fields come from the untagged standard claims (`keybroker/src/broker.rs`
`UserIdentity::from_token`): a tagged value alone (``name#en``) maps to nothing, ``middle_name`` and
``birthday`` are not mapped, ``birthday`` comes from ``birthdate``, ``address`` keeps only
``formatted``, ``updatedAt`` is chrono's `to_rfc3339()` of ``updated_at``. Absent or null fields
are omitted. ``tokenIdentifier`` joins the raw ``iss`` and ``sub`` with ``|``.

Custom claims are the additional-claims map minus ``jti``, ``nbf`` and ``fva``, with their JSON
values unchanged (nested objects are not flattened); they are written after the typed fields in
sorted key order, so one named like a typed field (``emailVerified``) replaces it
(`sync_types/src/types/json.rs`). Nested values are shared with the verdict's claims, not copied:
treat both as read-only.
"""

from __future__ import annotations

from typing import Any

from .id_token import IdToken
from .instant import to_rfc3339
from .strict_json import plain

__all__ = ["identity", "TYPED_FIELDS", "DROPPED_CUSTOM_CLAIMS"]

TYPED_FIELDS = (  # (identity field, claim)
    ("name", "name"), ("givenName", "given_name"), ("familyName", "family_name"), ("nickname", "nickname"),
    ("preferredUsername", "preferred_username"), ("profileUrl", "profile"), ("pictureUrl", "picture"),
    ("websiteUrl", "website"), ("email", "email"), ("emailVerified", "email_verified"), ("gender", "gender"),
    ("birthday", "birthdate"), ("timezone", "zoneinfo"), ("language", "locale"), ("phoneNumber", "phone_number"),
    ("phoneNumberVerified", "phone_number_verified"),
)
DROPPED_CUSTOM_CLAIMS = frozenset({"jti", "nbf", "fva"})


def _formatted_address(address: Any) -> str | None:
    if isinstance(address, dict):
        return address.get("formatted")
    if isinstance(address, list) and address:
        return address[0]
    return None


def identity(token: IdToken) -> dict[str, Any]:
    """The identity JSON object for an accepted `token`."""
    out: dict[str, Any] = {
        "tokenIdentifier": f"{token.issuer}|{token.subject}",
        "subject": token.subject,
        "issuer": token.issuer,
    }
    for field, claim in TYPED_FIELDS:
        value = token.standard.get(claim)
        if value is not None:
            out[field] = value
    formatted = _formatted_address(token.standard.get("address"))
    if formatted is not None:
        out["address"] = formatted
    if token.updated_at is not None:
        out["updatedAt"] = to_rfc3339(token.updated_at)
    for name in sorted(token.custom):
        if name not in DROPPED_CUSTOM_CLAIMS:
            out[name] = plain(token.custom[name])
    return out
