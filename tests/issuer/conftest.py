"""Fixtures for the local issuer's tests: the project's own fixtures and a loopback HTTP client."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from conformance.fixtures import oidc_issuer, oidc_issuer_session, oidc_key_pool, oidc_reference  # noqa: F401


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    """An HTTP client that ignores proxy settings from the environment (loopback only)."""
    with httpx.Client(trust_env=False, timeout=10.0) as client:
        yield client
