"""The command line: ``idtoken-conformance COMMAND ...`` (or ``python -m conformance COMMAND ...``).

Each command is one function that adds its subparser and sets ``run`` to the function doing the
work; `COMMANDS` lists them. Misuse ends with ``error: ...`` and ``fix: ...`` on stderr and exit
status 2, never a traceback; Ctrl-C ends quietly with status 130.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable, NoReturn

from . import __version__
from .case_file import case_address, load_case_file
from .errors import UsageError
from .issuer import DEFAULT_KEY_ID, LocalIssuer, default_publication
from .jws import compact
from .keypool import PoolKey, key_pool
from .publication import WELL_KNOWN

__all__ = ["main", "build_parser", "COMMANDS", "DEFAULT_APPLICATION_ID", "wait_for_interrupt"]

PROG = "idtoken-conformance"
DEFAULT_APPLICATION_ID = "app_0123456789abcdef0123456789abcdef"
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_Subparsers = Any  # argparse's _SubParsersAction is private


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are UsageErrors, shown like every other misuse."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, f"see `{self.prog} --help`")


def main(argv: list[str] | None = None) -> int:
    """Run the command line with `argv` (default: ``sys.argv[1:]``); returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"error: {exc.problem}", file=sys.stderr)
        if exc.fix:
            print(f"fix: {exc.fix}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Certify OIDC ID-token validators against a reference behaviour.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_command in COMMANDS:
        add_command(commands)
    return parser


# issuer


def add_issuer_command(commands: _Subparsers) -> None:
    parser = commands.add_parser(
        "issuer", help="serve a discovery document and key set on loopback until interrupted",
        description="Serve an OIDC discovery document and JWKS on 127.0.0.1 (for trying a validator by hand). "
                    "Prints the issuer, discovery and JWKS URLs, then serves until Ctrl-C.")
    parser.add_argument("--host", default=None,
                        help="loopback address to listen on (default 127.0.0.1, or the case's)")
    parser.add_argument("--port", type=int, default=None, help="port (default 0: any free port; the case's with --case)")
    parser.add_argument("--issuer-path", default=None, metavar="PATH",
                        help="path part of the issuer URL, e.g. /tenant (default: none)")
    parser.add_argument("--case", type=Path, default=None, metavar="CASE.json",
                        help="serve the discovery document and JWKS stored in a case file")
    parser.add_argument("--key", dest="keys", action="extend", nargs="+", default=None, metavar="KEY_ID",
                        help=f"pool keys to publish (default {DEFAULT_KEY_ID})")
    parser.add_argument("--print-token", action="store_true",
                        help="also print an ID token valid for an hour, signed by the first key (the case's token "
                             "with --case)")
    parser.add_argument("--application-id", default=None,
                        help=f"audience of the printed token (default {DEFAULT_APPLICATION_ID})")
    parser.set_defaults(run=run_issuer)


def run_issuer(args: argparse.Namespace) -> int:
    case = load_case_file(args.case).case if args.case is not None else None
    if case is not None and (args.keys or args.issuer_path is not None or args.application_id is not None):
        raise UsageError("--case serves the case's own publication and token; "
                         "--key, --issuer-path and --application-id do not apply", "drop them, or drop --case")
    case_host, case_port = case_address(case) if case is not None else ("127.0.0.1", 0)
    host = args.host if args.host is not None else case_host
    port = args.port if args.port is not None else case_port
    keys = [_pool_key(key_id) for key_id in args.keys or [DEFAULT_KEY_ID]]
    issuer_path = _checked_issuer_path(args.issuer_path or "")
    if args.print_token and case is None and keys[0].natural_alg not in ("RS256", "EdDSA"):
        raise UsageError(f"--print-token signs with the first --key, and {keys[0].id} signs {keys[0].natural_alg}",
                         "list an RSA or Ed25519 key first, e.g. --key rsa-2048-a")

    with LocalIssuer(host, port) as issuer:
        if case is None:
            issuer.publish(default_publication(issuer.origin, issuer_path=issuer_path,
                                               key_ids=[key.id for key in keys]))
            issuer_url: str | None = issuer.origin + issuer_path
            token = _valid_token(keys[0], issuer_url, args.application_id or DEFAULT_APPLICATION_ID,
                                 now=int(time.time())) if args.print_token else ""
        else:
            issuer.publish(case.publication)
            issuer_url = _served_issuer_url(issuer)
            token = case.token
        if issuer_url is not None:
            print(f"issuer: {issuer_url}")
        print(f"discovery: {issuer.discovery_url}")
        print(f"jwks: {issuer.jwks_url}")
        if args.print_token:
            print(f"token: {token}")
        sys.stdout.flush()
        print(f"serving on {issuer.origin} until interrupted (Ctrl-C)", file=sys.stderr, flush=True)
        wait_for_interrupt()
    return 0


def wait_for_interrupt() -> None:
    """Block until Ctrl-C raises KeyboardInterrupt."""
    while True:
        time.sleep(3600)


def _valid_token(key: PoolKey, issuer_url: str, application_id: str, *, now: int) -> str:
    header = {"alg": key.natural_alg, "typ": "JWT", "kid": key.id}
    claims = {"iss": issuer_url, "sub": "user_0001", "aud": application_id, "iat": now, "exp": now + 3600}
    return compact(header, claims, key=key)


def _served_issuer_url(issuer: LocalIssuer) -> str | None:
    """The issuer URL whose discovery URL is the one served, when discovery is at a standard place."""
    path = issuer.publication.discovery.path
    return issuer.url(path[: -len(WELL_KNOWN)]) if path.endswith(WELL_KNOWN) else None


def _pool_key(key_id: str) -> PoolKey:
    if key_id not in key_pool():
        raise UsageError(f"no key {key_id!r} in the key pool", f"use one of: {', '.join(key_pool().ids())}")
    return key_pool()[key_id]


def _checked_issuer_path(path: str) -> str:
    if path and (not path.startswith("/") or any(char in path for char in "?# ")):
        raise UsageError(f"--issuer-path {path!r} is not a URL path",
                         "start it with '/' and leave out query, fragment and spaces, e.g. /tenant")
    return path


def _more_commands() -> list[Callable[[_Subparsers], None]]:
    from .commands import add_certify_command, add_checks_command, add_replay_command

    return [add_certify_command, add_replay_command, add_checks_command]


COMMANDS: list[Callable[[_Subparsers], None]] = [*_more_commands(), add_issuer_command]
