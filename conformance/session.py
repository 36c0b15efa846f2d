"""A certification session: one target, one profile, one issuer, many checks.

Shared by the CLI (``certify``) and the pytest plugin: it starts the target and the local issuer,
runs checks through the engine, applies the known-failures file, and writes the reports.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from . import __version__
from .catalog import checks_for
from .check import Check
from .engine import Engine, EngineSettings, Evaluation
from .errors import UsageError
from .profile import get_profile
from .results import CheckResult, RunMetadata, RunResult

__all__ = ["SessionOptions", "CertificationSession", "case_directory"]


@dataclass(frozen=True)
class SessionOptions:
    target: str
    profile: str = "convex-oidc"
    examples: int = 100
    seed: int | None = 0
    strict_reasons: bool = False
    known_failures: Path | None = None
    report_dir: Path | None = None
    timeout: float = 5.0
    cwd: Path = field(default_factory=Path.cwd)
    jobs: int = 1
    only: tuple[str, ...] = ()  # check ids or id prefixes; empty = all


class CertificationSession:
    """Owns the running target and issuer for the duration of a run."""

    def __init__(self, options: SessionOptions, *,
                 on_example: Callable[[Check, Evaluation], None] | None = None) -> None:
        self.options = options
        self.profile = get_profile(options.profile)
        self.checks = select_checks(checks_for(options.profile), options.only)
        self.results: list[CheckResult] = []
        self._on_example = on_example
        self._known = None
        self._target: Any = None
        self._issuer: Any = None
        self._engine: Engine | None = None
        self._started_at = ""

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> "CertificationSession":
        from .issuer import LocalIssuer
        from .targets import load_target

        if self.options.known_failures is not None:
            from .known_failures import load_known_failures

            # validated against the whole catalog: with --only, entries of checks not run are not stale
            every_id = [c.id for c in checks_for(self.options.profile)]
            self._known = load_known_failures(self.options.known_failures, known_ids=every_id)
        self._started_at = _now()
        target = load_target(self.options.target, timeout=self.options.timeout, cwd=str(self.options.cwd))
        issuer = LocalIssuer()
        issuer.start()
        self._issuer = issuer
        try:
            target.__enter__()
        except BaseException:
            issuer.stop()
            raise
        self._target = target
        case_dir = case_directory(self.options)
        config = EngineSettings(examples=self.options.examples, seed=self.options.seed,
                                strict_reasons=self.options.strict_reasons, case_dir=case_dir,
                                target_spec=self.options.target, profile_name=self.profile.name)
        self._engine = Engine(self.profile, target, issuer, config, on_example=self._on_example)
        return self

    def close(self) -> None:
        if self._target is not None:
            self._target.__exit__(None, None, None)
            self._target = None
        if self._issuer is not None:
            self._issuer.stop()
            self._issuer = None

    def __enter__(self) -> "CertificationSession":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running -------------------------------------------------------------------------------
    def run_check(self, check: Check) -> CheckResult:
        if self._engine is None:
            raise RuntimeError("session not started")
        result = self._engine.run_check(check)
        if self._known is not None:
            from .known_failures import apply_known_failures

            (result,) = apply_known_failures((result,), self._known)
        self.results.append(result)
        return result

    def run_all(self, *, on_result: Callable[[Check, CheckResult], None] | None = None) -> RunResult:
        for check in self.checks:
            result = self.run_check(check)
            if on_result is not None:
                on_result(check, result)
        return self.run_result()

    def run_result(self, results: Sequence[CheckResult] | None = None) -> RunResult:
        return RunResult(self.metadata(), tuple(self.results if results is None else results))

    def metadata(self, *, implementation: Mapping[str, Any] | None = None,
                 started_at: str | None = None) -> RunMetadata:
        """Run metadata; `implementation` and `started_at` default to this session's own target and start
        (a parallel run passes what its workers reported)."""
        if implementation is None:
            described = getattr(self._target, "implementation", None)
            implementation = {} if described is None else described.to_json()
        return RunMetadata(
            suite_version=__version__, profile=self.profile.name, profile_version=self.profile.version,
            target=self.options.target, implementation=dict(implementation),
            python=platform.python_version(), platform=f"{platform.system()} {platform.release()} ({sys.platform})",
            seed=self.options.seed, examples_per_check=self.options.examples,
            started_at=self._started_at if started_at is None else started_at,
            finished_at=_now(), strict_reasons=self.options.strict_reasons, jobs=self.options.jobs)

    def finish(self) -> RunResult:
        """Stop the target and issuer, write reports when asked, return the run."""
        run = self.run_result()
        self.close()
        if self.options.report_dir is not None:
            from .reports import write_reports

            write_reports(run, self.checks, self.options.report_dir)
        return run


def case_directory(options: SessionOptions) -> Path:
    """Where failures are stored: ``<report>/cases``, or ``.idtoken-conformance/cases`` in the working
    directory when no report is asked for (every failure is stored, so it can always be replayed)."""
    if options.report_dir is not None:
        return options.report_dir / "cases"
    return options.cwd / ".idtoken-conformance" / "cases"


def select_checks(checks: Sequence[Check], only: Sequence[str]) -> list[Check]:
    if not only:
        return list(checks)
    chosen = [c for c in checks if any(c.id == o or c.id.startswith(o.rstrip(".") + ".") for o in only)]
    if not chosen:
        raise UsageError(f"no check matches {', '.join(only)}", "list the checks with `idtoken-conformance checks`")
    return chosen


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
