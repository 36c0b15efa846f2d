"""The public API: misuse fails early with InvalidArgument naming the argument, and every public
strategy says what it generates and how it shrinks."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from strategy_support import ENV

import strategies
from conformance.check import GenerationEnv
from conformance.keypool import key_pool
from strategies import (audiences, expirations, get_operator, headers, id_token_claims, issue_times, issuer_drafts,
                        key_sets, mutated_cases, not_befores, nows, rfc3339_times, signing_keys, valid_cases)
from strategies.timestamps import MAX_TIMESTAMP

_MISUSES = [
    ("algs", lambda: signing_keys(algs=())),
    ("algs", lambda: signing_keys(algs=("HS256",))),
    ("signing_key", lambda: key_sets(signing_key="no-such-key")),
    ("kid", lambda: key_sets(signing_key="rsa-2048-a", kid=5)),
    ("now", lambda: expirations(now=-1)),
    ("now", lambda: expirations(now=float("nan"))),
    ("now", lambda: issue_times(now="1700000000")),
    ("fractional", lambda: nows(fractional="yes")),
    ("alg", lambda: headers(alg="", kid=None)),
    ("kid", lambda: headers(alg="RS256", kid=3)),
    ("issuer_path", lambda: issuer_drafts(issuer_path="tenant")),
    ("issuer", lambda: id_token_claims(issuer="", application_id="app", now=0)),
    ("scopes", lambda: id_token_claims(issuer="https://i", application_id="app", now=0, scopes=5)),
    ("application_id", lambda: audiences(application_id="")),
    ("min_value", lambda: rfc3339_times(min_value=5, max_value=1)),
    ("env", lambda: valid_cases(env="http://127.0.0.1:8080")),
    ("env.origin", lambda: valid_cases(env=GenerationEnv(origin="127.0.0.1:8080"))),
    ("env.origin", lambda: valid_cases(env=GenerationEnv(origin="http://127.0.0.1:8080/"))),
    ("operators", lambda: mutated_cases(env=ENV, operators=[])),
    ("operators", lambda: mutated_cases(env=ENV, operators="aud.missing")),
    ("operators", lambda: mutated_cases(env=ENV, operators=["aud.no-such-operator"])),
]


@pytest.mark.parametrize("argument,call", _MISUSES, ids=[f"{a}-{i}" for i, (a, _) in enumerate(_MISUSES)])
def test_misuse_raises_invalid_argument_naming_the_argument(argument, call):
    with pytest.raises(InvalidArgument, match=rf"{argument.replace('.', r'[.]')}"):
        call()


def test_every_public_strategy_has_a_docstring_that_says_how_it_shrinks():
    public = [getattr(strategies, name) for name in strategies.__all__]
    functions = [obj for obj in public if inspect.isfunction(obj) and obj.__module__.startswith("strategies.")]
    strategy_functions = [f for f in functions if "SearchStrategy" in str(inspect.signature(f).return_annotation)]
    assert len(strategy_functions) >= 20
    for function in strategy_functions:
        doc = inspect.getdoc(function) or ""
        assert "hrink" in doc, f"{function.__name__} does not say what it shrinks towards"
        assert all(p.kind is p.KEYWORD_ONLY for p in inspect.signature(function).parameters.values()), \
            f"{function.__name__} takes positional options"


def test_unknown_operator_lookup_names_the_known_ones():
    with pytest.raises(ValueError, match="aud.missing"):
        get_operator("aud.nope")


@settings(max_examples=5, deadline=None)
@given(mutated_cases(env=ENV, operators=[get_operator("aud.missing")]))
def test_operators_may_be_given_as_operator_values(case):
    assert case.recipe["mutations"][0]["operator"] == "aud.missing"
    assert "aud" not in case.recipe["payload"]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_time_strategies_stay_in_their_ranges(data):
    now = data.draw(nows())
    assert 1_400_000_000 < now < 2_200_000_000
    assert data.draw(expirations(now=now)) > int(now)
    assert data.draw(issue_times(now=now)) >= 0
    assert 0 <= data.draw(not_befores(now=now)) <= MAX_TIMESTAMP


@pytest.mark.parametrize("now", [1700000000.0, 1700000000.7])
def test_expirations_reach_the_boundaries_that_matter(now):
    found = settings(database=None, max_examples=2000)
    for target in (int(now) + 1, int(now) + 0.5, now + 5, int(now) + 3600):
        assert find(expirations(now=now), lambda exp, target=target: exp == target, settings=found) == target
    assert find(expirations(now=now), lambda exp: exp > now + 365 * 86400, settings=found) > now


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_signing_keys_are_issuer_keys_of_the_sizes_convex_accepts(data):
    key = data.draw(signing_keys())
    assert key.role == "issuer" and key.natural_alg in ("RS256", "EdDSA")
    assert 2048 <= key.size <= 8192 if key.kty == "RSA" else key.crv == "Ed25519"
    only_eddsa = data.draw(signing_keys(algs=["EdDSA"]))
    assert only_eddsa.crv == "Ed25519"


def test_signing_keys_shrink_to_the_first_2048_bit_key():
    assert find(signing_keys(), lambda key: True, settings=settings(database=None)).id == "rsa-2048-a"


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_key_sets_publish_the_given_kid(data):
    kid = data.draw(st.one_of(st.none(), st.just("ave-oidc-v1")))
    jwks = data.draw(key_sets(signing_key=key_pool()["ed25519-a"], kid=kid))
    own = [entry for entry in jwks["keys"] if entry.get("x") == key_pool()["ed25519-a"].public_jwk["x"]
           and entry.get("use") != "enc"]
    assert len(own) == 1 and own[0].get("kid") == kid
