"""Each miniature's one bug is caught by the check meant for it, and reported only as what it is."""

from __future__ import annotations

import pytest

from conformance.catalog import checks_for
from conformance.results import CheckStatus, MismatchKind

from engine_support import miniature, run_checks

# miniature -> (checks that must catch it, the mismatch kind, checks that must still pass)
BUGS = {
    "ignores_audience": ({"aud.client-id", "aud.extra-audience", "token.access-token"}, MismatchKind.BYPASS,
                         ("token.valid", "iss.exact", "exp.expired")),
    "allows_extra_audience": ({"aud.extra-audience"}, MismatchKind.BYPASS, ("aud.client-id", "aud.array-forms")),
    "accepts_alg_none": ({"signature.alg-none"}, MismatchKind.BYPASS, ("token.valid", "signature.wrong-key")),
    "exp_off_by_one": ({"exp.expired"}, MismatchKind.BYPASS, ("exp.boundary", "token.valid")),
    "exp_leeway_60": ({"exp.expired"}, MismatchKind.BYPASS, ("exp.boundary", "exp.far-future")),
    "ignores_typ": ({"header.typ"}, MismatchKind.BYPASS, ("header.crit", "header.cty", "token.valid")),
    "tries_every_key": ({"keyset.selection"}, MismatchKind.BYPASS, ("keyset.eligibility", "signature.wrong-key")),
    "flattens_custom_claims": ({"identity.custom-claims"}, MismatchKind.MAPPING, ("aud.client-id", "exp.expired")),
    "crashes_on_malformed": ({"parser.segments"}, MismatchKind.ERROR, ("parser.base64url", "token.valid")),
    "denies_eddsa": ({"token.valid"}, MismatchKind.DENY, ("signature.alg-none", "aud.client-id")),
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_miniature_bug_is_caught_by_its_check_and_only_as_its_kind(name):
    catching, kind, controls = BUGS[name]
    results = run_checks(miniature(name), tuple(sorted(catching)) + controls, examples=25)
    for check_id in catching:
        result = results[check_id]
        expected_status = CheckStatus.ERROR if kind is MismatchKind.ERROR else CheckStatus.FAILED
        assert result.status is expected_status, (check_id, result)
        assert result.failure is not None and result.failure.kind is kind, (check_id, result.failure)
    for check_id in controls:
        assert results[check_id].status is CheckStatus.PASSED, (check_id, results[check_id])


def test_correct_miniature_passes_every_check():
    results = run_checks(miniature("correct"), examples=8)
    assert len(results) == len(checks_for("convex-oidc"))
    failing = {k: (r.status, r.message) for k, r in results.items() if r.status is not CheckStatus.PASSED}
    assert failing == {}
    assert all(r.examples >= 1 for r in results.values())


def test_claims_returning_target_is_compared_on_claims():
    results = run_checks(miniature("correct_claims"), ("token.valid", "identity.custom-claims"), examples=15)
    assert {r.status for r in results.values()} == {CheckStatus.PASSED}


def test_reason_mismatch_only_with_strict_reasons():
    loose = run_checks(miniature("wrong_reason"), ("aud.client-id", "exp.expired"), examples=10)
    strict = run_checks(miniature("wrong_reason"), ("aud.client-id", "exp.expired", "signature.tampered"),
                        examples=10, strict_reasons=True)
    assert {r.status for r in loose.values()} == {CheckStatus.PASSED}
    assert strict["aud.client-id"].failure.kind is MismatchKind.REASON
    assert strict["exp.expired"].failure.kind is MismatchKind.REASON
    # the miniature always says "signature": that is right for tampered signatures
    assert strict["signature.tampered"].status is CheckStatus.PASSED
