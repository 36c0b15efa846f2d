"""Token factories for users' own tests: valid ID tokens for the local issuer, with any edit.

    token = oidc_token_factory.token(now=1_700_000_000, email="a@example.com")
    token = oidc_token_factory.token(now=..., aud=["app", "other"], header={"typ": "at+jwt"})

Claims given as keyword arguments replace or add to the defaults; ``None`` as a value removes a
claim. Tokens are signed with a pool key the issuer publishes (by default ``rsa-2048-a``).
"""

from __future__ import annotations

from typing import Any, Mapping

from .case import Case
from .issuer import DEFAULT_KEY_ID, LocalIssuer, default_publication
from .jws import compact
from .keypool import key_pool
from .provider import ProviderConfig

__all__ = ["TokenFactory", "DEFAULT_APPLICATION_ID", "REMOVE"]

DEFAULT_APPLICATION_ID = "app_0123456789abcdef0123456789abcdef"
REMOVE = None  # pass a claim as None to leave it out


class TokenFactory:
    """Builds tokens for the issuer at `issuer.origin` and the client `application_id`."""

    def __init__(self, issuer: LocalIssuer, *, application_id: str = DEFAULT_APPLICATION_ID,
                 subject: str = "identity-3f1c9a") -> None:
        self.issuer = issuer
        self.application_id = application_id
        self.subject = subject

    @property
    def provider(self) -> ProviderConfig:
        """The provider configuration a validator should use for these tokens."""
        return ProviderConfig(self.issuer.origin, self.application_id)

    def claims(self, *, now: float, lifetime: int = 3600, **overrides: Any) -> dict[str, Any]:
        """Ave-shaped ID-token claims issued at `now`, with `overrides` applied (None removes)."""
        issued = int(now)
        claims = {"iss": self.issuer.origin, "sub": self.subject, "aud": self.application_id,
                  "exp": issued + lifetime, "iat": issued, "auth_time": issued, "azp": self.application_id}
        return _edited(claims, overrides)

    def token(self, *, now: float, key_id: str = DEFAULT_KEY_ID, alg: str | None = None,
              header: Mapping[str, Any] | None = None, lifetime: int = 3600, **claims: Any) -> str:
        """A compact JWS signed with pool key `key_id` (kid = the key id, as the issuer publishes it)."""
        key = key_pool()[key_id]
        algorithm = alg or key.natural_alg
        fields = _edited({"alg": algorithm, "typ": "JWT", "kid": key_id}, header or {})
        return compact(fields, self.claims(now=now, lifetime=lifetime, **claims), key=key, alg=algorithm)

    def publish(self, *key_ids: str) -> None:
        """Make the issuer publish exactly these pool keys (default publication otherwise)."""
        self.issuer.publish(default_publication(self.issuer.origin, key_ids=key_ids or (DEFAULT_KEY_ID,)))

    def case(self, token: str, *, now: float) -> Case:
        """A replayable case of `token` against what the issuer publishes now."""
        return Case(token=token, provider=self.provider, now=now, origin=self.issuer.origin,
                    publication=self.issuer.publication)


def _edited(members: dict[str, Any], edits: Mapping[str, Any]) -> dict[str, Any]:
    """`members` with `edits` applied: a value replaces or adds a member, REMOVE (None) drops it."""
    for name, value in edits.items():
        if value is REMOVE:
            members.pop(name, None)
        else:
            members[name] = value
    return members
