"""Parsing as an OIDC ID token (O2) and the serde/JSON details behind it (O2a)."""

from __future__ import annotations

import json

import pytest

from conformance.jws import b64url_encode, sign
from conformance.reasons import Reason

NOW = 1_700_000_000
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _raw_header_token(kit, header: bytes, **claims) -> str:
    return kit.raw_token(header, kit.raw_json(kit.claims(**claims)))


def _segments(token: str) -> list[str]:
    return token.split(".")


def _resigned(kit, header_segment: str, payload_segment: str, key_id: str = "rsa-2048-a") -> str:
    data = f"{header_segment}.{payload_segment}".encode()
    return f"{header_segment}.{payload_segment}." + b64url_encode(sign("RS256", kit.key(key_id), data))


def _loose_bits(segment: str) -> str:
    """`segment` with non-zero unused bits in its last character (same decoded bytes)."""
    assert len(segment) % 4 in (2, 3)
    return segment[:-1] + ALPHABET[ALPHABET.index(segment[-1]) | 1]


# --- O2: segments and header ----------------------------------------------------------------------

def test_CVX_O2_well_formed_token_accepted(kit):
    kit.accepts(kit.token())


def test_CVX_O2_unused_bits_in_header_and_signature_tolerated_accepted(kit):
    header = json.dumps(kit.header()).encode()
    for pad in range(4):
        segment = b64url_encode(header + b" " * pad)
        if len(segment) % 4:
            break
    header_segment = _loose_bits(segment)
    token = _resigned(kit, header_segment, _segments(kit.token())[1])
    signature = _segments(token)[2]
    assert len(signature) % 4 == 2  # 256 bytes: the last character carries 4 unused bits
    kit.accepts(".".join(_segments(token)[:2] + [_loose_bits(signature)]))


@pytest.mark.parametrize("mutate", [
    lambda s: s + ".x", lambda s: s + ".", lambda s: s + "..",
], ids=["four segments", "trailing dot", "two trailing dots"])
def test_CVX_O2_segment_count_other_than_three_rejected(kit, mutate):
    kit.rejects(mutate(kit.token()), Reason.MALFORMED, "CVX-O2")


@pytest.mark.parametrize("part, value", [
    (0, "eyJhbGciOiJSUzI1NiJ9="), (0, "eyJhbGciOiJSUzI1NiJ9+"), (0, ""), (0, "e"), (2, "abc="), (2, "ab+c"),
    (2, "a"), (2, "ab cd"),
])
def test_CVX_O2_segment_that_is_not_base64url_rejected(kit, part, value):
    segments = _segments(kit.token())
    segments[part] = value
    kit.rejects(".".join(segments), Reason.MALFORMED, "CVX-O2")


@pytest.mark.parametrize("header", [b"not json", b'{"alg":"RS256"', b'{"alg":"RS256"} x', b"[]", b'"RS256"',
                                    b'["RS256",null,null,null]', b"5"])
def test_CVX_O2_header_that_is_not_a_json_object_rejected(kit, header):
    kit.rejects(_raw_header_token(kit, header), Reason.MALFORMED, "CVX-O2")


def test_CVX_O2_header_sequence_form_accepted(kit):
    kit.accepts(_raw_header_token(kit, b'["RS256",null,null,"rsa-2048-a","JWT"]'))


@pytest.mark.parametrize("header", [
    {"typ": "JWT"}, {"alg": None}, {"alg": 256}, {"alg": ["RS256"]}, {"alg": "RS256", "kid": 5},
    {"alg": "RS256", "typ": True}, {"alg": "RS256", "cty": {}}, {"alg": "RS256", "crit": "exp"},
    {"alg": "RS256", "crit": [1]},
], ids=repr)
def test_CVX_O2_header_field_missing_or_mistyped_rejected(kit, header):
    kit.rejects(kit.token(header=header), Reason.HEADER, "CVX-O2")


@pytest.mark.parametrize("alg", ["None", "NONE", "nOnE", "rs256", "RSA-OAEP", "dir", "ES256K", "HS1", ""])
def test_CVX_O2_unknown_alg_name_rejected(kit, alg):
    kit.rejects(kit.token(header={"alg": alg, "kid": "rsa-2048-a"}, alg="RS256"), Reason.ALGORITHM, "CVX-O2")


# --- O2: claims -------------------------------------------------------------------------------------

def test_CVX_O2_typed_standard_claims_accepted(kit):
    claims = dict(name="Ada", given_name=None, email="a@x", email_verified=True, phone_number_verified=False,
                  address={"formatted": "1 Road", "country": None, "extra": 5}, updated_at="2023-11-14T22:13:20Z",
                  auth_time=NOW - 5, amr=["pwd"], nonce="n", acr="0", azp="other", at_hash="x", c_hash=None,
                  locale="en", zoneinfo="Europe/Paris", birthdate="1815-12-10", gender="female", birthday="x",
                  custom={"nested": [1, 2.5, None, True]})
    kit.accepts(kit.token(**claims))


@pytest.mark.parametrize("claims, reason", [
    ({"sub": "DROP"}, Reason.MISSING_CLAIM), ({"sub": None}, Reason.MISSING_CLAIM),
    ({"exp": "DROP"}, Reason.MISSING_CLAIM), ({"exp": None}, Reason.MISSING_CLAIM),
    ({"iat": "DROP"}, Reason.MISSING_CLAIM), ({"iat": None}, Reason.MISSING_CLAIM),
], ids=repr)
def test_CVX_O2_required_claim_missing_or_null_rejected(kit, claims, reason):
    claims = {name: (kit.DROP if value == "DROP" else value) for name, value in claims.items()}
    kit.rejects(kit.token(**claims), reason, "CVX-O2")


@pytest.mark.parametrize("claims", [
    {"email_verified": "true"}, {"email_verified": 1}, {"phone_number_verified": "false"}, {"email": 5},
    {"name": 5}, {"name#en": ["Ada"]}, {"given_name": True}, {"preferred_username": {}}, {"locale": 1},
    {"birthday": 19991231}, {"address": "1 Road"}, {"address": ["a", "b", "c", "d", "e"]},
    {"address": ["a", "b", "c", "d", "e", "f", "g"]}, {"address": {"formatted": 5}},
    {"address": ["a", 1, "c", "d", "e", "f"]},
    {"updated_at": "yesterday"}, {"updated_at": True}, {"updated_at": "2023-11-14"},
    {"updated_at": "2023-02-30T00:00:00Z"}, {"auth_time": "2023-11-14 25:00:00Z"}, {"auth_time": [1]},
    {"amr": "pwd"}, {"amr": [1]}, {"nonce": 5}, {"acr": {}}, {"azp": ["x"]}, {"at_hash": 1}, {"c_hash": False},
], ids=repr)
def test_CVX_O2_claim_of_the_wrong_type_rejected(kit, claims):
    kit.rejects(kit.token(**claims), Reason.CLAIM_TYPE, "CVX-O2")


def test_CVX_O2_empty_tag_is_the_claim_itself(kit):
    verdict = kit.accepts(kit.token(sub=kit.DROP, **{"sub#": "user_9"}))
    assert verdict.identity["subject"] == "user_9" and verdict.identity["tokenIdentifier"].endswith("|user_9")
    kit.rejects(kit.token(sub=kit.DROP, **{"sub#": 5}), Reason.CLAIM_TYPE, "CVX-O2")


@pytest.mark.parametrize("value", ["2023-11-14T22:13:20Z", "2023-11-14t22:13:20.5z", "2023-11-14 22:13:20+01:00",
                                   "2016-12-31T23:59:60Z", 1700000000, -5.25])
def test_CVX_O2_timestamps_as_numbers_or_rfc3339_accepted(kit, value):
    kit.accepts(kit.token(auth_time=value, updated_at=value))


# --- O2a: serde_json and struct details ------------------------------------------------------------

def test_CVX_O2a_nesting_up_to_127_levels_accepted(kit):
    kit.accepts(kit.token(deep=json.loads("[" * 126 + "]" * 126)))


def test_CVX_O2a_nesting_deeper_than_127_levels_rejected(kit):
    payload = kit.raw_json(kit.claims())[:-1] + b',"deep":' + b"[" * 127 + b"]" * 127 + b"}"
    kit.rejects(kit.raw_token(kit.raw_json(kit.header()), payload), Reason.MALFORMED, "CVX-R1")


def test_CVX_O2a_surrogate_pairs_accepted_lone_surrogates_rejected(kit):
    pair = kit.raw_json(kit.claims())[:-1] + b',"smile":"\\ud83d\\ude00"}'
    verdict = kit.accepts(kit.raw_token(kit.raw_json(kit.header()), pair))
    assert verdict.claims["smile"] == "\U0001F600"
    for lone in (b'"\\ud83d"', b'"\\ude00\\ud83d"', b'"\\ud83d\\u0041"'):
        payload = kit.raw_json(kit.claims())[:-1] + b',"x":' + lone + b"}"
        kit.rejects(kit.raw_token(kit.raw_json(kit.header()), payload), Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400"])
def test_CVX_O2a_nan_infinity_and_overflow_rejected(kit, literal):
    payload = kit.raw_json(kit.claims())[:-1] + b',"x":' + literal + b"}"
    kit.rejects(kit.raw_token(kit.raw_json(kit.header()), payload), Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("literal, value", [
    (b"18446744073709551615", 2**64 - 1), (b"18446744073709551616", 1.8446744073709552e19),
    (b"-9223372036854775808", -(2**63)), (b"-9223372036854775809", -9.223372036854776e18), (b"-0", -0.0),
    (b"12345678901234567890123", 1.2345678901234568e22), (b"-12345678901234567890123", -1.2345678901234568e22),
])
def test_CVX_O2a_integers_beyond_64_bits_become_floats_accepted(kit, literal, value):
    payload = kit.raw_json(kit.claims())[:-1] + b',"n":' + literal + b"}"
    verdict = kit.accepts(kit.raw_token(kit.raw_json(kit.header()), payload))
    assert verdict.claims["n"] == value and type(verdict.claims["n"]) is type(value)
    assert verdict.identity["n"] == value


def test_CVX_O2a_payload_must_be_utf8_rejected(kit):
    payload = kit.raw_json(kit.claims())[:-1] + b',"x":"\xc3\x28"}'
    kit.rejects(kit.raw_token(kit.raw_json(kit.header()), payload), Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("name", ["iss", "sub", "aud", "exp", "iat", "nbf", "jti"])
def test_CVX_O2a_repeated_registered_claim_rejected_by_routing(kit, name):
    claims = kit.claims(nbf=NOW - 1, jti="j")
    payload = kit.raw_json(claims)[:-1] + b"," + json.dumps({name: claims[name]})[1:-1].encode() + b"}"
    kit.rejects(kit.raw_token(kit.raw_json(kit.header()), payload), Reason.MALFORMED, "CVX-R1")


@pytest.mark.parametrize("member", [b'"nonce":"a","nonce":"a"', b'"auth_time":1,"auth_time":1',
                                    b'"email":"a","email":"b"', b'"email":null,"email":"b"', b'"name":"a","name#":"b"',
                                    b'"name#en":"a","name#en":"b"', b'"sub#":"user_1"', b'"address":{},"address":{}',
                                    b'"address":{"country":"a","country":"b"}', b'"birthday":"a","birthday":"a"'])
def test_CVX_O2a_repeated_named_or_standard_claim_rejected(kit, member):
    payload = kit.raw_json(kit.claims())[:-1] + b"," + member + b"}"
    kit.rejects(kit.raw_token(kit.raw_json(kit.header()), payload), Reason.MALFORMED, "CVX-O2a")


def test_CVX_O2a_repeated_custom_claim_last_value_wins_accepted(kit):
    payload = kit.raw_json(kit.claims())[:-1] + b',"org":"a","org":{"id":2},"name#en":"x","name#fr":"y"}'
    verdict = kit.accepts(kit.raw_token(kit.raw_json(kit.header()), payload))
    assert verdict.claims["org"] == {"id": 2} and verdict.identity["org"] == {"id": 2}


@pytest.mark.parametrize("key", ["email#en", "sub#en", "email_verified#x", "address#de", "updated_at#en",
                                 "birthdate#en", "locale#fr", "preferred_username#en"])
def test_CVX_O2a_language_tag_on_a_non_localized_claim_rejected(kit, key):
    kit.rejects(kit.token(payload={key: "x", **kit.claims()}), Reason.CLAIM_TYPE, "CVX-O2a")


def test_CVX_O2a_tagged_claim_after_the_untagged_one_is_a_repeat_rejected(kit):
    kit.rejects(kit.token(**{"email": "a@x", "email#en": "b@x"}), Reason.MALFORMED, "CVX-O2a")


def test_CVX_O2a_tagged_values_of_localized_claims_accepted(kit):
    claims = {"name#en": "Ada", "given_name#fr-CA": "A", "website#x-y": "w", "nickname#": "nick"}
    verdict = kit.accepts(kit.token(**claims))
    assert "name" not in verdict.identity and verdict.identity["nickname"] == "nick"


@pytest.mark.parametrize("claims", [{"auth_time": 8210266876800}, {"updated_at": -8334601228801},
                                    {"updated_at": 1e300}, {"auth_time": -1e20}])
def test_CVX_O2a_timestamp_beyond_the_date_range_rejected(kit, claims):
    kit.rejects(kit.token(**claims), Reason.CLAIM_TYPE, "CVX-O2a")


def test_CVX_O2a_timestamps_at_the_ends_of_the_date_range_accepted(kit):
    kit.accepts(kit.token(auth_time=-8334601228800, updated_at=8210266876799.999))


def test_CVX_O2a_address_as_six_element_array_accepted(kit):
    verdict = kit.accepts(kit.token(address=["1 Road, Town", "1 Road", "Town", None, "123", "UK"]))
    assert verdict.identity["address"] == "1 Road, Town"


# --- O2a: the header is a struct read by serde_json --------------------------------------------------

def _header_with(extra: bytes) -> bytes:
    return b'{"alg":"RS256","kid":"rsa-2048-a",' + extra + b"}"


@pytest.mark.parametrize("extra", [
    b'"x":1,"x":2', b'"x":' + b"[" * 300 + b"]" * 300, b'"x":"\xff\xfe"', b'"x":"\\ud800"', b'"x":1e999',
    b'"x":' + b'{"a":' * 200 + b"1" + b"}" * 200, b'"jku":"https://evil.example/jwks"',
])
def test_CVX_O2a_unknown_header_members_are_only_skipped_accepted(kit, extra):
    kit.accepts(_raw_header_token(kit, _header_with(extra)))


@pytest.mark.parametrize("extra", [
    b'"kid":"rsa-2048-a"', b'"alg":"RS256"', b'"typ":null,"typ":"JWT"', b'"crit":null,"crit":null',
])
def test_CVX_O2a_repeated_known_header_field_rejected(kit, extra):
    kit.rejects(_raw_header_token(kit, _header_with(extra)), Reason.MALFORMED, "CVX-O2a")


@pytest.mark.parametrize("header", [
    b'{"alg":"RS256","typ":"\\ud800"}', b'{"alg":"RS256","kid":"\xff"}', b'{"alg":' + b"[" * 127 + b"]" * 127 + b"}",
    b'{"alg":"RS256","kid":"\\ud800\\u0041"}', b'{"alg":"RS256","cty":1e400}', b'{"\xff":1,"alg":"RS256"}',
    b'{"\\udc00":1,"alg":"RS256"}',
])
def test_CVX_O2a_known_header_members_and_names_read_strictly_rejected(kit, header):
    kit.rejects(_raw_header_token(kit, header), Reason.MALFORMED, "CVX-O2a")


@pytest.mark.parametrize("extra", [b'"x":[1,]', b'"x":01', b'"x":"\x01"', b'"x":"\\q"', b'"x":[', b'"x":tru',
                                   b'"x":NaN', b'"x":{"a"}', b'"x":{1:2}', b'"x":[1 2]'])
def test_CVX_O2a_skipped_header_members_must_still_be_json_rejected(kit, extra):
    kit.rejects(_raw_header_token(kit, _header_with(extra)), Reason.MALFORMED, "CVX-O2")
