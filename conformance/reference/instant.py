"""Points in time as the backend's date library (chrono) holds them: whole seconds and nanoseconds.

Numbers become instants the way openidconnect's `timestamp_to_utc` does it: an integer is whole
seconds; a float is split into its floor and the floor of the remaining fraction in nanoseconds,
computed on the exact binary value of the float (so ``1700000000.000001`` carries 953 ns). With
the pinned feature ``accept-rfc3339-timestamps`` a string is parsed as RFC 3339 instead. Either way
the result must fit chrono's range (years -262143 to 262142), which is what makes
``8210266876799`` the largest accepted timestamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

__all__ = ["Instant", "MAX_SECONDS", "MIN_SECONDS", "from_number", "from_rfc3339", "from_timestamp",
           "round_half_away", "to_rfc3339"]

MAX_SECONDS = 8_210_266_876_799  # +262142-12-31T23:59:59Z
MIN_SECONDS = -8_334_601_228_800  # -262143-01-01T00:00:00Z
_NANOS = 1_000_000_000
_EXACT = Context(prec=1200)  # enough digits for the exact value of any double
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|([+\-\u2212])([0-9]{2}):([0-9]{2}))"
)
_MAX_OFFSET = (23 * 60 + 59) * 60


@dataclass(frozen=True, order=True)
class Instant:
    """Seconds since the epoch plus nanoseconds (1e9 and above only inside a leap second)."""

    seconds: int
    nanos: int = 0


def _in_range(seconds: int, nanos: int) -> Instant | None:
    return Instant(seconds, nanos) if MIN_SECONDS <= seconds <= MAX_SECONDS else None


def from_number(value: int | float) -> Instant | None:
    """The instant of a JSON number of seconds, or None when the date library cannot hold it."""
    if isinstance(value, int):
        return _in_range(value, 0)
    with localcontext(_EXACT):
        exact = Decimal(value)
        seconds = exact.to_integral_value(rounding=ROUND_FLOOR)
        nanos = ((exact - seconds) * _NANOS).to_integral_value(rounding=ROUND_FLOOR)
    return _in_range(int(seconds), int(nanos))


def round_half_away(value: int | float) -> int:
    """`value` rounded to an integer, halves away from zero (Rust's `f64::round`)."""
    if isinstance(value, int):
        return value
    with localcontext(_EXACT):
        return int(Decimal(value).to_integral_value(rounding=ROUND_HALF_UP))


def _days_from_civil(year: int, month: int, day: int) -> int:
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    shifted = days + 719468
    era = shifted // 146097
    day_of_era = shifted - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + 3 if month_index < 10 else month_index - 9
    return year_of_era + era * 400 + (month <= 2), month, day


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def from_rfc3339(text: str) -> Instant | None:
    """The instant of an RFC 3339 date-time as chrono's `parse_from_rfc3339` reads it, or None.

    ``T``, ``t`` or a space between date and time; any number of fraction digits (beyond nine are
    ignored); ``Z``/``z`` or a ``±hh:mm`` offset below 24h; second 60 is a leap second.
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, sign, offset_hours, offset_minutes = match.groups()[6:]
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        return None
    if hour > 23 or minute > 59 or second > 60:
        return None
    offset = 0
    if sign is not None:
        if int(offset_minutes) > 59:
            return None
        offset = int(offset_hours) * 3600 + int(offset_minutes) * 60
        if offset > _MAX_OFFSET:
            return None
        offset = offset if sign == "+" else -offset
    nanos = int(fraction[:9].ljust(9, "0")) if fraction else 0
    if second == 60:
        second, nanos = 59, nanos + _NANOS
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    return _in_range(seconds, nanos)


def from_timestamp(value: Any) -> Instant | None:
    """A JSON number or an RFC 3339 string as an instant; None for anything else or out of range."""
    if type(value) in (int, float):
        return from_number(value)
    if isinstance(value, str):
        return from_rfc3339(value)
    return None


def to_rfc3339(instant: Instant) -> str:
    """chrono's `to_rfc3339()` in UTC: offset ``+00:00``, and 0, 3, 6 or 9 fraction digits."""
    days, second_of_day = divmod(instant.seconds, 86400)
    year, month, day = _civil_from_days(days)
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    nanos = instant.nanos
    if nanos >= _NANOS:
        second, nanos = second + 1, nanos - _NANOS
    if nanos == 0:
        fraction = ""
    elif nanos % 1_000_000 == 0:
        fraction = f".{nanos // 1_000_000:03d}"
    elif nanos % 1000 == 0:
        fraction = f".{nanos // 1000:06d}"
    else:
        fraction = f".{nanos:09d}"
    year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{year:+05d}"
    return f"{year_text}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{fraction}+00:00"
