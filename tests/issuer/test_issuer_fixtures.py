"""The pytest fixtures, run inside a real pytest session through `pytester`."""

from __future__ import annotations

import httpx
import pytest

from conformance.fetching import PublicationFetcher
from conformance.fixtures import OidcReference
from conformance.issuer import LocalIssuer
from conformance.profile import Profile
from conformance.provider import ProviderConfig
from conformance.publication import WELL_KNOWN, Endpoint, Publication
from conformance.verdict import Verdict

pytest_plugins = ["pytester"]
# Inner sessions run in a subprocess: an in-process run would unload modules it imported first
# (httpcore's backends), and this session would then see two copies of httpx's exception classes.

CONFTEST = """
from conformance.fixtures import oidc_issuer, oidc_issuer_session, oidc_key_pool, oidc_reference
"""


def test_fixtures_in_a_user_session(pytester: pytest.Pytester) -> None:
    """One inner session (they are slow to start) exercising every fixture but the reference."""
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_issuer_use="""
        import httpx
        from conformance.issuer import default_publication
        from conformance.publication import Endpoint, Publication

        PORTS = []

        def test_publish_something_else(oidc_issuer):
            PORTS.append(oidc_issuer.port)
            oidc_issuer.publish(Publication(discovery=Endpoint(path="/x", body=b"x"),
                                            jwks=Endpoint(path="/y", body=b"y")))
            with httpx.Client(trust_env=False) as http:
                assert http.get(oidc_issuer.url("/x")).content == b"x"
            assert len(oidc_issuer.requests) == 1

        def test_next_test_sees_the_default_again(oidc_issuer):
            PORTS.append(oidc_issuer.port)
            assert oidc_issuer.publication == default_publication(oidc_issuer.origin)
            assert oidc_issuer.requests == ()

        def test_same_server_for_the_whole_session(oidc_issuer, oidc_issuer_session):
            assert oidc_issuer is oidc_issuer_session
            assert oidc_issuer.running
            assert len(set(PORTS + [oidc_issuer.port])) == 1
            with open("origin.txt", "w") as out:
                out.write(oidc_issuer.origin)
    """, test_pool_and_hypothesis="""
        from hypothesis import given, settings, strategies as st
        from conformance.keypool import key_pool

        def test_pool(oidc_key_pool):
            assert oidc_key_pool is key_pool()
            assert "rsa-2048-a" in oidc_key_pool

        @settings(max_examples=5)
        @given(st.sampled_from(["/a", "/b"]))
        def test_session_issuer_in_given(oidc_issuer_session, path):
            assert oidc_issuer_session.url(path).endswith(path)
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    origin = (pytester.path / "origin.txt").read_text()
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as http:
        http.get(origin + WELL_KNOWN)  # the session ended, so did the server


def test_fixtures_have_docstrings_and_the_oidc_prefix() -> None:
    import conformance.fixtures as fixtures

    names = [name for name in fixtures.__all__ if not name[0].isupper()]
    assert names == ["oidc_issuer_session", "oidc_issuer", "oidc_key_pool", "oidc_reference", "oidc_token_factory"]
    for name in names:
        assert getattr(fixtures, name).__doc__, name


def test_reference_reads_the_current_publication_or_the_given_one() -> None:
    calls: list[tuple[str, float, object]] = []

    def validate(token: str, *, provider: ProviderConfig, now: float, fetch: PublicationFetcher) -> Verdict:
        calls.append((token, now, fetch(provider.domain + WELL_KNOWN).body))
        return Verdict.accept({"sub": token}, None)

    profile = Profile(name="stub", version="0", title="stub", validate=validate)
    other = Publication(discovery=Endpoint(path=WELL_KNOWN, body=b"other"), jwks=Endpoint(path="/k", body=b"{}"))
    with LocalIssuer() as issuer:
        reference = OidcReference(issuer, profile)
        provider = ProviderConfig(domain=issuer.origin, application_id="app")
        assert reference.verdict("t1", provider=provider, now=5.0).accepted
        reference.verdict("t2", provider=provider, now=6.0, publication=other)
        issuer.publish(other)
        reference.verdict("t3", provider=provider, now=7.0)
        served = issuer.publication
        assert issuer.requests == ()  # read directly, not over HTTP
    default_body = calls[0][2]
    assert calls == [("t1", 5.0, default_body), ("t2", 6.0, b"other"), ("t3", 7.0, b"other")]
    assert b'"jwks_uri"' in default_body
    assert served is other
