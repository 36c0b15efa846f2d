"""The check catalog: complete, unambiguous, traced to specs, and its expectations hold on the reference."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

import pytest
from hypothesis import HealthCheck, given, settings

from conformance.catalog import CONVEX_OIDC_CHECKS, checks_for, operators_of
from conformance.check import Expectation, GenerationEnv, spec_link
from conformance.fetching import PublicationFetcher
from conformance.profile import get_profile
from strategies.mutation import OPERATORS

CHECKS = checks_for("convex-oidc")
ENV = GenerationEnv(origin="http://127.0.0.1:8765")


def test_every_operator_belongs_to_exactly_one_check_and_every_pattern_selects_one():
    names = list(OPERATORS)
    owners: dict[str, list[str]] = {}
    for spec in CONVEX_OIDC_CHECKS:
        for pattern in spec.patterns:
            assert any(fnmatchcase(n, pattern) for n in names), f"{spec.id}: {pattern} selects nothing"
        for name in operators_of(spec, names):
            owners.setdefault(name, []).append(spec.id)
    assert sorted(set(names) - set(owners)) == []
    assert {n: o for n, o in owners.items() if len(o) > 1} == {}


def test_ids_are_stable_shaped_unique_and_never_prefixes_of_each_other():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    for check_id in ids:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9-]+", check_id), check_id
        assert not any(other != check_id and other.startswith(check_id + ".") for other in ids)


def test_every_check_states_a_requirement_with_spec_and_rule_references():
    rule_ids = {rule.id for rule in get_profile("convex-oidc").rules}
    for check in CHECKS:
        assert check.title and not check.title.lower().startswith(("test", "should", "check that")), check.id
        assert check.refs, check.id
        assert check.rules and set(check.rules) <= rule_ids, (check.id, set(check.rules) - rule_ids)
        spec_refs = [r for r in check.refs if not r.startswith("CVX-")]
        assert spec_refs, f"{check.id} names no standard"
        for ref in spec_refs:
            assert spec_link(ref), (check.id, ref)
        assert check.expectation("convex-oidc") is not None


def test_the_catalog_covers_every_attack_tier_and_area():
    assert {c.attack for c in CHECKS} >= {"A", "B", "C", "D"}
    assert {c.area for c in CHECKS} >= {"iss", "aud", "exp", "signature", "header", "claims", "parser",
                                        "discovery", "keyset", "identity"}


@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_declared_expectation_holds_on_the_reference(check):
    reference = get_profile("convex-oidc")
    expectation = check.expectation("convex-oidc")

    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(check.strategy(ENV))
    def holds(case):
        verdict = reference.verdict(case.token, provider=case.provider, now=case.now,
                                    fetch=PublicationFetcher(case.origin, case.publication))
        if expectation is Expectation.ACCEPT:
            assert verdict.accepted, verdict
        elif expectation is Expectation.REJECT:
            assert not verdict.accepted

    holds()


def test_spec_links_point_at_the_section():
    assert spec_link("RFC7515-4.1.11-a") == "https://www.rfc-editor.org/rfc/rfc7515#section-4.1.11"
    assert spec_link("RFC8037-2/3.1") == "https://www.rfc-editor.org/rfc/rfc8037#section-2"
    assert spec_link("RFC9864-4 / 7") == "https://www.rfc-editor.org/rfc/rfc9864#section-4"
    assert spec_link("RFC7519-4-a") == "https://www.rfc-editor.org/rfc/rfc7519#section-4"
    assert spec_link("OIDCC-3.1.3.7-3").endswith("#IDTokenValidation")
    assert spec_link("bis-3.14") == spec_link("RFC8725bis-3.14") != spec_link("RFC8725-3.14")
    assert spec_link("CVX-O3.3") is None
