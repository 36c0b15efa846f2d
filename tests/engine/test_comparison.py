"""Comparing observations with verdicts: each mismatch kind, number normalisation, reason equivalence."""

from __future__ import annotations

from conformance.comparison import compare, normalize, same
from conformance.observation import ErrorKind, Observation
from conformance.reasons import Reason
from conformance.results import MismatchKind
from conformance.verdict import Verdict

ACCEPTED = Verdict.accept({"sub": "a", "n": 1}, {"tokenIdentifier": "i|a", "subject": "a"})
REJECTED = Verdict.reject(Reason.AUDIENCE, "CVX-O3.3", "extra audience")
ROUTED = Verdict.reject(Reason.AUDIENCE, "CVX-R4", "no provider")


def kind(expected, observed, strict=False):
    mismatch = compare(expected, observed, strict_reasons=strict)
    return None if mismatch is None else mismatch.kind


def test_each_kind():
    assert kind(REJECTED, Observation.accept(claims={})) is MismatchKind.BYPASS
    assert kind(ACCEPTED, Observation.reject(reason="expired")) is MismatchKind.DENY
    assert kind(ACCEPTED, Observation.accept(identity={"tokenIdentifier": "i|a"})) is MismatchKind.MAPPING
    assert kind(ACCEPTED, Observation.accept(claims={"sub": "a"})) is MismatchKind.MAPPING
    assert kind(REJECTED, Observation.reject(reason="expired"), strict=True) is MismatchKind.REASON
    assert kind(REJECTED, Observation.errored(ErrorKind.TIMEOUT, "hung")) is MismatchKind.ERROR
    assert kind(ACCEPTED, Observation.errored(ErrorKind.CRASH, "died")) is MismatchKind.ERROR


def test_agreements():
    assert kind(ACCEPTED, Observation.accept(identity={"tokenIdentifier": "i|a", "subject": "a"})) is None
    assert kind(ACCEPTED, Observation.accept(claims={"sub": "a", "n": 1.0})) is None
    assert kind(ACCEPTED, Observation.accept()) is None  # nothing returned to compare
    assert kind(REJECTED, Observation.reject()) is None
    assert kind(REJECTED, Observation.reject(reason="expired")) is None  # reasons only with strict
    assert kind(REJECTED, Observation.reject(reason="audience"), strict=True) is None
    assert kind(REJECTED, Observation.skip("not supported")) is None


def test_routing_failures_may_be_named_by_their_cause_or_as_no_provider():
    for reason in ("no_provider", "audience", "issuer"):
        assert kind(ROUTED, Observation.reject(reason=reason), strict=True) is None
    assert kind(ROUTED, Observation.reject(reason="signature"), strict=True) is MismatchKind.REASON
    assert kind(REJECTED, Observation.reject(reason="no_provider"), strict=True) is MismatchKind.REASON
    assert kind(REJECTED, Observation.reject(reason="not-a-code"), strict=True) is MismatchKind.REASON


def test_numbers_compare_as_json_doubles():
    assert same(normalize({"a": 18446744073709551616}), normalize({"a": 1.8446744073709552e19}))
    assert same(normalize({"a": 2**53 + 1}), normalize({"a": float(2**53)}))
    assert same(normalize({"a": 1}), normalize({"a": 1.0}))
    assert not same(normalize({"a": 2**53 - 1}), normalize({"a": 2**53 - 2}))
    assert not same(normalize({"a": True}), normalize({"a": 1}))
    assert not same(normalize({"a": None}), normalize({}))
    assert same(normalize({"a": [1, (2, 3)]}), {"a": [1.0, [2.0, 3.0]]})
    assert kind(ACCEPTED, Observation.accept(claims={"sub": "a", "n": True})) is MismatchKind.MAPPING


def test_mapping_explanation_names_the_difference():
    mismatch = compare(ACCEPTED, Observation.accept(claims={"sub": "b", "extra": 1}))
    assert "missing n" in mismatch.explanation
    assert "unexpected extra" in mismatch.explanation
    assert "sub: expected" in mismatch.explanation
