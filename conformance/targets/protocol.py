"""The adapter protocol, version 1: message shapes, and strict reading of every answer.

Shared by the subprocess target (one JSON object per line over stdin/stdout) and the HTTP target
(one JSON object per POST). The suite writes `start`, `validate` and `stop` messages; an adapter
answers the handshake and each request. Anything out of contract is a `ProtocolError` whose text
says what was wrong; the targets turn it into an ERRORED(protocol) observation. See
``docs/protocol.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..context import TargetContext
from ..observation import ErrorKind, Observation
from ..reasons import Reason
from .base import Implementation

__all__ = [
    "PROTOCOL_VERSION",
    "RESULTS",
    "REASON_CODES",
    "ProtocolError",
    "start_message",
    "validate_message",
    "stop_message",
    "encode",
    "decode",
    "parse_handshake",
    "parse_answer",
    "check_reason",
    "excerpt",
]

PROTOCOL_VERSION = 1
RESULTS = ("accept", "reject", "skip", "error")
REASON_CODES = tuple(reason.value for reason in Reason)


class ProtocolError(ValueError):
    """An adapter's message broke the protocol; the text names what was wrong."""


def start_message() -> dict[str, Any]:
    return {"cmd": "start", "protocol": PROTOCOL_VERSION}


def validate_message(request_id: int, token: str, context: TargetContext) -> dict[str, Any]:
    return {"cmd": "validate", "id": request_id, "token": token, "context": context.to_json()}


def stop_message() -> dict[str, Any]:
    return {"cmd": "stop"}


def encode(message: Mapping[str, Any]) -> bytes:
    """One message as one line of ASCII JSON (non-ASCII escaped), newline-terminated."""
    return json.dumps(dict(message), ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def decode(raw: bytes | str) -> dict[str, Any]:
    """One JSON object from one line (or HTTP body); ProtocolError for anything else."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"the answer is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not raw.strip():
        raise ProtocolError("the answer is an empty line")
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ProtocolError(f"the answer is not one JSON value: {exc}") from None
    except RecursionError:
        raise ProtocolError("the answer is nested too deeply to read") from None
    if not isinstance(value, dict):
        raise ProtocolError(f"the answer must be a JSON object, got {_json_type(value)}")
    return value


def parse_handshake(message: Any) -> Implementation:
    """The adapter's identity from its answer to ``start``."""
    if not isinstance(message, dict):
        raise ProtocolError(f"the handshake answer must be a JSON object, got {_json_type(message)}")
    if message.get("ready") is not True:
        said = _optional_str(message, "message")
        raise ProtocolError("the handshake answer does not say \"ready\": true"
                            + (f" (the adapter said: {excerpt(said, 300)})" if said else ""))
    protocol = message.get("protocol")
    if protocol != PROTOCOL_VERSION or isinstance(protocol, bool):
        raise ProtocolError(f"the adapter speaks protocol {protocol!r}; this suite speaks {PROTOCOL_VERSION}")
    info = message.get("implementation")
    if not isinstance(info, dict):
        raise ProtocolError("the handshake answer needs \"implementation\": {\"name\": ..., \"version\": ..., "
                            f"\"language\": ...}}, got {_json_type(info)}")
    name = info.get("name")
    if not isinstance(name, str) or not name:
        raise ProtocolError(f"implementation.name must be a non-empty string, got {_json_type(name)}")
    capabilities = message.get("capabilities", {})
    if capabilities is None:
        capabilities = {}
    if not isinstance(capabilities, dict):
        raise ProtocolError(f"capabilities must be a JSON object, got {_json_type(capabilities)}")
    return Implementation(name=name, version=_optional_str(info, "version", "implementation.version"),
                          language=_optional_str(info, "language", "implementation.language"),
                          capabilities=capabilities)


def parse_answer(message: Any, request_id: int) -> Observation:
    """The observation an answer to request `request_id` stands for (without stderr and timing)."""
    if not isinstance(message, dict):
        raise ProtocolError(f"the answer must be a JSON object, got {_json_type(message)}")
    answered = message.get("id")
    if isinstance(answered, bool) or not isinstance(answered, int):
        raise ProtocolError(f"\"id\" must be the request's integer id {request_id}, got {_json_type(answered)}")
    if answered != request_id:
        raise ProtocolError(f"answer for id {answered} while request {request_id} was waiting")
    result = message.get("result")
    if result not in RESULTS:
        raise ProtocolError(f"\"result\" must be one of {', '.join(RESULTS)}; got {_shown(result)}")
    text = _optional_str(message, "message")
    if result == "accept":
        claims = _optional_object(message, "claims")
        identity = _optional_object(message, "identity")
        if claims is None and identity is None:
            raise ProtocolError("an accept answer needs \"claims\" or \"identity\" (a JSON object)")
        return Observation.accept(claims=claims, identity=identity, message=text)
    if result == "reject":
        reason = message.get("reason")
        try:
            code = check_reason(reason)
        except ProtocolError as exc:
            raise ProtocolError(f"\"reason\": {exc}") from None
        return Observation.reject(reason=code, message=text)
    if result == "skip":
        return Observation.skip(text)
    trace = _optional_str(message, "traceback")
    return Observation.errored(ErrorKind.EXCEPTION, text or "the adapter reported an error", detail=trace)


def check_reason(value: Any) -> str | None:
    """A reason code as its wire string; None for no reason; ProtocolError for anything unknown."""
    if value is None:
        return None
    if isinstance(value, Reason):
        return value.value
    if isinstance(value, str) and value in REASON_CODES:
        return value
    raise ProtocolError(f"{_shown(value)} is not a reason code; use one of {', '.join(REASON_CODES)} or leave it out")


def excerpt(text: str | bytes, limit: int = 400) -> str:
    """`text` as one printable string of at most about `limit` characters (long input is cut in the middle)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = text.rstrip("\r\n")
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}...[{len(text) - 2 * half} characters cut]...{text[-half:]}"


def _optional_str(message: Mapping[str, Any], key: str, label: str | None = None) -> str:
    value = message.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProtocolError(f"\"{label or key}\" must be a string, got {_json_type(value)}")
    return value


def _optional_object(message: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    value = message.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ProtocolError(f"\"{key}\" must be a JSON object, got {_json_type(value)}")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null / nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {excerpt(json.dumps(value), 60)}"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    try:
        return excerpt(json.dumps(value), 60)
    except (TypeError, ValueError):
        return excerpt(repr(value), 60)
