"""Valid cases: the convex-oidc reference accepts every one, and their parts keep their invariants."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from strategy_support import ENV, describe, judge

from conformance.check import GenerationEnv
from conformance.keypool import key_pool
from conformance.reasons import Reason
from strategies import access_token_cases, valid_cases, valid_drafts
from strategies.claims import SCOPES
from strategies.headers import ACCEPTED_TYPS
from strategies.issuers import DISCOVERY_CONTENT_TYPES, JWKS_CONTENT_TYPES
from strategies.timestamps import MAX_TIMESTAMP

_MATERIAL = ("kty", "crv", "n", "e", "x", "y")


@settings(max_examples=300, deadline=None)
@given(valid_cases(env=ENV))
def test_the_reference_accepts_every_valid_case(case):
    verdict = judge(case)
    assert verdict.accepted, describe(case, verdict)


@settings(max_examples=40, deadline=None)
@given(valid_cases(env=GenerationEnv(origin="http://127.0.0.1:9999", application_id="origin:https://app.example",
                                     issuer_path="/realms/acme")))
def test_a_fixed_issuer_path_and_another_client_are_accepted(case):
    verdict = judge(case)
    assert verdict.accepted, describe(case, verdict)
    assert json.loads(_payload(case.token))["iss"] == "http://127.0.0.1:9999/realms/acme"


@settings(max_examples=60, deadline=None)
@given(access_token_cases(env=ENV))
def test_access_tokens_are_rejected_for_their_audience(case):
    verdict = judge(case)
    assert not verdict.accepted and verdict.reason is Reason.AUDIENCE, describe(case, verdict)
    assert case.recipe["kind"] == "access_token"


def _eligible(entry: Any, *, alg: str, kid: str | None) -> bool:
    """Convex O3.5, restated: which published entries qualify for a token with `alg` and `kid`."""
    if not isinstance(entry, dict) or entry.get("kty") not in ("RSA", "OKP", "EC") or entry.get("alg") == "RSA-OAEP":
        return False  # entries Convex cannot parse are skipped
    if kid is not None and entry.get("kid") != kid:
        return False
    fits = {"RS256": "RSA", "EdDSA": "OKP"}.get(alg)
    return entry.get("use") in (None, "sig") and entry["kty"] == fits and entry.get("alg") in (None, alg)


@settings(max_examples=200, deadline=None)
@given(valid_drafts(env=ENV))
def test_exactly_one_key_qualifies_and_it_is_the_signing_key(draft):
    kid = draft.header.get("kid")
    eligible = [entry for entry in draft.jwks["keys"] if _eligible(entry, alg=draft.header["alg"], kid=kid)]
    assert len(eligible) == 1, draft.jwks
    key = key_pool()[draft.key_id]
    assert {k: eligible[0].get(k) for k in _MATERIAL if k in key.public_jwk} == \
        {k: v for k, v in key.public_jwk.items() if k in _MATERIAL}
    assert eligible[0].get("kid") == kid  # kid in the header exactly when the key is published with it
    assert key.role == "issuer" and draft.header["alg"] == key.natural_alg in ("RS256", "EdDSA")
    assert "key_ops" not in eligible[0]


@settings(max_examples=200, deadline=None)
@given(valid_drafts(env=ENV))
def test_claims_follow_the_scopes_and_convex_types(draft):
    payload, now = draft.payload, draft.now
    assert draft.scopes[0] == "openid" and set(draft.scopes) <= set(SCOPES)
    assert ("profile" in draft.scopes) == ({"name", "preferred_username", "picture"} <= set(payload))
    assert ("profile" in draft.scopes) == ("preferred_username" in payload)
    assert ("email" in draft.scopes) == ("email" in payload)
    assert payload["iss"] == draft.env.issuer and isinstance(payload["sub"], str)
    assert payload["aud"] in (ENV.application_id, [ENV.application_id], [ENV.application_id] * 2)
    assert math.floor(now) < payload["exp"] <= MAX_TIMESTAMP
    for name in ("iat", "auth_time", "nbf"):
        assert name not in payload or (isinstance(payload[name], (int, float)) and payload[name] >= 0)
    assert "email_verified" not in payload or isinstance(payload["email_verified"], bool)
    assert "address" not in payload or isinstance(payload["address"], dict)
    assert not any(name.startswith(("name#", "email#")) and name.endswith("#") for name in payload)


@settings(max_examples=200, deadline=None)
@given(valid_drafts(env=ENV))
def test_headers_and_issuer_behaviour_are_ones_convex_accepts(draft):
    assert draft.header.get("typ") in ACCEPTED_TYPS and set(draft.header) <= {"alg", "typ", "kid"}
    assert draft.issuer.discovery_content_type in DISCOVERY_CONTENT_TYPES
    assert draft.issuer.jwks_content_type in JWKS_CONTENT_TYPES
    assert draft.issuer.discovery_status == draft.issuer.jwks_status == 200 and draft.issuer.delay == 0
    publication = draft.finish().publication
    document, _ = json.JSONDecoder().raw_decode(publication.discovery.body.decode())
    assert document["issuer"] == draft.payload["iss"]
    assert publication.jwks_document() == draft.jwks  # trailing bytes on the JWKS are whitespace only
    provider = draft.provider
    assert provider is None or provider.domain.rstrip("/") == draft.payload["iss"].rstrip("/")


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_an_empty_env_issuer_path_is_drawn_and_recorded(data):
    draft = data.draw(valid_drafts(env=ENV))
    assert draft.env.issuer == ENV.origin + draft.issuer.issuer_path == draft.payload["iss"]
    fixed = data.draw(valid_drafts(env=GenerationEnv(origin=ENV.origin, issuer_path="/t")))
    assert fixed.issuer.issuer_path == "/t" and fixed.payload["iss"] == ENV.origin + "/t"


def _payload(token: str) -> str:
    segment = token.split(".")[1]
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()
