"""What a target answered for one token: accepted, rejected, skipped or errored.

A crash, a timeout or a protocol violation is `ERRORED`, never `REJECTED`: a validator that falls
over has not made a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

__all__ = ["Observation", "ObservationKind", "ErrorKind"]


class ObservationKind(str, Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    ERRORED = "errored"


class ErrorKind(str, Enum):
    EXCEPTION = "exception"  # in-process callable raised something that is not a rejection
    CRASH = "crash"  # the subprocess died
    TIMEOUT = "timeout"  # no answer within the per-request timeout
    PROTOCOL = "protocol"  # malformed or out-of-contract answer
    CONNECTION = "connection"  # HTTP endpoint unreachable


@dataclass(frozen=True)
class Observation:
    kind: ObservationKind
    claims: Mapping[str, Any] | None = None  # accepted: the verified claims, when the target returned claims
    identity: Mapping[str, Any] | None = None  # accepted: the Convex-shaped identity, when returned
    reason: str | None = None  # rejected: the target's reason code, if it gave one
    message: str = ""
    error: ErrorKind | None = None
    detail: str = ""  # traceback or protocol diagnostics
    stderr: str = ""
    elapsed: float = 0.0

    @property
    def accepted(self) -> bool:
        return self.kind is ObservationKind.ACCEPTED

    @property
    def rejected(self) -> bool:
        return self.kind is ObservationKind.REJECTED

    @classmethod
    def accept(cls, *, claims: Mapping[str, Any] | None = None, identity: Mapping[str, Any] | None = None,
               message: str = "", stderr: str = "", elapsed: float = 0.0) -> "Observation":
        return cls(ObservationKind.ACCEPTED, claims=claims, identity=identity, message=message, stderr=stderr,
                   elapsed=elapsed)

    @classmethod
    def reject(cls, *, reason: str | None = None, message: str = "", stderr: str = "",
               elapsed: float = 0.0) -> "Observation":
        return cls(ObservationKind.REJECTED, reason=reason, message=message, stderr=stderr, elapsed=elapsed)

    @classmethod
    def skip(cls, message: str, *, stderr: str = "", elapsed: float = 0.0) -> "Observation":
        return cls(ObservationKind.SKIPPED, message=message, stderr=stderr, elapsed=elapsed)

    @classmethod
    def errored(cls, error: ErrorKind, message: str, *, detail: str = "", stderr: str = "",
                elapsed: float = 0.0) -> "Observation":
        return cls(ObservationKind.ERRORED, error=error, message=message, detail=detail, stderr=stderr,
                   elapsed=elapsed)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "message": self.message}
        for name in ("claims", "identity", "reason"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.error is not None:
            out["error"] = self.error.value
        if self.detail:
            out["detail"] = self.detail
        if self.stderr:
            out["stderr"] = self.stderr
        out["elapsed"] = round(self.elapsed, 6)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Observation":
        error = data.get("error")
        return cls(
            kind=ObservationKind(data["kind"]),
            claims=data.get("claims"),
            identity=data.get("identity"),
            reason=data.get("reason"),
            message=data.get("message", ""),
            error=ErrorKind(error) if error else None,
            detail=data.get("detail", ""),
            stderr=data.get("stderr", ""),
            elapsed=float(data.get("elapsed", 0.0)),
        )
