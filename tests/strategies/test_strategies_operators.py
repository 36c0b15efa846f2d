"""Every registered mutation operator keeps its intent: the reference answers as `expect` says.

Operators are read from the registry when the tests are collected, so operators added to any
module of `strategies` are covered without editing this file.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from strategy_support import ENV, describe, judge

from conformance.profile import get_profile
from conformance.reasons import Reason
from strategies import ACCEPT, OPERATORS, get_operator, mutated_cases

NAMES = sorted(OPERATORS)
_CONVEX_RULES = {rule.id for rule in get_profile("convex-oidc").rules}
# Kept small so the whole strategy test run stays under a minute; raise it for a thorough run.
EXAMPLES_PER_OPERATOR = int(os.environ.get("STRATEGIES_OPERATOR_EXAMPLES", "12"))


def test_the_registry_holds_the_claim_operators():
    expected = {"iss.prefix", "iss.trailing-slash", "aud.extra-audience", "aud.duplicate", "exp.expired",
                "exp.non-finite", "sub.number", "claims.duplicate-custom", "typ.rejected", "cty.present"}
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_operator_metadata_is_complete(name):
    op = get_operator(name)
    assert re.fullmatch(r"[a-z_]+\.[a-z0-9-]+", name), name
    assert op.title and op.refs and op.tier in {"A", "B", "C", "D", "-"}
    assert {ref for ref in op.refs if ref.startswith("CVX-")} <= _CONVEX_RULES, op.refs
    if op.expect != ACCEPT:
        assert op.expect and set(op.expect) <= {reason.value for reason in Reason}


@pytest.mark.parametrize("name", NAMES)
def test_operator_keeps_its_intent(name):
    op = get_operator(name)

    @settings(max_examples=EXAMPLES_PER_OPERATOR, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(mutated_cases(env=ENV, operators=[name]))
    def check(case):
        mutations = case.recipe["mutations"]
        assert [m["operator"] for m in mutations] == [name]
        verdict = judge(case)
        if op.expect == ACCEPT:
            assert verdict.accepted, f"{name} expects acceptance\n" + describe(case, verdict)
        else:
            assert not verdict.accepted and verdict.reason is not None and verdict.reason.value in op.expect, (
                f"{name} expects a rejection for {sorted(op.expect)}\n" + describe(case, verdict))

    check()
