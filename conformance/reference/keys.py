"""JSON Web Keys as openidconnect's `CoreJsonWebKey` reads them, and the exactly-one-key rule.

Parsing (`src/core/jwk.rs`, `src/types/jwks.rs`): the key set is read with `VecSkipError`, so a
key that does not deserialize is dropped silently. A key does not deserialize when it is not an
object (or the struct's sequence form), when a known member repeats, when ``kty`` is missing or
not one of ``RSA EC OKP oct``, when ``use`` or ``kid`` is not a string, or when ``alg`` is not a
known JOSE name (``RSA-OAEP`` and other key-management names are unknown, so such keys vanish).
The key material members (``n e crv x y d k``) are read with `deserialize_option_or_none`: a
member of the wrong type or encoding counts as absent and only fails later, at the signature.

Choice (`src/verification/mod.rs` `signing_key`, `src/types/jwks.rs` `filter_keys`): a token
``kid`` keeps only keys with an equal ``kid`` (a kid-less key never matches); then ``use`` must be
absent or ``sig``, ``kty`` must fit the algorithm and the key's ``alg`` must be absent or equal to
the token's (an encryption or ``none`` ``alg`` never fits). Exactly one key may remain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..reasons import Reason
from .rejection import Rejection
from .strict_json import repeated_members

__all__ = ["Jwk", "parse_jwk", "parse_key_list", "choose_key", "JWS_ALGORITHMS", "JWE_CONTENT_ALGORITHMS",
           "KEY_TYPES"]

JWS_ALGORITHMS = frozenset({"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
                            "PS256", "PS384", "PS512", "EdDSA"})
JWE_CONTENT_ALGORITHMS = frozenset({"A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM",
                                    "A256GCM"})
KEY_TYPES = frozenset({"RSA", "EC", "OKP", "oct"})
_FIELDS = ("kty", "use", "kid", "alg", "n", "e", "crv", "x", "y", "d", "k")  # struct order (sequence form)
_REQUIRED_IN_SEQUENCE = 4  # kty, use, kid, alg have no serde default
_KTY_FOR_ALG = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP", "HS": "oct"}


@dataclass(frozen=True)
class Jwk:
    """One usable entry of a key set; `members` holds the key material for the signature layer."""

    kty: str
    use: str | None
    kid: str | None
    alg: str | None
    members: Mapping[str, Any]

    def alg_kind(self) -> str | None:
        """``signature``, ``encryption`` or ``none`` for a present ``alg``; None when absent."""
        if self.alg is None:
            return None
        if self.alg == "none":
            return "none"
        return "encryption" if self.alg in JWE_CONTENT_ALGORITHMS else "signature"


def _members(value: Any) -> Mapping[str, Any] | None:
    if isinstance(value, dict):
        return None if repeated_members(value) & set(_FIELDS) else value
    if isinstance(value, list) and _REQUIRED_IN_SEQUENCE <= len(value) <= len(_FIELDS):
        return dict(zip(_FIELDS, value))
    return None


def _optional_string(members: Mapping[str, Any], name: str) -> tuple[bool, str | None]:
    value = members.get(name)
    return (value is None or isinstance(value, str)), value


def parse_jwk(value: Any) -> Jwk | None:
    """The key, or None when `CoreJsonWebKey` would fail to deserialize it (the set then skips it)."""
    members = _members(value)
    if members is None:
        return None
    kty = members.get("kty")
    if not isinstance(kty, str) or kty not in KEY_TYPES:
        return None
    ok_use, use = _optional_string(members, "use")
    ok_kid, kid = _optional_string(members, "kid")
    ok_alg, alg = _optional_string(members, "alg")
    if not (ok_use and ok_kid and ok_alg):
        return None
    if alg is not None and alg != "none" and alg not in JWS_ALGORITHMS and alg not in JWE_CONTENT_ALGORITHMS:
        return None
    return Jwk(kty, use, kid, alg, members)


def parse_key_list(keys: Any) -> tuple[Jwk, ...] | None:
    """The parseable keys of a ``keys`` array, or None when ``keys`` is not an array."""
    if not isinstance(keys, list):
        return None
    parsed = (parse_jwk(item) for item in keys)
    return tuple(key for key in parsed if key is not None)


def key_type_for(alg: str) -> str | None:
    return _KTY_FOR_ALG.get(alg[:2]) if alg in JWS_ALGORITHMS else None


def _eligible(key: Jwk, kid: str | None, alg: str) -> bool:
    if kid is not None and key.kid != kid:
        return False
    if key.use is not None and key.use != "sig":
        return False
    if key.kty != key_type_for(alg):
        return False
    return key.alg is None or (key.alg_kind() == "signature" and key.alg == alg)


def choose_key(keys: Sequence[Jwk], kid: str | None, alg: str, *, rule: str, message: str) -> Jwk:
    """The single eligible key; `Rejection` (KEY, `rule`) when none or several remain."""
    eligible = [key for key in keys if _eligible(key, kid, alg)]
    if len(eligible) == 1:
        return eligible[0]
    problem = "no matching key found" if not eligible else f"{len(eligible)} eligible keys (ambiguous)"
    raise Rejection(Reason.KEY, rule, f"{message} ({problem})")
