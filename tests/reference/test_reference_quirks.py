"""The known quirks of the Convex backend (section 6 of the behaviour description), one test each."""

from __future__ import annotations

from conformance.reasons import Reason

NOW = 1_700_000_000


def test_quirk_several_audiences_rejected_even_with_the_client_id(kit):
    kit.accepts(kit.token(aud=[kit.app]))
    kit.rejects(kit.token(aud=[kit.app, "app_trusted_elsewhere"]), Reason.AUDIENCE, "CVX-O3.3")


def test_quirk_kidless_token_with_two_eligible_keys_is_ambiguous(kit):
    token = kit.token(header=kit.header(kid=kit.DROP))
    kit.accepts(token, kit.publication([kit.jwk("rsa-2048-a")]))
    kit.rejects(token, Reason.KEY, "CVX-O3.5", kit.publication([kit.jwk("rsa-2048-a"), kit.jwk("rsa-2048-b")]))


def test_quirk_at_jwt_typ_rejected(kit):
    kit.rejects(kit.token(header=kit.header(typ="at+jwt")), Reason.HEADER, "CVX-O3.1")


def test_quirk_eddsa_accepted_es256_rejected(kit):
    publication = kit.publication([kit.jwk("ed25519-a"), kit.jwk("ec-p256")])
    kit.accepts(kit.token("ed25519-a"), publication)
    kit.rejects(kit.token("ec-p256"), Reason.ALGORITHM, "CVX-O3.4", publication)


def test_quirk_nbf_and_iat_never_compared_and_no_leeway_on_exp(kit):
    kit.accepts(kit.token(nbf=NOW + 86400, iat=NOW + 86400, exp=NOW + 1))
    kit.rejects(kit.token(exp=NOW), Reason.EXPIRED, "CVX-O3.7")


def test_quirk_string_email_verified_fails_the_whole_token(kit):
    kit.accepts(kit.token(email_verified=True))
    kit.rejects(kit.token(email_verified="true"), Reason.CLAIM_TYPE, "CVX-O2")


def test_quirk_trailing_slash_ignored_by_routing_not_by_the_discovered_issuer(kit):
    publication = kit.publication()  # discovers issuer "http://127.0.0.1:8765"
    kit.accepts(kit.token(), publication, domain=kit.origin + "/")
    kit.rejects(kit.token(iss=kit.origin + "/"), Reason.DISCOVERY, "CVX-O1", publication)
