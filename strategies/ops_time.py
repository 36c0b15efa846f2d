"""Mutation operators on the time claims exp, iat, nbf and auth_time: values at and around the
clock, absent and null members, and values of the wrong JSON type.

Only ``exp`` is compared with the clock, against ``floor(now)`` and with no leeway (CVX-O3.7); a
future ``iat`` or ``nbf`` is accepted (CVX-O3.8). `expect` is the reason the `convex-oidc`
reference rejects with, or ACCEPT for edits a faithful Convex emulation must still accept.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from conformance.jws import json_bytes
from conformance.reasons import Reason

from .claim_edit import ABSENT, CLAIM_TYPE, DELETE, MISSING, claim_op
from .claims import rfc3339_times
from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator
from .timestamps import MAX_TIMESTAMP

__all__: list[str] = []

_EXP_REFS = ("CVX-O3.7", "OIDCC-3.1.3.7-9", "RFC7519-4.1.4")
_NUMBER_TYPE_REFS = ("CVX-R1", "RFC7519-4.1.4", "RFC7519-2-ND")
_NON_NUMBERS = st.one_of(st.integers(1_600_000_000, 2_000_000_000).map(str), rfc3339_times(), st.just(True),
                         st.just(False), st.just([1700000000]), st.just({"$date": 1700000000}))


def _whole_now(draft: CaseDraft) -> int:
    return math.floor(draft.now)


def _expired(draw: st.DrawFn, draft: CaseDraft) -> Any:
    whole = _whole_now(draft)
    age = draw(st.integers(0, min(whole, 10**8)))
    return whole - age - 0.5 if draw(st.booleans()) and whole - age >= 1 else whole - age


@operator("exp.now-fractional", "exp equals a fractional now: still valid, as now is truncated", tier="-",
          expect=ACCEPT, refs=("CVX-C0", "CVX-O3.7"))
def _exp_now_fractional(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Sets `now` to a fractional reading when it is whole (recorded in the note), then ``exp = now``."""
    note = ""
    if float(draft.now).is_integer():
        draft.now = draft.now + draw(st.integers(1, 999)) / 1000
        note = f"now made fractional: {draft.now}"
    before = draft.payload.get("exp", ABSENT)
    draft.payload["exp"] = draft.now
    return Mutation("exp.now-fractional", "payload.exp", before, draft.now, note)


claim_op("exp.expired", "exp is at or before floor(now)", "exp", _expired, tier="B", expect={Reason.EXPIRED},
         refs=_EXP_REFS)
claim_op("exp.equals-now", "exp equals floor(now): expired, there is no leeway", "exp",
         lambda draw, draft: _whole_now(draft), tier="B", expect={Reason.EXPIRED}, refs=_EXP_REFS)
claim_op("exp.plus-one", "exp is floor(now) + 1: the last valid second", "exp",
         lambda draw, draft: _whole_now(draft) + 1, tier="-", expect=ACCEPT, refs=_EXP_REFS)
claim_op("exp.plus-half", "exp is floor(now) + 0.5: valid, as now is truncated", "exp",
         lambda draw, draft: _whole_now(draft) + 0.5, tier="-", expect=ACCEPT, refs=_EXP_REFS + ("CVX-C0",))
claim_op("exp.missing", "exp is absent", "exp", DELETE, tier="B", expect=MISSING, refs=("CVX-O2", "OIDCC-2-exp"))
claim_op("exp.null", "exp is null (counts as absent)", "exp", st.none(), tier="B", expect=MISSING,
         refs=("CVX-O2", "OIDCC-2-exp", "OIDCC-2-null"))
claim_op("exp.string", "exp is a numeric string", "exp",
         lambda draw, draft: str(_whole_now(draft) + 3600), tier="C", expect=CLAIM_TYPE, refs=_NUMBER_TYPE_REFS)
claim_op("exp.rfc3339", "exp is an RFC 3339 date-time string", "exp",
         rfc3339_times(min_value=2_000_000_000, max_value=4_000_000_000), tier="C", expect=CLAIM_TYPE,
         refs=_NUMBER_TYPE_REFS)
claim_op("exp.boolean", "exp is true or false", "exp", st.booleans(), tier="C", expect=CLAIM_TYPE,
         refs=_NUMBER_TYPE_REFS)
claim_op("exp.negative", "exp is negative", "exp", st.one_of(st.integers(-(2**53), -1), st.just(-0.5)), tier="C",
         expect=CLAIM_TYPE, refs=_NUMBER_TYPE_REFS)
claim_op("exp.huge", "exp is beyond the date range (1e15, or one past the largest date)", "exp",
         st.sampled_from((1e15, MAX_TIMESTAMP + 1, 2**63, 1e300)), tier="C", expect=CLAIM_TYPE,
         refs=_NUMBER_TYPE_REFS + ("CVX-O2a",))
claim_op("exp.largest-date", "exp is the largest timestamp the date library accepts", "exp",
         st.just(MAX_TIMESTAMP), tier="-", expect=ACCEPT, refs=_NUMBER_TYPE_REFS + ("CVX-O2a",))
claim_op("exp.milliseconds", "exp written in milliseconds: far future, Convex has no upper bound", "exp",
         lambda draw, draft: (_whole_now(draft) + draw(st.integers(1, 86_400))) * 1000, tier="-", expect=ACCEPT,
         refs=_EXP_REFS)
claim_op("exp.float", "exp is written as a float", "exp",
         lambda draw, draft: float(_whole_now(draft) + draw(st.integers(1, 86_400))), tier="-", expect=ACCEPT,
         refs=_NUMBER_TYPE_REFS)
claim_op("iat.future", "iat is in the future (never compared with the clock)", "iat",
         lambda draw, draft: _whole_now(draft) + draw(st.integers(1, 10 * 365 * 86_400)), tier="-", expect=ACCEPT,
         refs=("CVX-O3.8", "OIDCC-3.1.3.7-10"))
claim_op("iat.missing", "iat is absent", "iat", DELETE, tier="B", expect=MISSING, refs=("CVX-O2", "OIDCC-2-iat"))
claim_op("iat.null", "iat is null (counts as absent)", "iat", st.none(), tier="B", expect=MISSING,
         refs=("CVX-O2", "OIDCC-2-iat", "OIDCC-2-null"))
claim_op("iat.string", "iat is a string", "iat", _NON_NUMBERS.filter(lambda v: isinstance(v, str)), tier="C",
         expect=CLAIM_TYPE, refs=("CVX-R1", "RFC7519-4.1.6"))
claim_op("iat.negative", "iat is negative", "iat", st.integers(-(2**53), -1), tier="C", expect=CLAIM_TYPE,
         refs=("CVX-R1", "RFC7519-4.1.6"))
claim_op("nbf.future", "nbf is in the future (Convex ignores nbf)", "nbf",
         lambda draw, draft: draw(st.integers(_whole_now(draft) + 1, MAX_TIMESTAMP)), tier="-", expect=ACCEPT,
         refs=("CVX-O3.8", "RFC7519-4.1.5"))
claim_op("nbf.null", "nbf is null (counts as absent)", "nbf", st.none(), tier="-", expect=ACCEPT,
         refs=("CVX-R1", "RFC7519-4.1.5"))
claim_op("nbf.not-a-number", "nbf is a string, boolean, array or object", "nbf", _NON_NUMBERS, tier="C",
         expect=CLAIM_TYPE, refs=("CVX-R1", "RFC7519-4.1.5"))
claim_op("nbf.negative", "nbf is negative", "nbf", st.integers(-(2**53), -1), tier="C", expect=CLAIM_TYPE,
         refs=("CVX-R1", "RFC7519-4.1.5"))
claim_op("auth_time.not-a-timestamp", "auth_time is a numeric string, boolean, array or object", "auth_time",
         _NON_NUMBERS.filter(lambda v: not isinstance(v, str) or v.isdigit()), tier="C", expect=CLAIM_TYPE,
         refs=("CVX-O2", "OIDCC-2-auth_time"))
claim_op("auth_time.rfc3339", "auth_time is an RFC 3339 string (Convex's crates accept it)", "auth_time",
         rfc3339_times(max_value=2_000_000_000), tier="-", expect=ACCEPT, refs=("CVX-O2", "OIDCC-2-auth_time"))


@operator("exp.non-finite", "exp is a NaN or Infinity literal (not JSON)", tier="C", expect={Reason.MALFORMED},
          refs=("CVX-O2a", "RFC8259-6", "RFC7519-7.2"))
def _exp_non_finite(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    literal = draw(st.sampled_from(("NaN", "Infinity", "-Infinity")))
    before = draft.payload.get("exp", ABSENT)
    draft.payload["exp"] = float(literal.lower().replace("infinity", "inf"))
    draft.payload_bytes = json_bytes(draft.payload)
    return Mutation("exp.non-finite", "payload.exp", before, literal, "raw payload bytes")
