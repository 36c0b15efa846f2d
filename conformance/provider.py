"""Provider configuration: what the application told its backend about the identity provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["ProviderConfig"]


@dataclass(frozen=True)
class ProviderConfig:
    """One entry of Convex's ``auth.config.ts`` providers list: ``{domain, applicationID}``."""

    domain: str
    application_id: str

    def to_json(self) -> dict[str, Any]:
        return {"domain": self.domain, "applicationID": self.application_id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ProviderConfig":
        return cls(domain=data["domain"], application_id=data["applicationID"])
