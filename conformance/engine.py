"""The differential engine: run a check's generated cases through the reference and a target.

For each check, Hypothesis draws cases from the check's strategy; the local issuer publishes each
case's discovery document and key set; the reference gives the expected verdict and the target
its observation. The first mismatch makes Hypothesis shrink it to a minimal case, which is stored
as a self-contained case file with the command that replays it.
"""

from __future__ import annotations

import json
import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from hypothesis import HealthCheck, Phase, given, reject, seed as hypothesis_seed, settings
from hypothesis.errors import Flaky, HypothesisException

from .case import Case
from .check import Check, GenerationEnv
from .comparison import Mismatch, compare
from .context import TargetContext
from .fetching import PublicationFetcher
from .observation import Observation, ObservationKind
from .profile import Profile
from .publication import Publication
from .results import CheckResult, CheckStatus, Failure, MismatchKind
from .verdict import Verdict

__all__ = ["Engine", "EngineSettings", "Evaluation", "evaluate", "MismatchFound"]

DEFAULT_APPLICATION_ID = "app_0123456789abcdef0123456789abcdef"


class Runnable(Protocol):
    def run(self, token: str, ctx: TargetContext) -> Observation: ...


class Publisher(Protocol):
    origin: str

    def publish(self, publication: Publication) -> None: ...


@dataclass(frozen=True)
class Evaluation:
    """One case judged by both sides."""

    case: Case
    expected: Verdict
    observed: Observation
    mismatch: Mismatch | None


def evaluate(case: Case, profile: Profile, target: Runnable, *, publisher: Publisher | None = None,
             strict_reasons: bool = False) -> Evaluation:
    """Publish the case, ask the reference and the target, compare."""
    if publisher is not None:
        publisher.publish(case.publication)
    expected = profile.verdict(case.token, provider=case.provider, now=case.now,
                               fetch=PublicationFetcher(case.origin, case.publication))
    observed = target.run(case.token, case.context())
    return Evaluation(case, expected, observed, compare(expected, observed, strict_reasons=strict_reasons))


class MismatchFound(AssertionError):
    """Raised inside the Hypothesis test so that it shrinks; carries the evaluation."""

    def __init__(self, evaluation: Evaluation) -> None:
        assert evaluation.mismatch is not None
        super().__init__(f"{evaluation.mismatch.kind.value}: {evaluation.mismatch.explanation}")
        self.evaluation = evaluation


class _Skip(Exception):
    def __init__(self, observation: Observation) -> None:
        super().__init__(observation.message)
        self.observation = observation


# One subclass per kind so Hypothesis keeps different kinds of mismatch apart while shrinking.
_KIND_ERRORS: dict[MismatchKind, type[MismatchFound]] = {
    kind: type(f"{kind.value.title()}Mismatch", (MismatchFound,), {}) for kind in MismatchKind
}


@dataclass(frozen=True)
class EngineSettings:
    examples: int = 100
    seed: int | None = 0
    strict_reasons: bool = False
    application_id: str = DEFAULT_APPLICATION_ID
    issuer_path: str = ""
    case_dir: Path | None = None  # where failure case files are written
    target_spec: str = ""  # for the replay command
    profile_name: str = "convex-oidc"
    shrink: bool = True
    shrink_budget: float = 30.0  # seconds of target calls spent shrinking after the first mismatch


class Engine:
    """Runs checks of one profile against one target, with one issuer."""

    def __init__(self, profile: Profile, target: Runnable, publisher: Publisher, config: EngineSettings,
                 *, on_example: Callable[[Check, Evaluation], None] | None = None) -> None:
        self.profile = profile
        self.target = target
        self.publisher = publisher
        self.config = config
        self.on_example = on_example

    def env(self) -> GenerationEnv:
        return GenerationEnv(origin=self.publisher.origin, application_id=self.config.application_id,
                             issuer_path=self.config.issuer_path)

    def run(self, checks: Iterable[Check]) -> list[CheckResult]:
        return [self.run_check(check) for check in checks]

    def run_check(self, check: Check) -> CheckResult:
        started = time.perf_counter()
        count = 0
        strategy = check.strategy(self.env())
        # Failures seen so far, by case: replaying one does not call the target again, and once the
        # shrink budget is spent, new examples are discarded so a slow or hanging target cannot
        # make shrinking take forever (the smallest failure found so far is reported).
        failures: dict[str, MismatchFound] = {}
        first_failure_at: list[float] = []
        discarded = 0

        @settings(max_examples=self.config.examples, deadline=None, database=None, derandomize=False,
                  report_multiple_bugs=False, print_blob=False,
                  phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if self.config.shrink else []),
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def property_(case: Case) -> None:
            nonlocal count, discarded
            key = _case_key(case)
            if key in failures:
                raise failures[key]
            if first_failure_at and time.perf_counter() - first_failure_at[0] > self.config.shrink_budget:
                reject()
            count += 1
            evaluation = evaluate(case, self.profile, self.target, publisher=self.publisher,
                                  strict_reasons=self.config.strict_reasons)
            if self.on_example is not None:
                self.on_example(check, evaluation)
            if evaluation.observed.kind is ObservationKind.SKIPPED:
                raise _Skip(evaluation.observed)
            if evaluation.mismatch is not None and self._base_explains(case, evaluation):
                discarded += 1
                reject()
            if evaluation.mismatch is not None:
                failure = _KIND_ERRORS[evaluation.mismatch.kind](evaluation)
                failures[key] = failure
                if not first_failure_at:
                    first_failure_at.append(time.perf_counter())
                raise failure

        if self.config.seed is not None:
            property_ = hypothesis_seed(self.config.seed)(property_)
        try:
            property_()
        except _Skip as skip:
            return CheckResult(check.id, CheckStatus.SKIPPED, count, time.perf_counter() - started,
                               message=f"target skipped: {skip.observation.message}")
        except MismatchFound as found:
            return self._failed(check, found.evaluation, count, time.perf_counter() - started)
        except Flaky as flaky:
            found = _first_mismatch(flaky)
            if found is not None:
                result = self._failed(check, found.evaluation, count, time.perf_counter() - started)
                return CheckResult(result.check_id, CheckStatus.ERROR, result.examples, result.duration,
                                   result.failure, "target answered the same case differently on a rerun "
                                                   "(nondeterministic); " + result.failure.explanation)
            return CheckResult(check.id, CheckStatus.ERROR, count, time.perf_counter() - started,
                               message=f"nondeterministic target: {flaky}")
        except HypothesisException as exc:
            return CheckResult(check.id, CheckStatus.ERROR, count, time.perf_counter() - started,
                               message=f"generation failed: {type(exc).__name__}: {exc}")
        if count and discarded == count:
            return CheckResult(check.id, CheckStatus.SKIPPED, count, time.perf_counter() - started,
                               message="the target already disagreed with the reference on the unmutated token of "
                                       "every example, so no mutation could be judged (see token.valid)")
        return CheckResult(check.id, CheckStatus.PASSED, count, time.perf_counter() - started)

    def _base_explains(self, case: Case, evaluation: Evaluation) -> bool:
        """Whether a DENY or MAPPING on a mutated case already happens on its unmutated base token.

        Such an example says nothing about the mutation (the base-token disagreement is what
        `token.valid` reports), so it is discarded instead of being reported under this check.
        """
        mismatch = evaluation.mismatch
        if case.base is None or mismatch is None or mismatch.kind not in (MismatchKind.DENY, MismatchKind.MAPPING):
            return False
        base = evaluate(case.base(), self.profile, self.target, publisher=self.publisher,
                        strict_reasons=self.config.strict_reasons)
        return base.mismatch is not None and base.mismatch.kind is mismatch.kind

    def _failed(self, check: Check, evaluation: Evaluation, count: int, duration: float) -> CheckResult:
        mismatch = evaluation.mismatch
        assert mismatch is not None
        failure = Failure(kind=mismatch.kind, case=evaluation.case, expected=evaluation.expected,
                          observed=evaluation.observed, explanation=mismatch.explanation)
        failure = self._store(check, failure)
        status = CheckStatus.ERROR if mismatch.kind is MismatchKind.ERROR else CheckStatus.FAILED
        return CheckResult(check.id, status, count, duration, failure, mismatch.explanation)

    def _store(self, check: Check, failure: Failure) -> Failure:
        if self.config.case_dir is None:
            return failure
        directory = Path(self.config.case_dir)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{check.id}.json"
        command = replay_command(path, self.config.target_spec, self.config.profile_name)
        failure = Failure(failure.kind, failure.case, failure.expected, failure.observed, failure.explanation,
                          case_file=str(path), replay_command=command)
        document: dict[str, Any] = {"check": check.id, **failure.to_json()}
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n")
        temporary.replace(path)
        return failure


def _case_key(case: Case) -> str:
    return json.dumps(case.to_json(), sort_keys=True, default=repr)


def replay_command(path: Path | str, target_spec: str, profile_name: str = "convex-oidc") -> str:
    parts = ["idtoken-conformance", "replay", str(path), "--target", target_spec or "SPEC"]
    if profile_name != "convex-oidc":
        parts += ["--profile", profile_name]
    return " ".join(shlex.quote(p) for p in parts)


def _first_mismatch(error: BaseException) -> MismatchFound | None:
    if isinstance(error, MismatchFound):
        return error
    for inner in getattr(error, "exceptions", ()) or ():
        found = _first_mismatch(inner)
        if found is not None:
            return found
    cause = error.__cause__ or error.__context__
    return _first_mismatch(cause) if cause is not None else None
