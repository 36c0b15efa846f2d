"""A hanging or crashing subprocess target is an error, never a rejection, and the run goes on."""

from __future__ import annotations

import sys

from conformance.observation import ErrorKind
from conformance.results import CheckStatus, MismatchKind

from engine_support import HERE, run_checks

ADAPTER = f"exec:{sys.executable} {HERE / 'hanging_adapter.py'}"


def test_hang_and_crash_are_errors_and_other_checks_still_pass():
    results = run_checks(ADAPTER, ("signature.alg-none", "parser.segments", "token.valid", "aud.client-id"),
                         examples=8, timeout=1.0)
    hang = results["signature.alg-none"]
    assert hang.status is CheckStatus.ERROR
    assert hang.failure.kind is MismatchKind.ERROR
    assert hang.failure.observed.error is ErrorKind.TIMEOUT
    crash = results["parser.segments"]
    assert crash.status is CheckStatus.ERROR
    assert crash.failure.observed.error is ErrorKind.CRASH
    assert "cannot split token" in crash.failure.observed.stderr
    assert results["token.valid"].status is CheckStatus.PASSED
    assert results["aud.client-id"].status is CheckStatus.PASSED
