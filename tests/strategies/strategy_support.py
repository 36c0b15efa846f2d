"""Shared helpers of the strategy tests: the issuer environment and the reference's judgement."""

from __future__ import annotations

import json

from conformance.case import Case
from conformance.check import GenerationEnv
from conformance.fetching import PublicationFetcher
from conformance.verdict import Verdict

__all__ = ["ENV", "judge", "describe"]

ENV = GenerationEnv(origin="http://127.0.0.1:8080", application_id="app_0123456789abcdef0123456789abcdef")


def judge(case: Case) -> Verdict:
    """The convex-oidc reference's verdict on `case`, reading keys straight from its publication."""
    from conformance.reference import validate

    return validate(case.token, provider=case.provider, now=case.now,
                    fetch=PublicationFetcher(case.origin, case.publication))


def describe(case: Case, verdict: Verdict) -> str:
    """Case and verdict as JSON, for assertion messages."""
    return (f"verdict: {json.dumps(verdict.to_json(), default=str)}\n"
            f"case: {json.dumps(case.to_json(), indent=1, ensure_ascii=False)}")
