"""A case under construction: header, payload, signing method, key set, issuer behaviour, clock.

Strategies draw a valid `CaseDraft`, mutation operators edit it, and `CaseDraft.finish()` turns it
into a self-contained `conformance.case.Case`: encode, sign, apply token-level edits, render what
the issuer publishes. Everything a draft holds came from Hypothesis draws or the committed key
pool, so a case is reproducible and its recipe explains how it was made.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from conformance.case import Case
from conformance.check import GenerationEnv
from conformance.jws import b64url_encode, json_bytes, sign
from conformance.keypool import key_pool
from conformance.provider import ProviderConfig
from conformance.publication import Endpoint, Publication, discovery_path

__all__ = ["IssuerDraft", "CaseDraft", "TokenEdit"]

TokenEdit = Callable[[str], str]  # a deterministic edit of the finished compact token


@dataclass
class IssuerDraft:
    """How the issuer behaves for this case. None fields mean "as a well-behaved issuer would"."""

    issuer_path: str = ""  # path part of the issuer URL the discovery document lives under
    discovered_issuer: str | None = None  # the document's `issuer`; None = the token's issuer URL
    jwks_path: str | None = None  # None = issuer_path + "/jwks"
    discovery_status: int = 200
    discovery_content_type: str | None = "application/json"
    discovery_body: bytes | None = None  # raw override of the whole document
    discovery_extra: dict[str, Any] = field(default_factory=dict)  # extra/overridden document members
    jwks_status: int = 200
    jwks_content_type: str | None = "application/json"
    jwks_body: bytes | None = None  # raw override of the whole JWKS body
    delay: float = 0.0  # seconds before each answer
    discovery_trailing: bytes = b""  # bytes served after the rendered document (not after an override)
    jwks_trailing: bytes = b""  # bytes served after the rendered JWKS (not after an override)


@dataclass
class CaseDraft:
    """Mutable working state of one case; `finish()` freezes it into a `Case`.

    `header_bytes` / `payload_bytes`, when set, replace the JSON encoding of `header` / `payload`
    (for duplicate members, NaN literals, BOMs and other things a dict cannot hold).
    `sign_alg` is the algorithm whose math produces the signature (None = the header's `alg`);
    `secret` is the HMAC secret for HS* forgeries; `key_id` names the pool key for asymmetric ones.
    `signature` overrides the computed signature bytes entirely.
    """

    env: GenerationEnv
    header: dict[str, Any]
    payload: dict[str, Any]
    key_id: str | None
    jwks: dict[str, Any]
    now: float
    issuer: IssuerDraft = field(default_factory=IssuerDraft)
    provider: ProviderConfig | None = None  # None = (env.issuer, env.application_id)
    header_bytes: bytes | None = None
    payload_bytes: bytes | None = None
    sign_alg: str | None = None
    secret: bytes | None = None
    signature: bytes | None = None
    token_edits: list[tuple[str, TokenEdit]] = field(default_factory=list)  # (description, edit)
    scopes: tuple[str, ...] = ()
    mutations: list[dict[str, Any]] = field(default_factory=list)  # Mutation.to_json() records
    kind: str = "id_token"  # or "access_token"
    base: "CaseDraft | None" = field(default=None, repr=False)  # the valid draft a mutation started from

    def copy(self) -> "CaseDraft":
        clone = copy.copy(self)
        clone.header = copy.deepcopy(self.header)
        clone.payload = copy.deepcopy(self.payload)
        clone.jwks = copy.deepcopy(self.jwks)
        clone.issuer = copy.deepcopy(self.issuer)
        clone.token_edits = list(self.token_edits)
        clone.mutations = list(self.mutations)
        return clone

    # -- finishing -------------------------------------------------------------------------------
    def encoded_header(self) -> bytes:
        return self.header_bytes if self.header_bytes is not None else json_bytes(self.header)

    def encoded_payload(self) -> bytes:
        return self.payload_bytes if self.payload_bytes is not None else json_bytes(self.payload)

    def token(self) -> str:
        signing_input = (b64url_encode(self.encoded_header()) + "." + b64url_encode(self.encoded_payload()))
        signature = self.signature
        if signature is None:
            alg = self.sign_alg if self.sign_alg is not None else str(self.header.get("alg", "none"))
            if alg.lower() == "none":
                signature = b""
            elif alg.startswith("HS"):
                signature = sign(alg, self.secret or b"", signing_input.encode("ascii"))
            else:
                signature = sign(alg, key_pool()[self.key_id or ""], signing_input.encode("ascii"))
        token = signing_input + "." + b64url_encode(signature)
        for _, edit in self.token_edits:
            token = edit(token)
        return token

    def publication(self) -> Publication:
        origin = self.env.origin
        issuer = self.issuer
        jwks_path = issuer.jwks_path if issuer.jwks_path is not None else issuer.issuer_path.rstrip("/") + "/jwks"
        if issuer.discovery_body is not None:
            discovery_body = issuer.discovery_body
        else:
            document: dict[str, Any] = {
                "issuer": issuer.discovered_issuer if issuer.discovered_issuer is not None
                else origin + issuer.issuer_path,
                "jwks_uri": origin + jwks_path,
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256", "EdDSA"],
            }
            document.update(issuer.discovery_extra)
            discovery_body = json.dumps(document).encode() + issuer.discovery_trailing
        jwks_body = (issuer.jwks_body if issuer.jwks_body is not None
                     else json.dumps(self.jwks).encode() + issuer.jwks_trailing)
        return Publication(
            discovery=Endpoint(path=discovery_path(issuer.issuer_path), body=discovery_body,
                               status=issuer.discovery_status, content_type=issuer.discovery_content_type,
                               delay=issuer.delay),
            jwks=Endpoint(path=jwks_path, body=jwks_body, status=issuer.jwks_status,
                          content_type=issuer.jwks_content_type, delay=issuer.delay),
        )

    def recipe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "header": _jsonable(self.header),
            "payload": _jsonable(self.payload),
            "header_bytes": None if self.header_bytes is None else self.header_bytes.decode("utf-8", "replace"),
            "payload_bytes": None if self.payload_bytes is None else self.payload_bytes.decode("utf-8", "replace"),
            "key_id": self.key_id,
            "sign_alg": self.sign_alg,
            "secret": None if self.secret is None else self.secret.decode("utf-8", "replace"),
            "token_edits": [description for description, _ in self.token_edits],
            "scopes": list(self.scopes),
            "mutations": list(self.mutations),
        }

    def finish(self) -> Case:
        provider = self.provider or ProviderConfig(self.env.issuer, self.env.application_id)
        base = self.base
        return Case(token=self.token(), provider=provider, now=self.now, origin=self.env.origin,
                    publication=self.publication(), recipe=self.recipe(),
                    base=None if base is None else base.finish)


def _jsonable(value: Any) -> Any:
    """A JSON-safe copy for the recipe (NaN/Infinity become strings; it is for reading, not replay)."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return _readable(value)


def _readable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): _readable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_readable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)
