"""What a target validator is told about one case besides the token itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["TargetContext"]


@dataclass(frozen=True)
class TargetContext:
    """The provider configuration, the clock, and where (or what) the issuer's keys are.

    `now` is seconds since the epoch, sometimes fractional as a real clock is. `jwks` is the key set
    the issuer currently serves (parsed), for validators that take keys directly; `jwks_uri` and
    `discovery_url` are real loopback URLs for validators that fetch them.
    """

    domain: str
    application_id: str
    now: float
    jwks: Mapping[str, Any] = field(default_factory=dict)
    jwks_uri: str = ""
    discovery_url: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "application_id": self.application_id,
            "now": self.now,
            "jwks": dict(self.jwks),
            "jwks_uri": self.jwks_uri,
            "discovery_url": self.discovery_url,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TargetContext":
        return cls(domain=data["domain"], application_id=data["application_id"], now=data["now"],
                   jwks=data.get("jwks") or {}, jwks_uri=data.get("jwks_uri", ""),
                   discovery_url=data.get("discovery_url", ""))
