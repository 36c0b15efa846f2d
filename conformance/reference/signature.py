"""The JWS signature layer: does this key, read from a JWK, verify this signature under this alg?

It mirrors openidconnect's `CoreJsonWebKey::verify_signature` with the limits the backend runs
with: RSA moduli of 2048 to 8192 bits and public exponents the `rsa` crate accepts (2 to 2**33-1),
EdDSA only on Ed25519 (a key without a known ``crv`` is invalid), ECDSA signatures as fixed-size
``r || s``. The math is done by PyJWT's algorithm objects over `cryptography` keys; this module
only decodes key members (unpadded base64url, unused bits tolerated) and applies the limits.

The ``convex-oidc`` pipeline only ever asks for RS256 and EdDSA; the other JWS algorithms are here
so the layer can be checked against public vectors (RFC 7520, Wycheproof) as a whole. What a key
*may* be used for (``use``, ``alg``, ``kid``) is the key-choice step's business, not this layer's.

Known limits of the emulation: an even RSA exponent, an exponent >= n or an even modulus pass the
crate's key checks but `cryptography` refuses to build the key, so no signature verifies (a real
key never has them). An Ed25519 ``x`` that is 32 bytes but not a curve point is reported as a bad
signature here and as a bad key by the crate; crafted small-order or non-canonical Ed25519 keys may
be judged differently by OpenSSL and ed25519-dalek (issuer-chosen keys only; the pool has none).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

from . import base64url

__all__ = ["verify_signature", "key_problem", "RSA_MIN_BITS", "RSA_MAX_BITS"]

RSA_MIN_BITS = 2048
RSA_MAX_BITS = 8192
_RSA_MAX_EXPONENT = 2**33 - 1
_ALGORITHMS: dict[str, Any] = {
    "RS256": RSAAlgorithm(RSAAlgorithm.SHA256), "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
    "RS512": RSAAlgorithm(RSAAlgorithm.SHA512), "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
    "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384), "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
    "ES256": ECAlgorithm(ECAlgorithm.SHA256), "ES384": ECAlgorithm(ECAlgorithm.SHA384),
    "ES512": ECAlgorithm(ECAlgorithm.SHA512), "EdDSA": OKPAlgorithm(),
    "HS256": HMACAlgorithm(HMACAlgorithm.SHA256), "HS384": HMACAlgorithm(HMACAlgorithm.SHA384),
    "HS512": HMACAlgorithm(HMACAlgorithm.SHA512),
}
_KTY = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP", "HS": "oct"}
_EC_CURVES = {"ES256": ("P-256", ec.SECP256R1, 32), "ES384": ("P-384", ec.SECP384R1, 48),
              "ES512": ("P-521", ec.SECP521R1, 66)}
_KNOWN_CURVES = frozenset({"P-256", "P-384", "P-521", "Ed25519"})  # CoreJsonCurveType; others read as absent


def _member(jwk: Mapping[str, Any], name: str) -> bytes | None:
    value = jwk.get(name)
    if not isinstance(value, str):
        return None
    return _decoded(value) if len(value) <= 4096 else base64url.decode(value, canonical=False)


@lru_cache(maxsize=512)
def _decoded(value: str) -> bytes | None:
    return base64url.decode(value, canonical=False)


@lru_cache(maxsize=256)
def _rsa_key(n: int, e: int) -> rsa.RSAPublicKey | None:
    try:
        return rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError:
        return None


def _rsa_problem(jwk: Mapping[str, Any]) -> str | None:
    n, e = _member(jwk, "n"), _member(jwk, "e")
    if n is None:
        return "RSA modulus `n` is missing"
    if e is None:
        return "RSA exponent `e` is missing"
    bits = int.from_bytes(n, "big").bit_length()
    if not RSA_MIN_BITS <= bits <= RSA_MAX_BITS:
        return f"RSA modulus of {bits} bits is outside {RSA_MIN_BITS}..{RSA_MAX_BITS}"
    if not 2 <= int.from_bytes(e, "big") <= _RSA_MAX_EXPONENT:
        return "RSA public exponent out of range"
    return None


def _okp_problem(jwk: Mapping[str, Any]) -> str | None:
    crv = jwk.get("crv")
    if not isinstance(crv, str) or crv not in _KNOWN_CURVES:
        return "EdDSA key must specify `crv`"
    if crv != "Ed25519":
        return f"unsupported EdDSA curve {crv}"
    x = _member(jwk, "x")
    if x is None or len(x) != 32:
        return "Ed25519 key needs a 32-byte `x`"
    return None


def _ec_problem(alg: str, jwk: Mapping[str, Any]) -> str | None:
    name, curve, size = _EC_CURVES[alg]
    if jwk.get("crv") != name:
        return "key uses a different `crv` than the algorithm"
    x, y = _member(jwk, "x"), _member(jwk, "y")
    if x is None or y is None or len(x) != size or len(y) != size:
        return "EC key needs full-size `x` and `y`"
    try:
        ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve()).public_key()
    except ValueError:
        return "EC point is not on the curve"
    return None


def key_problem(alg: str, jwk: Mapping[str, Any]) -> str | None:
    """Why `jwk` cannot verify `alg` signatures at all (the crate's "invalid key"); None when it can."""
    if alg not in _ALGORITHMS:
        return f"unsupported signature algorithm {alg!r}"
    if jwk.get("kty") != _KTY[alg[:2]]:
        return "key type does not match signature algorithm"
    family = alg[:2]
    if family in ("RS", "PS"):
        return _rsa_problem(jwk)
    if family == "Ed":
        return _okp_problem(jwk)
    if family == "ES":
        return _ec_problem(alg, jwk)
    return None if _member(jwk, "k") is not None else "symmetric key `k` is missing"


def _public_key(alg: str, jwk: Mapping[str, Any]) -> Any:
    family = alg[:2]
    if family in ("RS", "PS"):
        return _rsa_key(int.from_bytes(_member(jwk, "n") or b"", "big"),
                        int.from_bytes(_member(jwk, "e") or b"", "big"))
    if family == "Ed":
        return ed25519.Ed25519PublicKey.from_public_bytes(_member(jwk, "x") or b"")
    if family == "ES":
        _, curve, _ = _EC_CURVES[alg]
        numbers = ec.EllipticCurvePublicNumbers(int.from_bytes(_member(jwk, "x") or b"", "big"),
                                                int.from_bytes(_member(jwk, "y") or b"", "big"), curve())
        return numbers.public_key()
    return _member(jwk, "k")


def _signature_size_fits(alg: str, key: Any, signature: bytes) -> bool:
    family = alg[:2]
    if family in ("RS", "PS"):
        return len(signature) == (key.key_size + 7) // 8
    if family == "Ed":
        return len(signature) == 64
    if family == "ES":
        return len(signature) == 2 * _EC_CURVES[alg][2]
    return True


def verify_signature(alg: str, jwk: Mapping[str, Any], signing_input: bytes, signature: bytes) -> bool:
    """True when `signature` over `signing_input` verifies under `alg` with the key in `jwk`.

    False for a key that cannot verify `alg` (see `key_problem`), a signature of the wrong size or
    a signature that does not verify. Never raises for odd inputs.
    """
    try:
        if not isinstance(alg, str) or key_problem(alg, jwk) is not None:
            return False
        key = _public_key(alg, jwk)
        if key is None or not _signature_size_fits(alg, key, signature):
            return False
        return bool(_ALGORITHMS[alg].verify(bytes(signing_input), key, bytes(signature)))
    except (InvalidSignature, ValueError, TypeError, AttributeError):
        return False
