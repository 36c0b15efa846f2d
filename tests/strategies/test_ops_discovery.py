"""Discovery operators change what the issuer serves exactly as named, and cover every discovery
input class. What is served is read back through `PublicationFetcher`, as the reference reads it.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from strategy_support import ENV

from conformance.fetching import PublicationFetcher
from strategies import ACCEPT, OPERATORS, mutated_cases

_FAST = settings(max_examples=12, deadline=None)
_JSON_TYPES = {"discovery": {"application/json"}, "jwks": {"application/json", "application/jwk-set+json"}}

# Discovery input classes, the convex-oidc verdict of each, and their operators. The attack
# catalog's row B "discovery document whose issuer differs from the token's iss" is the first two.
DISCOVERY_CLASSES = {
    "discovered issuer differs by a trailing slash": ("discovery", ("discovery.issuer-trailing-slash",)),
    "discovered issuer differs in case, path, host or port": ("discovery", ("discovery.issuer-mismatch",)),
    "status 404/500/201/204/301 on discovery or on the JWKS": (
        "discovery", ("discovery.discovery-status", "discovery.jwks-status")),
    "content type text/html, text/plain, jwk-set+json for the document": (
        "discovery", ("discovery.content-type-wrong",)),
    "content type with parameters, in capitals, or missing": (
        "accept", ("discovery.content-type-parameters", "discovery.content-type-uppercase",
                   "discovery.content-type-missing")),
    "JWKS served as application/jwk-set+json": ("accept", ("discovery.jwks-content-type-jwk-set",)),
    "document not JSON, truncated, or a JSON array": (
        "discovery", ("discovery.document-not-json", "discovery.document-truncated", "discovery.document-array")),
    "document without jwks_uri or issuer": ("discovery", ("discovery.jwks-uri-missing", "discovery.issuer-missing")),
    "issuer or jwks_uri not a URL": ("discovery", ("discovery.issuer-not-url", "discovery.jwks-uri-not-url")),
    "trailing bytes after the JSON": ("accept", ("discovery.trailing-bytes",)),
    "jwks_uri at a different path": ("accept", ("discovery.jwks-uri-other-path",)),
    "a small delay": ("accept", ("discovery.slow-issuer",)),
}


def test_every_discovery_class_has_operators_with_the_convex_verdict():
    listed = {name for _, names in DISCOVERY_CLASSES.values() for name in names}
    assert listed == {name for name in OPERATORS if name.startswith("discovery.")}
    for row, (verdict, names) in DISCOVERY_CLASSES.items():
        for name in names:
            expect = OPERATORS[name].expect
            assert expect == (ACCEPT if verdict == "accept" else frozenset({verdict})), (row, name)


# -- reading a finished case ---------------------------------------------------------------------
def _iss(case) -> str:
    payload = case.token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["iss"]


def _discovery_url(iss: str) -> str:
    """Convex O1: ``{iss}/.well-known/openid-configuration`` without doubling a trailing slash."""
    return iss + (".well-known/openid-configuration" if iss.endswith("/") else "/.well-known/openid-configuration")


def _get(case, url: str):
    return PublicationFetcher(case.origin, case.publication)(url)


def _document(case) -> Any:
    """The first JSON value of the discovery body (trailing bytes ignored), or None."""
    try:
        value, _ = json.JSONDecoder().raw_decode(_get(case, _discovery_url(_iss(case))).body.decode())
    except ValueError:
        return None
    return value


def _cases(name: str):
    return mutated_cases(env=ENV, operators=[name])


# -- the document's issuer --------------------------------------------------------------------------
@_FAST
@given(_cases("discovery.issuer-trailing-slash"))
def test_issuer_differs_by_one_trailing_slash_and_discovery_is_still_found(case):
    iss, issuer = _iss(case), _document(case)["issuer"]
    assert issuer != iss and issuer.rstrip("/") == iss.rstrip("/") and abs(len(issuer) - len(iss)) == 1
    assert _get(case, _discovery_url(iss)).status == 200


@_FAST
@given(_cases("discovery.issuer-mismatch"))
def test_issuer_differs_beyond_trailing_slashes(case):
    iss, issuer = _iss(case), _document(case)["issuer"]
    assert issuer.rstrip("/") != iss.rstrip("/") and urlsplit(issuer).scheme.lower() in ("http", "https")
    assert _get(case, _discovery_url(iss)).status == 200


# -- status codes and content types -----------------------------------------------------------------
def _responses(case) -> dict[str, Any]:
    discovery = _get(case, _discovery_url(_iss(case)))
    jwks = _get(case, _document(case)["jwks_uri"]) if discovery.status == 200 else None
    return {"discovery": discovery, "jwks": jwks}


@pytest.mark.parametrize("name,endpoint", [("discovery.discovery-status", "discovery"),
                                           ("discovery.jwks-status", "jwks")])
def test_one_endpoint_answers_another_status(name, endpoint):
    @_FAST
    @given(_cases(name))
    def check(case):
        served = case.publication.discovery if endpoint == "discovery" else case.publication.jwks
        other = case.publication.jwks if endpoint == "discovery" else case.publication.discovery
        assert served.status in (404, 500, 201, 204, 301, 302, 403, 503) and other.status == 200
        assert _get(case, case.origin + served.path).status == served.status
        assert served.status != 204 or served.body == b""

    check()


def _media_type(value: str | None) -> str | None:
    return None if value is None else value.split(";")[0].strip().lower()


@_FAST
@given(_cases("discovery.content-type-wrong"))
def test_wrong_content_type_is_no_json_type_of_that_endpoint(case):
    served = _responses(case)
    wrong = [endpoint for endpoint, response in served.items()
             if response is not None and response.content_type is not None
             and _media_type(response.content_type) not in _JSON_TYPES[endpoint]]
    assert len(wrong) == 1


@pytest.mark.parametrize("name,shape", [
    ("discovery.content-type-parameters", lambda value: value is not None and ";" in value),
    ("discovery.content-type-uppercase", lambda value: value is not None and value != value.lower()),
    ("discovery.content-type-missing", lambda value: value is None),
    ("discovery.jwks-content-type-jwk-set", lambda value: value == "application/jwk-set+json")])
def test_accepted_content_types_keep_a_json_media_type(name, shape):
    @_FAST
    @given(_cases(name))
    def check(case):
        (mutation,) = case.recipe["mutations"]
        endpoint = mutation["path"].split(".")[0]
        response = _responses(case)[endpoint]
        assert response.status == 200 and shape(response.content_type)
        assert response.content_type is None or _media_type(response.content_type) in _JSON_TYPES[endpoint]

    check()


# -- the document's body ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["discovery.document-not-json", "discovery.document-truncated"])
def test_document_is_not_json(name):
    @_FAST
    @given(_cases(name))
    def check(case):
        body = _get(case, _discovery_url(_iss(case))).body
        with pytest.raises(ValueError):
            json.loads(body)
        assert name != "discovery.document-truncated" or body.startswith(b"{")

    check()


@_FAST
@given(_cases("discovery.document-array"))
def test_document_is_an_array_holding_the_document(case):
    document = _document(case)
    assert isinstance(document, list) and document[0]["issuer"] == _iss(case)


@pytest.mark.parametrize("name,member", [("discovery.jwks-uri-missing", "jwks_uri"),
                                         ("discovery.issuer-missing", "issuer")])
def test_document_misses_a_required_member(name, member):
    @_FAST
    @given(_cases(name))
    def check(case):
        document = _document(case)
        assert member not in document and len(document) >= 4

    check()


@pytest.mark.parametrize("name,member", [("discovery.issuer-not-url", "issuer"),
                                         ("discovery.jwks-uri-not-url", "jwks_uri")])
def test_document_member_is_not_an_absolute_url(name, member):
    @_FAST
    @given(_cases(name))
    def check(case):
        parts = urlsplit(_document(case)[member])
        assert not (parts.scheme and parts.netloc)

    check()


# -- accepted edits ---------------------------------------------------------------------------------
@_FAST
@given(_cases("discovery.trailing-bytes"))
def test_trailing_bytes_follow_a_complete_document(case):
    body = _get(case, _discovery_url(_iss(case))).body.decode()
    document, end = json.JSONDecoder().raw_decode(body)
    assert body[end:].strip() and document["issuer"] == _iss(case)


@_FAST
@given(_cases("discovery.jwks-uri-other-path"))
def test_jwks_uri_names_another_path_that_is_served(case):
    jwks_uri = _document(case)["jwks_uri"]
    assert urlsplit(jwks_uri).path in ("/oauth2/v3/certs", "/keys", "/v1/jwks.json", "/.well-known/jwks.json",
                                       "/a/b/c/jwks")
    assert _get(case, jwks_uri).status == 200 and json.loads(_get(case, jwks_uri).body)["keys"]


@_FAST
@given(_cases("discovery.slow-issuer"))
def test_slow_issuer_delays_both_answers_a_little(case):
    assert 0 < case.publication.discovery.delay == case.publication.jwks.delay <= 0.1
