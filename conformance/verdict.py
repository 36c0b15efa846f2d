"""The reference validator's answer for one token: accepted with claims and identity, or rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .reasons import Reason

__all__ = ["Verdict"]


@dataclass(frozen=True)
class Verdict:
    """An accept or reject decision, with the evidence behind it.

    `rule` is the profile's rule id (e.g. ``CVX-O3.3``) that decided a rejection, or the last rule of
    an acceptance. `claims` is the verified payload; `identity` the Convex-shaped user identity.
    """

    accepted: bool
    reason: Reason | None = None
    rule: str | None = None
    message: str = ""
    claims: Mapping[str, Any] | None = field(default=None, compare=True)
    identity: Mapping[str, Any] | None = None

    @classmethod
    def accept(cls, claims: Mapping[str, Any], identity: Mapping[str, Any] | None, *, rule: str | None = None,
               message: str = "accepted") -> "Verdict":
        return cls(True, None, rule, message, dict(claims), None if identity is None else dict(identity))

    @classmethod
    def reject(cls, reason: Reason, rule: str, message: str) -> "Verdict":
        return cls(False, Reason(reason), rule, message)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"accepted": self.accepted, "message": self.message}
        if self.rule is not None:
            out["rule"] = self.rule
        if self.reason is not None:
            out["reason"] = self.reason.value
        if self.claims is not None:
            out["claims"] = self.claims
        if self.identity is not None:
            out["identity"] = self.identity
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Verdict":
        reason = data.get("reason")
        return cls(
            accepted=bool(data["accepted"]),
            reason=Reason(reason) if reason is not None else None,
            rule=data.get("rule"),
            message=data.get("message", ""),
            claims=data.get("claims"),
            identity=data.get("identity"),
        )
