"""The fixtures a user's own test suite gets: token factory, issuer and reference working together."""

from __future__ import annotations

from conformance.fetching import HttpFetcher
from conformance.reference import validate

NOW = 1_700_000_000.25


def test_factory_tokens_are_accepted_by_the_reference_over_real_http(oidc_token_factory):
    token = oidc_token_factory.token(now=NOW, email="a@example.com", name="Alice")
    verdict = validate(token, provider=oidc_token_factory.provider, now=NOW, fetch=HttpFetcher())
    assert verdict.accepted, verdict
    assert verdict.identity["email"] == "a@example.com"
    assert verdict.identity["tokenIdentifier"] == f"{oidc_token_factory.issuer.origin}|{oidc_token_factory.subject}"


def test_factory_edits_claims_and_headers(oidc_token_factory, oidc_reference):
    provider = oidc_token_factory.provider
    extra = oidc_token_factory.token(now=NOW, aud=[provider.application_id, "other"])
    no_exp = oidc_token_factory.token(now=NOW, exp=None)
    typed = oidc_token_factory.token(now=NOW, header={"typ": "at+jwt"})
    expired = oidc_token_factory.token(now=NOW, lifetime=-10)
    reasons = [oidc_reference.verdict(t, provider=provider, now=NOW).reason.value
               for t in (extra, no_exp, typed, expired)]
    assert reasons == ["audience", "missing_claim", "header", "expired"]


def test_factory_publishes_other_keys(oidc_token_factory, oidc_reference):
    token = oidc_token_factory.token(now=NOW, key_id="ed25519-a")
    provider = oidc_token_factory.provider
    assert oidc_reference.verdict(token, provider=provider, now=NOW).reason.value == "key"
    oidc_token_factory.publish("rsa-2048-a", "ed25519-a")
    assert oidc_reference.verdict(token, provider=provider, now=NOW).accepted
    case = oidc_token_factory.case(token, now=NOW)
    assert case.publication == oidc_token_factory.issuer.publication
