"""Certification benchmark: differential throughput per target kind, time to catch each toy bug,
memory and wall time of a default ``certify`` run, and the ``--jobs 2`` speed-up.

Every number stands next to a baseline measured in the same run:

1. Differential examples/s of the engine (reference verdict + target observation per generated case,
   every example a match) for an in-process, a subprocess and an HTTP target, all three wrapping the
   reference and fetching discovery and keys from the local issuer. The floor is bare Hypothesis
   generation of the same cases (same checks, same seed) plus one RS256 signature and two
   verifications of that token: the reference (`validate`, no HTTP) and PyJWT's `jwt.decode`.
2. Time until the first failure is found, and in total (shrinking included), for each toy buggy
   target of ``tests/engine/miniatures.py`` on the check meant to catch it.
3. Peak RSS (``resource.getrusage(RUSAGE_CHILDREN)`` in a bare launcher process), CPU time and wall
   time of a default ``idtoken-conformance certify --target examples/reference_target.py:validate``
   run (as ``python -m conformance certify``), next to a child process that only imports the suite.
4. The same run with ``--jobs 2`` against ``--jobs 1``.

Run from the repository root::

    python benchmarks/certify_benchmark.py [--examples 25] [--rounds 3] [--certify-rounds 3] [--output BENCHMARKS.md]

It rewrites the ``## Certification`` section of the output file and keeps every other section.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import jwt
from hypothesis import HealthCheck, Phase, given, seed, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conformance.case import Case  # noqa: E402
from conformance.catalog import checks_for  # noqa: E402
from conformance.check import Check, GenerationEnv  # noqa: E402
from conformance.commands.certify import DEFAULT_EXAMPLES  # noqa: E402
from conformance.engine import Evaluation  # noqa: E402
from conformance.fetching import PublicationFetcher  # noqa: E402
from conformance.issuer import default_publication  # noqa: E402
from conformance.jws import compact  # noqa: E402
from conformance.keypool import key_pool  # noqa: E402
from conformance.provider import ProviderConfig  # noqa: E402
from conformance.reference import validate  # noqa: E402
from conformance.results import CheckStatus  # noqa: E402
from conformance.session import CertificationSession, SessionOptions  # noqa: E402
from benchmark_report import load_average, machine, write_section  # noqa: E402
from reference_adapter import ReferenceEndpoint  # noqa: E402

__all__ = ["THROUGHPUT_CHECKS", "BUGS", "ReferenceEndpoint", "floor_rate", "engine_rate", "throughput",
           "FirstFailure", "first_failure", "ChildRun", "certify_run", "import_baseline", "main"]

SECTION = "## Certification"
PROFILE = "convex-oidc"
IN_PROCESS = "examples/reference_target.py:validate"
ADAPTER = ROOT / "benchmarks" / "reference_adapter.py"
MINIATURES = ROOT / "tests" / "engine" / "miniatures.py"
DEFAULT_RUN_GOAL = 60.0  # seconds: a default certify run should finish within a minute
# Checks the reference passes, with cheap keys and no slow issuer answers.
THROUGHPUT_CHECKS = ("token.valid", "iss.exact", "aud.client-id", "exp.expired", "signature.alg-none",
                     "signature.wrong-key", "keyset.selection", "parser.segments")
# toy buggy target -> (the check meant to catch it, strict reasons?), as in tests/engine/test_engine_miniatures.py
BUGS = {
    "ignores_audience": ("aud.client-id", False),
    "allows_extra_audience": ("aud.extra-audience", False),
    "accepts_alg_none": ("signature.alg-none", False),
    "exp_off_by_one": ("exp.expired", False),
    "exp_leeway_60": ("exp.expired", False),
    "ignores_typ": ("header.typ", False),
    "tries_every_key": ("keyset.selection", False),
    "flattens_custom_claims": ("identity.custom-claims", False),
    "crashes_on_malformed": ("parser.segments", False),
    "denies_eddsa": ("token.valid", False),
    "wrong_reason": ("aud.client-id", True),
}
# Spawns argv[1:], waits, prints the peak RSS of its (waited-for) descendants, exits with the child's code.
_LAUNCHER = ("import os, resource, sys; pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ); "
             "status = os.waitpid(pid, 0)[1]; "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(f'\\nmax-rss={u.ru_maxrss} cpu={u.ru_utime + u.ru_stime:.3f}', flush=True); "
             "sys.exit(os.waitstatus_to_exitcode(status))")
_IMPORTS = "import conformance.cli, conformance.session, conformance.engine, conformance.catalog, strategies"


# -- 1. differential throughput -------------------------------------------------------------------------
def _checks(ids: Sequence[str]) -> list[Check]:
    by_id = {check.id: check for check in checks_for(PROFILE)}
    return [by_id[check_id] for check_id in ids]


def floor_rate(check_ids: Sequence[str] = THROUGHPUT_CHECKS, examples: int = 25) -> float:
    """Examples/s of generating the checks' cases (seed 0, as the engine) + 1 RS256 signature + 2 verifications."""
    env = GenerationEnv(origin="http://127.0.0.1:8765")
    key = key_pool()["rsa-2048-a"]
    header = {"alg": "RS256", "typ": "JWT", "kid": key.id}
    fetch = PublicationFetcher(env.origin, default_publication(env.origin))
    provider = ProviderConfig(env.issuer, env.application_id)
    count = 0

    def example(case: Case) -> None:
        nonlocal count
        now = int(case.now)
        token = compact(header, {"iss": env.issuer, "sub": f"user_{count}", "aud": env.application_id,
                                 "iat": now, "exp": now + 3600}, key=key)
        if not validate(token, provider=provider, now=case.now, fetch=fetch).accepted:
            raise AssertionError("the floor's token was rejected by the reference")
        jwt.decode(token, key.public_key, algorithms=["RS256"], audience=env.application_id, issuer=env.issuer,
                   options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
        count += 1

    started = time.perf_counter()
    for check in _checks(check_ids):
        run = settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                       phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)
                       )(given(check.strategy(env))(example))
        seed(0)(run)()
    return count / (time.perf_counter() - started)


def engine_rate(spec: str, check_ids: Sequence[str] = THROUGHPUT_CHECKS, examples: int = 25) -> float:
    """Differential examples/s of the engine against a started target (start-up excluded); all must pass."""
    options = SessionOptions(target=spec, profile=PROFILE, only=tuple(check_ids), examples=examples, seed=0,
                             cwd=ROOT)
    with CertificationSession(options) as session:
        started = time.perf_counter()
        run = session.run_all()
        elapsed = time.perf_counter() - started
    failing = [(r.check_id, r.status.value, r.message) for r in run.results if r.status is not CheckStatus.PASSED]
    if failing:
        raise AssertionError(f"the throughput target {spec} did not pass: {failing}")
    return sum(r.examples for r in run.results) / elapsed


def throughput(examples: int = 25, rounds: int = 3, check_ids: Sequence[str] = THROUGHPUT_CHECKS) -> dict[str, float]:
    """Median examples/s of the floor and of each target kind over interleaved rounds."""
    [key.private_key for key in key_pool()]  # load every key once, outside the timings
    with ReferenceEndpoint() as endpoint:
        kinds = {
            "floor": lambda: floor_rate(check_ids, examples),
            "in-process": lambda: engine_rate(IN_PROCESS, check_ids, examples),
            "subprocess": lambda: engine_rate(f"exec:{sys.executable} {ADAPTER}", check_ids, examples),
            "http": lambda: engine_rate(endpoint.url, check_ids, examples),
        }
        rates: dict[str, list[float]] = {name: [] for name in kinds}
        for _ in range(rounds):  # interleaved, so machine load affects every kind alike
            for name, measure in kinds.items():
                rates[name].append(measure())
    return {name: statistics.median(values) for name, values in rates.items()}


# -- 2. time to the first failure -----------------------------------------------------------------------
@dataclass(frozen=True)
class FirstFailure:
    miniature: str
    check_id: str
    status: str  # the check's final status: failed / error (passed means the bug went unseen)
    kind: str  # the mismatch kind reported after shrinking
    examples_to_first: int  # target calls up to and including the first mismatch
    seconds_to_first: float
    total_seconds: float  # the whole check, shrinking included


def first_failure(miniature: str, check_id: str, *, strict_reasons: bool = False, examples: int = 100
                  ) -> FirstFailure:
    """Run one check against one toy buggy target and time the first mismatch and the whole check."""
    calls: list[float] = []
    first: list[tuple[int, float]] = []

    def on_example(check: Check, evaluation: Evaluation) -> None:
        calls.append(time.perf_counter())
        if evaluation.mismatch is not None and not first:
            first.append((len(calls), calls[-1]))

    options = SessionOptions(target=f"{MINIATURES}:{miniature}", profile=PROFILE, only=(check_id,),
                             examples=examples, seed=0, strict_reasons=strict_reasons, cwd=ROOT)
    with CertificationSession(options, on_example=on_example) as session:
        started = time.perf_counter()
        result = session.run_check(session.checks[0])
        total = time.perf_counter() - started
    to_first, found_at = first[0] if first else (0, float("nan"))
    kind = result.failure.kind.value if result.failure is not None else "-"
    return FirstFailure(miniature, check_id, result.status.value, kind, to_first, found_at - started, total)


# -- 3. and 4. the default certify run ------------------------------------------------------------------
@dataclass(frozen=True)
class ChildRun:
    seconds: float
    max_rss_kib: int  # the largest peak resident set of the child and its descendants
    cpu_seconds: float  # user + system time of the child and its descendants
    exit_code: int
    last_line: str


def _child(argv: list[str]) -> ChildRun:
    """Run `argv` under a bare-interpreter launcher that reports its children's peak RSS.

    The launcher is needed because a child spawned from this (large) process inherits this
    process's RSS as its starting peak; the launcher's own few MiB are the floor instead.
    """
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *argv], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - started
    lines = [line for line in done.stdout.decode("utf-8", errors="replace").splitlines() if line.strip()]
    match = re.fullmatch(r"max-rss=(\d+) cpu=([\d.]+)", lines.pop() if lines else "")
    if match is None:
        raise AssertionError(f"the launcher did not report the peak RSS (exit {done.returncode})")
    scale = 1024 if sys.platform == "darwin" else 1  # ru_maxrss is bytes on macOS, KiB on Linux
    return ChildRun(seconds, int(match.group(1)) // scale, float(match.group(2)), done.returncode,
                    lines[-1] if lines else "")


def certify_run(jobs: int = 1, *, examples: int | None = None, only: Sequence[str] = ()) -> ChildRun:
    """A ``certify`` run of the in-process reference example in a child process (defaults unless given)."""
    argv = [sys.executable, "-m", "conformance", "certify", "--target", IN_PROCESS, "--jobs", str(jobs)]
    argv += ["--examples", str(examples)] if examples is not None else []
    for check_id in only:
        argv += ["--only", check_id]
    run = _child(argv)
    if run.exit_code != 0:
        raise AssertionError(f"certify exited {run.exit_code}: {run.last_line}")
    return run


def import_baseline() -> ChildRun:
    """A child process that only imports the suite."""
    run = _child([sys.executable, "-c", _IMPORTS])
    if run.exit_code != 0:
        raise AssertionError(f"importing the suite failed: {run.last_line}")
    return run


# -- the report -----------------------------------------------------------------------------------------
def _throughput_lines(rates: dict[str, float], examples: int, rounds: int) -> list[str]:
    floor = rates["floor"]
    labels = {"in-process": f"in-process (`{IN_PROCESS}`)",
              "subprocess": "subprocess (`exec:python benchmarks/reference_adapter.py`)",
              "http": "HTTP (threaded `http.server` on 127.0.0.1, in the benchmark's process)"}
    return [f"### Differential throughput ({len(THROUGHPUT_CHECKS)} checks x {examples} examples, seed 0, "
            f"median of {rounds} interleaved rounds)", "",
            "Every target wraps the reference and fetches discovery and keys over HTTP from the local issuer; "
            "every example is a match. The floor generates the same cases, signs one RS256 token and verifies it "
            "with the reference (no HTTP) and with PyJWT's `jwt.decode`. Checks: "
            + ", ".join(f"`{c}`" for c in THROUGHPUT_CHECKS) + ".", "",
            "| kind | examples/s | time vs floor |", "|---|---:|---:|",
            f"| floor: same cases + 1 RS256 signature + 2 verifications | {floor:.0f} | 1.00x |",
            *(f"| {label} | {rates[name]:.0f} | {floor / rates[name]:.2f}x |" for name, label in labels.items()),
            ""]


def _failure_lines(failures: list[FirstFailure]) -> list[str]:
    lines = ["### Time to the first failure (toy buggy targets of `tests/engine/miniatures.py`, up to 100 "
             "examples, seed 0)", "",
             "| toy target | check | status | kind | examples to first | first failure | total with shrinking |",
             "|---|---|---|---|---:|---:|---:|"]
    for f in failures:
        strict = " (strict reasons)" if BUGS[f.miniature][1] else ""
        lines.append(f"| `{f.miniature}`{strict} | `{f.check_id}` | {f.status} | {f.kind} | {f.examples_to_first} "
                     f"| {f.seconds_to_first:.2f} s | {f.total_seconds:.2f} s |")
    unseen = [f.miniature for f in failures if f.status == "passed"]
    return lines + ["", ("Every toy bug was caught. " if not unseen else f"Not caught: {', '.join(unseen)}. ")
                    + f"Slowest first failure {max(f.seconds_to_first for f in failures):.2f} s; slowest check "
                    f"including shrinking {max(f.total_seconds for f in failures):.2f} s (the shrink budget is "
                    "30 s per check).", ""]


def _default_run_lines(empty: ChildRun, baseline: ChildRun, serial: list[ChildRun], parallel: list[ChildRun],
                       load: str) -> list[str]:
    best1, best2 = min(serial, key=lambda r: r.seconds), min(parallel, key=lambda r: r.seconds)
    worst1, worst2 = max(r.seconds for r in serial), max(r.seconds for r in parallel)
    goal = (f"**within** the one-minute goal (worst of {len(serial)}: {worst1:.1f} s)" if worst1 <= DEFAULT_RUN_GOAL
            else f"**not within** the one-minute goal (worst of {len(serial)}: {worst1:.1f} s)")

    def row(label: str, run: ChildRun, worst: float | None = None) -> str:
        wall = f"{run.seconds:.2f} s" + (f" (worst {worst:.1f} s)" if worst is not None else "")
        return (f"| {label} | {wall} | {run.cpu_seconds:.1f} s | {run.max_rss_kib / 1024:.0f} MiB | "
                f"{run.max_rss_kib / baseline.max_rss_kib:.2f}x |")

    return [f"### Default run: `idtoken-conformance certify --target {IN_PROCESS}` (best of {len(serial)}, "
            "interleaved)", "",
            "Each command runs as a child of a bare-interpreter launcher that reads the peak RSS of its "
            "descendants with `resource.getrusage(RUSAGE_CHILDREN)`; with `--jobs 2` that is the largest single "
            "process. CPU time is user + system of the whole process tree.", "",
            "| child process | wall time | CPU time | peak RSS | RSS vs import-only |", "|---|---:|---:|---:|---:|",
            row("empty interpreter (`python -c pass`, the floor of the measurement)", empty),
            row(f"import-only baseline (`python -c \"{_IMPORTS}\"`)", baseline),
            row(f"`certify` (default: `--jobs 1`, {DEFAULT_EXAMPLES} examples per check)", best1, worst1),
            row("`certify --jobs 2`", best2, worst2),
            "", f"The default run (`{best1.last_line}`) is {goal}. `--jobs 2` takes {best2.seconds:.1f} s against "
            f"{best1.seconds:.1f} s: a {best1.seconds / best2.seconds:.2f}x speed-up, using "
            f"{best2.cpu_seconds / best2.seconds:.2f} cores on average against {best1.cpu_seconds / best1.seconds:.2f}. "
            "Each worker re-imports the suite and starts its own target and issuer; the ideal on two idle cores is "
            f"just under 2x. Load average (1/5/15 min) when the certify runs ended: {load}.", ""]


def render(rates: dict[str, float], failures: list[FirstFailure], empty: ChildRun, baseline: ChildRun,
           serial: list[ChildRun], parallel: list[ChildRun], *, date: str, load_start: str, load_end: str,
           examples: int, rounds: int) -> str:
    return "\n".join([
        SECTION, "",
        f"Run on {date} (`python benchmarks/certify_benchmark.py`): {machine()}. Load average (1/5/15 min) at "
        f"the start: {load_start}. Other work on the machine shares the two cores, so treat every figure as "
        "approximate.", "",
        *_throughput_lines(rates, examples, rounds),
        *_failure_lines(failures),
        *_default_run_lines(empty, baseline, serial, parallel, load_end),
    ])


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="examples per check for the throughput runs")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the throughput runs")
    parser.add_argument("--certify-rounds", type=int, default=3, help="default certify runs per --jobs value")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    date, load_start = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), load_average()
    started = time.perf_counter()
    _progress("differential throughput ...")
    rates = throughput(args.examples, args.rounds)
    failures = []
    for name, (check_id, strict) in BUGS.items():
        _progress(f"first failure: {name} on {check_id} ...")
        failures.append(first_failure(name, check_id, strict_reasons=strict))
    _progress("default certify runs ...")
    empty, baseline = _child([sys.executable, "-c", "pass"]), import_baseline()
    serial: list[ChildRun] = []
    parallel: list[ChildRun] = []
    for _ in range(args.certify_rounds):  # interleaved
        serial.append(certify_run(1))
        parallel.append(certify_run(2))
    section = render(rates, failures, empty, baseline, serial, parallel, date=date, load_start=load_start,
                     load_end=load_average(), examples=args.examples, rounds=args.rounds)
    write_section(args.output, section)
    print(section)
    _progress(f"benchmark took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
