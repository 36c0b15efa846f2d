"""The shape most claim and time operators share: set one payload (or header) member to a drawn
value, or delete it, and record the change.

Kept apart from the operator modules so that `ops_time` and `ops_claims` both build on it without
importing each other (importing an operator module registers its operators).
"""

from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import Mutation, operator

__all__ = ["ABSENT", "CLAIM_TYPE", "DELETE", "MISSING", "Value", "claim_op"]

ABSENT = "<absent>"  # how a missing member shows in a Mutation record
DELETE = object()  # a `claim_op` value: remove the member
CLAIM_TYPE = {Reason.CLAIM_TYPE}
MISSING = {Reason.MISSING_CLAIM}
Value = Callable[[st.DrawFn, CaseDraft], Any]


def claim_op(name: str, title: str, claim: str, value: Value | st.SearchStrategy | object, *, tier: str,
             expect: Any, refs: tuple[str, ...], part: str = "payload") -> None:
    """Register an operator that sets member `claim` of the payload (or header) to a drawn value,
    or deletes it."""

    @operator(name, title, tier=tier, expect=expect, refs=refs)
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        members = draft.payload if part == "payload" else draft.header
        before = members.get(claim, ABSENT)
        if value is DELETE:
            members.pop(claim, None)
            return Mutation(name, f"{part}.{claim}", before, ABSENT)
        after = draw(value) if isinstance(value, st.SearchStrategy) else value(draw, draft)  # type: ignore[operator]
        members[claim] = after
        return Mutation(name, f"{part}.{claim}", before, after)
