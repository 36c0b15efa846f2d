"""The signature layer agrees with an independent JOSE implementation (joserfc) on generated tokens."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.jws import b64url_encode, sign, signing_input
from conformance.keypool import key_pool
from conformance.reference.signature import verify_signature

joserfc_jws = pytest.importorskip("joserfc.jws", reason="joserfc (the test extra) is needed for this differential")
from joserfc.errors import JoseError  # noqa: E402
from joserfc.jwk import OKPKey, RSAKey  # noqa: E402

KEYS = ["rsa-2048-a", "rsa-2048-b", "rsa-3072", "ed25519-a", "ed25519-b"]


def _joserfc_verifies(token: str, key_id: str) -> bool:
    pool_key = key_pool()[key_id]
    jwk = {name: value for name, value in pool_key.public_jwk.items() if name != "key_ops"}  # pool keys say "sign"
    key = RSAKey.import_key(jwk) if pool_key.kty == "RSA" else OKPKey.import_key(jwk)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc warns that the EdDSA name is deprecated (RFC 9864)
        try:
            joserfc_jws.deserialize_compact(token, key, algorithms=[pool_key.natural_alg])
            return True
        except (JoseError, ValueError):
            return False


tampering = st.one_of(
    st.none(),
    st.tuples(st.just("flip"), st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=7)),
    st.tuples(st.just("other key"), st.sampled_from(KEYS)),
    st.tuples(st.just("other payload"), st.binary(max_size=16)),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key_id=st.sampled_from(KEYS), payload=st.binary(max_size=300), change=tampering,
       header_extra=st.dictionaries(st.sampled_from(["kid", "typ", "cty"]), st.text(max_size=8), max_size=2))
def test_signature_layer_agrees_with_joserfc(key_id, payload, change, header_extra):
    pool_key = key_pool()[key_id]
    alg = pool_key.natural_alg
    data = signing_input({"alg": alg, **header_extra}, payload)
    signature = sign(alg, pool_key, data)
    expected_valid = True
    if change is not None and change[0] == "flip":
        index = change[1] % len(signature)
        signature = signature[:index] + bytes([signature[index] ^ (1 << change[2])]) + signature[index + 1:]
        expected_valid = False
    elif change is not None and change[0] == "other key":
        other = key_pool()[change[1]]
        if other.natural_alg == alg and other.id != key_id:
            signature = sign(alg, other, data)
            expected_valid = False
    elif change is not None and change[0] == "other payload" and change[1] != payload:
        data = signing_input({"alg": alg, **header_extra}, change[1])
        expected_valid = False
    token = data.decode("ascii") + "." + b64url_encode(signature)
    ours = verify_signature(alg, dict(pool_key.public_jwk), data, signature)
    assert ours == _joserfc_verifies(token, key_id)
    assert ours == expected_valid
