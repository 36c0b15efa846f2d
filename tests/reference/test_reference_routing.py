"""The clock (C0) and routing (R1-R4) of the convex-oidc reference."""

from __future__ import annotations

import base64
import json

import pytest

from conformance.jws import b64url_encode
from conformance.reasons import Reason

NOW = 1_700_000_000


def _with_payload_segment(token: str, segment: str) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{segment}.{signature}"


def _payload_segment(payload: bytes) -> str:
    return b64url_encode(payload)


# --- C0: the clock ---------------------------------------------------------------------------------

def test_CVX_C0_fractional_now_is_truncated_accepted(kit):
    # exp keeps its fraction, now loses its own: 1700000000 < 1700000000.5 although 1700000000.7 is later.
    kit.accepts(kit.token(exp=NOW + 0.5), now=NOW + 0.7)


def test_CVX_C0_truncated_now_at_or_after_exp_rejected(kit):
    kit.rejects(kit.token(exp=NOW + 0.5), Reason.EXPIRED, "CVX-O3.7", now=NOW + 1.2)


@pytest.mark.parametrize("now", [-1.0, float("nan"), float("inf"), 10.0**15])
def test_CVX_C0_clock_the_backend_cannot_represent_rejected(kit, now):
    kit.rejects(kit.token(), Reason.EXPIRED, "CVX-C0", now=now)


# --- R1: unverified payload decoding and registered claim types --------------------------------------

def test_CVX_R1_float_and_null_registered_claims_accepted(kit):
    verdict = kit.accepts(kit.token(exp=NOW + 3600.25, iat=NOW - 0.5, nbf=None, jti=None, sub="u"))
    assert verdict.claims["exp"] == NOW + 3600.25 and verdict.claims["nbf"] is None


def test_CVX_R1_largest_timestamp_accepted(kit):
    kit.accepts(kit.token(exp=8210266876799))
    kit.accepts(kit.token(exp=8210266876799.4))  # rounds down into the range


@pytest.mark.parametrize("exp", [8210266876799.5, 8210266876800, 1e15, 2**64, 10**30])
def test_CVX_R1_timestamp_beyond_the_date_range_rejected(kit, exp):
    kit.rejects(kit.token(exp=exp), Reason.CLAIM_TYPE, "CVX-R1")


@pytest.mark.parametrize("claims", [
    {"exp": "1799999999"}, {"exp": "2030-01-01T00:00:00Z"}, {"exp": -1}, {"exp": -0.5}, {"exp": True},
    {"exp": [NOW + 10]}, {"iat": "1700000000"}, {"iat": -5}, {"nbf": "soon"}, {"nbf": -1},
    {"iss": 42}, {"iss": ["http://127.0.0.1:8765"]}, {"sub": 42}, {"sub": {"id": 1}}, {"jti": 7},
    {"aud": 5}, {"aud": [["app_0123456789abcdef0123456789abcdef"]]}, {"aud": ["ok", 3]}, {"aud": {"a": 1}},
], ids=repr)
def test_CVX_R1_registered_claim_of_the_wrong_type_rejected(kit, claims):
    kit.rejects(kit.token(**claims), Reason.CLAIM_TYPE, "CVX-R1")


def test_CVX_R1_negative_zero_timestamp_is_not_negative(kit):
    kit.rejects(kit.token(iat=-0.0, exp=-0.0), Reason.EXPIRED, "CVX-O3.7")  # passes R1, expires later


def _canonical_payload(kit, padding: int) -> bytes:
    """A valid payload whose base64url length leaves `padding` unused characters (1 or 2 '=')."""
    for extra in range(8):
        payload = json.dumps(kit.claims(x="y" * extra), separators=(",", ":")).encode()
        if len(base64.urlsafe_b64encode(payload).decode().rstrip("=")) % 4 == (4 - padding) % 4:
            return payload
    raise AssertionError("no payload with that length")


@pytest.mark.parametrize("padding", [1, 2])
def test_CVX_R1_padded_payload_rejected(kit, padding):
    payload = _canonical_payload(kit, padding)
    token = kit.raw_token(kit.raw_json(kit.header()), payload)
    kit.accepts(token)
    padded = _with_payload_segment(token, _payload_segment(payload) + "=" * padding)
    kit.rejects(padded, Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("padding", [1, 2])
def test_CVX_R1_non_canonical_trailing_bits_rejected(kit, padding):
    payload = _canonical_payload(kit, padding)
    segment = _payload_segment(payload)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    tweaked = segment[:-1] + alphabet[alphabet.index(segment[-1]) | 1]
    assert base64.urlsafe_b64decode(tweaked + "=" * padding) == payload  # same bytes, other spelling
    token = kit.raw_token(kit.raw_json(kit.header()), payload)
    kit.rejects(_with_payload_segment(token, tweaked), Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("segment", [
    "e30+", "e30/", "e3 0", "e30\n", "é30", "", "e",  # standard alphabet, whitespace, non-ASCII, empty, length 1
])
def test_CVX_R1_payload_segment_that_is_not_base64url_json_rejected(kit, segment):
    kit.rejects(_with_payload_segment(kit.token(), segment), Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("payload", [
    b"not json", b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"[1,2]", b'"iss"', b"{} {}", b'{"a":NaN}',
    b'{"iss":"http://127.0.0.1:8765","iss":"http://127.0.0.1:8765"}', b'{"nbf":1,"nbf":1}',
    b'{"a":"\\ud800"}', b'{"a":1e400}',
])
def test_CVX_R1_payload_json_the_backend_refuses_rejected(kit, payload):
    token = _with_payload_segment(kit.token(), _payload_segment(payload))
    kit.rejects(token, Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("token", ["", "abc", "a" * 100, "\x00", "é.é.é", "  "])
def test_CVX_R1_token_without_a_payload_segment_rejected(kit, token):
    kit.rejects(token, Reason.MALFORMED, "CVX-R1")


def test_CVX_R1_routing_reads_the_second_segment_of_any_segment_count(kit):
    token = kit.token()
    kit.rejects(token + ".extra", Reason.MALFORMED, "CVX-O2")  # routed and discovered, then O2 counts
    kit.rejects(".".join(token.split(".")[:2]), Reason.MALFORMED, "CVX-O2")


def test_CVX_R1_non_string_token_rejected(kit):
    kit.rejects(b"abc.def.ghi", Reason.MALFORMED, "CVX-R1")  # type: ignore[arg-type]


# --- R2: iss required ------------------------------------------------------------------------------

def test_CVX_R2_token_with_iss_accepted(kit):
    kit.accepts(kit.token())


@pytest.mark.parametrize("iss", ["DROP", None], ids=["missing", "null"])
def test_CVX_R2_missing_or_null_iss_rejected(kit, iss):
    value = kit.DROP if iss == "DROP" else None
    kit.rejects(kit.token(iss=value), Reason.MISSING_CLAIM, "CVX-R2")


# --- R3: audiences as a list -----------------------------------------------------------------------

@pytest.mark.parametrize("aud", ["app_0123456789abcdef0123456789abcdef", ["app_0123456789abcdef0123456789abcdef"]])
def test_CVX_R3_string_or_array_audience_accepted(kit, aud):
    kit.accepts(kit.token(aud=aud))


@pytest.mark.parametrize("aud", ["DROP", None, []], ids=["missing", "null", "empty"])
def test_CVX_R3_missing_audience_is_empty_and_rejected(kit, aud):
    value = kit.DROP if aud == "DROP" else aud
    kit.rejects(kit.token(aud=value), Reason.AUDIENCE, "CVX-R4")


# --- R4: provider matching -------------------------------------------------------------------------

@pytest.mark.parametrize("domain", ["http://127.0.0.1:8765/", "http://127.0.0.1:8765///"])
def test_CVX_R4_trailing_slashes_of_the_domain_ignored_accepted(kit, domain):
    kit.accepts(kit.token(), domain=domain)


def test_CVX_R4_trailing_slashes_of_the_issuer_ignored_by_routing_accepted(kit):
    iss = kit.origin + "//"
    publication = kit.publication(issuer_path="//", discovered_issuer=iss)
    kit.accepts(kit.token(iss=iss), publication)


def test_CVX_R4_extra_audience_passes_routing_then_fails_verification(kit):
    kit.rejects(kit.token(aud=[kit.app, "app_other"]), Reason.AUDIENCE, "CVX-O3.3")


@pytest.mark.parametrize("aud", ["app_other", "APP_0123456789ABCDEF0123456789ABCDEF", [" " + "app_x"]])
def test_CVX_R4_audience_without_the_application_id_rejected(kit, aud):
    kit.rejects(kit.token(aud=aud), Reason.AUDIENCE, "CVX-R4")


@pytest.mark.parametrize("iss", [
    "http://127.0.0.1:8766", "http://127.0.0.1:8765/tenant", "HTTP://127.0.0.1:8765", "http://127.0.0.1:8765:80",
    "127.0.0.1:8765",  # https:// is prepended, and the domain is http://
    "http://127.0.0.1:8765 ", "http://127.0.0.1:8765/.",
])
def test_CVX_R4_issuer_not_matching_the_domain_rejected(kit, iss):
    kit.rejects(kit.token(iss=iss), Reason.ISSUER, "CVX-R4")


def test_CVX_R4_audience_is_checked_before_the_issuer(kit):
    kit.rejects(kit.token(aud="app_other", iss="http://elsewhere"), Reason.AUDIENCE, "CVX-R4")


def test_CVX_R4_schemeless_issuer_matches_an_https_domain_then_fails_discovery(kit):
    kit.rejects(kit.token(iss="127.0.0.1:8765"), Reason.DISCOVERY, "CVX-O2a", domain="https://127.0.0.1:8765")
