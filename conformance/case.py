"""A case: everything needed to run one token through a validator, and to replay it later.

A case is self-contained: the exact token, the provider configuration, the clock, the issuer
origin and what the issuer serves (discovery document and key set). `recipe` records how it was
built (header, claims, signing key, mutations) for people reading a counterexample; replay never
needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .context import TargetContext
from .provider import ProviderConfig
from .publication import WELL_KNOWN, Publication

__all__ = ["Case", "CASE_FORMAT"]

CASE_FORMAT = "idtoken-conformance/case/v1"


@dataclass(frozen=True)
class Case:
    token: str
    provider: ProviderConfig
    now: float
    origin: str
    publication: Publication
    recipe: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # For a mutated case: builds the unmutated case it came from (not stored; used to tell whether a
    # target's disagreement comes from the mutation or from the base token).
    base: Callable[[], "Case"] | None = field(default=None, compare=False, repr=False)

    def context(self) -> TargetContext:
        """The context handed to a target for this case."""
        jwks = self.publication.jwks_document()
        return TargetContext(
            domain=self.provider.domain,
            application_id=self.provider.application_id,
            now=self.now,
            jwks=jwks if isinstance(jwks, dict) else {},
            jwks_uri=self.origin + self.publication.jwks.path,
            discovery_url=self.provider.domain.rstrip("/") + WELL_KNOWN,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CASE_FORMAT,
            "token": self.token,
            "provider": self.provider.to_json(),
            "now": self.now,
            "origin": self.origin,
            "publication": self.publication.to_json(),
            "recipe": dict(self.recipe),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Case":
        if data.get("format") != CASE_FORMAT:
            raise ValueError(f"not a case file of format {CASE_FORMAT!r} (found {data.get('format')!r})")
        return cls(
            token=data["token"],
            provider=ProviderConfig.from_json(data["provider"]),
            now=data["now"],
            origin=data["origin"],
            publication=Publication.from_json(data["publication"]),
            recipe=data.get("recipe") or {},
        )
