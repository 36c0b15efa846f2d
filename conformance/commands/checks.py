"""``idtoken-conformance checks``: list the checks of a profile with ids, levels and spec references."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_checks_command", "run_checks"]


def add_checks_command(commands: Any) -> None:
    parser = commands.add_parser("checks", help="list the checks of a conformance profile",
                                 description="List every check with its id, level, spec references and title.")
    parser.add_argument("--profile", default="convex-oidc", help="conformance profile (default convex-oidc)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.set_defaults(run=run_checks)


def run_checks(args: argparse.Namespace) -> int:
    from ..catalog import checks_for

    checks = checks_for(args.profile)
    if args.format == "json":
        print(json.dumps([c.to_json() for c in checks], indent=2))
        return 0
    if args.format == "markdown":
        print("| check | level | expects | spec references | requirement |")
        print("|---|---|---|---|---|")
        for c in checks:
            expectation = c.expectation(args.profile)
            print(f"| `{c.id}` | {c.level.value} | {expectation.value if expectation else '-'} | "
                  f"{', '.join(c.refs)} | {c.title} |")
        return 0
    for c in checks:
        expectation = c.expectation(args.profile)
        print(f"{c.id:34} {c.level.value:11} {expectation.value if expectation else '-':7} {c.title}")
        print(f"{'':34} refs: {', '.join(c.refs)}")
    sys.stdout.flush()
    return 0
