"""Strategy throughput: examples per second for valid and mutated cases, next to a bare baseline.

The baseline, measured in the same run, is bare Hypothesis generation of the same claim
dictionaries (`id_token_claims` at a fixed clock) plus one RS256 signature with the pool's
2048-bit key. The goal is for `valid_cases` (clock, issuer, key, key set, header, claims, signing
and rendering the publication) to stay within 2x of it.

Run from the repository root::

    python benchmarks/strategies_throughput.py [--examples 300] [--rounds 3] [--output BENCHMARKS.md]

It rewrites the ``## Strategy throughput`` section of the output file and keeps every other section.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conformance.check import GenerationEnv  # noqa: E402
from conformance.jws import compact  # noqa: E402
from conformance.keypool import key_pool  # noqa: E402
from strategies import OPERATORS, id_token_claims, mutated_cases, valid_cases  # noqa: E402
from benchmark_report import write_section  # noqa: E402

SECTION = "## Strategy throughput"
ENV = GenerationEnv(origin="http://127.0.0.1:8080", application_id="app_0123456789abcdef0123456789abcdef")


def baseline_tokens() -> st.SearchStrategy[str]:
    """The same claim dictionaries (`id_token_claims` at a fixed clock), each signed once with RS256."""
    key = key_pool()["rsa-2048-a"]
    header = {"alg": "RS256", "typ": "JWT", "kid": "ave-oidc-v1"}
    claims = id_token_claims(issuer=ENV.issuer, application_id=ENV.application_id, now=1_700_000_000.0)
    return claims.map(lambda payload: compact(header, payload, key=key))


def examples_per_second(strategy: st.SearchStrategy[Any], examples: int, consume: Callable[[Any], Any]) -> float:
    """Examples/second of a generate-only Hypothesis run (no shrinking, no database)."""
    count = 0

    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        nonlocal count
        consume(value)
        count += 1

    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)


def measure(examples: int, rounds: int) -> dict[str, float]:
    [key.private_key for key in key_pool()]  # load every key once, outside the timings
    strategies = {
        "baseline": (baseline_tokens(), lambda token: token),
        "valid": (valid_cases(env=ENV), lambda case: case.token),
        "mutated": (mutated_cases(env=ENV, operators=sorted(OPERATORS)), lambda case: case.token),
    }
    rates: dict[str, list[float]] = {name: [] for name in strategies}
    for _ in range(rounds):  # interleaved, so machine load affects all three alike
        for name, (strategy, consume) in strategies.items():
            rates[name].append(examples_per_second(strategy, examples, consume))
    return {name: statistics.median(values) for name, values in rates.items()}


def render(rates: dict[str, float], examples: int, rounds: int) -> str:
    baseline = rates["baseline"]
    ratio_valid, ratio_mutated = baseline / rates["valid"], baseline / rates["mutated"]

    def verdict(ratio: float) -> str:
        return "within the 2x goal" if ratio <= 2.0 else "outside the 2x goal"

    return "\n".join([
        SECTION,
        "",
        f"Generate-only Hypothesis runs of {examples} examples, median of {rounds} interleaved rounds "
        f"(`python benchmarks/strategies_throughput.py`). Python {platform.python_version()}, "
        f"Hypothesis {hypothesis.__version__}, {platform.machine()}, {len(OPERATORS)} operators registered.",
        "",
        "| strategy | examples/s | time vs baseline |",
        "|---|---:|---:|",
        f"| baseline: `id_token_claims` + one RS256 signature | {baseline:.0f} | 1.00x |",
        f"| `valid_cases` | {rates['valid']:.0f} | {ratio_valid:.2f}x ({verdict(ratio_valid)}) |",
        f"| `mutated_cases` (all operators) | {rates['mutated']:.0f} | "
        f"{ratio_mutated:.2f}x ({verdict(ratio_mutated)}) |",
        "",
        "The valid and mutated cases also draw the clock, issuer behaviour, key choice (some RSA keys up to "
        "8192 bits, whose signing is slow), key set and header, and render the discovery document and JWKS; "
        "the baseline does none of that.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    rates = measure(args.examples, args.rounds)
    section = render(rates, args.examples, args.rounds)
    write_section(args.output, section)
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
