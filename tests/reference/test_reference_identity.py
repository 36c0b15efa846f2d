"""The Convex identity (CVX-ID) an accepted token becomes, compared as exact dictionaries."""

from __future__ import annotations

import pytest

from conformance.reasons import Reason

ISS = "http://127.0.0.1:8765"


def test_CVX_ID_minimal_token_identity_accepted(kit):
    verdict = kit.accepts(kit.token())
    assert verdict.identity == {"tokenIdentifier": f"{ISS}|user_1", "subject": "user_1", "issuer": ISS}
    assert verdict.claims == kit.claims()


def test_CVX_ID_every_typed_field_accepted(kit):
    claims = {
        "name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace", "middle_name": "Augusta",
        "nickname": "ada", "preferred_username": "ada_l", "profile": "https://p", "picture": "https://pic",
        "website": "https://w", "email": "ada@example.com", "email_verified": True, "gender": "female",
        "birthdate": "1815-12-10", "birthday": "1815-12-10", "zoneinfo": "Europe/London", "locale": "en-GB",
        "phone_number": "+44 1", "phone_number_verified": False,
        "address": {"formatted": "12 St James's Square", "locality": "London"}, "updated_at": 1700000000,
    }
    verdict = kit.accepts(kit.token(**claims))
    assert verdict.identity == {
        "tokenIdentifier": f"{ISS}|user_1", "subject": "user_1", "issuer": ISS,
        "name": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace", "nickname": "ada",
        "preferredUsername": "ada_l", "profileUrl": "https://p", "pictureUrl": "https://pic",
        "websiteUrl": "https://w", "email": "ada@example.com", "emailVerified": True, "gender": "female",
        "birthday": "1815-12-10", "timezone": "Europe/London", "language": "en-GB", "phoneNumber": "+44 1",
        "phoneNumberVerified": False, "address": "12 St James's Square", "updatedAt": "2023-11-14T22:13:20+00:00",
    }


@pytest.mark.parametrize("updated_at, expected", [
    (1700000000, "2023-11-14T22:13:20+00:00"),
    (1700000000.5, "2023-11-14T22:13:20.500+00:00"),
    (1700000000.000001, "2023-11-14T22:13:20.000000953+00:00"),
    (1700000000.25, "2023-11-14T22:13:20.250+00:00"),
    (0, "1970-01-01T00:00:00+00:00"),
    (-1.5, "1969-12-31T23:59:58.500+00:00"),
    (8210266876799, "+262142-12-31T23:59:59+00:00"),
    (-8334601228800, "-262143-01-01T00:00:00+00:00"),
    (-62135596800, "0001-01-01T00:00:00+00:00"),
    (253402300800, "+10000-01-01T00:00:00+00:00"),
    ("2023-11-14T23:13:20.123456+01:00", "2023-11-14T22:13:20.123456+00:00"),
    ("2023-11-14T22:13:20.1234567891234Z", "2023-11-14T22:13:20.123456789+00:00"),
    ("2023-11-14t22:13:20.100z", "2023-11-14T22:13:20.100+00:00"),
    ("2016-12-31T23:59:60Z", "2016-12-31T23:59:60+00:00"),
    ("0000-01-01T00:30:00+01:00", "-0001-12-31T23:30:00+00:00"),
])
def test_CVX_ID_updated_at_formatting(kit, updated_at, expected):
    assert kit.accepts(kit.token(updated_at=updated_at)).identity["updatedAt"] == expected


def test_CVX_ID_custom_claims_merged_unflattened_after_typed_fields(kit):
    claims = {"org": {"id": "o1", "roles": ["admin"], "meta": {}}, "sid": "s", "scope": "openid", "typ": "ID",
              "n": 1.5, "flag": False, "nothing": None, "jti": "j", "nbf": 1, "fva": [0, 1], "emailVerified": "yes",
              "email_verified": True, "iss#en": "x", "exp#": 3}
    verdict = kit.accepts(kit.token(**claims))
    assert verdict.identity == {
        "tokenIdentifier": f"{ISS}|user_1", "subject": "user_1", "issuer": ISS,
        "emailVerified": "yes",  # the custom claim, written after the typed field, replaces it
        "org": {"id": "o1", "roles": ["admin"], "meta": {}}, "sid": "s", "scope": "openid", "typ": "ID",
        "n": 1.5, "flag": False, "nothing": None, "iss#en": "x", "exp#": 3,
    }
    assert list(verdict.identity)[4:] == sorted(list(verdict.identity)[4:])


def test_CVX_ID_custom_claim_can_replace_the_token_identifier(kit):
    verdict = kit.accepts(kit.token(tokenIdentifier="forged", subject="other"))
    assert verdict.identity["tokenIdentifier"] == "forged" and verdict.identity["subject"] == "other"


def test_CVX_ID_untagged_values_only_and_nulls_omitted(kit):
    claims = {"name#en": "English", "name#": "Untagged", "given_name#fr": "Fr", "nickname": None,
              "picture": None, "email": None, "email_verified": None, "address": None, "updated_at": None}
    verdict = kit.accepts(kit.token(**claims))
    assert verdict.identity == {"tokenIdentifier": f"{ISS}|user_1", "subject": "user_1", "issuer": ISS,
                                "name": "Untagged"}


@pytest.mark.parametrize("address, expected", [
    ({"street_address": "1 Road"}, None), ({"formatted": None}, None), ({"formatted": "F"}, "F"),
    (["F", None, None, None, None, None], "F"), ([None, "s", "l", "r", "p", "c"], None),
])
def test_CVX_ID_address_keeps_only_formatted(kit, address, expected):
    identity = kit.accepts(kit.token(address=address)).identity
    assert identity.get("address") == expected


def test_CVX_ID_token_identifier_uses_the_raw_issuer(kit):
    iss = kit.origin + "/"
    identity = kit.accepts(kit.token(iss=iss), kit.publication(discovered_issuer=iss)).identity
    assert identity["tokenIdentifier"] == f"{iss}|user_1" and identity["issuer"] == iss


def test_CVX_ID_email_verified_string_rejected_without_identity(kit):
    verdict = kit.rejects(kit.token(email_verified="true"), Reason.CLAIM_TYPE, "CVX-O2")
    assert verdict.identity is None and verdict.claims is None
