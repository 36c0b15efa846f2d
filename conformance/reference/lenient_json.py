"""A Rust struct read by serde_json: known members parsed strictly, unknown members only skipped.

When serde_json deserializes a struct it meets an unknown member and skips its value with
`ignore_value`, an iterative scanner that checks JSON syntax only: no nesting limit, no UTF-8
check inside strings, no surrogate check, no number range. The JOSE header and the top level of a
JWKS are read this way, so an unknown header member may hold a 100k-deep array or raw non-UTF-8
bytes and the header still parses. Member names and the values of known members are read in
full (`strict_json`), and a sequence (``[...]``) is accepted in place of an object because a
derived struct also accepts its sequence form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Collection

from .strict_json import MAX_DEPTH, JsonError, member_pairs, parse_bytes, parse_prefix

__all__ = ["StructInput", "read_struct", "skip_value"]

_WS = rb"[ \t\n\r]*"
_STRING_PATTERN = rb'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})[^"\\\x00-\x1f]*)*"'
_SCALAR_PATTERN = rb"(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)"
_TOKEN = re.compile(
    _WS + rb"(?:"
    + rb"(?P<open_arrays>\[(?:" + _WS + rb"\[)*)"
    + rb"|(?P<close_arrays>\](?:" + _WS + rb"\])*)"
    + rb"|(?P<open_keyed>\{" + _WS + _STRING_PATTERN + _WS + rb":)"
    + rb"|(?P<open_object>\{)"
    + rb"|(?P<close_objects>\}(?:" + _WS + rb"\})*)"
    + rb"|(?P<comma>,)"
    + rb"|(?P<colon>:)"
    + rb"|(?P<string>" + _STRING_PATTERN + rb")"
    + rb"|(?P<scalar>" + _SCALAR_PATTERN + rb")"
    + rb")"
)
_SPACE = re.compile(_WS)
_MEMBER_NAME = re.compile(_WS + rb"(" + _STRING_PATTERN + rb")" + _WS + rb":" + _WS)
_PLAIN_KEY = re.compile(rb'"[\x20\x21\x23-\x5b\x5d-\x7e]*"')  # ASCII without escapes: the text is the name
_MEMBER_END = re.compile(_WS + rb"([,}])")
_CLOSER = {"close_arrays": (b"]", "a"), "close_objects": (b"}", "o")}

_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _AFTER = range(6)


@dataclass(frozen=True)
class StructInput:
    """What a derived struct receives: known members in document order, or its sequence form."""

    members: tuple[tuple[str, Any], ...] = ()
    sequence: list[Any] | None = None


def _syntax(pos: int) -> JsonError:
    return JsonError("syntax", f"unexpected input at offset {pos}")


def _open(stack: list[list[Any]], kind: str, count: int) -> None:
    """Enter `count` nested containers of `kind`; directly nested ones of one kind share a frame."""
    if stack and stack[-1][0] == kind:
        stack[-1][1] += count
    else:
        stack.append([kind, count])


class _Refused(ValueError):
    pass


def _nothing(*_: Any) -> None:
    return None


def _refuse(_: str) -> None:
    raise _Refused("NaN and Infinity are not JSON")


# Python's C scanner checks the same syntax as `ignore_value` when it is told to build nothing and the
# input is read as latin-1 (any byte is a character; escapes are checked for form, not meaning).
_SKIMMER = json.JSONDecoder(object_pairs_hook=_nothing, parse_float=_nothing, parse_int=_nothing,
                            parse_constant=_refuse)


def skip_value(data: bytes, pos: int) -> int:
    """The offset just past the JSON value starting at `pos` (after whitespace); syntax checks only."""
    return _skip(data.decode("latin-1"), data, pos)


def _skip(text: str, data: bytes, pos: int) -> int:
    start = _SPACE.match(data, pos).end()
    try:
        return _SKIMMER.raw_decode(text, start)[1]
    except RecursionError:
        return _skip_iteratively(data, start)  # deeper than Python's decoder goes
    except ValueError:
        raise _syntax(start) from None


def _skip_iteratively(data: bytes, pos: int) -> int:
    """`skip_value` without recursion: nesting depth costs nothing but the input's length; runs of
    ``[``, ``]``, ``}`` and ``{"key":`` are taken in one step each, which keeps megabyte-deep input fast.
    """
    stack: list[list[Any]] = []  # frames [kind, count]
    state = _VALUE
    while True:
        match = _TOKEN.match(data, pos)
        if match is None:
            raise _syntax(pos)
        kind = match.lastgroup
        pos = match.end()
        expecting_value = state in (_VALUE, _VALUE_OR_CLOSE)
        if expecting_value and kind == "open_arrays":
            _open(stack, "a", match.group(kind).count(b"["))
            state = _VALUE_OR_CLOSE
            continue
        if expecting_value and kind in ("open_object", "open_keyed"):
            _open(stack, "o", 1)
            state = _KEY_OR_CLOSE if kind == "open_object" else _VALUE
            continue
        if expecting_value and kind in ("string", "scalar"):
            state = _AFTER
        elif state in (_KEY, _KEY_OR_CLOSE) and kind == "string":
            state = _COLON
            continue
        elif state == _COLON and kind == "colon":
            state = _VALUE
            continue
        elif state == _AFTER and kind == "comma" and stack:
            state = _VALUE if stack[-1][0] == "a" else _KEY
            continue
        elif kind in _CLOSER and stack and stack[-1][0] == _CLOSER[kind][1] and (
                state == _AFTER or state == (_VALUE_OR_CLOSE if kind == "close_arrays" else _KEY_OR_CLOSE)):
            pos = _close(stack, match, kind)
            state = _AFTER
        else:
            raise _syntax(match.start(kind) if kind else pos)
        if state == _AFTER and not stack:
            return pos


def _close(stack: list[list[Any]], match: re.Match[bytes], kind: str) -> int:
    """Close as many containers as the run holds and the top frame allows; the offset after the last one."""
    closer = _CLOSER[kind][0]
    run = match.group(kind)
    wanted = run.count(closer)
    frame = stack[-1]
    if wanted < frame[1]:
        frame[1] -= wanted
        return match.end()
    closed = frame[1]
    stack.pop()
    if closed == wanted:
        return match.end()
    offset = -1
    for _ in range(closed):
        offset = run.index(closer, offset + 1)
    return match.start(kind) + offset + 1


def read_struct(data: bytes, known: Collection[str], *, trailing: bool) -> StructInput:
    """Read `data` as serde_json reads a struct whose fields are `known`.

    Raises `JsonError`: kind ``type`` when the value is neither an object nor an array, other kinds
    as `strict_json`. `trailing` True ignores anything after the value (no `end()` call).
    """
    fast = _strict_reading(data, known, trailing=trailing)
    if fast is not None:
        return fast
    text = data.decode("latin-1")
    pos = _SPACE.match(data, 0).end()
    if data[pos:pos + 1] == b"[":
        end = _skip(text, data, pos)
        result = StructInput(sequence=parse_bytes(data[pos:end], depth=MAX_DEPTH))
    elif data[pos:pos + 1] == b"{":
        end, members = _read_members(text, data, pos + 1, known)
        result = StructInput(members=tuple(members))
    else:
        if pos >= len(data):
            raise JsonError("syntax", "no JSON value")
        raise JsonError("type", "expected a JSON object")
    if not trailing and data[_SPACE.match(data, end).end():]:
        raise JsonError("syntax", f"trailing characters at offset {end}")
    return result


def _strict_reading(data: bytes, known: Collection[str], *, trailing: bool) -> StructInput | None:
    """The same result when `data` is also JSON by the strict rules (the common case, and fast); else None."""
    try:
        value = parse_prefix(data) if trailing else parse_bytes(data)
    except JsonError:
        return None
    if isinstance(value, list):
        return StructInput(sequence=value)
    if isinstance(value, dict):
        return StructInput(members=tuple((key, item) for key, item in member_pairs(value) if key in known))
    return None


def _read_members(text: str, data: bytes, pos: int,
                  known: Collection[str]) -> tuple[int, list[tuple[str, Any]]]:
    members: list[tuple[str, Any]] = []
    pos = _SPACE.match(data, pos).end()
    if data[pos:pos + 1] == b"}":
        return pos + 1, members
    while True:
        match = _MEMBER_NAME.match(data, pos)
        if match is None:
            raise _syntax(pos)
        raw_key = match.group(1)
        key = raw_key[1:-1].decode("ascii") if _PLAIN_KEY.fullmatch(raw_key) else parse_bytes(raw_key)
        start = match.end()
        end = _skip(text, data, start)
        if key in known:
            members.append((key, parse_bytes(data[start:end], depth=MAX_DEPTH - 1)))
        after = _MEMBER_END.match(data, end)
        if after is None:
            raise _syntax(end)
        if after.group(1) == b"}":
            return after.end(), members
        pos = after.end()
