"""The convex-oidc reference validator as a target, reading discovery and keys over real HTTP.

A conformant target (it passes every check): it shows what a passing certification looks like and
doubles as a model of the Convex behaviour for anyone writing their own emulation.

    idtoken-conformance certify --target examples/reference_target.py:validate
"""

from __future__ import annotations

from typing import Any, Mapping

from conformance import ProviderConfig, Rejected, TargetContext
from conformance.fetching import HttpFetcher
from conformance.reference import validate as reference

implementation = {"name": "convex-oidc reference", "language": "python"}
_fetch = HttpFetcher(timeout=5.0)


def validate(token: str, ctx: TargetContext) -> Mapping[str, Any]:
    verdict = reference(token, provider=ProviderConfig(ctx.domain, ctx.application_id), now=ctx.now, fetch=_fetch)
    if not verdict.accepted:
        raise Rejected(verdict.message, reason=verdict.reason.value if verdict.reason else None)
    return dict(verdict.identity or {})


validate.implementation = implementation  # type: ignore[attr-defined]
