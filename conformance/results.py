"""Results of a certification run: per-check status, failures with their stored cases, run metadata.

These are the values reports are written from (JSON, JUnit, Markdown, HTML, badge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from .case import Case
from .observation import Observation
from .verdict import Verdict

__all__ = ["CheckStatus", "MismatchKind", "Failure", "CheckResult", "RunMetadata", "RunResult"]


class CheckStatus(str, Enum):
    PASSED = "passed"
    FAILED = "failed"  # the target disagreed with the reference (BYPASS, DENY, MAPPING, REASON)
    ERROR = "error"  # the target crashed, hung or broke the protocol
    SKIPPED = "skipped"  # the target declined (capability) or the check does not apply
    XFAIL = "xfail"  # failed exactly as the known-failures file says


class MismatchKind(str, Enum):
    BYPASS = "BYPASS"  # target accepts what the reference rejects
    DENY = "DENY"  # target rejects what the reference accepts
    MAPPING = "MAPPING"  # both accept, with different claims or identity
    REASON = "REASON"  # both reject, for different reasons (strict reasons only)
    ERROR = "ERROR"  # target crashed, hung or broke the protocol


@dataclass(frozen=True)
class Failure:
    """One shrunk counterexample."""

    kind: MismatchKind
    case: Case
    expected: Verdict
    observed: Observation
    explanation: str
    case_file: str | None = None  # path of the stored case file, when written
    replay_command: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "explanation": self.explanation,
            "expected": self.expected.to_json(),
            "observed": self.observed.to_json(),
            "case": self.case.to_json(),
            "case_file": self.case_file,
            "replay_command": self.replay_command,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Failure":
        return cls(kind=MismatchKind(data["kind"]), case=Case.from_json(data["case"]),
                   expected=Verdict.from_json(data["expected"]), observed=Observation.from_json(data["observed"]),
                   explanation=data["explanation"], case_file=data.get("case_file"),
                   replay_command=data.get("replay_command"))


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    status: CheckStatus
    examples: int = 0
    duration: float = 0.0
    failure: Failure | None = None
    message: str = ""  # skip reason, error summary, or known-failure note

    def to_json(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "status": self.status.value,
            "examples": self.examples,
            "duration": round(self.duration, 4),
            "message": self.message,
            "failure": None if self.failure is None else self.failure.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CheckResult":
        failure = data.get("failure")
        return cls(check_id=data["check_id"], status=CheckStatus(data["status"]), examples=data.get("examples", 0),
                   duration=data.get("duration", 0.0), message=data.get("message", ""),
                   failure=None if failure is None else Failure.from_json(failure))


@dataclass(frozen=True)
class RunMetadata:
    suite_version: str
    profile: str
    profile_version: str
    target: str  # the target spec as given
    implementation: Mapping[str, Any]  # name, version, language (from the handshake or the module)
    python: str
    platform: str
    seed: int | None
    examples_per_check: int
    started_at: str  # ISO 8601 UTC
    finished_at: str
    strict_reasons: bool = False
    jobs: int = 1

    def to_json(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class RunResult:
    metadata: RunMetadata
    results: tuple[CheckResult, ...] = field(default_factory=tuple)

    def count(self, status: CheckStatus) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def conformant(self) -> bool:
        return all(r.status in (CheckStatus.PASSED, CheckStatus.SKIPPED, CheckStatus.XFAIL) for r in self.results)
