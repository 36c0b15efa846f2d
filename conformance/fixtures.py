"""pytest fixtures for testing a validator against the local issuer and the reference.

Plain fixture functions: the pytest plugin imports them, and a project can import them into its
own conftest.py. Nothing starts until a test asks for a fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import pytest

from .fetching import PublicationFetcher
from .issuer import LocalIssuer
from .keypool import KeyPool, key_pool
from .provider import ProviderConfig
from .publication import Publication
from .verdict import Verdict

if TYPE_CHECKING:
    from .profile import Profile
    from .token_factory import TokenFactory

__all__ = ["OidcReference", "oidc_issuer_session", "oidc_issuer", "oidc_key_pool", "oidc_reference",
           "oidc_token_factory"]


@dataclass(frozen=True)
class OidcReference:
    """The reference validator of a conformance profile, reading what `issuer` publishes."""

    issuer: LocalIssuer
    profile: "Profile"

    def verdict(self, token: str, *, provider: ProviderConfig, now: float,
                publication: Publication | None = None) -> Verdict:
        """The reference's verdict on `token` at `now`.

        Discovery and JWKS are read straight from `publication` (default: what the issuer serves
        right now), without HTTP; giving a publication does not change what the issuer serves.
        """
        served = publication if publication is not None else self.issuer.publication
        fetch = PublicationFetcher(self.issuer.origin, served)
        return self.profile.verdict(token, provider=provider, now=now, fetch=fetch)


@pytest.fixture(scope="session")
def oidc_issuer_session() -> Iterator[LocalIssuer]:
    """A local issuer on 127.0.0.1 (free port) for the whole session; not reset between tests."""
    with LocalIssuer() as issuer:
        yield issuer


@pytest.fixture
def oidc_issuer(oidc_issuer_session: LocalIssuer) -> LocalIssuer:
    """The session's local issuer, reset to the default publication (``rsa-2048-a``, RS256) and
    with an empty request log at the start of each test."""
    oidc_issuer_session.reset()
    oidc_issuer_session.clear_requests()
    return oidc_issuer_session


@pytest.fixture
def oidc_key_pool() -> KeyPool:
    """The committed pool of test-only signing keys (`conformance.keypool.key_pool`)."""
    return key_pool()


@pytest.fixture
def oidc_reference(oidc_issuer: LocalIssuer) -> OidcReference:
    """The ``convex-oidc`` reference validator, reading the issuer's current publication directly."""
    from .profile import get_profile  # the reference package loads on first use

    return OidcReference(oidc_issuer, get_profile("convex-oidc"))


@pytest.fixture
def oidc_token_factory(oidc_issuer: LocalIssuer) -> "TokenFactory":
    """Valid ID tokens for the issuer (any claim or header edited), see `conformance.token_factory`."""
    from .token_factory import TokenFactory

    return TokenFactory(oidc_issuer)
