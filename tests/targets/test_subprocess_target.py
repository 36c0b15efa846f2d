"""Subprocess targets: the JSON-lines protocol against toy adapters that misbehave in known ways."""

from __future__ import annotations

import os
import sys

import pytest
from target_helpers import TOY_ADAPTER, toy_spec

from conformance.errors import UsageError
from conformance.observation import ErrorKind, ObservationKind
from conformance.targets import SubprocessTarget, load_target

FAST = {"timeout": 0.5}


def test_the_handshake_gives_the_implementation(started) -> None:
    target = started(toy_spec())
    assert target.kind == "subprocess"
    assert target.implementation.to_json() == {"name": "toy", "version": "0.0.1", "language": "python",
                                               "capabilities": {"returns": "claims", "reasons": True}}


@pytest.mark.parametrize(("token", "kind", "error", "reason"), [
    ("good-1", ObservationKind.ACCEPTED, None, None),
    ("identity", ObservationKind.ACCEPTED, None, None),
    ("reject:audience", ObservationKind.REJECTED, None, "audience"),
    ("reject:", ObservationKind.REJECTED, None, None),
    ("skip", ObservationKind.SKIPPED, None, None),
    ("error", ObservationKind.ERRORED, ErrorKind.EXCEPTION, None),
    ("crash", ObservationKind.ERRORED, ErrorKind.CRASH, None),
    ("hang", ObservationKind.ERRORED, ErrorKind.TIMEOUT, None),
    ("garbage", ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ("wrong-id", ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ("raw:[1, 2]", ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ('raw:{"id": {id}, "result": "maybe"}', ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ('raw:{"id": {id}, "result": "reject", "reason": "aud"}', ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
    ('raw:{"id": {id}, "result": "accept"}', ObservationKind.ERRORED, ErrorKind.PROTOCOL, None),
])
def test_each_behaviour_maps_to_its_observation(started, ctx, token, kind, error, reason) -> None:
    observation = started(toy_spec(), **FAST).run(token, ctx)
    assert (observation.kind, observation.error, observation.reason) == (kind, error, reason)


def test_accepted_claims_and_identity_come_through(started, ctx) -> None:
    target = started(toy_spec())
    assert target.run("good-x", ctx).claims == {"sub": "good-x", "now": ctx.now, "aud": "app-123"}
    assert target.run("identity", ctx).identity == {"tokenIdentifier": "https://issuer.test|user"}


def test_a_crash_is_an_error_with_exit_code_and_stderr_and_the_adapter_restarts(started, ctx) -> None:
    target = started(toy_spec())
    first_pid = target.pid
    crashed = target.run("crash", ctx)
    assert crashed.kind is ObservationKind.ERRORED and not crashed.rejected
    assert crashed.error is ErrorKind.CRASH
    assert "exit code 3" in crashed.message
    assert "toy: dying on request" in crashed.stderr
    recovered = target.run("good-2", ctx)
    assert recovered.accepted
    assert target.pid is not None and target.pid != first_pid


def test_crashing_at_the_nth_request_recovers_after_each_restart(started, ctx) -> None:
    target = started(toy_spec("--crash-at", "2"))
    kinds = [target.run(f"good-{n}", ctx).kind for n in range(5)]
    assert kinds == [ObservationKind.ACCEPTED, ObservationKind.ERRORED, ObservationKind.ACCEPTED,
                     ObservationKind.ERRORED, ObservationKind.ACCEPTED]


def test_a_hang_times_out_and_the_next_request_gets_a_fresh_adapter(started, ctx) -> None:
    target = started(toy_spec(), **FAST)
    hung_pid = target.pid
    assert hung_pid is not None
    timed_out = target.run("hang", ctx)
    assert timed_out.error is ErrorKind.TIMEOUT
    assert 0.5 <= timed_out.elapsed < 3.0
    assert "within 0.5 s" in timed_out.message
    with pytest.raises(ProcessLookupError):  # the hung adapter was killed
        os.kill(hung_pid, 0)
    assert target.run("good-3", ctx).accepted
    assert target.pid != hung_pid


def test_a_protocol_violation_names_the_line_and_the_adapter_restarts(started, ctx) -> None:
    target = started(toy_spec())
    broken = target.run("garbage", ctx)
    assert broken.error is ErrorKind.PROTOCOL
    assert "not one JSON value" in broken.message
    assert "this is not JSON" in broken.detail
    assert target.run("good-4", ctx).accepted


def test_an_answer_for_another_id_is_refused(started, ctx) -> None:
    target = started(toy_spec())
    wrong = target.run("wrong-id", ctx)
    assert wrong.error is ErrorKind.PROTOCOL and "while request" in wrong.message
    assert target.run("good-5", ctx).accepted


def test_stderr_written_during_a_request_is_attached_to_it_only(started, ctx) -> None:
    target = started(toy_spec())
    noisy = target.run("stderr:checking the audience", ctx)
    assert noisy.accepted
    assert noisy.stderr == "checking the audience\n"
    assert target.run("good-6", ctx).stderr == ""


def test_a_stderr_flood_neither_blocks_the_adapter_nor_grows_the_observation(started, ctx) -> None:
    target = started(toy_spec(), **FAST)
    for _ in range(3):  # 900 KB in all: far more than a pipe holds
        flooded = target.run("flood", ctx)
        assert flooded.accepted, flooded.message
        assert flooded.stderr.endswith("flood end\n")
        assert len(flooded.stderr) <= 8192 + 60
        assert "earlier bytes dropped" in flooded.stderr


def test_after_five_failures_in_a_row_the_adapter_is_not_restarted(started, ctx) -> None:
    target = started(toy_spec())
    for _ in range(5):
        assert target.run("crash", ctx).error is ErrorKind.CRASH
    given_up = target.run("good-7", ctx)
    assert given_up.error is ErrorKind.CRASH
    assert "not restarted again" in given_up.message
    assert target.pid is None


def test_a_success_resets_the_failure_count(started, ctx) -> None:
    target = started(toy_spec())
    for _ in range(3):
        for _ in range(4):
            assert target.run("crash", ctx).error is ErrorKind.CRASH
        assert target.run("good-8", ctx).accepted


@pytest.mark.parametrize(("mode", "complaint"), [
    ("die", r"before answering the start message(.|\n)*cannot load my configuration"),
    ("garbage", "not one JSON value(.|\n)*Welcome to toy adapter"),
    ("old-protocol", "speaks protocol 0; this suite speaks 1"),
    ("not-ready", "missing API key"),
])
def test_a_failed_handshake_is_a_usage_error_with_the_reason(mode: str, complaint: str) -> None:
    target = load_target(toy_spec("--handshake", mode))
    with pytest.raises(UsageError, match=complaint) as raised:
        target.start()
    assert "did not start" in str(raised.value)
    if mode == "die":
        assert "exit code 7" in str(raised.value)
    assert target.pid is None


def test_a_hung_handshake_times_out() -> None:
    target = SubprocessTarget([sys.executable, str(TOY_ADAPTER), "--handshake", "hang"], start_timeout=0.5)
    with pytest.raises(UsageError, match="no answer to the start message within 0.5 s"):
        target.start()
    assert target.pid is None


def test_close_stops_the_adapter_and_is_idempotent(ctx) -> None:
    target = load_target(toy_spec())
    with target:
        pid = target.pid
        assert pid is not None and target.run("good-9", ctx).accepted
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    target.close()
    with pytest.raises(RuntimeError, match="not running"):
        target.run("good", ctx)


def test_request_ids_keep_increasing_across_restarts(started, ctx) -> None:
    target = started(toy_spec())
    target.run("good", ctx)
    target.run("crash", ctx)
    echoed = target.run('raw:{"id": {id}, "result": "skip", "message": "{id}"}', ctx)
    assert echoed.kind is ObservationKind.SKIPPED and echoed.message == "3"
