"""Strategies for the clock and the time claims (`exp`, `iat`, `auth_time`, `nbf`), relative to `now`.

`now` is always an explicit argument (the reference never reads the wall clock) and is sometimes
fractional, as a real clock is. Convex truncates it to whole seconds before any rule, so the
boundaries that matter are around ``floor(now)``: ``exp = floor(now) + 0.5`` is still valid when
``now = floor(now) + 0.7``.

Each strategy draws an offset from a fixed strategy and adds it to `now`, so drawing inside
larger strategies (`draw_expiration` and friends) builds no new strategy objects.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Tuple, Union

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

__all__ = ["BASE_NOW", "MAX_TIMESTAMP", "Number", "nows", "expirations", "issue_times", "auth_times",
           "not_befores", "as_number", "check_now", "draw_expiration", "draw_issue_time", "draw_auth_time",
           "draw_not_before"]

Number = Union[int, float]
_Offset = Tuple[str, float]  # ("whole" | "now", offset): relative to floor(now) or to now itself

BASE_NOW = 1_700_000_000  # 2023-11-14T22:13:20Z: where drawn clocks shrink to
MAX_TIMESTAMP = 8_210_266_876_799  # the largest timestamp Convex's date library accepts (year 262142)
_YEAR = 365 * 86400

_SECONDS = st.integers(-200_000_000, 400_000_000).map(lambda offset: BASE_NOW + offset)
_NOWS = st.builds(lambda whole, millis: whole + millis / 1000, _SECONDS,
                  st.one_of(st.just(0), st.just(500), st.integers(1, 999)))
_WHOLE_NOWS = _SECONDS.map(float)

_EXPIRATION_OFFSETS: SearchStrategy[_Offset] = st.one_of(
    st.sampled_from((3600, 1, 0.5)).map(lambda offset: ("whole", offset)),
    st.sampled_from((5, 60, 300, 3600)).map(lambda offset: ("now", offset)),
    st.integers(1, 10_000_000).map(lambda offset: ("whole", offset)),
    st.builds(lambda offset, millis: ("whole", offset + millis / 1000), st.integers(0, 100_000), st.integers(1, 999)),
    st.integers(_YEAR, 200 * _YEAR).map(lambda offset: ("whole", offset)),
)
_ISSUE_OFFSETS: SearchStrategy[_Offset] = st.one_of(
    st.integers(-86_400, 0).map(lambda offset: ("whole", offset)),
    st.integers(1, 3600).map(lambda offset: ("whole", offset)),
    st.integers(-3600, 3600).map(lambda offset: ("now", offset)),
)
_AUTH_AGES = st.integers(0, 30 * 86_400)
_NOT_BEFORE_OFFSETS: SearchStrategy[_Offset] = st.one_of(
    st.integers(-86_400, 86_400).map(lambda offset: ("whole", offset)),
    st.just(("zero", 0)),
    st.integers(0, MAX_TIMESTAMP - 2 * BASE_NOW).map(lambda offset: ("whole", offset)),
)


def check_now(now: object, *, name: str = "now") -> float:
    """`now` as a float, or InvalidArgument when it is not a finite, non-negative number."""
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not math.isfinite(now) or now < 0:
        raise InvalidArgument(f"{name}={now!r} must be a finite, non-negative number of seconds since the epoch")
    return float(now)


def as_number(value: float) -> Number:
    """An integral value as an int (so JSON shows ``1700003600``), anything else unchanged."""
    return int(value) if float(value).is_integer() else value


def _resolve(now: float, offset: _Offset) -> Number:
    base, delta = offset
    if base == "zero":
        return 0
    origin = math.floor(now) if base == "whole" else now
    return as_number(max(0.0, origin + delta))


def nows(*, fractional: bool = True) -> SearchStrategy[float]:
    """Clock readings in seconds since the epoch, between about 2017 and 2036.

    With `fractional`, some readings carry milliseconds or a half second, as a real clock does.
    Shrinks towards 1700000000.0 (2023-11-14T22:13:20Z).
    """
    if not isinstance(fractional, bool):
        raise InvalidArgument(f"fractional={fractional!r} must be a bool")
    return _NOWS if fractional else _WHOLE_NOWS


def expirations(*, now: float) -> SearchStrategy[Number]:
    """`exp` values that are still valid at `now` for Convex (``floor(now) < exp``, no leeway).

    Biased to the boundaries that matter: ``floor(now) + 1``, ``floor(now) + 0.5`` (valid because
    `now` is truncated), ``now + 5``, ``+ 60``, ``+ 300``, ``+ 3600`` (Ave's lifetime), far future
    (up to 200 years ahead), plus any integer or fractional value in between. Shrinks towards
    ``floor(now) + 3600``.
    """
    return _EXPIRATION_OFFSETS.map(partial(_resolve, check_now(now)))


def issue_times(*, now: float) -> SearchStrategy[Number]:
    """`iat` values around `now`: just issued, up to a day old, or up to an hour in the future
    (Convex never compares `iat` with the clock), sometimes fractional. Shrinks towards
    ``floor(now)``."""
    return _ISSUE_OFFSETS.map(partial(_resolve, check_now(now)))


def auth_times(*, issued_at: float) -> SearchStrategy[Number]:
    """`auth_time` values at or before `issued_at` (the sign-in happened before the token was
    issued), up to 30 days earlier. Shrinks towards `issued_at`."""
    issued_at = check_now(issued_at, name="issued_at")
    return _AUTH_AGES.map(lambda age: as_number(max(0.0, issued_at - age)))


def not_befores(*, now: float) -> SearchStrategy[Number]:
    """`nbf` values anywhere in the accepted range: past, now, far future, 0 (Convex ignores `nbf`,
    but it must still be a number from 0 to `MAX_TIMESTAMP`). Shrinks towards ``floor(now)``."""
    return _NOT_BEFORE_OFFSETS.map(partial(_resolve, check_now(now)))


def draw_expiration(draw: st.DrawFn, now: float) -> Number:
    """One value of `expirations(now=now)`, drawn inside another strategy."""
    return _resolve(now, draw(_EXPIRATION_OFFSETS))


def draw_issue_time(draw: st.DrawFn, now: float) -> Number:
    """One value of `issue_times(now=now)`, drawn inside another strategy."""
    return _resolve(now, draw(_ISSUE_OFFSETS))


def draw_auth_time(draw: st.DrawFn, issued_at: float) -> Number:
    """One value of `auth_times(issued_at=issued_at)`, drawn inside another strategy."""
    return as_number(max(0.0, issued_at - draw(_AUTH_AGES)))


def draw_not_before(draw: st.DrawFn, now: float) -> Number:
    """One value of `not_befores(now=now)`, drawn inside another strategy."""
    return _resolve(now, draw(_NOT_BEFORE_OFFSETS))
