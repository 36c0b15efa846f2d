"""In-process Python targets: the callable contract, rejections, crashes and the frozen clock."""

from __future__ import annotations

import sys
import time
import types
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from target_helpers import ADAPTERS, PAST, adapter_module

from conformance.context import TargetContext
from conformance.errors import UsageError
from conformance.observation import ErrorKind, ObservationKind
from conformance.targets import PythonTarget
from conformance.targets.frozen_clock import SKIPPED_MODULE_PREFIXES, FrozenClock

CALLABLES = ADAPTERS / "callables.py"
REAL_TIME = time.time
REAL_DATETIME = datetime


def spec(name: str) -> str:
    return f"{CALLABLES}:{name}"


def test_a_returned_mapping_is_the_claims(started, ctx) -> None:
    target = started(spec("accept_claims"))
    observation = target.run("tok", ctx)
    assert observation.kind is ObservationKind.ACCEPTED
    assert observation.claims == {"sub": "tok", "aud": "app-123"} and observation.identity is None
    assert target.implementation.name == "toy-claims" and target.implementation.version == "2.0"
    assert target.implementation.capabilities == {"returns": "claims"}


def test_a_mapping_with_token_identifier_is_the_identity(started, ctx) -> None:
    observation = started(spec("accept_identity")).run("u1", ctx)
    assert observation.accepted and observation.claims is None
    assert observation.identity == {"tokenIdentifier": "https://issuer.test|u1", "subject": "u1"}


def test_the_default_implementation_is_the_module(started) -> None:
    implementation = started(spec("accept_identity")).implementation
    assert (implementation.name, implementation.language) == ("callables", "python")


@pytest.mark.parametrize(("name", "reason"), [("reject_with_reason", "audience"), ("reject_without_reason", None)])
def test_raising_rejected_is_a_rejection_with_its_reason(started, ctx, name: str, reason: str | None) -> None:
    observation = started(spec(name)).run("tok", ctx)
    assert observation.kind is ObservationKind.REJECTED
    assert observation.reason == reason


def test_rejected_with_an_unknown_reason_code_is_a_protocol_error(started, ctx) -> None:
    observation = started(spec("reject_with_unknown_reason")).run("tok", ctx)
    assert observation.kind is ObservationKind.ERRORED and observation.error is ErrorKind.PROTOCOL
    assert '"aud" is not a reason code' in observation.message


@pytest.mark.parametrize(("token", "kind", "reason"), [
    ("expired", ObservationKind.REJECTED, "expired"),  # listed type, `reason` is a code
    ("connection", ObservationKind.REJECTED, None),  # listed type, `reason` is the library's own text
    ("plain", ObservationKind.REJECTED, None),  # listed type, no `reason`
    ("other", ObservationKind.ERRORED, None),  # KeyError: not listed, a crash
])
def test_the_rejects_attribute_decides_what_is_a_rejection(started, ctx, token, kind, reason) -> None:
    observation = started(spec("raises_library_errors")).run(token, ctx)
    assert observation.kind is kind
    assert observation.reason == reason
    if kind is ObservationKind.ERRORED:
        assert observation.error is ErrorKind.EXCEPTION
        assert "KeyError" in observation.message and "raises_library_errors" in observation.detail


@pytest.mark.parametrize(("name", "text"), [("raises_unlisted", "KeyError"), ("exits", "SystemExit")])
def test_other_exceptions_are_errors_with_the_traceback(started, ctx, name: str, text: str) -> None:
    observation = started(spec(name)).run("tok", ctx)
    assert observation.kind is ObservationKind.ERRORED and observation.error is ErrorKind.EXCEPTION
    assert observation.message.startswith(text)
    assert observation.detail.startswith("Traceback") and name in observation.detail


@pytest.mark.parametrize(("name", "text"), [("returns_list", "returned list, expected a mapping"),
                                            ("returns_non_json", "not JSON data")])
def test_returning_something_else_than_json_claims_is_a_protocol_error(started, ctx, name, text) -> None:
    observation = started(spec(name)).run("tok", ctx)
    assert observation.kind is ObservationKind.ERRORED and observation.error is ErrorKind.PROTOCOL
    assert text in observation.message


def test_returned_claims_are_copied(ctx) -> None:
    shared = {"sub": "a", "groups": ["x"]}
    target = PythonTarget(lambda token, context: shared)
    with target:
        observation = target.run("tok", ctx)
    shared["groups"].append("y")
    assert observation.claims == {"sub": "a", "groups": ["x"]}


def test_a_malformed_rejects_attribute_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="`rejects` must be a tuple of exception types"):
        PythonTarget(adapter_module("callables").bad_rejects)


def test_a_malformed_implementation_attribute_is_a_usage_error() -> None:
    target = PythonTarget(adapter_module("callables").bad_implementation)
    with pytest.raises(UsageError, match="`implementation` must be a mapping"):
        target.start()


def test_run_before_start_and_after_close_is_refused(ctx) -> None:
    target = PythonTarget(adapter_module("callables").accept_claims)
    with pytest.raises(RuntimeError, match="not running"):
        target.run("tok", ctx)
    with target:
        assert target.run("tok", ctx).accepted
    target.close()
    with pytest.raises(RuntimeError, match="not running"):
        target.run("tok", ctx)


def test_stdout_of_the_callable_goes_to_stderr(started, ctx, capsys) -> None:
    observation = started(spec("prints")).run("tok", ctx)
    captured = capsys.readouterr()
    assert observation.accepted
    assert "validator chatter" not in captured.out
    assert "validator chatter on stdout" in captured.err
    print("suite output")
    assert capsys.readouterr().out == "suite output\n"


fractional_nows = st.builds(lambda seconds, millis: seconds + millis / 1000,
                            st.integers(0, 4_000_000_000), st.integers(0, 999))


@settings(max_examples=30, deadline=None)
@given(now=fractional_nows)
def test_the_callable_reads_ctx_now_from_every_clock(now: float) -> None:
    reads_clock = adapter_module("callables").reads_clock
    target = PythonTarget(reads_clock)
    target.start()
    before = REAL_TIME()
    observation = target.run("tok", TargetContext(domain="d", application_id="a", now=now))
    claims = observation.claims
    assert claims is not None
    assert claims["time"] == pytest.approx(now, abs=1e-5)
    assert claims["now"] == pytest.approx(now, abs=1e-5)
    assert claims["time_ns"] / 1e9 == pytest.approx(now, abs=1e-5)
    assert claims["today"] == datetime.fromtimestamp(now, timezone.utc).date().isoformat()
    # and the suite is back on the real clock right after the call
    assert time.time is REAL_TIME and datetime is REAL_DATETIME
    assert before <= time.time() <= REAL_TIME() + 1


def test_the_clock_is_real_again_after_a_crash(started, ctx) -> None:
    started(spec("raises_unlisted")).run("tok", ctx)
    assert abs(time.time() - REAL_TIME()) < 1 and time.time() > PAST + 10**7
    assert type(datetime.now()) is REAL_DATETIME


def test_a_clock_outside_the_datetime_range_is_skipped(started) -> None:
    context = TargetContext(domain="d", application_id="a", now=1e20)
    observation = started(spec("reads_clock")).run("tok", context)
    assert observation.kind is ObservationKind.SKIPPED
    assert "cannot run at this clock" in observation.message


def test_a_target_module_is_patched_even_when_a_skipped_prefix_matches_its_name(ctx) -> None:
    module = types.ModuleType("typing_validator")
    exec("from time import time as clock\ndef validate(token, ctx):\n    return {'t': clock()}\n", module.__dict__)
    sys.modules["typing_validator"] = module
    try:
        assert any("typing_validator".startswith(prefix) for prefix in SKIPPED_MODULE_PREFIXES)
        target = PythonTarget(module.validate, module=module)
        with target:
            observation = target.run("tok", ctx)
        assert observation.claims == {"t": pytest.approx(PAST, abs=1e-5)}
    finally:
        del sys.modules["typing_validator"]


def test_the_frozen_clock_keeps_the_named_modules() -> None:
    assert "typing" in FrozenClock().ignore
    assert "typing" not in FrozenClock(keep=["typing_validator"]).ignore
    assert "conformance." in FrozenClock(keep=["mylib.validator"]).ignore


def test_freezing_costs_little_per_call(ctx) -> None:
    target = PythonTarget(lambda token, context: {"sub": token})
    with target:
        target.run("warm-up", ctx)
        began = REAL_TIME()
        for _ in range(50):
            target.run("tok", ctx)
        per_call = (REAL_TIME() - began) / 50
    assert per_call < 0.025, f"{per_call * 1000:.1f} ms per in-process call"


def test_claims_holding_a_custom_token_identifier_are_still_claims():
    from conformance.context import TargetContext
    from conformance.targets import PythonTarget

    def validate(token, ctx):
        return {"iss": "https://issuer", "sub": "s", "tokenIdentifier": "custom"}

    def identity(token, ctx):
        return {"tokenIdentifier": "https://issuer|s", "subject": "s", "issuer": "https://issuer"}

    ctx = TargetContext(domain="https://issuer", application_id="app", now=1700000000.0)
    with PythonTarget(validate) as target:
        observed = target.run("t", ctx)
    assert observed.claims == {"iss": "https://issuer", "sub": "s", "tokenIdentifier": "custom"}
    assert observed.identity is None
    with PythonTarget(identity) as target:
        observed = target.run("t", ctx)
    assert observed.identity["tokenIdentifier"] == "https://issuer|s" and observed.claims is None
