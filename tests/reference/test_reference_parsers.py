"""The reference's own parsers against Python's and against their stated rules (properties)."""

from __future__ import annotations

import base64
import datetime
import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reference import base64url
from conformance.reference.instant import (MAX_SECONDS, MIN_SECONDS, Instant, from_number, from_rfc3339,
                                           round_half_away, to_rfc3339)
from conformance.reference.lenient_json import _skip_iteratively, read_struct, skip_value
from conformance.reference.strict_json import JsonError, parse_bytes, parse_prefix, parse_text
from conformance.reference.urls import parse_url

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=25,
)


# --- base64url ---------------------------------------------------------------------------------------

@given(st.binary(max_size=200))
def test_base64url_decodes_what_unpadded_encoding_produces(data):
    segment = base64.urlsafe_b64encode(data).decode().rstrip("=")
    assert base64url.decode(segment, canonical=True) == data
    assert base64url.decode(segment, canonical=False) == data


@given(st.binary(min_size=1, max_size=60), st.integers(min_value=1, max_value=3))
def test_base64url_unused_bits_fail_only_the_canonical_reading(data, bits):
    segment = base64.urlsafe_b64encode(data).decode().rstrip("=")
    if len(segment) % 4 == 0:
        return
    unused = 4 if len(segment) % 4 == 2 else 2
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    tweaked = segment[:-1] + alphabet[alphabet.index(segment[-1]) | (bits % (1 << unused) or 1)]
    assert base64url.decode(tweaked, canonical=True) is None
    assert base64url.decode(tweaked, canonical=False) == data


@pytest.mark.parametrize("segment", ["a", "abcde", "ab=", "ab==", "a+b/", "ab c", "é", "ab\n"])
def test_base64url_refuses_padding_alphabet_and_lengths(segment):
    assert base64url.decode(segment, canonical=False) is None


# --- strict JSON -----------------------------------------------------------------------------------

@settings(max_examples=200)
@given(json_values)
def test_strict_json_reads_what_json_writes(value):
    text = json.dumps(value)
    assert parse_text(text) == json.loads(text)
    assert parse_prefix(text.encode() + b"\xff trailing") == json.loads(text)


@given(st.integers(min_value=1, max_value=300))
def test_strict_json_depth_limit_is_127(depth):
    text = "[" * depth + "]" * depth
    if depth <= 127:
        assert parse_text(text) is not None
    else:
        with pytest.raises(JsonError) as caught:
            parse_text(text)
        assert caught.value.kind == "depth"


@pytest.mark.parametrize("text, kind", [
    ("NaN", "constant"), ("[Infinity]", "constant"), ("1e400", "number"), ('"\\udc00"', "surrogate"),
    ('{"\\ud800":1}', "surrogate"), ("[1,]", "syntax"), ("01", "syntax"), ("{'a':1}", "syntax"), ("", "syntax"),
])
def test_strict_json_refuses_what_serde_json_refuses(text, kind):
    with pytest.raises(JsonError) as caught:
        parse_text(text)
    assert caught.value.kind == kind


def test_strict_json_bytes_must_be_utf8():
    with pytest.raises(JsonError) as caught:
        parse_bytes(b'"\xed\xa0\x80"')  # an encoded surrogate is not UTF-8
    assert caught.value.kind == "utf8"
    assert parse_bytes('"\u00e9"'.encode()) == "\u00e9"


def test_strict_json_prefix_ignores_only_what_follows_the_value():
    assert parse_prefix(b' {"a":[1]} ' + b"[" * 500) == {"a": [1]}
    with pytest.raises(JsonError):
        parse_prefix(b'{"a":"\xff"} ')
    with pytest.raises(JsonError):
        parse_prefix(b"[" * 128 + b"]" * 128)


def test_strict_json_keeps_repeated_members_in_order():
    value = parse_text('{"a":1,"b":2,"a":3}')
    assert value == {"a": 3, "b": 2} and value.keys_in_order() == ["a", "b", "a"] and value.repeated() == {"a"}


# --- lenient JSON (serde_json's ignore_value) ----------------------------------------------------------

@settings(max_examples=200)
@given(json_values, st.text(alphabet=" \t\n\r", max_size=3))
def test_skip_value_spans_exactly_one_json_value(value, space):
    data = (space + json.dumps(value)).encode()
    assert skip_value(data + b" ,]", 0) == len(data)
    assert _skip_iteratively(data + b" ,]", len(space)) == len(data)  # the path taken past Python's depth


@settings(max_examples=300)
@given(st.text(alphabet='[]{}",:0123456789.eE+-truefalsn \\u', max_size=40))
def test_skip_value_accepts_exactly_the_json_python_accepts(text):
    data = text.encode()
    try:
        json.loads(text)
        python_ok = True
    except (ValueError, RecursionError):
        python_ok = False
    for skip in (skip_value, _skip_iteratively):
        try:
            end = skip(data, len(data) - len(data.lstrip(b" ")))
            ours_ok = data[end:].strip(b" \t\n\r") == b""
        except JsonError:
            ours_ok = False
        assert ours_ok == python_ok, skip.__name__


def test_read_struct_returns_known_members_and_sequences():
    struct = read_struct(b'{"a":1,"x":[[[]]],"a":2}', ("a",), trailing=False)
    assert struct.members == (("a", 1), ("a", 2)) and struct.sequence is None
    assert read_struct(b'[1,"b"] junk', ("a",), trailing=True).sequence == [1, "b"]
    for bad in (b'{"a":1} junk', b"5", b'{"a":1,}', b'{"a" 1}'):
        with pytest.raises(JsonError):
            read_struct(bad, ("a",), trailing=False)


# --- instants ---------------------------------------------------------------------------------------

def _year_days(year: int) -> int:
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


def test_instant_range_ends_are_chronos():
    """chrono's range is -262143-01-01T00:00:00 to +262142-12-31T23:59:59 (proleptic Gregorian)."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    days_after = (datetime.date(9999, 12, 31) - datetime.date(1970, 1, 1)).days + sum(
        _year_days(year) for year in range(10000, 262143))
    days_before = (datetime.date(1970, 1, 1) - datetime.date(1, 1, 1)).days + sum(
        _year_days(year) for year in range(-262143, 1))
    assert MAX_SECONDS == days_after * 86400 + 86399 == 8210266876799
    assert MIN_SECONDS == -days_before * 86400
    assert to_rfc3339(Instant(MAX_SECONDS)) == "+262142-12-31T23:59:59+00:00"
    assert to_rfc3339(Instant(MIN_SECONDS)) == "-262143-01-01T00:00:00+00:00"
    assert from_number(MAX_SECONDS + 1) is None and from_number(MIN_SECONDS - 1) is None
    assert to_rfc3339(Instant(0)) == epoch.isoformat()


@given(st.datetimes(timezones=st.just(datetime.timezone.utc)))
def test_rfc3339_formatting_agrees_with_datetime_and_round_trips(moment):
    seconds = (moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(seconds=1)
    instant = Instant(seconds, moment.microsecond * 1000)
    text = to_rfc3339(instant)
    assert datetime.datetime.fromisoformat(text) == moment
    assert from_rfc3339(text) == instant


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_float_timestamps_floor_to_whole_nanoseconds_of_the_exact_value(value):
    instant = from_number(value)
    assert instant is not None and 0 <= instant.nanos < 10**9
    exact = Fraction(value)
    assert instant.seconds == math.floor(exact)
    assert instant.nanos == math.floor((exact - instant.seconds) * 10**9)


@pytest.mark.parametrize("value, expected", [(2.5, 3), (-2.5, -3), (2.4999, 2), (7, 7), (-0.0, 0)])
def test_round_half_away_from_zero(value, expected):
    assert round_half_away(value) == expected


@pytest.mark.parametrize("text", ["2023-11-14", "2023-11-14T22:13Z", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z",
                                  "2023-11-14T24:00:00Z", "2023-11-14T22:13:20+24:00", "2023-11-14T22:13:20+01:60",
                                  "2023-11-14T22:13:20.Z", "+2023-11-14T22:13:20Z", "2023-11-14T22:13:20+0100",
                                  "\u0662023-11-14T22:13:20Z"])
def test_rfc3339_parser_refuses_what_chrono_refuses(text):
    assert from_rfc3339(text) is None


# --- URLs -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, request_url", [
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765/"),
    ("HTTP://LocalHost:80/a/./b/../c?x y#f", "http://localhost/a/c?x%20y"),
    ("http://127.1:8765/x", "http://127.0.0.1:8765/x"),
    ("http://[::1]:8765/a b", "http://[::1]:8765/a%20b"),
    ("https://x:443//p", "https://x//p"),
    ("localhost:8765", "localhost:8765"),
])
def test_urls_parse_and_serialize_like_the_url_crate(text, request_url):
    parsed = parse_url(text)
    assert parsed is not None and parsed.request == request_url


@pytest.mark.parametrize("text", ["127.0.0.1:8765", "example.com", "http://", "http://:80", "http://exa mple.com",
                                  "http://1.2.3.256/", "http://a:b:c/", "http://x:99999", "http://[::1", "/path",
                                  "http://x%00y/"])
def test_urls_the_url_crate_refuses(text):
    assert parse_url(text) is None
