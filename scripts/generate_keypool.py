"""Generate the committed test-only key pool (run once; the output is committed).

The suite never generates keys while it runs: strategies draw from this fixed pool so that
every case is reproducible. Re-running this script replaces every key and invalidates stored
cases, so it is only run by maintainers on purpose.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

OUT = Path(__file__).resolve().parent.parent / "conformance" / "data" / "keypool.json"

# (id, role, factory, note)
SPECS = [
    ("rsa-2048-a", "issuer", lambda: rsa.generate_private_key(65537, 2048), "primary issuer key"),
    ("rsa-2048-b", "issuer", lambda: rsa.generate_private_key(65537, 2048), "second issuer key"),
    ("rsa-2048-c", "issuer", lambda: rsa.generate_private_key(65537, 2048), "third issuer key"),
    ("rsa-3072", "issuer", lambda: rsa.generate_private_key(65537, 3072), "larger issuer key"),
    ("rsa-4096", "issuer", lambda: rsa.generate_private_key(65537, 4096), "larger issuer key"),
    ("rsa-8192", "issuer", lambda: rsa.generate_private_key(65537, 8192), "largest size Convex accepts"),
    ("rsa-8200", "weak", lambda: rsa.generate_private_key(65537, 8200), "above the 8192-bit limit"),
    ("rsa-2047", "weak", lambda: rsa.generate_private_key(65537, 2047), "one bit below 2048"),
    ("rsa-1024", "weak", lambda: rsa.generate_private_key(65537, 1024), "weak RSA key (CVE-2022-23539 class)"),
    ("ed25519-a", "issuer", ed25519.Ed25519PrivateKey.generate, "EdDSA issuer key"),
    ("ed25519-b", "issuer", ed25519.Ed25519PrivateKey.generate, "second EdDSA issuer key"),
    ("ed448", "issuer", ed448.Ed448PrivateKey.generate, "EdDSA on Ed448 (Convex refuses)"),
    ("ec-p256", "issuer", lambda: ec.generate_private_key(ec.SECP256R1()), "ES256 key (Convex refuses ES256)"),
    ("ec-p384", "issuer", lambda: ec.generate_private_key(ec.SECP384R1()), "ES384 key"),
    ("attacker-rsa-2048", "attacker", lambda: rsa.generate_private_key(65537, 2048), "attacker RSA key"),
    ("attacker-rsa-2048-b", "attacker", lambda: rsa.generate_private_key(65537, 2048), "second attacker RSA key"),
    ("attacker-ed25519", "attacker", ed25519.Ed25519PrivateKey.generate, "attacker EdDSA key"),
    ("attacker-ec-p256", "attacker", lambda: ec.generate_private_key(ec.SECP256R1()), "attacker ES256 key"),
]


def to_jwk(key) -> dict:
    if isinstance(key, rsa.RSAPrivateKey):
        return json.loads(RSAAlgorithm.to_jwk(key))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return json.loads(ECAlgorithm.to_jwk(key))
    return json.loads(OKPAlgorithm.to_jwk(key))


def main() -> int:
    keys = []
    for key_id, role, factory, note in SPECS:
        print(f"generating {key_id}", file=sys.stderr)
        keys.append({"id": key_id, "role": role, "note": note, "jwk": to_jwk(factory())})
    document = {
        "warning": "TEST-ONLY KEYS. Published on purpose; never use them to sign anything real.",
        "keys": keys,
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
