"""Reference throughput: in-process validations/second of the convex-oidc reference, next to PyJWT.

Both validators judge the same valid RS256 tokens (2048-bit pool key, distinct subjects) in the
same run. The reference does its whole pipeline per call, including reading and parsing the
discovery document and the JWKS through a `PublicationFetcher` (no HTTP); PyJWT's `jwt.decode` gets
the public key object directly and checks signature, exp, iss and aud. Every token must be
accepted by both, so the numbers compare successful validations.

Run from the repository root::

    python benchmarks/reference_throughput.py [--tokens 200] [--rounds 5] [--output BENCHMARKS.md]

It rewrites the ``## Reference throughput`` section of the output file and keeps every other section.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import jwt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conformance.fetching import PublicationFetcher  # noqa: E402
from conformance.jws import compact  # noqa: E402
from conformance.keypool import key_pool  # noqa: E402
from conformance.provider import ProviderConfig  # noqa: E402
from conformance.publication import Publication  # noqa: E402
from conformance.reference import validate  # noqa: E402
from benchmark_report import write_section  # noqa: E402

SECTION = "## Reference throughput"
ORIGIN = "http://127.0.0.1:8765"
APP = "app_0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000
EXP = 4_102_444_800  # 2100-01-01: PyJWT reads the wall clock, the reference is given NOW


def tokens(count: int) -> list[str]:
    key = key_pool()["rsa-2048-a"]
    header = {"alg": "RS256", "typ": "JWT", "kid": "rsa-2048-a"}
    return [compact(header, {"iss": ORIGIN, "sub": f"user_{i}", "aud": APP, "iat": NOW, "exp": EXP,
                             "name": "Ada", "email": "ada@example.com", "org_id": f"org_{i % 7}"}, key=key)
            for i in range(count)]


def reference_judge() -> Callable[[str], bool]:
    jwk = dict(key_pool()["rsa-2048-a"].public_jwk, kid="rsa-2048-a", use="sig", alg="RS256")
    fetch = PublicationFetcher(ORIGIN, Publication.standard(origin=ORIGIN, issuer_path="", jwks={"keys": [jwk]}))
    provider = ProviderConfig(ORIGIN, APP)
    return lambda token: validate(token, provider=provider, now=NOW, fetch=fetch).accepted


def pyjwt_judge() -> Callable[[str], bool]:
    public_key = key_pool()["rsa-2048-a"].public_key

    def judge(token: str) -> bool:
        jwt.decode(token, public_key, algorithms=["RS256"], audience=APP, issuer=ORIGIN,
                   options={"require": ["exp", "iat", "iss", "sub"]})
        return True

    return judge


def validations_per_second(judge: Callable[[str], bool], batch: list[str]) -> float:
    started = time.perf_counter()
    for token in batch:
        if not judge(token):
            raise AssertionError("a benchmark token was rejected")
    return len(batch) / (time.perf_counter() - started)


def measure(count: int, rounds: int) -> dict[str, float]:
    batch = tokens(count)
    judges = {"reference": reference_judge(), "pyjwt": pyjwt_judge()}
    for judge in judges.values():  # warm caches and check every token is accepted
        validations_per_second(judge, batch[:10])
    rates: dict[str, list[float]] = {name: [] for name in judges}
    for _ in range(rounds):  # interleaved, so machine load affects both alike
        for name, judge in judges.items():
            rates[name].append(validations_per_second(judge, batch))
    return {name: statistics.median(values) for name, values in rates.items()}


def render(rates: dict[str, float], count: int, rounds: int) -> str:
    ratio = rates["pyjwt"] / rates["reference"]
    return "\n".join([
        SECTION,
        "",
        f"In-process validations of {count} valid RS256 tokens (2048-bit key), median of {rounds} interleaved "
        f"rounds (`python benchmarks/reference_throughput.py`). Python {platform.python_version()}, "
        f"PyJWT {jwt.__version__}, {platform.machine()}.",
        "",
        "| validator | validations/s | time vs PyJWT |",
        "|---|---:|---:|",
        f"| PyJWT `jwt.decode` (key object given, signature + exp/iss/aud) | {rates['pyjwt']:.0f} | 1.00x |",
        f"| convex-oidc reference (`validate`, full pipeline) | {rates['reference']:.0f} | {ratio:.2f}x |",
        "",
        "The reference also parses the discovery document and the JWKS on every call (as a cold HTTP cache "
        "would make the backend do), reads JSON with serde_json's rules and builds the Convex identity; "
        "PyJWT does none of that.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    rates = measure(args.tokens, args.rounds)
    section = render(rates, args.tokens, args.rounds)
    write_section(args.output, section)
    print(section)
    print(f"reference: {rates['reference']:.0f}/s, PyJWT: {rates['pyjwt']:.0f}/s, "
          f"ratio {rates['pyjwt'] / rates['reference']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
