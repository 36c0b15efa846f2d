"""Spreading a certification run over worker processes (``--jobs N``).

Each worker owns its own target process and local issuer and runs a fixed share of the checks.
Every check is seeded on its own, so the verdicts do not depend on how checks are shared out;
results come back in catalog order.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from typing import Any, Callable

from .check import Check
from .results import CheckResult, RunResult
from .session import CertificationSession, SessionOptions

__all__ = ["run_parallel"]


def run_parallel(options: SessionOptions, *, on_result: Callable[[Check, CheckResult], None] | None = None
                 ) -> tuple[RunResult, CertificationSession]:
    """Run every selected check over ``options.jobs`` processes; returns the run and a (closed) session
    whose metadata and checks describe it."""
    planner = CertificationSession(options)
    checks = planner.checks
    jobs = max(1, min(options.jobs, len(checks)))
    shares = [[c.id for c in checks[i::jobs]] for i in range(jobs)]
    by_id = {c.id: c for c in checks}
    results: dict[str, CheckResult] = {}
    implementation: dict[str, Any] = {}
    started = None
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_run_share, replace(options, only=tuple(share), jobs=1)) for share in shares if share]
        for future in as_completed(futures):
            share_results, share_implementation, share_started = future.result()
            implementation = implementation or share_implementation
            started = min(started, share_started) if started else share_started
            for result in share_results:
                results[result.check_id] = result
                if on_result is not None:
                    on_result(by_id[result.check_id], result)
    planner.results = [results[c.id] for c in checks if c.id in results]
    run = RunResult(planner.metadata(implementation=implementation, started_at=started or ""),
                    tuple(planner.results))
    return run, planner


def _run_share(options: SessionOptions) -> tuple[list[CheckResult], dict[str, Any], str]:
    session = CertificationSession(options)
    with session:
        run = session.run_all()
        implementation = dict(run.metadata.implementation)
    return list(run.results), implementation, run.metadata.started_at
