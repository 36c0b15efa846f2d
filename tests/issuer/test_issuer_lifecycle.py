"""Starting, stopping and configuring the local issuer."""

from __future__ import annotations

import socket
from typing import Iterator

import httpx
import pytest

from conformance.errors import UsageError
from conformance.issuer import LocalIssuer, default_publication
from conformance.publication import WELL_KNOWN, Endpoint, Publication

pytestmark = pytest.mark.network


@pytest.fixture
def listening_socket() -> Iterator[socket.socket]:
    """A plain socket listening on a free loopback port: a port that is busy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


def test_context_manager_serves_and_reports_its_origin(http: httpx.Client) -> None:
    with LocalIssuer() as issuer:
        assert issuer.running
        assert issuer.port > 0
        assert issuer.origin == f"http://127.0.0.1:{issuer.port}"
        assert http.get(issuer.origin + WELL_KNOWN).status_code == 200
    assert not issuer.running


def test_start_and_stop_are_idempotent(http: httpx.Client) -> None:
    issuer = LocalIssuer()
    issuer.stop()
    assert issuer.start() is issuer
    port = issuer.port
    issuer.start()
    assert issuer.port == port
    issuer.stop()
    issuer.stop()
    assert not issuer.running
    with pytest.raises(httpx.ConnectError):
        http.get(f"http://127.0.0.1:{port}{WELL_KNOWN}")


def test_stop_releases_the_port_for_a_new_issuer(http: httpx.Client) -> None:
    with LocalIssuer() as first:
        port = first.port
        http.get(first.url(WELL_KNOWN))  # leaves a closed connection behind
    with LocalIssuer(port=port) as second:
        assert second.port == port
        assert http.get(second.url(WELL_KNOWN)).json()["issuer"] == f"http://127.0.0.1:{port}"


def test_busy_port_is_a_usage_error_naming_the_port(listening_socket: socket.socket) -> None:
    port = listening_socket.getsockname()[1]
    with pytest.raises(UsageError) as raised:
        LocalIssuer(port=port).start()
    assert str(port) in raised.value.problem
    assert "in use" in raised.value.problem
    assert raised.value.fix and "port 0" in raised.value.fix


def test_a_second_issuer_on_the_same_port_is_refused() -> None:
    with LocalIssuer() as first:
        with pytest.raises(UsageError, match=str(first.port)):
            LocalIssuer(port=first.port).start()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "10.0.0.1", "localhost", "::1", "example.com", ""])
def test_hosts_other_than_ipv4_loopback_are_refused(host: str) -> None:
    with pytest.raises(UsageError, match="loopback"):
        LocalIssuer(host=host)


def test_other_loopback_addresses_are_served(http: httpx.Client) -> None:
    with LocalIssuer(host="127.0.0.2") as issuer:
        assert issuer.origin.startswith("http://127.0.0.2:")
        assert http.get(issuer.url(WELL_KNOWN)).json()["issuer"] == issuer.origin


@pytest.mark.parametrize("port", [-1, 65536, "80"])
def test_port_must_be_a_port_number(port: object) -> None:
    with pytest.raises(UsageError, match="port"):
        LocalIssuer(port=port)  # type: ignore[arg-type]


def test_origin_and_publication_need_a_started_issuer() -> None:
    issuer = LocalIssuer()
    with pytest.raises(UsageError, match="not started"):
        issuer.origin
    with pytest.raises(UsageError, match="not started"):
        issuer.publication


def test_publish_before_start_is_kept_and_reset_returns_to_the_default(http: httpx.Client) -> None:
    custom = Publication(discovery=Endpoint(path=WELL_KNOWN, body=b"custom"), jwks=Endpoint(path="/k", body=b"{}"))
    issuer = LocalIssuer()
    issuer.publish(custom)
    with issuer:
        assert http.get(issuer.url(WELL_KNOWN)).content == b"custom"
        issuer.reset()
        assert issuer.publication == default_publication(issuer.origin)
        assert http.get(issuer.url(WELL_KNOWN)).json()["issuer"] == issuer.origin


def test_publish_takes_only_publications() -> None:
    with pytest.raises(TypeError, match="Publication"):
        LocalIssuer().publish({"discovery": {}})  # type: ignore[arg-type]


def test_restart_serves_the_default_of_the_new_origin(http: httpx.Client) -> None:
    issuer = LocalIssuer()
    with issuer:
        first_origin = issuer.origin
    with issuer:
        assert issuer.publication == default_publication(issuer.origin)
        assert http.get(issuer.url(WELL_KNOWN)).json()["issuer"] == issuer.origin
    assert first_origin.startswith("http://127.0.0.1:")


def test_urls_follow_the_current_publication() -> None:
    with LocalIssuer() as issuer:
        assert issuer.discovery_url == issuer.origin + WELL_KNOWN
        assert issuer.jwks_url == issuer.origin + "/jwks"
        issuer.publish(default_publication(issuer.origin, issuer_path="/tenant/a"))
        assert issuer.discovery_url == issuer.origin + "/tenant/a" + WELL_KNOWN
        assert issuer.jwks_url == issuer.origin + "/tenant/a/jwks"
        assert repr(issuer) == f"LocalIssuer({issuer.origin})"
    assert repr(issuer) == "LocalIssuer(stopped)"
