"""Mutation operators: named, recorded edits of a valid case that target one requirement.

An operator draws what to change (with Hypothesis, so it shrinks) and edits a `CaseDraft`, returning
the `Mutation` record (path, before, after). Each operator states which requirement it targets and
what the `convex-oidc` reference must answer (`expect`: a set of reason codes for a rejection, or
`ACCEPT` for edits that a correct validator must still accept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from hypothesis import strategies as st

from conformance.reasons import Reason

from .draft import CaseDraft

__all__ = ["ACCEPT", "Mutation", "Operator", "OPERATORS", "operator", "get_operator"]

ACCEPT = "accept"

# apply(draw, draft) edits the draft in place and returns the Mutation it made
Apply = Callable[[st.DrawFn, CaseDraft], "Mutation"]


@dataclass(frozen=True)
class Mutation:
    """What one operator changed: `path` like ``payload.aud`` or ``token.signature``."""

    operator: str
    path: str
    before: Any
    after: Any
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"operator": self.operator, "path": self.path, "before": _short(self.before),
                "after": _short(self.after), "note": self.note}


@dataclass(frozen=True)
class Operator:
    name: str  # "<area>.<what>", e.g. "aud.extra-audience"
    title: str  # what it generates, one line
    tier: str  # attack-catalog tier: A forgery, B missing check, C claim type, D parser strictness, - valid edit
    expect: frozenset[str] | str  # reason codes the reference must reject with, or ACCEPT
    apply: Apply = field(repr=False, compare=False)
    refs: tuple[str, ...] = ()  # spec / rule ids it targets
    area: str = ""

    @property
    def expects_acceptance(self) -> bool:
        return self.expect == ACCEPT


OPERATORS: dict[str, Operator] = {}


def operator(name: str, title: str, *, tier: str, expect: frozenset[Reason] | set[Reason] | str,
             refs: tuple[str, ...] = (), area: str = "") -> Callable[[Apply], Apply]:
    """Register an operator (decorator on its apply function)."""

    def register(apply: Apply) -> Apply:
        if name in OPERATORS:
            raise ValueError(f"operator {name!r} registered twice")
        expected = expect if expect == ACCEPT else frozenset(Reason(r).value for r in expect)
        OPERATORS[name] = Operator(name, title, tier, expected, apply, refs, area or name.split(".")[0])
        return apply

    return register


def get_operator(name: str) -> Operator:
    try:
        return OPERATORS[name]
    except KeyError:
        raise ValueError(f"unknown mutation operator {name!r}; known: {', '.join(sorted(OPERATORS))}") from None


def _short(value: Any, limit: int = 300) -> Any:
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + f"...(+{len(value) - limit} chars)"
    return value
