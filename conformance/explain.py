"""Human-readable text for a check result: what was required, what happened, how to replay it."""

from __future__ import annotations

import base64
import json
from typing import Any

from .check import Check
from .reports._document import describe_observation, describe_verdict
from .results import CheckResult, Failure

__all__ = ["explain_result", "describe_token"]

_TOKEN_LIMIT = 600


def explain_result(check: Check, result: CheckResult) -> str:
    lines = [f"{check.id} [{check.level.value}] {result.status.value.upper()}: {check.title}"]
    if check.refs:
        lines.append(f"  spec: {', '.join(check.refs)}")
    if result.failure is None:
        if result.message:
            lines.append(f"  {result.message}")
        return "\n".join(lines)
    lines.extend(explain_failure(result.failure))
    return "\n".join(lines)


def explain_failure(failure: Failure) -> list[str]:
    case = failure.case
    expected = failure.expected
    observed = failure.observed
    lines = [f"  {failure.kind.value}: {failure.explanation}"]
    lines.append(f"  reference: {describe_verdict(expected)}")
    lines.append(f"  target:    {describe_observation(observed)}")
    mutations = case.recipe.get("mutations") if isinstance(case.recipe, dict) else None
    for mutation in mutations or []:
        lines.append(f"  mutation:  {mutation.get('operator')} {mutation.get('path')}: "
                     f"{_short(mutation.get('before'))} -> {_short(mutation.get('after'))}")
    lines.append(f"  now:       {case.now}")
    lines.append(f"  provider:  domain={case.provider.domain} applicationID={case.provider.application_id}")
    header, payload = describe_token(case.token)
    lines.append(f"  header:    {header}")
    lines.append(f"  payload:   {payload}")
    token = case.token if len(case.token) <= _TOKEN_LIMIT else case.token[:_TOKEN_LIMIT] + f"... ({len(case.token)} chars)"
    lines.append(f"  token:     {token}")
    if observed.detail:
        lines.append("  target detail:")
        lines.extend("    " + line for line in observed.detail.rstrip().splitlines()[-15:])
    if observed.stderr:
        lines.append("  target stderr:")
        lines.extend("    " + line for line in observed.stderr.rstrip().splitlines()[-10:])
    if failure.case_file:
        lines.append(f"  case file: {failure.case_file}")
    if failure.replay_command:
        lines.append(f"  replay:    {failure.replay_command}")
    return lines


def describe_token(token: str) -> tuple[str, str]:
    """The header and payload decoded leniently, for display only."""
    parts = token.split(".")
    return (_decode(parts[0]) if parts else "-", _decode(parts[1]) if len(parts) > 1 else "-")


def _decode(segment: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        text = raw.decode("utf-8")
        try:
            return _short(json.loads(text), 400)
        except ValueError:
            return _short(text, 400)
    except Exception:  # display only: anything undecodable is shown raw
        return _short(segment, 120)


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=False, default=repr)
    return text if len(text) <= limit else text[:limit] + "..."
