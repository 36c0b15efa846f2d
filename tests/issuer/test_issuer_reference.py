"""The reference reaches the same verdicts reading the issuer over real HTTP as reading it directly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterator

import pytest

from conformance.fetching import HttpFetcher, PublicationFetcher
from conformance.fixtures import OidcReference
from conformance.issuer import LocalIssuer, default_publication
from conformance.jws import compact
from conformance.keypool import key_pool
from conformance.provider import ProviderConfig
from conformance.publication import Publication

pytestmark = pytest.mark.network

NOW = 1_700_000_000
APP = "app_0123456789abcdef0123456789abcdef"


def token(origin: str, *, key: str = "rsa-2048-a", alg: str | None = None, kid: str | None = "same",
          iss_suffix: str = "", **claims: Any) -> str:
    """An ID token for the issuer at `origin`; keyword claims override the valid defaults."""
    pool_key = key_pool()[key]
    alg = alg or pool_key.natural_alg
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        header["kid"] = key if kid == "same" else kid
    payload = {"iss": origin + iss_suffix, "sub": "user_1", "aud": APP, "iat": NOW - 10, "exp": NOW + 3600,
               "name": "Ada", "email": "ada@example.com"}
    payload.update(claims)
    return compact(header, payload, key=None if alg == "none" else pool_key)


TOKENS: dict[str, Callable[[str], str]] = {
    "valid RS256": lambda origin: token(origin),
    "valid EdDSA": lambda origin: token(origin, key="ed25519-a"),
    "valid without kid": lambda origin: token(origin, kid=None),
    "expired": lambda origin: token(origin, exp=NOW),
    "other audience": lambda origin: token(origin, aud="app_other"),
    "extra audience": lambda origin: token(origin, aud=[APP, "app_other"]),
    "unknown kid": lambda origin: token(origin, kid="nope"),
    "attacker key under a known kid": lambda origin: token(origin, key="attacker-rsa-2048", kid="rsa-2048-a"),
    "alg none": lambda origin: token(origin, alg="none"),
    "ES256": lambda origin: token(origin, key="ec-p256"),
    "trailing slash issuer": lambda origin: token(origin, iss_suffix="/"),
}


def publications(origin: str) -> dict[str, Publication]:
    good = default_publication(origin, key_ids=["rsa-2048-a", "ed25519-a"])
    return {
        "good": good,
        "discovery 500": replace(good, discovery=replace(good.discovery, status=500)),
        "discovery as text/html": replace(good, discovery=replace(good.discovery, content_type="text/html")),
        "discovery without content type": replace(good, discovery=replace(good.discovery, content_type=None)),
        "other discovered issuer": Publication.standard(origin=origin, issuer_path="", jwks={"keys": []},
                                                        discovered_issuer=origin + "/other").with_jwks(
            good.jwks_document()),
        "jwks not json": replace(good, jwks=replace(good.jwks, body=b"\xff\xfe not json")),
        "jwks 404": replace(good, jwks=replace(good.jwks, status=404)),
        "jwks elsewhere": replace(good, jwks=replace(good.jwks, path="/moved")),
    }


@pytest.fixture(scope="module")
def http_fetcher() -> Iterator[HttpFetcher]:
    fetcher = HttpFetcher()
    yield fetcher
    fetcher.close()


def test_verdicts_over_http_equal_verdicts_from_the_publication(oidc_issuer: LocalIssuer,
                                                                http_fetcher: HttpFetcher) -> None:
    from conformance.reference import validate

    origin = oidc_issuer.origin
    provider = ProviderConfig(domain=origin, application_id=APP)
    disagreements: list[tuple[Any, ...]] = []
    verdicts: list[tuple[str, str, Any, int]] = []
    for publication_name, publication in publications(origin).items():
        oidc_issuer.publish(publication)
        for token_name, make in TOKENS.items():
            signed = make(origin)
            oidc_issuer.clear_requests()
            over_http = validate(signed, provider=provider, now=NOW, fetch=http_fetcher)
            fetched = len(oidc_issuer.requests)
            direct = validate(signed, provider=provider, now=NOW, fetch=PublicationFetcher(origin, publication))
            verdicts.append((publication_name, token_name, direct, fetched))
            if over_http != direct:
                disagreements.append((publication_name, token_name, over_http, direct))
    assert disagreements == []
    assert len(verdicts) >= 36
    accepted = {(pub, tok) for pub, tok, verdict, _ in verdicts if verdict.accepted}
    assert ("good", "valid RS256") in accepted and ("good", "valid EdDSA") in accepted
    assert ("discovery 500", "valid RS256") not in accepted
    assert len({verdict.reason for _, _, verdict, _ in verdicts if not verdict.accepted}) >= 4
    # every token that got past routing made the reference fetch over real HTTP
    assert all(fetched > 0 for _, token_name, _, fetched in verdicts if token_name != "other audience")


def test_reference_fixture_accepts_a_valid_token(oidc_reference: OidcReference) -> None:
    origin = oidc_reference.issuer.origin
    provider = ProviderConfig(domain=origin, application_id=APP)
    verdict = oidc_reference.verdict(token(origin), provider=provider, now=NOW)
    assert verdict.accepted, verdict
    assert verdict.identity is not None
    assert verdict.identity["tokenIdentifier"] == f"{origin}|user_1"
    broken = replace(oidc_reference.issuer.publication,
                     discovery=replace(oidc_reference.issuer.publication.discovery, status=500))
    assert not oidc_reference.verdict(token(origin), provider=provider, now=NOW, publication=broken).accepted
