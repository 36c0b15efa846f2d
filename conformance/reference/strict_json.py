"""JSON read the way serde_json reads it into a value, on top of Python's `json` module.

serde_json is stricter than Python's decoder in ways that decide verdicts, so the differences are
closed here:

* input is UTF-8 only (bytes are decoded strictly; Python would guess UTF-16/32);
* ``NaN`` / ``Infinity`` literals are refused (`parse_constant`);
* a float literal that overflows to infinity is refused ("number out of range");
* integers keep 64-bit semantics: ``[-2**63, 2**64-1]`` stay integers, others become floats,
  ``-0`` becomes ``-0.0`` (`parse_int`);
* a lone UTF-16 surrogate escape (``"\\ud800"``) is refused (Python keeps it in the string);
* nesting deeper than 127 arrays/objects is refused. Python's decoder recurses, so the depth is
  bounded by a linear pre-scan before it runs, which also keeps 100k-deep input cheap.

Not emulated: serde_json's default float parser may differ from a correctly rounded one by one
unit in the last place for some long decimal literals; Python always rounds correctly.

Objects come back as plain dicts, except an object with a repeated member, which comes back as
a `JsonObject`: a dict holding the last value (what a map does in serde) that also remembers its
raw member pairs in order, so callers can apply the "duplicate field" rule of a Rust struct where
one applies (`member_pairs`, `repeated_members`).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any, Iterable

__all__ = ["JsonError", "JsonObject", "MAX_DEPTH", "all_strings", "is_number", "member_pairs", "parse_bytes",
           "parse_prefix", "parse_text", "plain", "repeated_members"]

MAX_DEPTH = 127  # serde_json's recursion limit: 128 nested containers fail

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)  # closing quote optional: always linear
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_HINT = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WHITESPACE = " \t\n\r"
_U64_MAX = 2**64 - 1
_I64_MIN = -(2**63)


class JsonError(ValueError):
    """The text is not JSON as serde_json accepts it. `kind` names the rule that was broken.

    Kinds: ``syntax``, ``utf8``, ``depth``, ``surrogate``, ``constant`` (NaN/Infinity),
    ``number`` (out of range).
    """

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class JsonObject(dict):
    """A parsed JSON object with a repeated member: last value wins, `pairs` keeps every member in order."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.pairs = pairs

    def keys_in_order(self) -> list[str]:
        return [key for key, _ in self.pairs]

    def repeated(self) -> set[str]:
        """Member names that occur more than once."""
        seen: set[str] = set()
        repeated: set[str] = set()
        for key, _ in self.pairs:
            (repeated if key in seen else seen).add(key)
        return repeated


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    return value if len(value) == len(pairs) else JsonObject(pairs)


def member_pairs(value: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every member of a parsed object in document order, repeats included."""
    return value.pairs if isinstance(value, JsonObject) else list(value.items())


def repeated_members(value: dict[str, Any]) -> set[str]:
    """Member names a parsed object repeats."""
    return value.repeated() if isinstance(value, JsonObject) else set()


def _refuse_constant(name: str) -> Any:
    raise JsonError("constant", f"{name} is not JSON")


def _integer(text: str) -> int | float:
    if text == "-0":
        return -0.0
    if len(text) <= 21:
        value = int(text)
        if _I64_MIN <= value <= _U64_MAX:
            return value
    return _float(text)


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JsonError("number", f"number out of range: {text[:40]}")
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_refuse_constant, parse_int=_integer,
                            parse_float=_float)


def _depth_profile(text: str) -> list[int]:
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return list(accumulate(map(_STEP.__getitem__, brackets)))


def _check_depth(text: str, budget: int, *, first_value_only: bool) -> None:
    if "[" not in text and "{" not in text:
        return
    profile = _depth_profile(text)
    if first_value_only:
        stripped = text.lstrip(_WHITESPACE)
        if not stripped or stripped[0] not in "[{":
            return
        if 0 in profile:
            profile = profile[: profile.index(0) + 1]
    if profile and max(profile) > budget:
        raise JsonError("depth", f"nesting deeper than {budget} levels")


def _check_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise JsonError("surrogate", "lone surrogate in a string")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _decode(text: str, start: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, start)
    except JsonError:
        raise
    except (ValueError, RecursionError) as exc:
        raise JsonError("syntax", str(exc)[:200]) from None


def parse_text(text: str, *, depth: int = MAX_DEPTH) -> Any:
    """One JSON value filling `text` (surrounding whitespace allowed), with nesting up to `depth`."""
    _check_depth(text, depth, first_value_only=False)
    value, end = _decode(text, len(text) - len(text.lstrip(_WHITESPACE)))
    if text[end:].strip(_WHITESPACE):
        raise JsonError("syntax", f"trailing characters at offset {end}")
    if _SURROGATE_HINT.search(text):
        _check_surrogates(value)
    return value


def parse_bytes(data: bytes, *, depth: int = MAX_DEPTH) -> Any:
    """`parse_text` on strictly decoded UTF-8 bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonError("utf8", str(exc)[:200]) from None
    return parse_text(text, depth=depth)


def parse_prefix(data: bytes) -> Any:
    """The first JSON value of `data`; whatever bytes follow it are ignored (serde_json without `end()`)."""
    text = data.decode("utf-8", "surrogateescape")
    _check_depth(text, MAX_DEPTH, first_value_only=True)
    value, end = _decode(text, len(text) - len(text.lstrip(_WHITESPACE)))
    if _SURROGATE_HINT.search(text, 0, end):
        _check_surrogates(value)
    return value


def _holds_json_object(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is JsonObject:
            return True
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
    return False


def plain(value: Any) -> Any:
    """`value` with every `JsonObject` turned into a plain dict; `value` itself when it holds none."""
    if not _holds_json_object(value):
        return value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def is_number(value: Any) -> bool:
    """A JSON number (Python's bool is an int subclass, and is not one)."""
    return type(value) in (int, float)


def all_strings(values: Iterable[Any]) -> bool:
    return all(isinstance(item, str) for item in values)
