"""``idtoken-conformance replay CASE.json --target SPEC``: re-run one stored case."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..explain import describe_token
from ..reports._document import describe_observation, describe_verdict

__all__ = ["add_replay_command", "run_replay"]


def add_replay_command(commands: Any) -> None:
    parser = commands.add_parser(
        "replay", help="re-run one stored case file against a target: fixed / still failing / error",
        description="Serve the case's issuer again at its origin, judge the token with the reference and the "
                    "target, and say whether the mismatch is fixed. Exit 0 when fixed, 1 otherwise.")
    parser.add_argument("case", type=Path, metavar="CASE.json", help="a case file written by certify or pytest")
    parser.add_argument("--target", required=True, metavar="SPEC", help="the target to replay against")
    parser.add_argument("--profile", default="convex-oidc", help="conformance profile (default convex-oidc)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS")
    parser.add_argument("--strict-reasons", action="store_true", help="also compare rejection reason codes")
    parser.set_defaults(run=run_replay)


def run_replay(args: argparse.Namespace) -> int:
    from ..replay import replay_case_file

    outcome = replay_case_file(args.case, args.target, profile=args.profile, timeout=args.timeout,
                               cwd=Path.cwd(), strict_reasons=args.strict_reasons)
    stored = outcome.case_file
    header, payload = describe_token(stored.case.token)
    print(f"case:      {stored.path}" + (f" (check {stored.check_id})" if stored.check_id else ""))
    print(f"header:    {header}")
    print(f"payload:   {payload}")
    print(f"reference: {describe_verdict(outcome.expected)}")
    print(f"target:    {describe_observation(outcome.observed)}")
    if outcome.reference_changed:
        print("note:      the reference judges this case differently from when it was stored")
    if outcome.mismatch is not None:
        print(f"mismatch:  {outcome.mismatch.kind.value}: {outcome.mismatch.explanation}")
    print(f"REPLAY: {outcome.status}")
    return outcome.exit_code
