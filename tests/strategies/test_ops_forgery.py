"""Forgery operators build the tokens they claim to build, and cover every attack-catalog tier-A row.

The shapes are checked from the finished case alone (token, published key set, pool keys), with
PyJWT's algorithms and `hmac`, independently of how the operators built them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography import x509
from hypothesis import given, settings
from jwt.algorithms import get_default_algorithms
from strategy_support import ENV

from conformance.keypool import key_pool
from strategies import ACCEPT, OPERATORS, mutated_cases

_ALGORITHMS = get_default_algorithms()
_MATERIAL = ("kty", "crv", "n", "e", "x", "y")
_FAST = settings(max_examples=15, deadline=None)

# Attack catalog, section A (forgery): every row, and the operators that generate its inputs.
CATALOG_A = {
    "alg none with empty signature, case variants, with and without kid": (
        "signature.alg-none", "signature.alg-none-case", "signature.alg-none-signed"),
    "HS256 keyed with the issuer's public key: SPKI, PKCS#1, OpenSSH, JWK text, with and without newline": (
        "signature.hmac-spki-pem", "signature.hmac-pkcs1-pem", "signature.hmac-openssh", "signature.hmac-jwk-text"),
    "attacker key embedded in the header (jwk, x5c) or named by URL (jku, x5u)": (
        "header.embedded-jwk", "header.embedded-x5c", "header.jku-attacker-url", "header.x5u-attacker-url"),
    "unknown crit extension, crit naming a registered claim, b64:false": (
        "header.crit-unknown", "header.crit-claim-name", "header.crit-registered-header", "header.crit-empty",
        "header.b64-false"),
    "JSON-serialization / compact polyglot": ("signature.json-polyglot", "signature.json-serialization"),
    "signature segment with junk characters, standard-base64 alphabet, padding": (
        "parser.junk-character", "parser.standard-base64-alphabet", "parser.padding"),
    "signature from another key of the same type; unknown kid with a valid signature from another listed key": (
        "signature.other-key-same-type", "signature.unknown-kid-other-listed-key",
        "signature.signed-by-other-listed-key"),
    "ECDSA r = s = 0, r or s = n (psychic signatures), over-long signatures": (
        "signature.psychic-ecdsa", "signature.overlong"),
    "RSA modulus below 2048 bits": ("signature.rsa-weak-key",),
    "4 segments h.p.s.x, empty segments, extra dots": (
        "parser.four-segments", "parser.empty-segment", "parser.extra-dots"),
}
# Further tier-A inputs: algorithms and keys Convex refuses, and damaged signatures.
FORGERY_EXTRAS = ("signature.es256-published-key", "signature.rsa-other-alg", "signature.eddsa-ed448-key",
                  "signature.rsa-oversized-key", "signature.rsa-8192-key", "parser.signature-bit-flip",
                  "parser.signature-truncated", "parser.signature-empty")


def test_every_tier_a_row_of_the_attack_catalog_has_rejecting_operators():
    assert len(CATALOG_A) == 10  # the rows of section A
    for row, names in CATALOG_A.items():
        missing = [name for name in names if name not in OPERATORS]
        assert not missing, f"{row}: no operator {missing}"
        assert all(OPERATORS[name].expect != ACCEPT for name in names), row


def test_the_forgery_operators_are_registered_with_metadata():
    for name in FORGERY_EXTRAS + tuple(name for names in CATALOG_A.values() for name in names):
        op = OPERATORS[name]
        assert op.area in {"signature", "header", "parser"} and op.refs, name
        assert any(ref.startswith("CVX-") for ref in op.refs), name
    assert OPERATORS["signature.rsa-8192-key"].expect == ACCEPT


# -- reading a finished case ---------------------------------------------------------------------
def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _split(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    header, payload, signature = token.split(".")
    return (json.loads(_b64(header)), json.loads(_b64(payload)), _b64(signature),
            f"{header}.{payload}".encode("ascii"))


def _keys(case) -> list[dict[str, Any]]:
    """The published entries that hold a pool key (decoys Convex cannot parse are left out)."""
    return [entry for entry in case.publication.jwks_document()["keys"] if _pool_key(entry) is not None]


def _pool_key(entry: Any):
    for key in key_pool():
        material = {k: v for k, v in key.public_jwk.items() if k in _MATERIAL}
        if isinstance(entry, dict) and all(entry.get(k) == v for k, v in material.items()):
            return key
    return None


def _verifies(key, alg: str, data: bytes, signature: bytes) -> bool:
    return _ALGORITHMS[alg].verify(data, key.public_key, signature)


def _note(case) -> str:
    (mutation,) = case.recipe["mutations"]
    return mutation["note"]


def _cases(name: str):
    return mutated_cases(env=ENV, operators=[name])


# -- alg: none ----------------------------------------------------------------------------------------
@_FAST
@given(_cases("signature.alg-none"))
def test_alg_none_has_an_empty_signature_and_keeps_or_drops_the_kid(case):
    header, _, signature, _ = _split(case.token)
    assert header["alg"] == "none" and signature == b"" and case.token.endswith(".")
    assert ("kid" in header) == ("kid kept" in _note(case))


@_FAST
@given(_cases("signature.alg-none-case"))
def test_alg_none_case_variants_are_not_lowercase(case):
    header, _, signature, _ = _split(case.token)
    assert header["alg"].lower() == "none" != header["alg"] and signature == b""


@_FAST
@given(_cases("signature.alg-none-signed"))
def test_alg_none_signed_carries_an_issuer_signature(case):
    header, _, signature, data = _split(case.token)
    assert header["alg"].lower() == "none" and signature
    signer = key_pool()[case.recipe["key_id"]]
    if "re-signed" in _note(case):
        assert _verifies(signer, signer.natural_alg, data, signature)
    else:  # the signature of the token before its alg was changed: same length, not over this input
        assert len(signature) == len(_ALGORITHMS[signer.natural_alg].sign(b"", signer.private_key))
        assert not _verifies(signer, signer.natural_alg, data, signature)


# -- HMAC keyed with public key text --------------------------------------------------------------------
def _texts(case, form: str) -> list[bytes]:
    texts: list[bytes] = []
    for entry in _keys(case):
        if form == "jwk":
            texts += [json.dumps(entry, separators=(",", ":")).encode(), json.dumps(entry, indent=2).encode()]
        elif form != "pkcs1" or entry.get("kty") == "RSA":
            try:
                texts.append(_pool_key(entry).public_pem(form))
            except ValueError:  # no such text for this key type (OpenSSH has no Ed448)
                pass
    return [variant for text in texts for variant in (text.rstrip(b"\n"), text.rstrip(b"\n") + b"\n")]


@pytest.mark.parametrize("name,form", [("signature.hmac-spki-pem", "spki"), ("signature.hmac-pkcs1-pem", "pkcs1"),
                                       ("signature.hmac-openssh", "openssh"), ("signature.hmac-jwk-text", "jwk")])
def test_hmac_tokens_verify_with_the_published_key_text_as_secret(name, form):
    @_FAST
    @given(_cases(name))
    def check(case):
        header, _, signature, data = _split(case.token)
        digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[header["alg"]]
        matches = [text for text in _texts(case, form) if hmac.new(text, data, digest).digest() == signature]
        assert matches, f"no {form} text of a published key is the HMAC secret"
        if form == "pkcs1":
            assert matches[0].startswith(b"-----BEGIN RSA PUBLIC KEY-----")

    check()


# -- keys offered by the header -----------------------------------------------------------------------
@_FAST
@given(_cases("header.embedded-jwk"))
def test_embedded_jwk_is_the_attacker_key_that_signed(case):
    header, _, signature, data = _split(case.token)
    attacker = _pool_key(header["jwk"])
    assert attacker.role == "attacker" and _verifies(attacker, header["alg"], data, signature)
    assert not any(_pool_key(entry).id == attacker.id for entry in _keys(case))


@_FAST
@given(_cases("header.embedded-x5c"))
def test_embedded_x5c_is_a_fixed_certificate_of_the_signing_attacker_key(case):
    header, _, signature, data = _split(case.token)
    certificate = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    assert certificate.serial_number == 0x1D70CE and certificate.not_valid_before_utc.year == 2024
    assert _ALGORITHMS[header["alg"]].verify(data, certificate.public_key(), signature)
    assert not any(_verifies(_pool_key(entry), header["alg"], data, signature) for entry in _keys(case)
                   if _pool_key(entry).natural_alg == header["alg"])


@pytest.mark.parametrize("name,member", [("header.jku-attacker-url", "jku"), ("header.x5u-attacker-url", "x5u")])
def test_key_urls_point_at_an_unserved_path_of_the_loopback_issuer(name, member):
    @_FAST
    @given(_cases(name))
    def check(case):
        header, _, signature, data = _split(case.token)
        url = header[member]
        assert url.startswith(case.origin + "/") and case.publication.endpoint_at(url[len(case.origin):]) is None
        signer = key_pool()[case.recipe["key_id"]]
        assert signer.role == "attacker" and _verifies(signer, header["alg"], data, signature)

    check()


# -- crit and b64 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,allowed", [
    ("header.crit-unknown", [["urn:x"]]), ("header.crit-empty", [[]]),
    ("header.crit-claim-name", [["exp"], ["iss"], ["aud"]]),
    ("header.crit-registered-header", [["alg"], ["typ"], ["kid"]])])
def test_crit_tokens_are_correctly_signed_by_the_issuer(name, allowed):
    @_FAST
    @given(_cases(name))
    def check(case):
        header, _, signature, data = _split(case.token)
        assert header["crit"] in allowed
        if name == "header.crit-registered-header":
            assert header["crit"][0] in header
        if header["crit"] == ["urn:x"]:
            assert header["urn:x"] is True
        key = key_pool()[case.recipe["key_id"]]
        assert key.role == "issuer" and _verifies(key, header["alg"], data, signature)

    check()


@_FAST
@given(_cases("header.b64-false"))
def test_b64_false_is_signed_over_the_raw_payload_or_the_usual_input(case):
    header, payload, signature, data = _split(case.token)
    assert header["b64"] is False and header["crit"] == ["b64"]
    key = key_pool()[case.recipe["key_id"]]
    raw_input = case.token.split(".")[0].encode() + b"." + _b64(case.token.split(".")[1])
    assert _verifies(key, header["alg"], raw_input if "raw" in _note(case) else data, signature)
    assert json.loads(raw_input.split(b".", 1)[1]) == payload


# -- JSON serialization -------------------------------------------------------------------------------
@_FAST
@given(_cases("signature.json-polyglot"))
def test_polyglot_parses_as_json_and_hides_forged_claims_in_its_compact_view(case):
    document = json.loads(case.token)
    (compact_key,) = [key for key in document if key.startswith("  ")]
    _, forged_segment, empty = compact_key.strip().split(".")
    assert empty == "" and document["protected"] == compact_key.strip().split(".")[0]
    signed = json.loads(_b64(document["payload"]))
    assert json.loads(_b64(forged_segment)) != signed
    key = key_pool()[case.recipe["key_id"]]
    data = f"{document['protected']}.{document['payload']}".encode()
    assert _verifies(key, key.natural_alg, data, _b64(document["signature"]))
    assert case.token.count(".") == 2


@_FAST
@given(_cases("signature.json-serialization"))
def test_json_serialization_holds_a_verifying_jws_and_no_dot(case):
    document = json.loads(case.token)
    entry = document if "protected" in document else document["signatures"][0]
    key = key_pool()[case.recipe["key_id"]]
    data = f"{entry['protected']}.{document['payload']}".encode()
    assert "." not in case.token and _verifies(key, key.natural_alg, data, _b64(entry["signature"]))


# -- wrong keys ---------------------------------------------------------------------------------------
@_FAST
@given(_cases("signature.other-key-same-type"))
def test_other_key_same_type_verifies_only_with_the_attacker_key(case):
    header, _, signature, data = _split(case.token)
    signer = key_pool()[case.recipe["key_id"]]
    assert signer.role == "attacker" and _verifies(signer, header["alg"], data, signature)
    published = [_pool_key(entry) for entry in _keys(case)]
    assert signer.id not in {key.id for key in published}
    assert any(key.kty == signer.kty for key in published)


@_FAST
@given(_cases("signature.signed-by-other-listed-key"))
def test_signed_by_other_listed_key_fails_under_the_kid_and_verifies_under_another_entry(case):
    header, _, signature, data = _split(case.token)
    named = [entry for entry in _keys(case) if entry.get("kid") == header["kid"] and entry.get("use") in (None, "sig")
             and entry.get("alg") in (None, header["alg"]) and _pool_key(entry).natural_alg == header["alg"]]
    assert len(named) == 1 and not _verifies(_pool_key(named[0]), header["alg"], data, signature)
    assert any(entry.get("kid") != header["kid"] and _verifies(_pool_key(entry), header["alg"], data, signature)
               for entry in _keys(case) if _pool_key(entry).natural_alg == header["alg"])


@_FAST
@given(_cases("signature.unknown-kid-other-listed-key"))
def test_unknown_kid_is_unpublished_and_another_published_key_signed(case):
    header, _, signature, data = _split(case.token)
    assert header["kid"] not in {entry.get("kid") for entry in _keys(case)}
    assert any(_verifies(_pool_key(entry), header["alg"], data, signature)
               for entry in _keys(case) if _pool_key(entry).natural_alg == header["alg"])


# -- damaged signatures -------------------------------------------------------------------------------
def _genuine(case) -> bytes:
    header, _, _, data = _split(case.token)
    return _ALGORITHMS[header["alg"]].sign(data, key_pool()[case.recipe["key_id"]].private_key)


@_FAST
@given(_cases("parser.signature-bit-flip"))
def test_bit_flip_changes_exactly_one_bit(case):
    _, _, signature, _ = _split(case.token)
    genuine = _genuine(case)
    assert len(signature) == len(genuine)
    assert sum(bin(a ^ b).count("1") for a, b in zip(signature, genuine)) == 1


@_FAST
@given(_cases("parser.signature-truncated"))
def test_truncated_signature_is_a_proper_prefix(case):
    _, _, signature, _ = _split(case.token)
    genuine = _genuine(case)
    assert 0 < len(signature) < len(genuine) and genuine.startswith(signature)


@_FAST
@given(_cases("parser.signature-empty"))
def test_empty_signature_keeps_three_segments(case):
    header, payload, signature = case.token.split(".")
    assert header and payload and signature == ""


@_FAST
@given(_cases("signature.overlong"))
def test_overlong_signature_contains_the_genuine_one_at_one_end(case):
    _, _, signature, _ = _split(case.token)
    genuine = _genuine(case)
    assert len(signature) > len(genuine)
    assert signature.startswith(genuine) or signature.endswith(genuine)
