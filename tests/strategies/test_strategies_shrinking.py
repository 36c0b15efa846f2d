"""Shrinking: a counterexample found for a buggy validator comes out small and readable."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, find, settings
from strategy_support import ENV, judge

from conformance.reasons import Reason
from strategies import OPERATORS, mutated_cases, nows, valid_drafts

_FIND = settings(max_examples=300, database=None, deadline=None, derandomize=True,
                 suppress_health_check=list(HealthCheck))  # derandomized: a stable run, not a lucky one
_SIMPLEST_PAYLOAD = {"iss", "sub", "aud", "exp", "iat"}


def _assert_simplest_base(case):
    recipe = case.recipe
    assert recipe["key_id"] == "rsa-2048-a"
    assert recipe["header"] == {"alg": "RS256", "typ": "JWT", "kid": "ave-oidc-v1"}
    assert set(recipe["payload"]) <= _SIMPLEST_PAYLOAD
    assert recipe["scopes"] == ["openid"]
    assert len(json.loads(case.publication.jwks.body)["keys"]) == 1
    assert case.publication.discovery.path == "/.well-known/openid-configuration"


def test_a_validator_ignoring_the_audience_shrinks_to_a_minimal_audience_case():
    # such a validator disagrees with the reference exactly where the reference rejects for audience
    case = find(mutated_cases(env=ENV, operators=sorted(OPERATORS)),
                lambda c: judge(c).reason is Reason.AUDIENCE, settings=_FIND)
    _assert_simplest_base(case)
    assert case.recipe["mutations"][0]["operator"].startswith("aud.")
    assert case.now == 1700000000.0
    assert len(case.token) < 800


def test_a_validator_with_one_second_of_leeway_shrinks_to_exp_equals_now():
    def leeway_bug(case):
        exp = case.recipe["payload"].get("exp")
        return (judge(case).reason is Reason.EXPIRED and isinstance(exp, (int, float))
                and exp >= math.floor(case.now) - 1)

    case = find(mutated_cases(env=ENV, operators=["exp.expired", "exp.equals-now"]), leeway_bug, settings=_FIND)
    _assert_simplest_base(case)
    assert case.recipe["payload"]["exp"] == 1700000000 == case.now


def test_a_valid_draft_with_an_email_shrinks_to_the_email_scope_alone():
    draft = find(valid_drafts(env=ENV), lambda d: "email" in d.payload, settings=_FIND)
    assert draft.scopes == ("openid", "email")
    assert set(draft.payload) == _SIMPLEST_PAYLOAD | {"email"}
    assert draft.key_id == "rsa-2048-a" and len(draft.jwks["keys"]) == 1


def test_clocks_shrink_to_a_round_readable_time():
    assert find(nows(), lambda now: True, settings=_FIND) == 1700000000.0
    assert find(nows(), lambda now: now != int(now), settings=_FIND) == 1700000000.5
