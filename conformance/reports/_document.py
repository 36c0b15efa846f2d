"""What every report format shares: checks joined with their results, counts, and one-line descriptions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from ..check import Check, Expectation
from ..observation import Observation, ObservationKind
from ..results import CheckResult, CheckStatus, RunMetadata, RunResult
from ..verdict import Verdict

__all__ = ["Entry", "join", "counts", "summary_line", "describe_verdict", "describe_observation",
           "implementation_label", "STATUS_LABELS", "verdict_text"]

STATUS_LABELS = {
    CheckStatus.PASSED: "PASSED",
    CheckStatus.FAILED: "FAILED",
    CheckStatus.ERROR: "ERROR",
    CheckStatus.SKIPPED: "SKIPPED",
    CheckStatus.XFAIL: "XFAIL",
}


@dataclass(frozen=True)
class Entry:
    """One check of the catalog with the result the run produced for it."""

    check: Check
    result: CheckResult
    profile: str

    @property
    def expectation(self) -> Expectation | None:
        return self.check.expectation(self.profile)

    @property
    def area(self) -> str:
        """The check's area, or the first part of its id when the check names none."""
        return self.check.area or self.check.id.split(".", 1)[0]


def join(run: RunResult, checks: Sequence[Check]) -> tuple[Entry, ...]:
    """The run's results in run order, each with its check; every result must have a check."""
    by_id = {check.id: check for check in checks}
    missing = [r.check_id for r in run.results if r.check_id not in by_id]
    if missing:
        raise ValueError(f"results for checks that were not given: {', '.join(missing)}")
    return tuple(Entry(by_id[r.check_id], r, run.metadata.profile) for r in run.results)


def counts(run: RunResult) -> dict[str, int]:
    """How many results have each status (keyed by status value), and the total."""
    out = {status.value: run.count(status) for status in CheckStatus}
    out["total"] = len(run.results)
    return out


def summary_line(run: RunResult) -> str:
    """``CONFORMANCE: 47 passed, 2 failed, 0 errors, 1 skipped, 1 expected failure``."""
    errors = run.count(CheckStatus.ERROR)
    xfails = run.count(CheckStatus.XFAIL)
    return (f"CONFORMANCE: {run.count(CheckStatus.PASSED)} passed, {run.count(CheckStatus.FAILED)} failed, "
            f"{errors} error{'' if errors == 1 else 's'}, {run.count(CheckStatus.SKIPPED)} skipped, "
            f"{xfails} expected failure{'' if xfails == 1 else 's'}")


def describe_verdict(verdict: Verdict) -> str:
    """The reference's answer in one line: ``accepted`` or ``rejected: audience (CVX-O3.3): message``."""
    if verdict.accepted:
        return "accepted"
    parts = ["rejected"]
    if verdict.reason is not None:
        parts.append(f": {verdict.reason.value}")
    if verdict.rule:
        parts.append(f" ({verdict.rule})")
    if verdict.message:
        parts.append(f": {verdict.message}")
    return "".join(parts)


def describe_observation(observation: Observation) -> str:
    """The target's answer in one line: accepted, rejected (with reason), skipped or errored (with kind)."""
    kind = observation.kind
    if kind is ObservationKind.ERRORED and observation.error is not None:
        text = f"errored ({observation.error.value})"
    elif kind is ObservationKind.REJECTED and observation.reason:
        text = f"rejected: {observation.reason}"
    else:
        text = kind.value
    return f"{text}: {observation.message}" if observation.message and kind is not ObservationKind.ACCEPTED \
        else text


def implementation_label(metadata: RunMetadata) -> str:
    """``name version`` of the implementation under test, falling back to the target spec."""
    info: Mapping[str, object] = metadata.implementation or {}
    name = str(info.get("name") or metadata.target or "unknown implementation")
    version = info.get("version")
    return f"{name} {version}" if version else name


def verdict_text(run: RunResult) -> str:
    """"Conformant", "Conformant except for N known failures", or "Not conformant"."""
    if not run.conformant:
        return "Not conformant"
    known = run.count(CheckStatus.XFAIL)
    if known:
        return f"Conformant except for {known} listed known failure{'s' if known != 1 else ''}"
    return "Conformant"
