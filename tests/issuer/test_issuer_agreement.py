"""The running issuer over real HTTP and `PublicationFetcher` give the same answer for every URL."""

from __future__ import annotations

from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.fetching import HttpFetcher, HttpResponse, PublicationFetcher
from conformance.issuer import LocalIssuer
from conformance.publication import WELL_KNOWN, Endpoint, Publication

pytestmark = pytest.mark.network

# Path characters that reach the server unchanged: HTTP clients drop "." and ".." segments and
# percent-encode others, so both are kept out of drawn paths.
_SEGMENT = st.text("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_~", max_size=8)  # empty: "//" in the path
# 1xx are not final answers, so an issuer cannot answer with one.
_STATUSES = st.one_of(st.sampled_from([200, 201, 204, 304, 400, 404, 500, 503]), st.integers(200, 599))
_CONTENT_TYPES = st.one_of(
    st.sampled_from([None, "application/json", "application/json; charset=utf-8", "application/jwk-set+json",
                     "text/html", "APPLICATION/JSON"]),
    st.from_regex(r"[!-~]([\t -~]{0,30}[!-~])?", fullmatch=True),
)
_BODIES = st.one_of(st.binary(max_size=300), st.text(max_size=100).map(str.encode),
                    st.sampled_from([b"", b"{}", b'{"keys": []}', b"\xff\xfe\x00"]))


@st.composite
def paths(draw: st.DrawFn) -> str:
    """Absolute paths: standard places, prefixes, empty segments, trailing slashes."""
    prefix = "".join("/" + segment for segment in draw(st.lists(_SEGMENT, max_size=3)))
    tail = draw(st.sampled_from([WELL_KNOWN, "/jwks", "/jwks/", "/", ""]))
    return (prefix + tail) or "/"


def endpoints(path: st.SearchStrategy[str]) -> st.SearchStrategy[Endpoint]:
    return st.builds(Endpoint, path=path, body=_BODIES, status=_STATUSES, content_type=_CONTENT_TYPES)


publications = st.builds(Publication, discovery=endpoints(paths()), jwks=endpoints(paths()))


def urls_to_try(origin: str, publication: Publication) -> list[str]:
    """Each endpoint, with a query, with a slash added or removed, and paths nothing serves."""
    urls = [origin, origin + "/", origin + "//", origin + "/nothing/here", origin + WELL_KNOWN]
    for endpoint in publication.endpoints():
        path = endpoint.path
        toggled = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
        urls += [origin + path, origin + path + "?x=1&kid=a", origin + toggled]
    return urls


def observed(response: HttpResponse) -> tuple[int, str | None, str | None, bytes]:
    return (response.status, response.content_type, response.headers.get("cache-control"), response.body)


@pytest.fixture(scope="module")
def http_fetcher() -> Iterator[HttpFetcher]:
    fetcher = HttpFetcher()
    yield fetcher
    fetcher.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(publication=publications)
def test_http_and_direct_fetch_agree(oidc_issuer_session: LocalIssuer, http_fetcher: HttpFetcher,
                                     publication: Publication) -> None:
    origin = oidc_issuer_session.origin
    oidc_issuer_session.publish(publication)
    try:
        direct = PublicationFetcher(origin, publication)
        for url in urls_to_try(origin, publication):
            assert (url, observed(http_fetcher(url))) == (url, observed(direct(url)))
    finally:
        oidc_issuer_session.reset()


def test_agreement_covers_served_and_unserved_urls() -> None:
    publication = Publication(discovery=Endpoint(path="/t" + WELL_KNOWN, body=b"d", status=201),
                              jwks=Endpoint(path="/k/", body=b"k", content_type=None))
    direct = PublicationFetcher("http://127.0.0.1:1", publication)
    statuses = [direct(url).status for url in urls_to_try("http://127.0.0.1:1", publication)]
    assert statuses == [404, 404, 404, 404, 404, 201, 201, 404, 200, 200, 404]
