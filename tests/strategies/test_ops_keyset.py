"""Key-set operators publish the key sets they claim to, and cover every key-set input class.

Eligibility is restated here from Convex O3.5 (not taken from the operators' helpers), and
signatures are checked with PyJWT's algorithms against the published entries.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import given, settings
from jwt.algorithms import get_default_algorithms
from strategy_support import ENV

from conformance.keypool import key_pool
from strategies import ACCEPT, OPERATORS, mutated_cases

_ALGORITHMS = get_default_algorithms()
_MATERIAL = ("kty", "crv", "n", "e", "x", "y")
_FAST = settings(max_examples=15, deadline=None)
_KTY = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP", "HS": "oct"}  # key type of each alg family
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

# Key-set input classes (with the token otherwise valid), the convex-oidc verdict each must get,
# and the operators generating them. Includes the OIDF relying-party ideas on kid and rotation.
KEY_SET_CLASSES = {
    "kid-less token, two eligible keys (OIDF kid-absent-multiple-jwks)": ("key", ("keyset.kidless-two-eligible",)),
    "kid not in the JWKS; no refetch on rotation": ("key", ("keyset.kid-not-in-jwks",)),
    "key published without kid, token with one": ("key", ("keyset.jwk-without-kid",)),
    "key use enc": ("key", ("keyset.use-enc",)),
    "key alg different from the token's": ("key", ("keyset.jwk-alg-mismatch",)),
    "key of the wrong kty under the token's kid": ("key", ("keyset.kty-mismatch-same-kid",)),
    "duplicate kid on two eligible keys": ("key", ("keyset.duplicate-kid",)),
    "empty keys array": ("key", ("keyset.empty-keys",)),
    "unparseable keys mixed in": ("accept", ("keyset.unparseable-keys-mixed",)),
    "a key of another type shares the kid": ("accept", ("keyset.other-kty-same-kid-alongside",)),
    "key_ops present (openidconnect has no key_ops field)": ("accept", ("keyset.key-ops-present",)),
    "keys member missing": ("discovery", ("keyset.keys-missing",)),
    "JWKS not JSON, or JSON of another shape": ("discovery", ("keyset.jwks-not-json", "keyset.jwks-wrong-shape")),
    "ES256 with a published P-256 key; PS256/RS384 with the RSA key": (
        "algorithm", ("signature.es256-published-key", "signature.rsa-other-alg", "signature.psychic-ecdsa")),
    "EdDSA with a published Ed448 key": ("key", ("signature.eddsa-ed448-key",)),
    "RSA 1024 / 2047 / 8200-bit published signing key": (
        "key", ("signature.rsa-weak-key", "signature.rsa-oversized-key")),
    "RSA 8192-bit signing key (the largest allowed)": ("accept", ("signature.rsa-8192-key",)),
}


def test_every_key_set_class_has_operators_with_the_convex_verdict():
    for row, (verdict, names) in KEY_SET_CLASSES.items():
        for name in names:
            assert name in OPERATORS, f"{row}: no operator {name}"
            expect = OPERATORS[name].expect
            assert expect == (ACCEPT if verdict == "accept" else frozenset({verdict})), (row, name, expect)


# -- reading a finished case ---------------------------------------------------------------------
def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _split(token: str) -> tuple[dict[str, Any], bytes, bytes]:
    header, payload, signature = token.split(".")
    return json.loads(_b64(header)), _b64(signature), f"{header}.{payload}".encode("ascii")


def _pool_key(entry: Any):
    for key in key_pool():
        material = {k: v for k, v in key.public_jwk.items() if k in _MATERIAL}
        if isinstance(entry, dict) and all(entry.get(k) == v for k, v in material.items()):
            return key
    return None


def _entries(case) -> list[Any]:
    return case.publication.jwks_document()["keys"]


def _parseable(entry: Any) -> bool:
    return (isinstance(entry, dict) and entry.get("kty") in ("RSA", "EC", "OKP", "oct")
            and entry.get("alg") in (None, "none", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
                                     "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"))


def _eligible(entry: Any, header: dict[str, Any]) -> bool:
    """Convex O3.5 restated."""
    kid, alg = header.get("kid"), header["alg"]
    fits = _KTY.get(alg[:2])
    return (_parseable(entry) and (kid is None or entry.get("kid") == kid) and entry.get("use") in (None, "sig")
            and entry["kty"] == fits and entry.get("alg") in (None, alg))


def _verifying(case) -> list[dict[str, Any]]:
    """Published entries whose key verifies the token's signature under the header's alg."""
    header, signature, data = _split(case.token)
    algorithm = _ALGORITHMS[header["alg"]]
    found = []
    for entry in _entries(case):
        key = _pool_key(entry)
        if key is not None and key.kty == _KTY[header["alg"][:2]] and algorithm.verify(data, key.public_key,
                                                                                     signature):
            found.append(entry)
    return found


def _cases(name: str):
    return mutated_cases(env=ENV, operators=[name])


def _modulus_bits(entry: dict[str, Any]) -> int:
    return int.from_bytes(_b64(entry["n"]), "big").bit_length()


# -- none or several keys qualify -----------------------------------------------------------------
@_FAST
@given(_cases("keyset.kidless-two-eligible"))
def test_kidless_token_meets_two_eligible_keys(case):
    header, _, _ = _split(case.token)
    assert "kid" not in header and sum(_eligible(e, header) for e in _entries(case)) >= 2
    assert _verifying(case)


@_FAST
@given(_cases("keyset.kid-not-in-jwks"))
def test_unknown_kid_is_published_nowhere_but_the_signature_is_genuine(case):
    header, _, _ = _split(case.token)
    assert header["kid"] not in {e.get("kid") for e in _entries(case) if isinstance(e, dict)}
    assert _verifying(case)


@_FAST
@given(_cases("keyset.jwk-without-kid"))
def test_signing_key_is_published_without_the_tokens_kid(case):
    header, _, _ = _split(case.token)
    assert "kid" in header and not any(_eligible(e, header) for e in _entries(case))
    assert any("kid" not in entry for entry in _verifying(case))


@_FAST
@given(_cases("keyset.duplicate-kid"))
def test_duplicate_kid_leaves_two_eligible_keys_with_that_kid(case):
    header, _, _ = _split(case.token)
    eligible = [e for e in _entries(case) if _eligible(e, header)]
    assert len(eligible) >= 2 and all(e["kid"] == header["kid"] for e in eligible)


@_FAST
@given(_cases("keyset.empty-keys"))
def test_empty_keys(case):
    assert case.publication.jwks_document() == {"keys": []}


# -- the signing key is there but unusable --------------------------------------------------------
@_FAST
@given(_cases("keyset.use-enc"))
def test_signing_key_marked_for_encryption(case):
    header, _, _ = _split(case.token)
    assert not any(_eligible(e, header) for e in _entries(case))
    assert any(entry.get("use") == "enc" for entry in _verifying(case))


@_FAST
@given(_cases("keyset.jwk-alg-mismatch"))
def test_signing_key_published_for_another_alg(case):
    header, _, _ = _split(case.token)
    assert not any(_eligible(e, header) for e in _entries(case))
    assert any(entry.get("alg") not in (None, header["alg"]) for entry in _verifying(case))


@_FAST
@given(_cases("keyset.kty-mismatch-same-kid"))
def test_kid_names_a_key_of_another_type(case):
    header, _, _ = _split(case.token)
    named = [e for e in _entries(case) if isinstance(e, dict) and e.get("kid") == header["kid"]]
    assert named and not any(_eligible(e, header) for e in _entries(case))
    assert any(_pool_key(e) is not None and _pool_key(e).natural_alg[:2] != header["alg"][:2] for e in named)


# -- accepted key sets ----------------------------------------------------------------------------
@_FAST
@given(_cases("keyset.other-kty-same-kid-alongside"))
def test_other_type_alongside_leaves_one_eligible_key(case):
    header, _, _ = _split(case.token)
    eligible = [e for e in _entries(case) if _eligible(e, header)]
    assert len(eligible) == 1 and eligible[0] in _verifying(case)
    assert any(_parseable(e) and e["kty"] != eligible[0]["kty"] and e.get("kid") == header.get("kid")
               for e in _entries(case))


@_FAST
@given(_cases("keyset.unparseable-keys-mixed"))
def test_unparseable_entries_leave_one_eligible_key(case):
    header, _, _ = _split(case.token)
    eligible = [e for e in _entries(case) if _eligible(e, header)]
    assert len(eligible) == 1 and eligible[0] in _verifying(case)
    (mutation,) = case.recipe["mutations"]
    assert sum(not _parseable(e) for e in _entries(case)) >= len(mutation["after"])


@_FAST
@given(_cases("keyset.key-ops-present"))
def test_key_ops_sits_on_the_single_eligible_key(case):
    header, _, _ = _split(case.token)
    eligible = [e for e in _entries(case) if _eligible(e, header)]
    assert len(eligible) == 1 and isinstance(eligible[0]["key_ops"], list) and eligible[0] in _verifying(case)


# -- the key set document is unusable -------------------------------------------------------------
@_FAST
@given(_cases("keyset.keys-missing"))
def test_keys_member_missing(case):
    document = json.loads(case.publication.jwks.body)
    assert isinstance(document, dict) and "keys" not in document


@_FAST
@given(_cases("keyset.jwks-not-json"))
def test_jwks_body_is_not_json(case):
    assert case.publication.jwks_document() is None


@_FAST
@given(_cases("keyset.jwks-wrong-shape"))
def test_jwks_body_is_json_of_another_shape(case):
    document = json.loads(case.publication.jwks.body)
    assert not (isinstance(document, dict) and isinstance(document.get("keys"), list))


# -- algorithms and keys Convex refuses -----------------------------------------------------------
def _signing_entry(case) -> dict[str, Any]:
    header, _, _ = _split(case.token)
    (entry,) = [e for e in _verifying(case) if _eligible(e, header)]
    return entry


@_FAST
@given(_cases("signature.es256-published-key"))
def test_es256_is_signed_by_the_published_p256_key(case):
    header, signature, _ = _split(case.token)
    assert header["alg"] == "ES256" and len(signature) == 64
    assert _signing_entry(case)["crv"] == "P-256"


@_FAST
@given(_cases("signature.rsa-other-alg"))
def test_other_rsa_algorithms_use_the_published_rsa_key(case):
    header, _, _ = _split(case.token)
    assert header["alg"] in ("PS256", "RS384", "RS512", "PS384", "PS512")
    assert _signing_entry(case)["kty"] == "RSA"


@_FAST
@given(_cases("signature.psychic-ecdsa"))
def test_psychic_signature_is_made_of_zero_and_the_group_order(case):
    header, signature, _ = _split(case.token)
    assert header["alg"] == "ES256"
    halves = {int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")}
    assert signature == bytes.fromhex("3006020100020100") or (len(signature) == 64 and halves <= {0, _P256_ORDER})
    assert any(e.get("kid") == header["kid"] and e.get("crv") == "P-256" for e in _entries(case))


@_FAST
@given(_cases("signature.eddsa-ed448-key"))
def test_eddsa_is_signed_by_a_published_ed448_key(case):
    header, _, _ = _split(case.token)
    assert header["alg"] == "EdDSA" and _signing_entry(case)["crv"] == "Ed448"


@settings(max_examples=8, deadline=None)
@given(mutated_cases(env=ENV, operators=["signature.rsa-weak-key", "signature.rsa-oversized-key",
                                         "signature.rsa-8192-key"]))
def test_rsa_size_operators_publish_the_one_eligible_key_of_that_size(case):
    header, _, _ = _split(case.token)
    (mutation,) = case.recipe["mutations"]
    eligible = [e for e in _entries(case) if _eligible(e, header)]
    assert len(eligible) == 1 and eligible[0] == _signing_entry(case)
    sizes = {"signature.rsa-weak-key": {1024, 2047}, "signature.rsa-oversized-key": {8200},
             "signature.rsa-8192-key": {8192}}[mutation["operator"]]
    assert _modulus_bits(eligible[0]) in sizes
