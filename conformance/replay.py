"""Replaying a stored case against a target, without Hypothesis: fixed, still failing, or error.

The case's issuer is served again at the case's own origin (its token's ``iss`` names that port),
the reference judges the token afresh, and the target answers once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .case_file import CaseFile, case_address, load_case_file
from .comparison import Mismatch
from .engine import evaluate
from .issuer import LocalIssuer
from .observation import Observation
from .profile import get_profile
from .results import MismatchKind
from .verdict import Verdict

__all__ = ["ReplayOutcome", "replay_case_file"]


@dataclass(frozen=True)
class ReplayOutcome:
    status: str  # "fixed" | "still failing" | "error"
    case_file: CaseFile
    expected: Verdict
    observed: Observation
    mismatch: Mismatch | None
    reference_changed: bool  # the reference now judges the case differently from when it was stored

    @property
    def exit_code(self) -> int:
        return {"fixed": 0, "still failing": 1, "error": 1}[self.status]


def replay_case_file(path: Path, target_spec: str, *, profile: str = "convex-oidc", timeout: float = 5.0,
                     cwd: Path | None = None, strict_reasons: bool = False) -> ReplayOutcome:
    from .targets import load_target

    stored = load_case_file(path)
    case = stored.case
    host, port = case_address(case)
    reference = get_profile(profile)
    with LocalIssuer(host=host, port=port) as issuer:
        with load_target(target_spec, timeout=timeout, cwd=str(cwd) if cwd else None) as target:
            evaluation = evaluate(case, reference, target, publisher=issuer, strict_reasons=strict_reasons)
    if evaluation.mismatch is None:
        status = "fixed"
    elif evaluation.mismatch.kind is MismatchKind.ERROR:
        status = "error"
    else:
        status = "still failing"
    changed = stored.failure is not None and (
        stored.failure.expected.accepted != evaluation.expected.accepted
        or stored.failure.expected.reason != evaluation.expected.reason)
    return ReplayOutcome(status, stored, evaluation.expected, evaluation.observed, evaluation.mismatch, changed)
