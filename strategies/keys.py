"""Strategies for signing keys and the key sets (JWKS) an issuer publishes.

Keys always come from the committed pool (`conformance.keypool.key_pool`): nothing is generated at
run time, so every case can be rebuilt and replayed. A drawn key set always leaves exactly one key
eligible for the token (Convex O3.5), however many decoys it carries.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional, Tuple

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from conformance.keypool import PoolKey, key_pool

__all__ = ["SIGNING_KEY_WEIGHTS", "signing_keys", "kids", "key_sets", "published_key", "draw_key_set"]

# Pool keys a valid token may be signed with, per algorithm, with relative weights. The first key
# of each list is where shrinking goes; rsa-8192 is rare because signing with it is slow.
SIGNING_KEY_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "RS256": (("rsa-2048-a", 40), ("rsa-2048-b", 12), ("rsa-2048-c", 12), ("rsa-3072", 4), ("rsa-4096", 3),
              ("rsa-8192", 1)),
    "EdDSA": (("ed25519-a", 8), ("ed25519-b", 4)),
    "ES256": (("ec-p256", 1),),
    "ES384": (("ec-p384", 1),),
}

# Signing algorithms of the same key family that are NOT the token's: an RSA key published with one
# of these never qualifies for an RS256 token.
_OTHER_RSA_ALGS = ("RS384", "RS512", "PS256")
_KID_NAMES = ("ave-oidc-v1", "key-1", "2024-06-rotation", "sig-rsa", "a1b2c3d4", "k")
_KID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
_KIDS = st.one_of(st.sampled_from(_KID_NAMES), st.text(_KID_ALPHABET, min_size=1, max_size=43))
_OPTIONAL_KIDS = st.one_of(_KIDS, st.none())
_SIG_USES = st.sampled_from((None, "sig"))


def signing_keys(*, algs: tuple[str, ...] | list[str] = ("RS256", "EdDSA")) -> SearchStrategy[PoolKey]:
    """Pool keys that can sign a valid token with one of `algs`.

    RS256 draws RSA keys of 2048 to 8192 bits (heavily weighted to 2048-bit keys), EdDSA draws
    Ed25519 keys; ES256 / ES384 (for profiles other than convex-oidc) draw the pool's EC keys.
    Algorithms are weighted by their keys, so RS256 dominates. Shrinks towards ``rsa-2048-a``
    (or the first key of the first algorithm given).
    """
    algs = tuple(algs) if isinstance(algs, (list, tuple)) else algs
    if not isinstance(algs, tuple) or not algs:
        raise InvalidArgument(f"algs={algs!r} must be a non-empty tuple of algorithm names")
    unknown = [alg for alg in algs if alg not in SIGNING_KEY_WEIGHTS]
    if unknown:
        raise InvalidArgument(f"algs={algs!r} names unknown algorithm(s) {unknown}; "
                              f"known: {', '.join(SIGNING_KEY_WEIGHTS)}")
    return _signing_keys(tuple(dict.fromkeys(algs)))


@lru_cache(maxsize=None)
def _signing_keys(algs: tuple[str, ...]) -> SearchStrategy[PoolKey]:
    table = tuple(entry for alg in algs for entry in SIGNING_KEY_WEIGHTS[alg])
    return _weighted(table).map(lambda key_id: key_pool()[key_id])


def kids() -> SearchStrategy[str]:
    """Key ids as issuers write them: Ave's ``ave-oidc-v1`` first, short names, thumbprint-like text.

    Shrinks towards ``ave-oidc-v1``.
    """
    return _KIDS


def published_key(key: PoolKey, *, kid: str | None = None, use: str | None = None,
                  alg: str | None = None) -> dict[str, Any]:
    """The public JWK of `key` as a JWKS entry, with optional ``kid``, ``use`` and ``alg`` members."""
    entry: dict[str, Any] = {}
    if kid is not None:
        entry["kid"] = kid
    entry.update({name: value for name, value in key.public_jwk.items() if name != "key_ops"})
    if use is not None:
        entry["use"] = use
    if alg is not None:
        entry["alg"] = alg
    return entry


_UNSET: Any = object()


def key_sets(*, signing_key: PoolKey | str, kid: str | None | SearchStrategy[str | None] = _UNSET,
             alg: str | None = None) -> SearchStrategy[dict[str, Any]]:
    """JWKS documents ``{"keys": [...]}`` publishing `signing_key`, with exactly one eligible key.

    The signing key is published with `kid` (a value, None for no kid, or a strategy; by default
    drawn from `kids()` or absent), ``use`` absent or ``sig`` and ``alg`` absent or `alg` (the
    token's algorithm; defaults to the key's natural one). Sometimes decoys are added: other pool
    keys with other kids, keys of other types, encryption keys, keys with another algorithm, and
    entries Convex cannot parse (``{"kty": "XYZ"}``, an ``RSA-OAEP`` key). A decoy never qualifies
    for the token: with a kid in the token only keys with that kid qualify, and a kid-less token
    qualifies every key, so its decoys are all of another type, ``use: enc`` or another ``alg``.
    To know the kid the token must carry, pass `kid` explicitly. Shrinks towards the signing key
    alone, published with the first drawn kid and no ``use`` or ``alg``.
    """
    key = _resolve_key(signing_key)
    token_alg = alg if alg is not None else key.natural_alg
    if not isinstance(token_alg, str) or not token_alg:
        raise InvalidArgument(f"alg={alg!r} must be a JWS algorithm name")
    if kid is _UNSET:
        kid = _OPTIONAL_KIDS
    if kid is not None and not isinstance(kid, (str, SearchStrategy)):
        raise InvalidArgument(f"kid={kid!r} must be a string, None or a strategy")
    kid_strategy = kid if isinstance(kid, SearchStrategy) else st.just(kid)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        drawn = draw(kid_strategy)
        if drawn is not None and not isinstance(drawn, str):
            raise InvalidArgument(f"kid strategy drew {drawn!r}; kids must be strings or None")
        return draw_key_set(draw, key, kid=drawn, alg=token_alg)

    return build()


def draw_key_set(draw: st.DrawFn, key: PoolKey, *, kid: str | None, alg: str) -> dict[str, Any]:
    """One value of `key_sets(signing_key=key, kid=kid, alg=alg)`, drawn inside another strategy."""
    own = published_key(key, kid=kid, use=draw(_SIG_USES), alg=alg if draw(st.booleans()) else None)
    decoys = [_realise(spec, kid) for spec in draw(_decoy_specs(key.id, kid is not None, alg))]
    position = draw(st.integers(0, len(decoys)))
    return {"keys": decoys[:position] + [own] + decoys[position:]}


# A decoy spec is (pool key id or "" for a literal entry, kid choice, use, alg); the kid choice is
# None (no kid), "=" (the token's kid) or a drawn name, resolved against the token's kid later.
_DecoySpec = Tuple[str, Optional[str], Optional[str], Optional[str]]


@lru_cache(maxsize=None)
def _decoy_specs(key_id: str, has_kid: bool, alg: str) -> SearchStrategy[list[_DecoySpec]]:
    """Up to three decoys that never qualify for a token signed by `key_id` with `alg`."""
    key = key_pool()[key_id]
    issuers = [k.id for k in key_pool() if k.id != key_id and k.role == "issuer"]
    other_type = [k for k in issuers if key_pool()[k].kty != key.kty]
    same_type = [k for k in issuers if key_pool()[k].kty == key.kty]
    rsa = [k.id for k in key_pool() if k.kty == "RSA" and k.role == "issuer"]
    any_kid = st.one_of(st.none(), _KIDS, st.just("=")) if has_kid else st.one_of(st.none(), _KIDS)
    choices = [
        # another key type: ineligible whatever its kid and use
        st.tuples(st.sampled_from(other_type), any_kid, _SIG_USES, st.none()),
        # an encryption key: ineligible whatever its kid
        st.tuples(st.sampled_from(issuers), any_kid, st.just("enc"), st.none()),
        # entries Convex skips: unknown key type, an encryption algorithm
        st.tuples(st.just(""), any_kid, st.none(), st.none()),
        st.tuples(st.sampled_from(rsa), any_kid, st.just("enc"), st.just("RSA-OAEP")),
    ]
    if key.kty == "RSA" and alg == "RS256":
        # same type, another signing algorithm: never eligible for RS256
        choices.append(st.tuples(st.sampled_from(same_type), any_kid, _SIG_USES, st.sampled_from(_OTHER_RSA_ALGS)))
    if has_kid and same_type:
        # same type and usable, under another kid or none: a token with a kid never picks it
        choices.append(st.tuples(st.sampled_from(same_type), st.one_of(_KIDS, st.none()), _SIG_USES, st.none()))
    return st.lists(st.one_of(choices), max_size=3)


def _realise(spec: _DecoySpec, kid: str | None) -> dict[str, Any]:
    key_id, kid_choice, use, alg = spec
    name = kid if kid_choice == "=" else kid_choice
    if kid_choice not in (None, "=") and name == kid:
        name = f"{name}-old"  # a drawn name that happens to equal the token's kid
    if not key_id:
        return {"kty": "XYZ"} if name is None else {"kid": name, "kty": "XYZ"}
    return published_key(key_pool()[key_id], kid=name, use=use, alg=alg)


def _resolve_key(signing_key: PoolKey | str) -> PoolKey:
    if isinstance(signing_key, PoolKey):
        return signing_key
    if isinstance(signing_key, str) and signing_key in key_pool():
        return key_pool()[signing_key]
    raise InvalidArgument(f"signing_key={signing_key!r} must be a PoolKey or the id of a pool key "
                          f"({', '.join(key_pool().ids())})")


def _weighted(table: tuple[tuple[str, int], ...]) -> SearchStrategy[str]:
    """Draw a name with probability proportional to its weight; shrinks towards the first name."""
    bounds: list[tuple[int, str]] = []
    total = 0
    for name, weight in table:
        total += weight
        bounds.append((total, name))

    def pick(ticket: int) -> str:
        for bound, name in bounds:
            if ticket < bound:
                return name
        raise AssertionError("unreachable")  # pragma: no cover

    return st.integers(0, total - 1).map(pick)
