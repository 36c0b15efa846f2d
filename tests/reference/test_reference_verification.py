"""Verification (O3.1-O3.8) of the convex-oidc reference."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from conformance.fetching import PublicationFetcher
from conformance.jws import b64url_encode, compact
from conformance.provider import ProviderConfig
from conformance.reasons import Reason
from conformance.reference.discovery import discover
from conformance.reference.id_token import parse_id_token
from conformance.reference.rejection import Rejection
from conformance.reference.routing import route
from conformance.reference.verification import verify

NOW = 1_700_000_000


# --- O3.1: typ, cty, crit, JWE ---------------------------------------------------------------------

@pytest.mark.parametrize("typ", ["JWT", "jwt", "JOSE", "jose", "application/jwt", "Application/JWT",
                                 "APPLICATION/JOSE", None])
def test_CVX_O3_1_jwt_or_jose_typ_accepted(kit, typ):
    kit.accepts(kit.token(header=kit.header(typ=typ)))


def test_CVX_O3_1_absent_typ_and_null_cty_accepted(kit):
    kit.accepts(kit.token(header=kit.header(typ=kit.DROP, cty=None, crit=None)))


@pytest.mark.parametrize("typ", ["at+jwt", "application/at+jwt", "JWS", "", "application/jwt; charset=utf-8",
                                 "jwt ", "text/jwt", "application/", "/jwt", "secevent+jwt"])
def test_CVX_O3_1_other_typ_rejected(kit, typ):
    kit.rejects(kit.token(header=kit.header(typ=typ)), Reason.HEADER, "CVX-O3.1")


@pytest.mark.parametrize("header", [{"cty": "JWT"}, {"cty": ""}, {"crit": []}, {"crit": ["exp"]},
                                    {"crit": ["urn:x"], "urn:x": True}], ids=repr)
def test_CVX_O3_1_cty_or_crit_present_rejected(kit, header):
    kit.rejects(kit.token(header=kit.header(**header)), Reason.HEADER, "CVX-O3.1")


@pytest.mark.parametrize("alg", ["A128GCM", "A256GCM", "A128CBC-HS256", "A192CBC-HS384"])
def test_CVX_O3_1_jwe_content_encryption_alg_rejected(kit, alg):
    kit.rejects(kit.token(header=kit.header(alg=alg), alg="RS256"), Reason.ALGORITHM, "CVX-O3.1")


def test_CVX_O3_1_typ_is_checked_before_a_jwe_alg(kit):
    kit.rejects(kit.token(header=kit.header(alg="A128GCM", typ="at+jwt"), alg="RS256"), Reason.HEADER, "CVX-O3.1")


# --- O3.2: iss equals the discovered issuer (unreachable through the pipeline once O1 passed) ---------

def _stages(kit, token, publication=None):
    publication = publication or kit.publication()
    provider = ProviderConfig(kit.origin, kit.app)
    routed = route(token, provider)
    discovery = discover(routed.issuer, PublicationFetcher(kit.origin, publication))
    return parse_id_token(token, routed.payload), discovery, provider


def test_CVX_O3_2_issuer_equal_to_the_discovered_issuer_accepted(kit):
    id_token, discovery, provider = _stages(kit, kit.token())
    verify(id_token, discovery, provider, NOW)


def test_CVX_O3_2_issuer_different_from_the_discovered_issuer_rejected(kit):
    id_token, discovery, provider = _stages(kit, kit.token())
    with pytest.raises(Rejection) as caught:
        verify(id_token, replace(discovery, issuer=kit.origin + "/"), provider, NOW)
    assert (caught.value.reason, caught.value.rule) == (Reason.ISSUER, "CVX-O3.2")


# --- O3.3: exactly the application as audience -------------------------------------------------------

@pytest.mark.parametrize("aud", [["app_0123456789abcdef0123456789abcdef"] * 2,
                                 ["app_0123456789abcdef0123456789abcdef"] * 5])
def test_CVX_O3_3_repeated_application_id_accepted(kit, aud):
    kit.accepts(kit.token(aud=aud))


def test_CVX_O3_3_azp_is_not_checked_accepted(kit):
    kit.accepts(kit.token(azp="someone_else"))


@pytest.mark.parametrize("aud", [["app_0123456789abcdef0123456789abcdef", "app_other"],
                                 ["app_other", "app_0123456789abcdef0123456789abcdef"],
                                 ["app_0123456789abcdef0123456789abcdef", "http://127.0.0.1:8765"],
                                 ["app_0123456789abcdef0123456789abcdef", ""]])
def test_CVX_O3_3_second_audience_rejected(kit, aud):
    kit.rejects(kit.token(aud=aud), Reason.AUDIENCE, "CVX-O3.3")


# --- O3.4: RS256 and EdDSA only ------------------------------------------------------------------------

def test_CVX_O3_4_rs256_and_eddsa_accepted(kit):
    kit.accepts(kit.token("rsa-2048-a"))
    kit.accepts(kit.token("ed25519-a"))


def test_CVX_O3_4_alg_none_rejected(kit):
    token = compact(kit.header(alg="none"), kit.claims(), key=None)
    kit.rejects(token, Reason.ALGORITHM, "CVX-O3.4")
    kit.rejects(token.rsplit(".", 1)[0] + ".c2ln", Reason.ALGORITHM, "CVX-O3.4")


@pytest.mark.parametrize("key_id, alg", [("ec-p256", "ES256"), ("ec-p384", "ES384"), ("rsa-2048-a", "PS256"),
                                         ("rsa-2048-a", "RS384"), ("rsa-2048-a", "RS512")])
def test_CVX_O3_4_other_signature_algorithms_rejected(kit, key_id, alg):
    publication = kit.publication([kit.jwk(key_id)])
    kit.rejects(kit.token(key_id, header=kit.header(key_id, alg=alg), alg=alg), Reason.ALGORITHM, "CVX-O3.4",
                publication)


def test_CVX_O3_4_hs256_keyed_with_the_public_key_rejected(kit):
    secret = kit.key("rsa-2048-a").public_pem()
    token = compact(kit.header(alg="HS256"), kit.claims(), key=secret)
    kit.rejects(token, Reason.ALGORITHM, "CVX-O3.4")


# --- O3.5: exactly one eligible key --------------------------------------------------------------------

@pytest.mark.parametrize("keys", [
    lambda k: [k.jwk("rsa-2048-a", kid=k.DROP)],
    lambda k: [k.jwk("rsa-2048-a", kid=k.DROP), k.jwk("ed25519-a", kid=k.DROP)],
    lambda k: [k.jwk("rsa-2048-a", use="sig", alg="RS256"), k.jwk("rsa-2048-b", use="enc")],
    lambda k: [k.jwk("rsa-2048-a", alg="RS256"), k.jwk("rsa-2048-b", alg="RS512")],
], ids=["single key", "one RSA one OKP", "other key for encryption", "other key for RS512"])
def test_CVX_O3_5_kidless_token_with_one_eligible_key_accepted(kit, keys):
    kit.accepts(kit.token(header=kit.header(kid=kit.DROP)), kit.publication(keys(kit)))


@pytest.mark.parametrize("members", [{"use": "sig"}, {"use": None}, {"alg": "RS256"}, {"alg": None},
                                     {"key_ops": ["encrypt"]}, {"x5c": "junk"}], ids=repr)
def test_CVX_O3_5_key_members_that_allow_the_key_accepted(kit, members):
    kit.accepts(kit.token(), kit.publication([kit.jwk("rsa-2048-a", **members)]))


def test_CVX_O3_5_kidless_token_against_two_rsa_signing_keys_rejected(kit):
    publication = kit.publication([kit.jwk("rsa-2048-a"), kit.jwk("rsa-2048-b")])
    kit.rejects(kit.token(header=kit.header(kid=kit.DROP)), Reason.KEY, "CVX-O3.5", publication)


@pytest.mark.parametrize("keys, kid", [
    (lambda k: [k.jwk("rsa-2048-a")], "unknown"),
    (lambda k: [k.jwk("rsa-2048-a", kid=k.DROP)], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a", kid="RSA-2048-A")], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a", use="enc")], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a", use="SIG")], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a", alg="RS384")], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a", alg="A128GCM")], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a", alg="none")], "rsa-2048-a"),
    (lambda k: [k.jwk("ed25519-a", kid="rsa-2048-a")], "rsa-2048-a"),
    (lambda k: [k.jwk("rsa-2048-a"), k.jwk("rsa-2048-b", kid="rsa-2048-a")], "rsa-2048-a"),
    (lambda k: [], "rsa-2048-a"),
], ids=["unknown kid", "kidless key", "kid case", "use enc", "use SIG", "alg RS384", "alg encryption",
        "alg none", "kty OKP", "two keys share the kid", "empty set"])
def test_CVX_O3_5_no_single_eligible_key_rejected(kit, keys, kid):
    kit.rejects(kit.token(header=kit.header(kid=kid)), Reason.KEY, "CVX-O3.5", kit.publication(keys(kit)))


def test_CVX_O3_5_attacker_signature_under_a_known_kid_is_a_signature_failure(kit):
    token = kit.token("attacker-rsa-2048", header=kit.header(kid="rsa-2048-a"))
    kit.rejects(token, Reason.SIGNATURE, "CVX-O3.6")


# --- O3.6: key limits and the signature --------------------------------------------------------------

@pytest.mark.parametrize("key_id", ["rsa-2048-b", "rsa-3072", "rsa-4096", "ed25519-b"])
def test_CVX_O3_6_issuer_keys_accepted(kit, key_id):
    kit.accepts(kit.token(key_id), kit.publication([kit.jwk(key_id)]))


def test_CVX_O3_6_largest_rsa_modulus_accepted(kit):
    kit.accepts(kit.token("rsa-8192"), kit.publication([kit.jwk("rsa-8192")]))


@pytest.mark.parametrize("key_id", ["rsa-2047", "rsa-8200", "rsa-1024", "ed448"])
def test_CVX_O3_6_rsa_size_or_eddsa_curve_out_of_bounds_rejected(kit, key_id):
    alg = "EdDSA" if key_id == "ed448" else "RS256"
    token = kit.token(key_id, header=kit.header(key_id, alg=alg), alg=alg)
    kit.rejects(token, Reason.KEY, "CVX-O3.6", kit.publication([kit.jwk(key_id)]))


@pytest.mark.parametrize("key_id, members", [
    ("rsa-2048-a", {"n": None}), ("rsa-2048-a", {"e": 65537}), ("rsa-2048-a", {"n": "@@@@"}),
    ("rsa-2048-a", {"e": "AQ"}), ("rsa-2048-a", {"e": "CAAAAAA"}), ("rsa-2048-a", {"n": "AQAB="}),
    ("ed25519-a", {"crv": None}), ("ed25519-a", {"crv": "P-256"}), ("ed25519-a", {"crv": "X25519"}),
    ("ed25519-a", {"x": "AAAA"}), ("ed25519-a", {"x": 5}),
], ids=repr)
def test_CVX_O3_6_unusable_key_material_rejected(kit, key_id, members):
    kit.rejects(kit.token(key_id), Reason.KEY, "CVX-O3.6", kit.publication([kit.jwk(key_id, **members)]))


def test_CVX_O3_6_rsa_modulus_with_leading_zero_bytes_accepted(kit):
    jwk = kit.jwk("rsa-2048-a")
    n = base64.urlsafe_b64decode(jwk["n"] + "==")
    kit.accepts(kit.token(), kit.publication([dict(jwk, n=b64url_encode(b"\x00\x00" + n))]))


@pytest.mark.parametrize("key_id", ["rsa-2048-a", "ed25519-a"])
def test_CVX_O3_6_altered_signature_rejected(kit, key_id):
    header, payload, signature = kit.token(key_id).split(".")
    flipped = signature[:5] + ("A" if signature[5] != "A" else "B") + signature[6:]
    for bad in (flipped, "", signature[:-4], b64url_encode(b"\x00" * 256)):
        kit.rejects(f"{header}.{payload}.{bad}", Reason.SIGNATURE, "CVX-O3.6")


def test_CVX_O3_6_signature_over_other_claims_rejected(kit):
    original = kit.token().split(".")
    other = kit.token(sub="admin").split(".")
    kit.rejects(f"{other[0]}.{other[1]}.{original[2]}", Reason.SIGNATURE, "CVX-O3.6")


# --- O3.7: expiry ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("exp", [NOW + 1, NOW + 0.001, NOW + 10**6])
def test_CVX_O3_7_now_before_exp_accepted(kit, exp):
    kit.accepts(kit.token(exp=exp))


@pytest.mark.parametrize("exp", [NOW, NOW - 1, NOW - 0.5, 0, 1])
def test_CVX_O3_7_now_at_or_after_exp_rejected(kit, exp):
    kit.rejects(kit.token(exp=exp), Reason.EXPIRED, "CVX-O3.7")


# --- O3.8: what is never checked ---------------------------------------------------------------------

@pytest.mark.parametrize("claims", [{"iat": NOW + 10**6}, {"nbf": NOW + 10**6}, {"iat": 0}, {"auth_time": 0},
                                    {"nonce": "anything"}, {"acr": "x"}, {"at_hash": "wrong"}, {"c_hash": "wrong"}],
                         ids=repr)
def test_CVX_O3_8_unchecked_claims_accepted(kit, claims):
    kit.accepts(kit.token(**claims))


def test_CVX_O3_8_iat_is_still_required_rejected(kit):
    kit.rejects(kit.token(iat=kit.DROP), Reason.MISSING_CLAIM, "CVX-O2")
