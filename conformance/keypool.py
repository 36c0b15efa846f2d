"""The committed pool of test-only signing keys.

Keys are generated once by ``scripts/generate_keypool.py`` and shipped in ``data/keypool.json`` so
that no key is ever generated while the suite runs: every case can be rebuilt and replayed.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

__all__ = ["PoolKey", "KeyPool", "key_pool"]

_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k", "key_ops"})  # key_ops: ["sign"] is private-key usage


@dataclass(frozen=True)
class PoolKey:
    """One key of the pool. `role` is ``issuer``, ``weak`` or ``attacker``."""

    id: str
    role: str
    note: str
    private_jwk: Mapping[str, Any] = field(repr=False)

    @property
    def kty(self) -> str:
        return self.private_jwk["kty"]

    @property
    def crv(self) -> str | None:
        return self.private_jwk.get("crv")

    @cached_property
    def public_jwk(self) -> dict[str, Any]:
        """The public JWK members only (no kid, use or alg: those are chosen when publishing)."""
        return {k: v for k, v in self.private_jwk.items() if k not in _PRIVATE_MEMBERS}

    @cached_property
    def private_key(self) -> Any:
        text = json.dumps(dict(self.private_jwk))
        if self.kty == "RSA":
            return _rsa_private_key(self.private_jwk)
        if self.kty == "EC":
            return ECAlgorithm.from_jwk(text)
        return OKPAlgorithm.from_jwk(text)

    @cached_property
    def public_key(self) -> Any:
        return self.private_key.public_key()

    @property
    def size(self) -> int:
        """Modulus bits for RSA, curve size for EC, 255/448 for OKP."""
        key = self.public_key
        if isinstance(key, rsa.RSAPublicKey):
            return key.key_size
        if isinstance(key, ec.EllipticCurvePublicKey):
            return key.curve.key_size
        return 255 if isinstance(key, ed25519.Ed25519PublicKey) else 448

    @property
    def natural_alg(self) -> str:
        """The JWS algorithm this key is normally used with."""
        if self.kty == "RSA":
            return "RS256"
        if self.kty == "OKP":
            return "EdDSA"
        return {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[self.crv or ""]

    def public_pem(self, form: str = "spki") -> bytes:
        """The public key as text an HMAC-confusion attacker would use as a secret.

        `form`: ``spki`` (BEGIN PUBLIC KEY), ``pkcs1`` (BEGIN RSA PUBLIC KEY, RSA only) or ``openssh``.
        """
        key = self.public_key
        if form == "spki":
            return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        if form == "pkcs1":
            if not isinstance(key, rsa.RSAPublicKey):
                raise ValueError(f"pkcs1 form needs an RSA key, {self.id} is {self.kty}")
            return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        if form == "openssh":
            return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        raise ValueError(f"unknown public key form {form!r}; use spki, pkcs1 or openssh")

    def is_ed448(self) -> bool:
        return isinstance(self.public_key, ed448.Ed448PublicKey)


class KeyPool:
    """All pool keys by id, with lookups by role and type."""

    def __init__(self, keys: list[PoolKey]) -> None:
        self._keys = {key.id: key for key in keys}

    def __getitem__(self, key_id: str) -> PoolKey:
        try:
            return self._keys[key_id]
        except KeyError:
            raise KeyError(f"no key {key_id!r} in the pool; known: {', '.join(self._keys)}") from None

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def __iter__(self) -> Iterator[PoolKey]:
        return iter(self._keys.values())

    def __len__(self) -> int:
        return len(self._keys)

    def ids(self) -> list[str]:
        return list(self._keys)

    def select(self, *, role: str | None = None, kty: str | None = None, alg: str | None = None) -> list[PoolKey]:
        """Keys matching every given filter, in pool order."""
        return [
            key
            for key in self._keys.values()
            if (role is None or key.role == role)
            and (kty is None or key.kty == kty)
            and (alg is None or key.natural_alg == alg)
        ]


def _rsa_private_key(jwk: Mapping[str, Any]) -> rsa.RSAPrivateKey:
    """An RSA pool key without OpenSSL's consistency checks, which take seconds for the 8192- and
    8200-bit keys; the committed keys were checked when they were generated."""

    def number(name: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(jwk[name] + "=" * (-len(jwk[name]) % 4)), "big")

    public = rsa.RSAPublicNumbers(number("e"), number("n"))
    private = rsa.RSAPrivateNumbers(number("p"), number("q"), number("d"), number("dp"), number("dq"),
                                    number("qi"), public)
    return private.private_key(unsafe_skip_rsa_key_validation=True)


@lru_cache(maxsize=1)
def key_pool() -> KeyPool:
    """The shipped pool, loaded once per process."""
    raw = resources.files("conformance").joinpath("data/keypool.json").read_text()
    document = json.loads(raw)
    return KeyPool([PoolKey(k["id"], k["role"], k["note"], k["jwk"]) for k in document["keys"]])
