"""What the local issuer serves for one case: the discovery document and the JWKS, byte for byte.

A publication is plain data (paths relative to the issuer origin, status, content type, body,
delay), so a case file can carry it and replay it exactly, and the reference validator can read
it directly instead of over HTTP.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from typing import Any, Mapping

__all__ = ["Endpoint", "Publication", "WELL_KNOWN"]

WELL_KNOWN = "/.well-known/openid-configuration"


@dataclass(frozen=True)
class Endpoint:
    """One HTTP resource: served at `path` (absolute path on the issuer origin, no query).

    `content_type` None means the response carries no Content-Type header at all.
    `delay` is seconds to wait before answering (for slow-issuer cases).
    """

    path: str
    body: bytes
    status: int = 200
    content_type: str | None = "application/json"
    delay: float = 0.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "status": self.status, "content_type": self.content_type,
                               "delay": self.delay}
        try:
            out["body"] = self.body.decode("utf-8")
        except UnicodeDecodeError:
            out["body_b64"] = base64.b64encode(self.body).decode("ascii")
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Endpoint":
        body = data["body"].encode("utf-8") if "body" in data else base64.b64decode(data["body_b64"])
        return cls(path=data["path"], body=body, status=int(data.get("status", 200)),
                   content_type=data.get("content_type"), delay=float(data.get("delay", 0.0)))


@dataclass(frozen=True)
class Publication:
    """The discovery endpoint and the JWKS endpoint an issuer exposes for one case."""

    discovery: Endpoint
    jwks: Endpoint

    @classmethod
    def standard(cls, *, origin: str, issuer_path: str, jwks: Mapping[str, Any],
                 jwks_path: str | None = None, discovered_issuer: str | None = None) -> "Publication":
        """A well-behaved issuer: discovery at ``{issuer}/.well-known/openid-configuration``.

        `issuer_path` is the path part of the issuer URL ('' or '/tenant'); `discovered_issuer`
        overrides the document's `issuer` (defaults to ``origin + issuer_path``).
        """
        issuer = origin + issuer_path
        jwks_path = jwks_path if jwks_path is not None else issuer_path.rstrip("/") + "/jwks"
        document = {
            "issuer": discovered_issuer if discovered_issuer is not None else issuer,
            "jwks_uri": origin + jwks_path,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "EdDSA"],
        }
        return cls(
            discovery=Endpoint(path=discovery_path(issuer_path), body=json.dumps(document).encode()),
            jwks=Endpoint(path=jwks_path, body=json.dumps(dict(jwks)).encode()),
        )

    def with_jwks(self, jwks: Mapping[str, Any]) -> "Publication":
        return replace(self, jwks=replace(self.jwks, body=json.dumps(dict(jwks)).encode()))

    def jwks_document(self) -> Any:
        """The JWKS body parsed as JSON, or None when it is not JSON.

        Bytes after the JSON value are ignored, as Convex ignores them (so a target given the parsed
        key set sees the keys Convex would use).
        """
        try:
            text = self.jwks.body.decode("utf-8")
            return json.JSONDecoder().raw_decode(text.lstrip(" \t\r\n"))[0]
        except ValueError:
            return None

    def endpoints(self) -> tuple[Endpoint, Endpoint]:
        return (self.discovery, self.jwks)

    def endpoint_at(self, path: str) -> Endpoint | None:
        """The endpoint served at `path` (discovery first when both share it), or None."""
        for endpoint in self.endpoints():
            if endpoint.path == path:
                return endpoint
        return None

    def to_json(self) -> dict[str, Any]:
        return {"discovery": self.discovery.to_json(), "jwks": self.jwks.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Publication":
        return cls(discovery=Endpoint.from_json(data["discovery"]), jwks=Endpoint.from_json(data["jwks"]))


def discovery_path(issuer_path: str) -> str:
    """Where discovery lives for an issuer path, without doubling a trailing slash (Convex O1).

    ``/tenant`` and ``/tenant/`` both give ``/tenant/.well-known/openid-configuration``; only one
    slash is absorbed, as a URL join would (``/t//`` gives ``/t//.well-known/...``).
    """
    return issuer_path + WELL_KNOWN[1:] if issuer_path.endswith("/") else issuer_path + WELL_KNOWN
