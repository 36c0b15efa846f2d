"""The `issuer` command and the command line's error handling."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import httpx
import jwt
import pytest

from conformance import cli
from conformance.case import Case
from conformance.cli import DEFAULT_APPLICATION_ID, main
from conformance.provider import ProviderConfig
from conformance.publication import WELL_KNOWN, Endpoint, Publication

pytestmark = pytest.mark.network


def printed(text: str) -> dict[str, str]:
    """The ``name: value`` lines the issuer command prints."""
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


@pytest.fixture
def while_serving(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                  ) -> Iterator[Callable[[Callable[[dict[str, str]], None]], None]]:
    """Run a check while the command serves (given what it printed), then interrupt it like Ctrl-C."""
    seen: list[dict[str, str]] = []

    def install(check: Callable[[dict[str, str]], None]) -> None:
        def instead_of_waiting() -> None:
            lines = printed(capsys.readouterr().out)
            seen.append(lines)
            check(lines)
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "wait_for_interrupt", instead_of_waiting)

    yield install
    assert len(seen) == 1, "the command never reached its serving loop"


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def a_case(origin: str) -> Case:
    publication = Publication(discovery=Endpoint(path="/tenant" + WELL_KNOWN, body=b'{"issuer": "case"}'),
                              jwks=Endpoint(path="/tenant/keys", body=b"\xffnot json", content_type=None))
    return Case(token="aaa.bbb.ccc", provider=ProviderConfig(domain=origin + "/tenant", application_id="app_x"),
                now=1_700_000_000.0, origin=origin, publication=publication)


def write_case(path: Path, case: Case) -> Path:
    path.write_text(json.dumps(case.to_json()))
    return path


def test_issuer_prints_its_urls_and_a_token_valid_for_an_hour(while_serving, capsys: pytest.CaptureFixture[str]) -> None:
    def check(lines: dict[str, str]) -> None:
        with httpx.Client(trust_env=False) as http:
            document = http.get(lines["discovery"]).json()
            jwks = http.get(lines["jwks"]).json()
        assert lines["issuer"].endswith("/tenant")
        assert lines["discovery"] == lines["issuer"] + WELL_KNOWN
        assert document == {**document, "issuer": lines["issuer"], "jwks_uri": lines["jwks"]}
        key = jwt.PyJWK(jwks["keys"][0]).key
        claims = jwt.decode(lines["token"], key, algorithms=["RS256"], audience=DEFAULT_APPLICATION_ID,
                            issuer=lines["issuer"])
        assert claims["exp"] - claims["iat"] == 3600
        assert abs(claims["iat"] - time.time()) < 60
        assert jwt.get_unverified_header(lines["token"]) == {"alg": "RS256", "typ": "JWT", "kid": "rsa-2048-a"}

    while_serving(check)
    assert main(["issuer", "--issuer-path", "/tenant", "--print-token"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_issuer_stops_serving_when_interrupted(while_serving) -> None:
    urls: list[str] = []
    while_serving(lambda lines: urls.append(lines["discovery"]))
    assert main(["issuer"]) == 130
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as http:
        http.get(urls[0])


def test_issuer_publishes_the_listed_keys_and_signs_with_the_first(while_serving) -> None:
    def check(lines: dict[str, str]) -> None:
        with httpx.Client(trust_env=False) as http:
            keys = http.get(lines["jwks"]).json()["keys"]
        assert [key["kid"] for key in keys] == ["ed25519-a", "rsa-2048-b"]
        claims = jwt.decode(lines["token"], jwt.PyJWK(keys[0]).key, algorithms=["EdDSA"], audience="app_me")
        assert claims["iss"] == lines["issuer"]
        assert "token" in lines

    while_serving(check)
    assert main(["issuer", "--key", "ed25519-a", "--key", "rsa-2048-b", "--application-id", "app_me",
                 "--print-token"]) == 130


def test_without_print_token_no_token_is_printed(while_serving) -> None:
    def check(lines: dict[str, str]) -> None:
        assert set(lines) == {"issuer", "discovery", "jwks"}

    while_serving(check)
    assert main(["issuer"]) == 130


def test_case_file_publication_and_token_are_served(tmp_path: Path, while_serving) -> None:
    case = a_case("http://127.0.0.1:9")

    def check(lines: dict[str, str]) -> None:
        origin = lines["discovery"].split("/tenant")[0]
        assert lines["issuer"] == origin + "/tenant"
        assert lines["jwks"] == origin + "/tenant/keys"
        assert lines["token"] == "aaa.bbb.ccc"
        with httpx.Client(trust_env=False) as http:
            assert http.get(lines["discovery"]).content == b'{"issuer": "case"}'
            response = http.get(lines["jwks"])
        assert response.content == b"\xffnot json"
        assert "content-type" not in response.headers

    while_serving(check)
    assert main(["issuer", "--case", str(write_case(tmp_path / "case.json", case)), "--port", "0",
                 "--print-token"]) == 130


def test_case_file_port_is_used_unless_a_port_is_given(tmp_path: Path, busy_port: int,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write_case(tmp_path / "case.json", a_case(f"http://127.0.0.1:{busy_port}"))
    assert main(["issuer", "--case", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"error: port {busy_port} on 127.0.0.1 is already in use" in err
    assert "fix: " in err


def test_busy_port_is_reported_with_a_fix(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["issuer", "--port", str(busy_port)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"error: port {busy_port} on 127.0.0.1 is already in use"
    assert err[1].startswith("fix: ")


@pytest.mark.parametrize("content, problem", [
    (None, "cannot read case file"),
    ("{not json", "not a valid case file"),
    ('{"format": "something/else"}', "not a valid case file"),
    ('{"format": "idtoken-conformance/case/v1", "token": "t"}', "missing field"),
    ("[1, 2]", "not a valid case file"),
    (b"\xff\xfe", "not a valid case file"),
])
def test_missing_or_broken_case_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      content: str | bytes | None, problem: str) -> None:
    path = tmp_path / "case.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    assert main(["issuer", "--case", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert problem in err and str(path) in err
    assert "\nfix: " in err and "Traceback" not in err


@pytest.mark.parametrize("argv, problem", [
    (["issuer", "--host", "0.0.0.0"], "loopback"),
    (["issuer", "--host", "192.168.0.1"], "loopback"),
    (["issuer", "--key", "no-such-key"], "no key 'no-such-key'"),
    (["issuer", "--key", "ec-p256", "--print-token"], "ES256"),
    (["issuer", "--issuer-path", "tenant"], "not a URL path"),
    (["issuer", "--port", "http"], "invalid int value"),
    (["issuer", "--port", "70000"], "not a TCP port"),
    (["issuer", "--unknown-flag"], "unrecognized arguments"),
    (["no-such-command"], "invalid choice"),
    ([], "required: COMMAND"),
])
def test_misuse_gives_one_error_and_a_fix(capsys: pytest.CaptureFixture[str], argv: list[str], problem: str) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0].startswith("error: ") and problem in lines[0]
    assert lines[1].startswith("fix: ")
    assert len(lines) == 2
    assert captured.out == ""


def test_case_conflicts_with_publication_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_case(tmp_path / "case.json", a_case("http://127.0.0.1:9"))
    assert main(["issuer", "--case", str(path), "--key", "rsa-2048-b"]) == 2
    assert "--case serves the case's own publication" in capsys.readouterr().err


def test_help_and_version_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "issuer" in capsys.readouterr().out
    assert main(["issuer", "--help"]) == 0
    assert "--print-token" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("idtoken-conformance ")


def test_module_entry_point_serves_until_interrupted() -> None:
    process = subprocess.Popen([sys.executable, "-m", "conformance", "issuer", "--port", "0", "--print-token"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        seen: dict[str, str] = {}
        while "token" not in seen:
            seen.update(printed(lines.get(timeout=30)))
        with httpx.Client(trust_env=False, timeout=10) as http:
            document = http.get(seen["discovery"]).json()
        assert document["issuer"] == seen["issuer"]
        assert document["jwks_uri"] == seen["jwks"]
        assert seen["token"].count(".") == 2
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    stderr = process.stderr.read()  # type: ignore[union-attr]
    process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
