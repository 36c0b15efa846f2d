"""The protocol's message shapes and the strict reading of answers (docs/protocol.md)."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance.context import TargetContext
from conformance.observation import ErrorKind, ObservationKind
from conformance.reasons import Reason
from conformance.targets.base import Implementation
from conformance.targets.protocol import (
    REASON_CODES,
    ProtocolError,
    check_reason,
    decode,
    encode,
    excerpt,
    parse_answer,
    parse_handshake,
    start_message,
    stop_message,
    validate_message,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
objects = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
reasons = st.none() | st.sampled_from(REASON_CODES)

valid_answers = st.one_of(
    st.builds(lambda claims: {"result": "accept", "claims": claims}, objects),
    st.builds(lambda identity: {"result": "accept", "identity": identity}, objects),
    st.builds(lambda reason, message: {"result": "reject", "reason": reason, "message": message},
              reasons, st.text(max_size=10)),
    st.builds(lambda message: {"result": "skip", "message": message}, st.text(max_size=10)),
    st.builds(lambda message, trace: {"result": "error", "message": message, "traceback": trace},
              st.text(max_size=10), st.text(max_size=10)),
)


def test_suite_messages_have_the_documented_shapes() -> None:
    context = TargetContext(domain="https://i.test", application_id="a", now=1.5, jwks={"keys": []},
                            jwks_uri="http://127.0.0.1:1/jwks", discovery_url="http://127.0.0.1:1/d")
    assert start_message() == {"cmd": "start", "protocol": 1}
    assert stop_message() == {"cmd": "stop"}
    assert validate_message(3, "t.o.k", context) == {"cmd": "validate", "id": 3, "token": "t.o.k",
                                                     "context": context.to_json()}


@given(token=st.text(max_size=40))
def test_encode_writes_one_ascii_line_that_decodes_back(token: str) -> None:
    line = encode({"cmd": "validate", "id": 1, "token": token})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert line.isascii()
    assert decode(line)["token"] == token


@given(answer=valid_answers, request_id=st.integers(1, 10**6), extra=st.dictionaries(
    st.sampled_from(["x_debug", "timing", "note"]), json_values, max_size=2))
def test_every_valid_answer_reads_as_its_observation(answer: dict, request_id: int, extra: dict) -> None:
    message = {"id": request_id, **extra, **answer}
    observation = parse_answer(decode(encode(message)), request_id)
    expected_kind = {"accept": ObservationKind.ACCEPTED, "reject": ObservationKind.REJECTED,
                     "skip": ObservationKind.SKIPPED, "error": ObservationKind.ERRORED}[answer["result"]]
    assert observation.kind is expected_kind
    if answer["result"] == "accept":
        assert observation.claims == answer.get("claims") and observation.identity == answer.get("identity")
    if answer["result"] == "reject":
        assert observation.reason == answer["reason"]
        assert observation.message == answer["message"]
    if answer["result"] == "error":
        assert observation.error is ErrorKind.EXCEPTION and observation.detail == answer["traceback"]


@given(answer=valid_answers, request_id=st.integers(1, 1000), other=st.integers(1, 1000))
def test_an_answer_for_another_request_is_a_protocol_error(answer: dict, request_id: int, other: int) -> None:
    assume(other != request_id)
    with pytest.raises(ProtocolError, match=f"answer for id {other} while request {request_id}"):
        parse_answer({"id": other, **answer}, request_id)


@given(value=json_values)
def test_any_json_value_is_read_or_refused_with_a_protocol_error(value: object) -> None:
    try:
        observation = parse_answer(value, 1)
    except ProtocolError as problem:
        assert str(problem)
    else:
        assert isinstance(value, dict) and value.get("id") == 1 and value.get("result") in (
            "accept", "reject", "skip", "error")
        assert observation.kind in ObservationKind


@given(raw=st.binary(max_size=60))
def test_any_bytes_are_decoded_or_refused_with_a_protocol_error(raw: bytes) -> None:
    try:
        value = decode(raw)
    except ProtocolError as problem:
        assert str(problem)
    else:
        assert isinstance(value, dict)


@pytest.mark.parametrize(("message", "complaint"), [
    ({"result": "accept", "claims": {}}, '"id" must be'),
    ({"id": "1", "result": "accept", "claims": {}}, '"id" must be'),
    ({"id": True, "result": "accept", "claims": {}}, '"id" must be'),
    ({"id": 1, "result": "ok"}, '"result" must be one of accept, reject, skip, error'),
    ({"id": 1}, '"result" must be one of'),
    ({"id": 1, "result": "accept"}, 'needs "claims" or "identity"'),
    ({"id": 1, "result": "accept", "claims": ["sub"]}, '"claims" must be a JSON object'),
    ({"id": 1, "result": "accept", "identity": "user"}, '"identity" must be a JSON object'),
    ({"id": 1, "result": "reject", "reason": "aud"}, "'aud' is not a reason code|\"aud\" is not a reason code"),
    ({"id": 1, "result": "reject", "reason": 3}, "is not a reason code"),
    ({"id": 1, "result": "reject", "message": 3}, '"message" must be a string'),
    ({"id": 1, "result": "error", "traceback": ["x"]}, '"traceback" must be a string'),
])
def test_out_of_contract_answers_name_what_is_wrong(message: dict, complaint: str) -> None:
    with pytest.raises(ProtocolError, match=complaint):
        parse_answer(message, 1)


@pytest.mark.parametrize(("raw", "complaint"), [
    (b"\xff\xfe{}", "not UTF-8"),
    (b"", "empty line"),
    (b"hello", "not one JSON value"),
    (b'{"id": 1}{"id": 2}', "not one JSON value"),
    (b"[1, 2]", "must be a JSON object"),
    (b"null", "must be a JSON object"),
])
def test_lines_that_are_not_one_json_object_are_refused(raw: bytes, complaint: str) -> None:
    with pytest.raises(ProtocolError, match=complaint):
        decode(raw)


def test_a_handshake_gives_the_implementation() -> None:
    implementation = parse_handshake({"ready": True, "protocol": 1, "extra": 1,
                                      "implementation": {"name": "jose", "version": "6", "language": "js"},
                                      "capabilities": {"returns": "claims", "reasons": True}})
    assert implementation == Implementation("jose", "6", "js", {"returns": "claims", "reasons": True})
    assert Implementation.from_json(implementation.to_json()) == implementation


@pytest.mark.parametrize(("message", "complaint"), [
    ({"ready": False, "message": "no API key"}, "no API key"),
    ({"protocol": 1, "implementation": {"name": "x"}}, '"ready": true'),
    ({"ready": True, "protocol": 2, "implementation": {"name": "x"}}, "speaks protocol 2"),
    ({"ready": True, "protocol": True, "implementation": {"name": "x"}}, "speaks protocol True"),
    ({"ready": True, "protocol": 1}, "needs \"implementation\""),
    ({"ready": True, "protocol": 1, "implementation": {"version": "1"}}, "implementation.name"),
    ({"ready": True, "protocol": 1, "implementation": {"name": "x", "version": 1}}, "implementation.version"),
    ({"ready": True, "protocol": 1, "implementation": {"name": "x"}, "capabilities": []}, "capabilities"),
    ([], "must be a JSON object"),
])
def test_broken_handshakes_are_refused(message: object, complaint: str) -> None:
    with pytest.raises(ProtocolError, match=complaint):
        parse_handshake(message)


def test_reason_codes_are_exactly_the_taxonomy() -> None:
    assert set(REASON_CODES) == {reason.value for reason in Reason}
    assert check_reason(Reason.EXPIRED) == "expired"
    assert check_reason("key") == "key"
    assert check_reason(None) is None
    with pytest.raises(ProtocolError):
        check_reason("EXPIRED")


@given(text=st.text(max_size=3000), limit=st.integers(20, 500))
def test_excerpts_are_bounded_and_keep_both_ends(text: str, limit: int) -> None:
    shown = excerpt(text, limit)
    assert len(shown) <= limit + 60
    stripped = text.rstrip("\r\n")
    if len(stripped) <= limit:
        assert shown == stripped
    else:
        assert shown.startswith(stripped[: limit // 2]) and shown.endswith(stripped[-(limit // 2):])


def test_decode_reads_what_json_writes() -> None:
    assert decode(json.dumps({"id": 1, "result": "skip"}) + "\r\n") == {"id": 1, "result": "skip"}
