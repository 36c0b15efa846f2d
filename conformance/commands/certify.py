"""``idtoken-conformance certify``: run every check of a profile against a target and report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from ..check import Check
from ..errors import UsageError
from ..explain import explain_result
from ..results import CheckResult, CheckStatus, RunResult
from ..settings_profiles import EXAMPLES

__all__ = ["add_certify_command", "run_certify", "DEFAULT_EXAMPLES"]

DEFAULT_EXAMPLES = 30
EXIT_CONFORMANT, EXIT_NONCONFORMANT = 0, 1


def add_certify_command(commands: Any) -> None:
    parser = commands.add_parser(
        "certify", help="run every check of a conformance profile against a target validator",
        description="Run every check of a conformance profile against a target and print a per-check summary. "
                    "Exit 0 when nothing unexpected happened, 1 when the target is non-conformant, 2 on misuse.")
    parser.add_argument("--target", required=True, metavar="SPEC",
                        help="module:callable, path/file.py:callable, 'exec:COMMAND ARGS' or http(s)://URL")
    parser.add_argument("--profile", default="convex-oidc", help="conformance profile (default convex-oidc)")
    parser.add_argument("--examples", type=_positive_int, default=None, metavar="N",
                        help=f"examples per check (default {DEFAULT_EXAMPLES}; see --settings)")
    parser.add_argument("--settings", choices=sorted(EXAMPLES), default=None,
                        help="examples per check from a named settings profile: " +
                             ", ".join(f"{k}={v}" for k, v in EXAMPLES.items()))
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="Hypothesis seed (default 0)")
    parser.add_argument("--report", type=Path, default=None, metavar="DIR",
                        help="write report.json, junit.xml, summary.md, report.html, a badge and case files")
    parser.add_argument("--known-failures", type=Path, default=None, metavar="FILE",
                        help="checks expected to fail, with reasons (a listed check that passes is a failure)")
    parser.add_argument("--fix-known-failures", action="store_true",
                        help="rewrite --known-failures FILE to match this run (keeps comments and reasons)")
    parser.add_argument("--strict-reasons", action="store_true", help="also compare rejection reason codes")
    parser.add_argument("--jobs", type=_positive_int, default=1, metavar="N", help="worker processes (default 1)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="per-request timeout for subprocess and HTTP targets (default 5)")
    parser.add_argument("--only", action="append", default=[], metavar="CHECK",
                        help="run only this check id or id prefix (repeatable)")
    parser.set_defaults(run=run_certify)


def run_certify(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    from ..known_failures import apply_known_failures, fix_known_failures, load_known_failures
    from ..session import CertificationSession, SessionOptions

    out = out or sys.stdout
    if args.fix_known_failures and args.known_failures is None:
        raise UsageError("--fix-known-failures needs --known-failures FILE", "name the file to rewrite")
    if args.known_failures is not None and not args.fix_known_failures and not args.known_failures.is_file():
        raise UsageError(f"known-failures file {args.known_failures} does not exist",
                         "check the path, or create it with --fix-known-failures")
    examples = args.examples or (EXAMPLES[args.settings] if args.settings else DEFAULT_EXAMPLES)
    options = SessionOptions(
        target=args.target, profile=args.profile, examples=examples, seed=args.seed,
        strict_reasons=args.strict_reasons, known_failures=None if args.fix_known_failures else args.known_failures,
        report_dir=args.report, timeout=args.timeout, cwd=Path.cwd(), jobs=args.jobs, only=tuple(args.only))
    progress = Progress(out)
    started = time.perf_counter()
    if args.jobs > 1:
        from ..parallel import run_parallel

        run, session = run_parallel(options, on_result=progress.result)
    else:
        session = CertificationSession(options)
        progress.total = len(session.checks)
        with session:
            run = session.run_all(on_result=progress.result)
    checks = session.checks
    if args.fix_known_failures:
        from ..catalog import checks_for

        ids = [c.id for c in checks_for(args.profile)]  # entries of checks not run (--only) are kept
        change = fix_known_failures(args.known_failures, run.results, known_ids=ids)
        known = load_known_failures(args.known_failures, known_ids=ids)
        run = RunResult(run.metadata, apply_known_failures(run.results, known))
        print(f"known failures: {args.known_failures} " + (_describe_change(change) if change else "unchanged"),
              file=out)
    if options.report_dir is not None:
        from ..reports import write_reports

        write_reports(run, checks, options.report_dir)
    _print_summary(run, checks, out, time.perf_counter() - started, options.report_dir)
    return EXIT_CONFORMANT if run.conformant else EXIT_NONCONFORMANT


class Progress:
    """One line per finished check; on a terminal, a live counter too."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.done = 0
        self.total = 0
        self.live = hasattr(out, "isatty") and out.isatty()

    def result(self, check: Check, result: CheckResult) -> None:
        self.done += 1
        counter = f"[{self.done}/{self.total}] " if self.total else f"[{self.done}] "
        line = f"{counter}{result.status.value.upper():8} {check.id} ({result.examples} examples)"
        print(("\r\033[K" if self.live else "") + line, file=self.out, flush=True)


def _print_summary(run: RunResult, checks: list[Check], out: TextIO, elapsed: float, report: Path | None) -> None:
    from ..reports import summary_line

    by_id = {c.id: c for c in checks}
    meta = run.metadata
    implementation = meta.implementation
    name = implementation.get("name") or meta.target
    version = implementation.get("version") or "?"
    print("", file=out)
    print(f"target:  {name} {version} ({meta.target})", file=out)
    print(f"profile: {meta.profile} {meta.profile_version}, {meta.examples_per_check} examples per check, "
          f"seed {meta.seed}, suite {meta.suite_version}, {elapsed:.1f}s", file=out)
    print("", file=out)
    for result in run.results:
        marker = {CheckStatus.PASSED: "pass", CheckStatus.FAILED: "FAIL", CheckStatus.ERROR: "ERROR",
                  CheckStatus.SKIPPED: "skip", CheckStatus.XFAIL: "xfail"}[result.status]
        check = by_id[result.check_id]
        print(f"  {marker:6} {check.id:34} {result.examples:5d}  {check.title}", file=out)
    problems = [r for r in run.results if r.status in (CheckStatus.FAILED, CheckStatus.ERROR)]
    if problems:
        print("", file=out)
        for result in problems:
            print(explain_result(by_id[result.check_id], result), file=out)
            print("", file=out)
    if report is not None:
        print(f"reports: {report}/report.html, report.json, junit.xml, summary.md", file=out)
    print(summary_line(run), file=out)


def _describe_change(change: Any) -> str:
    parts = []
    for label in ("added", "removed", "updated"):
        ids = getattr(change, label)
        if ids:
            parts.append(f"{label} {', '.join(ids)}")
    return "rewritten: " + "; ".join(parts)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value
