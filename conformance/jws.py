"""Building compact JWS tokens from parts, byte for byte, with the pool's keys.

Strategies and tests need to produce tokens a normal library would refuse to produce (duplicate
keys, odd headers, `alg: none`, HMAC keyed with a public key), so encoding and signing are done
here from raw parts. Signature math comes from PyJWT's algorithm objects and `hmac`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Mapping

from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

from .keypool import PoolKey

__all__ = ["b64url_encode", "json_bytes", "signing_input", "sign", "compact", "HMAC_HASHES"]

HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
_ASYMMETRIC = {
    "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
    "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
    "RS512": RSAAlgorithm(RSAAlgorithm.SHA512),
    "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
    "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384),
    "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
    "ES256": ECAlgorithm(ECAlgorithm.SHA256),
    "ES384": ECAlgorithm(ECAlgorithm.SHA384),
    "ES512": ECAlgorithm(ECAlgorithm.SHA512),
    "EdDSA": OKPAlgorithm(),
}


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url, as JWS requires."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_bytes(value: Mapping[str, Any] | bytes) -> bytes:
    """Compact JSON for a mapping; raw bytes pass through unchanged (for hand-made payloads)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return json.dumps(dict(value), separators=(",", ":"), ensure_ascii=False, allow_nan=True).encode("utf-8")


def signing_input(header: Mapping[str, Any] | bytes, payload: Mapping[str, Any] | bytes) -> bytes:
    return (b64url_encode(json_bytes(header)) + "." + b64url_encode(json_bytes(payload))).encode("ascii")


def sign(alg: str, key: PoolKey | bytes | None, data: bytes) -> bytes:
    """The raw signature of `data` under `alg`.

    `key` is a pool key for asymmetric algorithms, the secret bytes for HS*, and None for ``none``
    (whose signature is empty; the name's case is not checked, so ``None`` / ``NONE`` work too).
    """
    if alg.lower() == "none":
        return b""
    if alg in HMAC_HASHES:
        if not isinstance(key, (bytes, bytearray)):
            raise TypeError(f"{alg} needs the secret as bytes, got {type(key).__name__}")
        return hmac.new(bytes(key), data, HMAC_HASHES[alg]).digest()
    if alg not in _ASYMMETRIC:
        raise ValueError(f"cannot sign with unknown algorithm {alg!r}")
    if not isinstance(key, PoolKey):
        raise TypeError(f"{alg} needs a pool key, got {type(key).__name__}")
    return _ASYMMETRIC[alg].sign(data, key.private_key)


def compact(header: Mapping[str, Any] | bytes, payload: Mapping[str, Any] | bytes, *,
            key: PoolKey | bytes | None, alg: str | None = None) -> str:
    """A compact JWS ``header.payload.signature``; `alg` defaults to the header's ``alg``."""
    if alg is None:
        if isinstance(header, (bytes, bytearray)):
            raise ValueError("give alg explicitly when the header is raw bytes")
        alg = str(header.get("alg"))
    data = signing_input(header, payload)
    return data.decode("ascii") + "." + b64url_encode(sign(alg, key, data))
