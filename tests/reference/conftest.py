"""Builders shared by the reference tests: pool-key tokens, issuer publications, and the verdict call.

Everything is served through `PublicationFetcher` on a loopback origin, so no socket is opened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Iterable, Mapping

import pytest

from conformance.fetching import PublicationFetcher
from conformance.jws import b64url_encode, compact, json_bytes, sign, signing_input
from conformance.keypool import PoolKey, key_pool
from conformance.provider import ProviderConfig
from conformance.publication import Endpoint, Publication
from conformance.reasons import Reason
from conformance.reference import validate
from conformance.reference.convex_oidc import INTERNAL_ERROR
from conformance.verdict import Verdict

ORIGIN = "http://127.0.0.1:8765"
APP = "app_0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000
DROP = object()  # a claim or header value meaning "leave this member out"


@dataclass(frozen=True)
class ReferenceKit:
    """Builds tokens and publications and asks the reference; every default is a valid case."""

    DROP: ClassVar[object] = DROP
    origin: str = ORIGIN
    app: str = APP
    now: float = NOW

    def key(self, key_id: str) -> PoolKey:
        return key_pool()[key_id]

    def jwk(self, key_id: str, **members: Any) -> dict[str, Any]:
        """The public JWK of a pool key with ``kid`` = its id (override or DROP members by keyword)."""
        out: dict[str, Any] = dict(self.key(key_id).public_jwk, kid=key_id)
        for name, value in members.items():
            if value is DROP:
                out.pop(name, None)
            else:
                out[name] = value
        return out

    def claims(self, **overrides: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {"iss": self.origin, "sub": "user_1", "aud": self.app, "iat": self.now - 10,
                                   "exp": self.now + 3600}
        return _apply(payload, overrides)

    def header(self, key_id: str = "rsa-2048-a", **overrides: Any) -> dict[str, Any]:
        header: dict[str, Any] = {"alg": self.key(key_id).natural_alg, "typ": "JWT", "kid": key_id}
        return _apply(header, overrides)

    def token(self, key_id: str = "rsa-2048-a", *, header: Mapping[str, Any] | bytes | None = None,
              payload: Mapping[str, Any] | bytes | None = None, alg: str | None = None, **claims: Any) -> str:
        """A signed compact token: pool key `key_id`, default header and claims with overrides."""
        head = self.header(key_id) if header is None else header
        body = self.claims(**claims) if payload is None else payload
        return compact(head, body, key=self.key(key_id), alg=alg or self.key(key_id).natural_alg)

    def raw_token(self, header: bytes, payload: bytes, key_id: str = "rsa-2048-a", alg: str = "RS256") -> str:
        """A token from raw JSON bytes, signed over exactly those bytes."""
        data = signing_input(header, payload)
        return data.decode("ascii") + "." + b64url_encode(sign(alg, self.key(key_id), data))

    def publication(self, keys: Iterable[Mapping[str, Any]] | None = None, *, issuer_path: str = "",
                    discovered_issuer: str | None = None) -> Publication:
        if keys is None:
            keys = [self.jwk("rsa-2048-a"), self.jwk("ed25519-a")]
        return Publication.standard(origin=self.origin, issuer_path=issuer_path, jwks={"keys": list(keys)},
                                    discovered_issuer=discovered_issuer)

    def with_discovery(self, publication: Publication, **changes: Any) -> Publication:
        return replace(publication, discovery=replace(publication.discovery, **changes))

    def with_jwks(self, publication: Publication, **changes: Any) -> Publication:
        return replace(publication, jwks=replace(publication.jwks, **changes))

    def with_document(self, publication: Publication, body: bytes) -> Publication:
        return self.with_discovery(publication, body=body)

    def discovery_document(self, **members: Any) -> bytes:
        document: dict[str, Any] = {"issuer": self.origin, "jwks_uri": self.origin + "/jwks"}
        return json.dumps(_apply(document, members)).encode()

    def judge(self, token: str, publication: Publication | None = None, *, now: float | None = None,
              domain: str | None = None, app: str | None = None) -> Verdict:
        publication = self.publication() if publication is None else publication
        provider = ProviderConfig(self.origin if domain is None else domain, self.app if app is None else app)
        verdict = validate(token, provider=provider, now=self.now if now is None else now,
                           fetch=PublicationFetcher(self.origin, publication))
        assert not verdict.message.startswith(INTERNAL_ERROR), verdict.message
        return verdict

    def accepts(self, token: str, publication: Publication | None = None, **options: Any) -> Verdict:
        """The verdict, asserted to be an acceptance."""
        verdict = self.judge(token, publication, **options)
        assert verdict.accepted, f"rejected: [{verdict.reason}] {verdict.rule}: {verdict.message}"
        assert verdict.rule == "CVX-ID" and verdict.reason is None
        return verdict

    def rejects(self, token: str, reason: Reason, rule: str, publication: Publication | None = None,
                **options: Any) -> Verdict:
        """The verdict, asserted to be a rejection for `reason` by `rule`."""
        verdict = self.judge(token, publication, **options)
        assert not verdict.accepted, f"accepted, expected [{reason}] {rule}"
        assert (verdict.reason, verdict.rule) == (reason, rule), \
            f"got [{verdict.reason}] {verdict.rule}: {verdict.message}"
        return verdict

    @staticmethod
    def endpoint(path: str, body: bytes, status: int = 200,
                 content_type: str | None = "application/json") -> Endpoint:
        return Endpoint(path=path, body=body, status=status, content_type=content_type)

    @staticmethod
    def raw_json(value: Any) -> bytes:
        return json_bytes(value)


def _apply(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for name, value in overrides.items():
        if value is DROP:
            out.pop(name, None)
        else:
            out[name] = value
    return out


@pytest.fixture(scope="session")
def kit() -> ReferenceKit:
    return ReferenceKit()
