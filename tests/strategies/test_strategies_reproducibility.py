"""Reproducibility: a seed gives the same bytes, no randomness comes from outside Hypothesis, and a
case carries everything needed to replay it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from strategy_support import ENV

import strategies
from conformance.case import Case
from strategies import OPERATORS, mutated_cases, valid_drafts

_PACKAGE = Path(strategies.__file__).parent
_FORBIDDEN_MODULES = {"random", "secrets", "time"}
_FORBIDDEN_NAMES = {"urandom", "uuid1", "uuid4", "getrandbits", "randbytes", "token_bytes", "generate_private_key"}
_CLOCK_READS = {"now", "utcnow", "today"}  # on datetime / date: the wall clock


def _collect(seed_value: int) -> list[str]:
    rendered: list[str] = []

    @seed(seed_value)
    @settings(max_examples=40, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutated_cases(env=ENV, operators=sorted(OPERATORS)))
    def run(case):
        data = case.to_json()
        method = str(case.recipe.get("sign_alg") or case.recipe["header"].get("alg"))
        if method.startswith(("ES", "PS")):
            data.pop("token")  # ECDSA and RSA-PSS signatures differ on every signing
        rendered.append(json.dumps(data, sort_keys=True))

    run()
    return rendered


def test_the_same_seed_gives_byte_identical_cases():
    first = _collect(20240601)
    assert first == _collect(20240601)
    assert first != _collect(7)


def test_no_strategy_module_draws_randomness_from_outside_hypothesis():
    for path in sorted(_PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {alias.name.split(".")[0] for alias in node.names} & _FORBIDDEN_MODULES, path.name
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in _FORBIDDEN_MODULES, path.name
                assert not {alias.name for alias in node.names} & _FORBIDDEN_NAMES, path.name
            elif isinstance(node, ast.Attribute):
                assert node.attr not in _FORBIDDEN_NAMES, f"{path.name}:{node.lineno} uses .{node.attr}"
                reads_clock = (node.attr in _CLOCK_READS and isinstance(node.value, ast.Name)
                               and node.value.id in {"datetime", "date"})
                assert not reads_clock, f"{path.name}:{node.lineno} reads the wall clock"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_cases(env=ENV, operators=sorted(OPERATORS)))
def test_a_case_round_trips_through_json_and_carries_its_recipe(case):
    text = json.dumps(case.to_json())
    again = Case.from_json(json.loads(text))
    assert again == case and again.token == case.token and again.now == case.now
    assert json.dumps(again.to_json()) == text
    recipe = again.recipe
    for member in ("header", "payload", "key_id", "scopes", "mutations", "token_edits"):
        assert member in recipe
    assert recipe["header"].get("alg") is not None or recipe["header_bytes"] is not None or recipe["sign_alg"]
    assert len(recipe["mutations"]) == 1


@settings(max_examples=60, deadline=None)
@given(valid_drafts(env=ENV))
def test_a_valid_case_carries_key_set_clock_and_exact_token(draft):
    case = draft.finish()
    assert case.now == draft.now and case.recipe["key_id"] == draft.key_id
    assert case.publication.jwks_document() == draft.jwks
    assert case.token == draft.token() and case.token.count(".") == 2
    assert case.recipe["header"] == draft.header and case.recipe["payload"] == json.loads(json.dumps(draft.payload))
