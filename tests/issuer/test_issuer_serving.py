"""What the local issuer answers over real HTTP, byte for byte."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from conformance.errors import UsageError
from conformance.issuer import DEFAULT_KEY_ID, LocalIssuer, SeenRequest, default_publication
from conformance.keypool import key_pool
from conformance.publication import WELL_KNOWN, Endpoint, Publication

pytestmark = pytest.mark.network


def two_endpoints(discovery: Endpoint, jwks_path: str = "/jwks") -> Publication:
    return Publication(discovery=discovery, jwks=Endpoint(path=jwks_path, body=b'{"keys": []}'))


def test_default_publication_is_served_before_any_publish(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    discovery = http.get(oidc_issuer.origin + WELL_KNOWN)
    assert discovery.status_code == 200
    assert discovery.headers["content-type"] == "application/json"
    assert discovery.headers["cache-control"] == "no-store"
    document = discovery.json()
    assert document["issuer"] == oidc_issuer.origin
    assert document["jwks_uri"] == oidc_issuer.origin + "/jwks"

    jwks = http.get(document["jwks_uri"]).json()
    key = key_pool()[DEFAULT_KEY_ID]
    assert jwks == {"keys": [{"kty": "RSA", "n": key.public_jwk["n"], "e": key.public_jwk["e"],
                              "kid": DEFAULT_KEY_ID, "use": "sig", "alg": "RS256"}]}
    assert oidc_issuer.publication == default_publication(oidc_issuer.origin)


def test_published_bodies_are_served_byte_for_byte(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    body = b'{"issuer":  "x" ,\n "jwks_uri": "y"}  trailing bytes'
    oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=body)))
    response = http.get(oidc_issuer.url(WELL_KNOWN))
    assert response.content == body
    assert response.headers["content-length"] == str(len(body))


def test_any_path_prefix_is_served(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    origin = oidc_issuer.origin
    oidc_issuer.publish(Publication.standard(origin=origin, issuer_path="/tenant/a", jwks={"keys": []}))
    response = http.get(origin + "/tenant/a/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.json()["issuer"] == origin + "/tenant/a"
    assert http.get(origin + "/tenant/a/jwks").json() == {"keys": []}
    assert http.get(origin + WELL_KNOWN).status_code == 404
    assert http.get(origin + "/tenant/.well-known/openid-configuration").status_code == 404


@pytest.mark.parametrize("status", [404, 500, 201, 302, 429])
def test_custom_status_is_sent_with_the_body(oidc_issuer: LocalIssuer, http: httpx.Client, status: int) -> None:
    oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=b'{"status": "custom"}', status=status)))
    response = http.get(oidc_issuer.url(WELL_KNOWN))
    assert response.status_code == status
    assert response.content == b'{"status": "custom"}'


@pytest.mark.parametrize("status", [204, 304])
def test_no_content_and_not_modified_answers_have_no_body(oidc_issuer: LocalIssuer, http: httpx.Client,
                                                          status: int) -> None:
    oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=b'{"dropped": true}', status=status)))
    response = http.get(oidc_issuer.url(WELL_KNOWN))
    assert (response.status_code, response.content) == (status, b"")
    assert response.headers["content-length"] == "0"


def test_missing_content_type_sends_no_header_at_all(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=b"{}", content_type=None)))
    response = http.get(oidc_issuer.url(WELL_KNOWN))
    assert response.status_code == 200
    assert "content-type" not in response.headers
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "APPLICATION/JSON;charset=\"UTF-8\"",
                                          "application/jwk-set+json", "text/html"])
def test_content_type_is_sent_verbatim(oidc_issuer: LocalIssuer, http: httpx.Client, content_type: str) -> None:
    oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=b"{}", content_type=content_type)))
    response = http.get(oidc_issuer.url(WELL_KNOWN))
    assert response.headers.get_list("content-type") == [content_type]


@pytest.mark.parametrize("content_type", ["application/json\r\nX-Injected: 1", "application/json\n", "a\x00b",
                                          "application/jsön", " application/json", "application/json\t"])
def test_content_type_http_cannot_carry_is_refused(oidc_issuer: LocalIssuer, content_type: str) -> None:
    before = oidc_issuer.publication
    with pytest.raises(UsageError, match="content type"):
        oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=b"{}", content_type=content_type)))
    assert oidc_issuer.publication is before


def test_bodies_that_are_not_utf8_are_served_unchanged(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    body = b"\xff\xfe{\"keys\": [\x00\xc3\x28]}\x80"
    oidc_issuer.publish(Publication(discovery=Endpoint(path=WELL_KNOWN, body=b"{}"),
                                    jwks=Endpoint(path="/jwks", body=body)))
    assert http.get(oidc_issuer.url("/jwks")).content == body


def test_trailing_slash_paths_are_distinct(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    origin = oidc_issuer.origin
    oidc_issuer.publish(Publication.standard(origin=origin, issuer_path="/t/", jwks={"keys": []}, jwks_path="/keys/"))
    assert http.get(origin + "/t/.well-known/openid-configuration").json()["issuer"] == origin + "/t/"
    assert http.get(origin + "/keys/").status_code == 200
    assert http.get(origin + "/keys").status_code == 404
    assert http.get(origin + "/t//.well-known/openid-configuration").status_code == 404


def test_double_slashes_are_kept_as_sent(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    oidc_issuer.publish(Publication(discovery=Endpoint(path="//t/" + WELL_KNOWN, body=b"d"),
                                    jwks=Endpoint(path="//jwks", body=b"k")))
    assert http.get(oidc_issuer.url("//t//.well-known/openid-configuration")).content == b"d"
    assert http.get(oidc_issuer.url("//jwks")).content == b"k"
    assert http.get(oidc_issuer.url("/jwks")).status_code == 404
    assert http.get(oidc_issuer.url("/t/.well-known/openid-configuration")).status_code == 404
    assert [seen.path for seen in oidc_issuer.requests][1:3] == ["//jwks", "/jwks"]


def test_an_empty_path_asks_for_the_root(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    oidc_issuer.publish(Publication(discovery=Endpoint(path=WELL_KNOWN, body=b"d"), jwks=Endpoint(path="/", body=b"root")))
    assert http.get(oidc_issuer.origin).content == b"root"


def test_query_string_is_ignored_when_matching(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    response = http.get(oidc_issuer.url("/jwks?kid=rsa-2048-a&x=1"))
    assert response.status_code == 200
    assert response.content == oidc_issuer.publication.jwks.body


def test_unknown_paths_get_404(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    for path in ("/", "/jwks.json", "/.well-known/jwks.json", "/JWKS", "/.well-known/openid-configuration/"):
        response = http.get(oidc_issuer.url(path))
        assert (path, response.status_code) == (path, 404)
        assert response.headers["cache-control"] == "no-store"


def test_delay_makes_the_answer_wait(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    oidc_issuer.publish(two_endpoints(Endpoint(path=WELL_KNOWN, body=b"{}", delay=0.4)))
    started = time.monotonic()
    slow = http.get(oidc_issuer.url(WELL_KNOWN))
    slow_elapsed = time.monotonic() - started
    started = time.monotonic()
    fast = http.get(oidc_issuer.url("/jwks"))
    fast_elapsed = time.monotonic() - started
    assert (slow.status_code, fast.status_code) == (200, 200)
    assert 0.35 <= slow_elapsed < 5.0
    assert fast_elapsed < 0.35


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PURGE"])
def test_methods_other_than_get_get_405(oidc_issuer: LocalIssuer, http: httpx.Client, method: str) -> None:
    content = b"grant_type=x" if method in ("POST", "PUT", "PATCH") else None
    response = http.request(method, oidc_issuer.url(WELL_KNOWN), content=content)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.content == (b"" if method == "HEAD" else b"method not allowed")


def test_request_target_that_is_not_a_path_gets_400(oidc_issuer: LocalIssuer) -> None:
    with socket.create_connection(("127.0.0.1", oidc_issuer.port), timeout=5) as connection:
        connection.sendall(f"GET {oidc_issuer.url(WELL_KNOWN)} HTTP/1.0\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 400 ")


def test_requests_are_logged_with_method_path_and_accept(oidc_issuer: LocalIssuer, http: httpx.Client) -> None:
    http.get(oidc_issuer.url(WELL_KNOWN), headers={"Accept": "application/json"})
    http.get(oidc_issuer.url("/jwks?x=1"), headers={"Accept": "application/jwk-set+json"})
    http.post(oidc_issuer.url("/token"), headers={"Accept": "*/*"})
    assert oidc_issuer.requests == (
        SeenRequest("GET", WELL_KNOWN, "application/json"),
        ("GET", "/jwks?x=1", "application/jwk-set+json"),
        ("POST", "/token", "*/*"),
    )
    oidc_issuer.clear_requests()
    assert oidc_issuer.requests == ()


def test_request_log_is_bounded_and_keeps_the_latest(http: httpx.Client) -> None:
    with LocalIssuer(request_log_size=3) as issuer:
        for number in range(5):
            http.get(issuer.url(f"/r{number}"))
        assert [seen.path for seen in issuer.requests] == ["/r2", "/r3", "/r4"]


def test_nothing_is_written_to_stderr_per_request(oidc_issuer: LocalIssuer, http: httpx.Client,
                                                  capfd: pytest.CaptureFixture[str]) -> None:
    capfd.readouterr()
    http.get(oidc_issuer.url(WELL_KNOWN))
    http.get(oidc_issuer.url("/missing"))
    http.post(oidc_issuer.url(WELL_KNOWN))
    assert capfd.readouterr().err == ""


def test_default_publication_publishes_the_given_keys_under_the_issuer_path() -> None:
    publication = default_publication("http://127.0.0.1:9", issuer_path="/t", key_ids=["ed25519-a", "rsa-2048-b"])
    assert publication.discovery.path == "/t" + WELL_KNOWN
    assert json.loads(publication.discovery.body)["jwks_uri"] == "http://127.0.0.1:9/t/jwks"
    keys = publication.jwks_document()["keys"]
    assert [(k["kid"], k["kty"], k["alg"], k["use"]) for k in keys] == [
        ("ed25519-a", "OKP", "EdDSA", "sig"), ("rsa-2048-b", "RSA", "RS256", "sig")]
    assert all("d" not in k and "key_ops" not in k for k in keys)
