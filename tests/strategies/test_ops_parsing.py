"""Parser-strictness operators make the exact defect they name, and cover every tier-D input class.

Each test reads the finished token back: it finds the defect, and where the defect can be undone
(whitespace, padding, alphabet) checks that undoing it gives a token signed by the case's key, so
the defect is the only thing wrong.
"""

from __future__ import annotations

import base64
import json
import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from jwt.algorithms import get_default_algorithms
from strategy_support import ENV

from conformance.keypool import key_pool
from strategies import ACCEPT, OPERATORS, mutated_cases

_ALGORITHMS = get_default_algorithms()
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_FAST = settings(max_examples=12, deadline=None)

# Attack catalog, section D (parser strictness): every input class and its operators.
CATALOG_D = {
    "padding = in segments": ("parser.padding",),
    "whitespace around or inside the token": ("parser.whitespace-around", "parser.whitespace-inside",
                                              "parser.newline"),
    "non-canonical trailing base64 bits": ("parser.noncanonical-signature-bits", "parser.noncanonical-header-bits",
                                           "parser.noncanonical-payload-bits"),
    "duplicate JSON keys": ("parser.duplicate-claim-last-valid", "parser.duplicate-claim-last-invalid",
                            "parser.duplicate-header-last-valid", "parser.duplicate-header-last-invalid",
                            "parser.duplicate-standard-claim", "parser.duplicate-custom-claim",
                            "parser.duplicate-unknown-header"),
    "non-UTF-8 bytes": ("parser.non-utf8",),
    "BOM": ("parser.bom",),
    "deeply nested JSON": ("parser.deep-nesting-accepted", "parser.deep-nesting-rejected"),
    "huge tokens (header / payload / signature size)": ("parser.oversized-payload", "parser.oversized-header",
                                                        "signature.overlong"),
    "JSON with comments": ("parser.json-comment",),
}
# The convex-oidc verdict of every parser operator, derived from R1, O2 and O2a.
VERDICTS = {
    "accept": ("parser.noncanonical-signature-bits", "parser.noncanonical-header-bits",
               "parser.duplicate-custom-claim", "parser.duplicate-unknown-header", "parser.deep-nesting-accepted",
               "parser.big-integer", "parser.oversized-payload", "parser.oversized-header",
               "parser.unknown-header-unread"),
    "signature": ("parser.signature-bit-flip", "parser.signature-truncated", "parser.signature-empty"),
    "malformed": ("parser.noncanonical-payload-bits", "parser.padding", "parser.junk-character",
                  "parser.standard-base64-alphabet", "parser.whitespace-around", "parser.whitespace-inside",
                  "parser.newline", "parser.four-segments", "parser.two-segments", "parser.five-segments",
                  "parser.extra-dots", "parser.empty-segment", "parser.non-utf8", "parser.bom",
                  "parser.duplicate-claim-last-valid", "parser.duplicate-claim-last-invalid",
                  "parser.duplicate-header-last-valid", "parser.duplicate-header-last-invalid",
                  "parser.duplicate-standard-claim", "parser.nan-literal", "parser.lone-surrogate",
                  "parser.json-comment", "parser.trailing-junk", "parser.deep-nesting-rejected",
                  "parser.payload-not-object", "parser.header-not-object"),
}


def test_every_tier_d_input_class_has_operators():
    assert len(CATALOG_D) == 9  # the input classes listed in section D
    for row, names in CATALOG_D.items():
        assert [name for name in names if name not in OPERATORS] == [], row


def test_every_parser_operator_has_its_convex_verdict():
    listed = {name: verdict for verdict, names in VERDICTS.items() for name in names}
    assert set(listed) == {name for name in OPERATORS if name.startswith("parser.")}
    for name, verdict in listed.items():
        assert OPERATORS[name].expect == (ACCEPT if verdict == "accept" else frozenset({verdict})), name


# -- reading a finished case ---------------------------------------------------------------------
def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _signed(case, token: str) -> bool:
    """`token` is a compact JWS whose signature verifies with the case's signing key."""
    header, payload, signature = token.split(".")
    alg = case.recipe["sign_alg"] or case.recipe["header"]["alg"]
    key = key_pool()[case.recipe["key_id"]]
    return _ALGORITHMS[alg].verify(f"{header}.{payload}".encode(), key.public_key, _b64(signature))


def _json(segment: str) -> bytes:
    return _b64(segment)


def _pairs(raw: bytes) -> list[tuple[str, Any]]:
    return json.loads(raw, object_pairs_hook=lambda pairs: pairs)


def _repeated(pairs: list[tuple[str, Any]]) -> list[str]:
    names = [name for name, _ in pairs]
    return [name for name in dict.fromkeys(names) if names.count(name) > 1]


def _cases(name: str):
    return mutated_cases(env=ENV, operators=[name])


# -- base64url text -------------------------------------------------------------------------------
@_FAST
@given(_cases("parser.junk-character"))
def test_junk_character_is_the_only_character_outside_base64url(case):
    outside = [char for char in case.token if char not in _ALPHABET and char != "."]
    assert len(outside) == 1 and outside[0] in "$! ~*"
    assert _signed(case, case.token.replace(outside[0], "", 1))


@_FAST
@given(_cases("parser.standard-base64-alphabet"))
def test_standard_alphabet_translates_back_to_the_signed_token(case):
    assert set(case.token) & set("+/")
    header, payload, signature = case.token.split(".")
    changed = [segment for segment in (header, payload, signature) if set(segment) & set("+/")]
    assert len(changed) == 1
    assert _signed(case, case.token.replace("+", "-").replace("/", "_"))


@_FAST
@given(_cases("parser.padding"))
def test_padding_is_canonical_padding_of_one_segment(case):
    padded = [segment for segment in case.token.split(".") if segment.endswith("=")]
    assert len(padded) == 1 and len(padded[0]) % 4 == 0
    assert _signed(case, case.token.replace("=", ""))


@pytest.mark.parametrize("name,index", [("parser.noncanonical-signature-bits", 2),
                                        ("parser.noncanonical-header-bits", 0),
                                        ("parser.noncanonical-payload-bits", 1)])
def test_noncanonical_bits_decode_to_the_same_bytes_and_stay_signed(name, index):
    @_FAST
    @given(_cases(name))
    def check(case):
        segment = case.token.split(".")[index]
        decoded = _b64(segment)
        canonical = base64.urlsafe_b64encode(decoded).rstrip(b"=").decode()
        assert canonical != segment and canonical[:-1] == segment[:-1]
        assert _signed(case, case.token)  # signed over the text as sent

    check()


# -- whitespace and segments ----------------------------------------------------------------------
@_FAST
@given(_cases("parser.whitespace-around"))
def test_whitespace_around_strips_back_to_the_signed_token(case):
    assert case.token != case.token.strip() and case.token.strip() == case.token.strip(" \t\r\n")
    assert _signed(case, case.token.strip())


@_FAST
@given(_cases("parser.whitespace-inside"))
def test_whitespace_inside_is_one_inner_space_or_tab(case):
    inner = [i for i, char in enumerate(case.token) if char in " \t"]
    assert len(inner) == 1 and 0 < inner[0] < len(case.token) - 1
    assert case.token[inner[0] - 1] != "." and case.token[inner[0] + 1] != "."
    assert _signed(case, re.sub(r"[ \t]", "", case.token))


@_FAST
@given(_cases("parser.newline"))
def test_newline_wrapping_removes_back_to_the_signed_token(case):
    assert "\n" in case.token and not case.token.endswith("\n")
    assert _signed(case, re.sub(r"[\r\n]", "", case.token))


@pytest.mark.parametrize("name,dots", [("parser.four-segments", 3), ("parser.two-segments", 1),
                                       ("parser.five-segments", 4)])
def test_segment_counts(name, dots):
    @_FAST
    @given(_cases(name))
    def check(case):
        assert case.token.count(".") == dots and all(case.token.split("."))
        claims = json.loads(_b64(case.token.split(".")[1]))
        assert claims["iss"] and claims["aud"]  # the claims stay where routing reads them
        if dots > 1:
            assert _signed(case, ".".join(case.token.split(".")[:3]))

    check()


@_FAST
@given(_cases("parser.extra-dots"))
def test_extra_dots_add_empty_segments_around_the_signed_token(case):
    parts = case.token.split(".")
    assert len(parts) >= 4 and "" in parts and parts[0]
    assert _signed(case, ".".join(part for part in parts if part))


@_FAST
@given(_cases("parser.empty-segment"))
def test_empty_segment_is_the_header_or_the_payload(case):
    parts = case.token.split(".")
    assert len(parts) == 3 and parts[2] and [part == "" for part in parts[:2]].count(True) == 1


# -- JSON inside the segments ---------------------------------------------------------------------
def _header_and_payload(case) -> tuple[bytes, bytes]:
    header, payload, _ = case.token.split(".")
    return _json(header), _json(payload)


@_FAST
@given(_cases("parser.non-utf8"))
def test_non_utf8_bytes_sit_in_the_header_or_payload(case):
    broken = []
    for raw in _header_and_payload(case):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            broken.append(raw)
    assert len(broken) == 1 and _signed(case, case.token)


@_FAST
@given(_cases("parser.bom"))
def test_bom_prefixes_one_json_text(case):
    prefixed = [raw for raw in _header_and_payload(case) if raw.startswith(b"\xef\xbb\xbf")]
    assert len(prefixed) == 1 and isinstance(json.loads(prefixed[0][3:]), dict)


def _good(case, name: str, value: Any) -> bool:
    """Whether `value` is what a valid token has for claim or header member `name`."""
    document, _ = json.JSONDecoder().raw_decode(case.publication.discovery.body.decode())
    keys = case.publication.jwks_document()["keys"]
    return {
        "iss": lambda: value == document["issuer"],
        "aud": lambda: value == case.provider.application_id or value == [case.provider.application_id] * len(value),
        "exp": lambda: isinstance(value, (int, float)) and value > int(case.now),  # Convex C0: whole seconds
        "sub": lambda: isinstance(value, str),
        "alg": lambda: value in ("RS256", "EdDSA"),
        "kid": lambda: value in {entry.get("kid") for entry in keys if isinstance(entry, dict)},
        "typ": lambda: value.lower() in ("jwt", "jose", "application/jwt", "application/jose"),
    }[name]()


@pytest.mark.parametrize("name,segment,last_good", [
    ("parser.duplicate-claim-last-valid", 1, True), ("parser.duplicate-claim-last-invalid", 1, False),
    ("parser.duplicate-header-last-valid", 0, True), ("parser.duplicate-header-last-invalid", 0, False)])
def test_duplicated_members_put_the_good_value_where_the_name_says(name, segment, last_good):
    @_FAST
    @given(_cases(name))
    def check(case):
        pairs = _pairs(_header_and_payload(case)[segment])
        (member,) = _repeated(pairs)
        first, last = [value for key, value in pairs if key == member]
        assert (_good(case, member, first), _good(case, member, last)) == (not last_good, last_good)

    check()


@_FAST
@given(_cases("parser.duplicate-standard-claim"))
def test_duplicated_standard_claim(case):
    (member,) = _repeated(_pairs(_header_and_payload(case)[1]))
    assert member in ("name", "email", "preferred_username", "picture")


@_FAST
@given(_cases("parser.duplicate-custom-claim"))
def test_duplicated_custom_claim_records_the_last_value(case):
    raw = _header_and_payload(case)[1]
    (member,) = _repeated(_pairs(raw))
    assert member not in ("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "name", "email")
    assert json.loads(raw)[member] == case.recipe["payload"][member]  # json.loads keeps the last value


@_FAST
@given(_cases("parser.duplicate-unknown-header"))
def test_duplicated_unknown_header_member(case):
    (member,) = _repeated(_pairs(_header_and_payload(case)[0]))
    assert member not in ("alg", "kid", "typ", "cty", "crit")


@_FAST
@given(_cases("parser.unknown-header-unread"))
def test_unread_header_member_holds_what_a_read_field_could_not(case):
    raw = _header_and_payload(case)[0]
    member = raw[raw.index(b'"x-ext":') + len(b'"x-ext":'):]
    try:
        value, _ = json.JSONDecoder().raw_decode(member.decode("utf-8"))
    except UnicodeDecodeError:
        value = None  # invalid UTF-8
    assert value is None or _depth(value) >= 128 or re.search(r"[\ud800-\udfff]", str(value))
    assert _signed(case, case.token)


def _refuse(name: str) -> Any:
    raise ValueError(name)


@_FAST
@given(_cases("parser.nan-literal"))
def test_nan_literal_is_python_json_but_not_strict_json(case):
    raw = _header_and_payload(case)[1]
    assert any(isinstance(v, float) and not math.isfinite(v) for v in json.loads(raw).values())
    with pytest.raises(ValueError):
        json.loads(raw, parse_constant=_refuse)


@_FAST
@given(_cases("parser.lone-surrogate"))
def test_lone_surrogate_escape_in_a_claim(case):
    claims = json.loads(_header_and_payload(case)[1])
    texts = [value for value in claims.values() if isinstance(value, str)]
    assert any(re.search(r"[\ud800-\udfff]", text) and not text.isprintable() for text in texts)


@_FAST
@given(_cases("parser.json-comment"))
def test_json_comment_is_the_only_defect(case):
    (raw,) = [raw for raw in _header_and_payload(case) if b"/*" in raw or b"//" in raw.replace(b"://", b"")]
    with pytest.raises(ValueError):
        json.loads(raw)
    assert isinstance(json.loads(re.sub(rb"/\* note \*/|// note\n", b"", raw)), dict)


@_FAST
@given(_cases("parser.trailing-junk"))
def test_trailing_junk_follows_a_complete_object(case):
    tails = []
    for raw in _header_and_payload(case):
        value, end = json.JSONDecoder().raw_decode(raw.decode())
        tails.append(raw.decode()[end:])
        assert isinstance(value, dict)
    assert [bool(tail.strip()) for tail in tails].count(True) == 1


@pytest.mark.parametrize("name,index", [("parser.payload-not-object", 1), ("parser.header-not-object", 0)])
def test_json_that_is_not_an_object(name, index):
    @_FAST
    @given(_cases(name))
    def check(case):
        assert not isinstance(json.loads(_header_and_payload(case)[index]), dict)

    check()


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@pytest.mark.parametrize("name,low,high", [("parser.deep-nesting-accepted", 102, 127),
                                           ("parser.deep-nesting-rejected", 128, 301)])
def test_nesting_depth_counts_the_payload_object(name, low, high):
    @_FAST
    @given(_cases(name))
    def check(case):
        assert low <= _depth(json.loads(_header_and_payload(case)[1])) <= high

    check()


@_FAST
@given(_cases("parser.big-integer"))
def test_big_integer_does_not_fit_64_bits(case):
    claims = json.loads(_header_and_payload(case)[1])
    assert any(isinstance(v, int) and not -(2**63) <= v <= 2**64 - 1 for v in claims.values())


@pytest.mark.parametrize("name,index,size", [("parser.oversized-payload", 1, 200 * 1024),
                                             ("parser.oversized-header", 0, 100 * 1024)])
def test_oversized_segments(name, index, size):
    @settings(max_examples=4, deadline=None)
    @given(_cases(name))
    def check(case):
        assert len(_header_and_payload(case)[index]) >= size and _signed(case, case.token)

    check()
