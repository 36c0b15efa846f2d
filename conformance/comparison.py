"""Comparing a target's observation with the reference verdict, and naming the mismatch.

BYPASS: the target accepts what the reference rejects. DENY: it rejects what the reference
accepts. MAPPING: both accept, with different claims or identity. REASON: both reject, for
different reasons (only with strict reasons). ERROR: the target crashed, hung or broke the protocol.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from .observation import Observation, ObservationKind
from .reasons import ROUTING_REASONS, Reason
from .results import MismatchKind
from .verdict import Verdict

__all__ = ["Mismatch", "compare", "normalize", "same"]


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    explanation: str


def compare(expected: Verdict, observed: Observation, *, strict_reasons: bool = False) -> Mismatch | None:
    """The mismatch between reference and target, or None when they agree. Skips are not mismatches."""
    if observed.kind is ObservationKind.ERRORED:
        kind = observed.error.value if observed.error else "error"
        return Mismatch(MismatchKind.ERROR, f"target {kind}: {observed.message}".strip())
    if observed.kind is ObservationKind.SKIPPED:
        return None
    if expected.accepted and observed.rejected:
        said = f" ({observed.reason})" if observed.reason else ""
        return Mismatch(MismatchKind.DENY, f"target rejected{said} a token the reference accepts"
                                           f"{': ' + observed.message if observed.message else ''}")
    if not expected.accepted and observed.accepted:
        return Mismatch(MismatchKind.BYPASS, f"target accepted a token the reference rejects "
                                             f"[{expected.reason}, {expected.rule}]: {expected.message}")
    if expected.accepted:
        return _compare_acceptance(expected, observed)
    if strict_reasons and observed.reason is not None and not _same_reason(expected, observed.reason):
        return Mismatch(MismatchKind.REASON, f"target rejected with reason {observed.reason!r}, the reference with "
                                             f"{expected.reason.value if expected.reason else None!r} "
                                             f"[{expected.rule}]")
    return None


def _compare_acceptance(expected: Verdict, observed: Observation) -> Mismatch | None:
    if observed.identity is not None:
        return _diff("identity", expected.identity or {}, observed.identity)
    if observed.claims is not None:
        return _diff("claims", expected.claims or {}, observed.claims)
    return None


def _diff(what: str, want: Mapping[str, Any], got: Mapping[str, Any]) -> Mismatch | None:
    want_n, got_n = normalize(want), normalize(got)
    if same(want_n, got_n):
        return None
    missing = sorted(set(want_n) - set(got_n))
    extra = sorted(set(got_n) - set(want_n))
    changed = sorted(k for k in set(want_n) & set(got_n) if not same(want_n[k], got_n[k]))
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    for key in changed[:5]:
        parts.append(f"{key}: expected {_short(want_n[key])}, got {_short(got_n[key])}")
    return Mismatch(MismatchKind.MAPPING, f"{what} differ: " + "; ".join(parts))


def _same_reason(expected: Verdict, observed_reason: str) -> bool:
    try:
        observed = Reason(observed_reason)
    except ValueError:
        return False
    if expected.reason is None:
        return False
    if expected.rule == "CVX-R4" and observed in ROUTING_REASONS:
        return True
    return observed is expected.reason


def normalize(value: Any) -> Any:
    """JSON-normal form, so 1 and 1.0, tuples and lists compare as JSON would.

    Every number becomes a double: a JSON number is an IEEE double to the JavaScript client that
    reads a Convex identity, so 1 and 1.0, or 18446744073709551616 and 1.8446744073709552e19, are the
    same value. Booleans stay booleans (compare with `same`, which tells ``true`` from ``1``).
    """
    try:
        text = json.dumps(value, sort_keys=True, allow_nan=True, default=repr)
    except (TypeError, ValueError):
        return repr(value)
    return _as_doubles(json.loads(text))


def _as_doubles(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return value
    if isinstance(value, list):
        return [_as_doubles(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_doubles(item) for key, item in value.items()}
    return value


def same(left: Any, right: Any) -> bool:
    """JSON equality of two normalized values, with booleans distinct from numbers."""
    return _canonical(left) == _canonical(right)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=True, default=repr)


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, sort_keys=True, default=repr)
    return text if len(text) <= limit else text[:limit] + "..."
