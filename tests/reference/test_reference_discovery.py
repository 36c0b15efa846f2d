"""Discovery (O1) of the convex-oidc reference: from the raw iss, status, content types, bodies, keys."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from conformance.fetching import FetchError, PublicationFetcher
from conformance.provider import ProviderConfig
from conformance.reasons import Reason
from conformance.reference import validate


class RecordingFetcher:
    """Answers from a publication and records every (url, accept) it was asked for."""

    def __init__(self, origin, publication):
        self.inner = PublicationFetcher(origin, publication)
        self.calls = []

    def __call__(self, url, *, accept="application/json"):
        self.calls.append((url, accept))
        return self.inner(url, accept=accept)


def test_CVX_O1_standard_issuer_accepted(kit):
    kit.accepts(kit.token())


def test_CVX_O1_discovery_uses_the_raw_iss_and_accept_json(kit):
    publication = kit.publication(issuer_path="/tenant")
    fetcher = RecordingFetcher(kit.origin, publication)
    token = kit.token(iss=kit.origin + "/tenant")
    verdict = validate(token, provider=ProviderConfig(kit.origin + "/tenant/", kit.app), now=kit.now, fetch=fetcher)
    assert verdict.accepted, verdict.message
    assert fetcher.calls == [(kit.origin + "/tenant/.well-known/openid-configuration", "application/json"),
                             (kit.origin + "/tenant/jwks", "application/json")]


def test_CVX_O1_issuer_with_trailing_slash_joins_without_doubling_accepted(kit):
    publication = kit.publication(issuer_path="/tenant/")
    assert publication.discovery.path == "/tenant/.well-known/openid-configuration"
    kit.accepts(kit.token(iss=kit.origin + "/tenant/"), publication, domain=kit.origin + "/tenant")


@pytest.mark.parametrize("content_type", [None, "application/json", "application/json; charset=utf-8",
                                          "Application/JSON", "application/json ;charset=utf-8"])
def test_CVX_O1_discovery_content_type_accepted(kit, content_type):
    kit.accepts(kit.token(), kit.with_discovery(kit.publication(), content_type=content_type))


@pytest.mark.parametrize("content_type", [None, "application/json", "application/jwk-set+json",
                                          "application/jwk-set+json; charset=utf-8"])
def test_CVX_O1_jwks_content_type_accepted(kit, content_type):
    kit.accepts(kit.token(), kit.with_jwks(kit.publication(), content_type=content_type))


@pytest.mark.parametrize("content_type", ["text/html", "application/jsonx", "text/json", "application/jwt",
                                          "application/jwk-set+json", "", "application/json\u00e9"])
def test_CVX_O1_discovery_content_type_rejected(kit, content_type):
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1",
                kit.with_discovery(kit.publication(), content_type=content_type))


@pytest.mark.parametrize("content_type", ["text/plain", "application/jwk+json", "application/json-seq"])
def test_CVX_O1_jwks_content_type_rejected(kit, content_type):
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_jwks(kit.publication(), content_type=content_type))


@pytest.mark.parametrize("status", [201, 204, 301, 304, 404, 500])
def test_CVX_O1_discovery_status_other_than_200_rejected(kit, status):
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_discovery(kit.publication(), status=status))


@pytest.mark.parametrize("status", [202, 404, 503])
def test_CVX_O1_jwks_status_other_than_200_rejected(kit, status):
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_jwks(kit.publication(), status=status))


def test_CVX_O1_trailing_bytes_after_the_json_bodies_accepted(kit):
    publication = kit.publication()
    publication = kit.with_discovery(publication, body=publication.discovery.body + b"\n<garbage \xff [[[[")
    publication = kit.with_jwks(publication, body=publication.jwks.body + b'}}}\x00{"keys":5}')
    kit.accepts(kit.token(), publication)


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[]", b'"issuer"', b"\xef\xbb\xbf{}", b'{"issuer": NaN}', b"\xff{}",
])
def test_CVX_O1_discovery_body_that_is_not_a_json_object_rejected(kit, body):
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_document(kit.publication(), body))


@pytest.mark.parametrize("members", [
    {"issuer": None}, {"issuer": 5}, {"issuer": "not a url"}, {"jwks_uri": None}, {"jwks_uri": ["x"]},
    {"jwks_uri": "//127.0.0.1:8765/jwks"}, {"issuer": "http://127.0.0.1:8765/"}, {"issuer": "HTTP://127.0.0.1:8765"},
    {"jwks_uri": "ftp://127.0.0.1:8765/jwks"}, {"jwks_uri": "http://127.0.0.1:9/jwks"},
    {"jwks_uri": "http://127.0.0.1:8765/missing"},
], ids=repr)
def test_CVX_O1_discovery_document_members_rejected(kit, members):
    publication = kit.with_document(kit.publication(), kit.discovery_document(**members))
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", publication)


def test_CVX_O1_discovery_document_with_only_issuer_and_jwks_uri_accepted(kit):
    kit.accepts(kit.token(), kit.with_document(kit.publication(), kit.discovery_document()))


def test_CVX_O1_repeated_issuer_member_rejected(kit):
    body = (b'{"issuer":"http://127.0.0.1:8765","issuer":"http://127.0.0.1:8765",'
            b'"jwks_uri":"http://127.0.0.1:8765/jwks"}')
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_document(kit.publication(), body))


def test_CVX_O1_repeated_unknown_discovery_member_accepted(kit):
    body = b'{"x":1,"x":2,"issuer":"http://127.0.0.1:8765","jwks_uri":"http://127.0.0.1:8765/jwks"}'
    kit.accepts(kit.token(), kit.with_document(kit.publication(), body))


def test_CVX_O1_deep_discovery_document_rejected(kit):
    body = kit.discovery_document()[:-1] + b',"deep":' + b"[" * 127 + b"]" * 127 + b"}"
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_document(kit.publication(), body))


@pytest.mark.parametrize("body", [
    b"", b"{}", b'{"keys":null}', b'{"keys":{}}', b'{"keys":"x"}', b'{"keys":[],"keys":[]}', b"[]", b"[[],[]]",
    b'{"keys":[' + b"[" * 130 + b"]" * 130 + b"]}", b'{"keys":["\\udc00"]}', b'{"keys":[1e999]}',
])
def test_CVX_O1_jwks_body_rejected(kit, body):
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", kit.with_jwks(kit.publication(), body=body))


def test_CVX_O1_jwks_sequence_form_accepted(kit):
    body = json.dumps([[kit.jwk("rsa-2048-a")]]).encode()
    kit.accepts(kit.token(), kit.with_jwks(kit.publication(), body=body))


def test_CVX_O1_unknown_jwks_members_are_only_skipped(kit):
    keys = json.dumps([kit.jwk("rsa-2048-a")]).encode()
    body = b'{"x":' + b"[" * 500 + b"]" * 500 + b',"y":"\xff\xfe","z":"\\ud800","n":1e999,"keys":' + keys + b"}"
    kit.accepts(kit.token(), kit.with_jwks(kit.publication(), body=body))


@pytest.mark.parametrize("bad_key", [
    {"kty": "RSA?"}, {"kty": None}, {"kid": "rsa-2048-a"}, "a string", 5, None, [],
    {"kty": "RSA", "alg": "RSA-OAEP", "kid": "rsa-2048-a"}, {"kty": "RSA", "kid": 7}, {"kty": "RSA", "use": 1},
    {"kty": "RSA", "alg": ["RS256"]},
], ids=repr)
def test_CVX_O1_unparseable_keys_are_skipped_silently(kit, bad_key):
    kit.accepts(kit.token(), kit.publication([bad_key, kit.jwk("rsa-2048-a")]))


def test_CVX_O1_key_with_a_repeated_member_is_skipped(kit):
    good = json.dumps(kit.jwk("rsa-2048-a")).encode()
    repeated = good[:-1] + b',"kid":"rsa-2048-a"}'
    body = b'{"keys":[' + repeated + b"]}"
    kit.rejects(kit.token(), Reason.KEY, "CVX-O3.5", kit.with_jwks(kit.publication(), body=body))
    kit.accepts(kit.token(), kit.with_jwks(kit.publication(), body=b'{"keys":[' + repeated + b"," + good + b"]}"))


def test_CVX_O1_fetch_error_is_a_discovery_failure(kit):
    def refusing(url, *, accept="application/json"):
        raise FetchError("connection refused")

    verdict = validate(kit.token(), provider=ProviderConfig(kit.origin, kit.app), now=kit.now, fetch=refusing)
    assert (verdict.accepted, verdict.reason, verdict.rule) == (False, Reason.DISCOVERY, "CVX-O1")


def test_CVX_O1_discovered_issuer_must_equal_the_raw_iss_byte_for_byte(kit):
    publication = kit.publication(discovered_issuer=kit.origin + "/")
    kit.rejects(kit.token(), Reason.DISCOVERY, "CVX-O1", publication)
    kit.accepts(kit.token(iss=kit.origin + "/"), publication)


def test_CVX_O1_jwks_uri_is_followed_wherever_it_points_on_the_issuer(kit):
    publication = kit.publication()
    publication = replace(publication, jwks=replace(publication.jwks, path="/keys/current"))
    body = kit.discovery_document(jwks_uri=kit.origin + "/keys/current")
    kit.accepts(kit.token(), kit.with_document(publication, body))
