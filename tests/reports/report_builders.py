"""Values for the report tests: checks, cases, failures of every kind, and whole runs."""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence, Tuple

from hypothesis import strategies as st

from conformance.case import Case
from conformance.check import Check, Expectation, Level
from conformance.jws import compact
from conformance.keypool import key_pool
from conformance.observation import ErrorKind, Observation
from conformance.provider import ProviderConfig
from conformance.publication import Publication
from conformance.reasons import Reason
from conformance.results import CheckResult, CheckStatus, Failure, MismatchKind, RunMetadata, RunResult
from conformance.verdict import Verdict

ORIGIN = "http://127.0.0.1:8765"
APP_ID = "app_0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000.5
PROFILE = "convex-oidc"


def check(check_id: str, *, title: str = "", level: Level = Level.REQUIRED, refs: Sequence[str] = ("OIDCC-3.1.3.7-3",),
          rules: Sequence[str] = ("CVX-O3.3",), area: str = "") -> Check:
    return Check(id=check_id, title=title or f"requirement of {check_id}", level=level, refs=tuple(refs),
                 rules=tuple(rules), strategy=lambda env: st.nothing(),
                 expectations={PROFILE: Expectation.REJECT}, area=area, attack="B", description="a check")


def case(payload: Mapping[str, Any] | None = None, *, header: Mapping[str, Any] | None = None) -> Case:
    key = key_pool()["ed25519-a"]
    claims = dict(payload if payload is not None else
                  {"iss": ORIGIN, "sub": "user-1", "aud": APP_ID, "iat": int(NOW) - 10, "exp": int(NOW) + 600})
    token = compact(dict(header or {"alg": "EdDSA", "kid": "k1", "typ": "JWT"}), claims, key=key)
    jwks = {"keys": [{**key.public_jwk, "kid": "k1", "use": "sig", "alg": "EdDSA"}]}
    return Case(token=token, provider=ProviderConfig(ORIGIN, APP_ID), now=NOW, origin=ORIGIN,
                publication=Publication.standard(origin=ORIGIN, issuer_path="", jwks=jwks),
                recipe={"signing_key": key.id, "mutations": [{"operator": "extra_audience", "path": "aud"}]})


_ACCEPTED = Verdict.accept({"sub": "user-1"}, {"subject": "user-1", "issuer": ORIGIN}, rule="CVX-R4")
_REJECTED = Verdict.reject(Reason.AUDIENCE, "CVX-O3.3", "untrusted extra audience")


def failure(kind: MismatchKind, *, explanation: str = "", the_case: Case | None = None) -> Failure:
    """A failure of `kind` with a consistent expected verdict and observation."""
    expected, observed = {
        MismatchKind.BYPASS: (_REJECTED, Observation.accept(claims={"sub": "user-1"})),
        MismatchKind.DENY: (_ACCEPTED, Observation.reject(reason="expired", message="token expired")),
        MismatchKind.MAPPING: (_ACCEPTED, Observation.accept(identity={"subject": "someone-else"})),
        MismatchKind.REASON: (_REJECTED, Observation.reject(reason="signature", message="bad signature")),
        MismatchKind.ERROR: (_REJECTED, Observation.errored(ErrorKind.CRASH, "target died", detail="Traceback ...",
                                                            stderr="segfault")),
    }[kind]
    return Failure(kind=kind, case=the_case or case(), expected=expected, observed=observed,
                   explanation=explanation or f"the target's answer is a {kind.value} mismatch")


def metadata(**changes: Any) -> RunMetadata:
    values: dict[str, Any] = dict(
        suite_version="0.1.0", profile=PROFILE, profile_version="1.0", target="example_targets.pyjwt:validate",
        implementation={"name": "pyjwt-adapter", "version": "2.8.0", "language": "python"}, python="3.11.7",
        platform="Linux", seed=1234, examples_per_check=25, started_at="2024-05-01T12:00:00Z",
        finished_at="2024-05-01T12:01:00Z")
    values.update(changes)
    return RunMetadata(**values)


Drawn = Tuple[RunResult, Tuple[Check, ...]]  # a run and the checks it was made from


def full_run() -> Drawn:
    """A run with every status and every mismatch kind."""
    results = [CheckResult("iss.exact", CheckStatus.PASSED, 25, 0.5)]
    for kind in (MismatchKind.BYPASS, MismatchKind.DENY, MismatchKind.MAPPING, MismatchKind.REASON):
        check_id = f"kind.{kind.value.lower()}"
        results.append(CheckResult(check_id, CheckStatus.FAILED, 7, 0.25, failure(kind), f"{kind.value} found"))
    results += [
        CheckResult("target.crash", CheckStatus.ERROR, 3, 0.1, failure(MismatchKind.ERROR), "target died"),
        CheckResult("gen.broken", CheckStatus.ERROR, 0, 0.0, None, "generation failed: Unsatisfiable"),
        CheckResult("alg.es512", CheckStatus.SKIPPED, 0, 0.0, None, "target does not support ES512"),
        CheckResult("aud.extra-audience", CheckStatus.XFAIL, 4, 0.2, failure(MismatchKind.BYPASS),
                    "PyJWT accepts a second audience by default"),
    ]
    checks = tuple(check(r.check_id, level=Level.RECOMMENDED if r.check_id == "alg.es512" else Level.REQUIRED,
                         refs=("RFC7519-4.1.3",) if r.check_id.startswith("kind.") else ("OIDCC-3.1.3.7-3",),
                         area="aud" if r.check_id.startswith("aud") else "")
                   for r in results)
    return RunResult(metadata(), tuple(results)), checks


HOSTILE = '<script>alert("x")</script>&<img src=https://evil.example/x.png>'


def hostile_run() -> Drawn:
    """A failing run whose token, claims, explanation and messages carry markup."""
    hostile_case = case({"iss": ORIGIN, "sub": HOSTILE, "aud": APP_ID, "name": HOSTILE, "exp": int(NOW) + 60},
                        header={"alg": "EdDSA", "kid": HOSTILE})
    bad = failure(MismatchKind.BYPASS, explanation=HOSTILE, the_case=hostile_case)
    result = CheckResult("claims.hostile", CheckStatus.FAILED, 1, 0.1, bad, HOSTILE)
    run = RunResult(metadata(implementation={"name": HOSTILE, "version": HOSTILE}), (result,))
    return run, (check("claims.hostile", title=HOSTILE),)


# Text an attacker controls: any character, including control characters, lone surrogates and markup.
wild_text = st.text(st.one_of(st.characters(), st.characters(categories=["Cs", "Cc"]),
                              st.sampled_from("<>&\"'`|*_#[]\\\n\r")), max_size=40)


@st.composite
def wild_cases(draw: st.DrawFn) -> Case:
    """A case whose header and payload carry wild text (payload bytes escaped as JSON allows)."""
    text = draw(wild_text)
    payload = json.dumps({"iss": ORIGIN, "sub": text, "aud": [APP_ID, text], "exp": int(NOW)},
                         ensure_ascii=True).encode()
    header = json.dumps({"alg": "EdDSA", "kid": text}, ensure_ascii=True).encode()
    token = compact(header, payload, key=key_pool()["ed25519-a"], alg="EdDSA")
    return Case(token=draw(st.sampled_from([token, token + text, text])), provider=ProviderConfig(ORIGIN, APP_ID),
                now=NOW, origin=ORIGIN, publication=case().publication, recipe={"note": text})


@st.composite
def wild_failures(draw: st.DrawFn, kind: MismatchKind) -> Failure:
    text = draw(wild_text)
    observed = draw(st.sampled_from([
        Observation.accept(claims={"sub": text, "score": float("nan"), "big": 2**70}),
        Observation.reject(reason=text, message=text),
        Observation.errored(ErrorKind.TIMEOUT, text, detail=text, stderr=text),
    ]))
    return Failure(kind=kind, case=draw(wild_cases()), expected=_REJECTED, observed=observed, explanation=text)


@st.composite
def runs(draw: st.DrawFn) -> Drawn:
    """Runs of up to 8 checks with any statuses, mismatch kinds and wild text."""
    results = []
    for number in range(draw(st.integers(0, 8))):
        status = draw(st.sampled_from(CheckStatus))
        found = None
        if status in (CheckStatus.FAILED, CheckStatus.ERROR, CheckStatus.XFAIL) and draw(st.booleans()):
            kind = MismatchKind.ERROR if status is CheckStatus.ERROR else draw(st.sampled_from(MismatchKind))
            found = draw(wild_failures(kind))
        results.append(CheckResult(f"area{number % 3}.check-{number}", status, draw(st.integers(0, 10_000)),
                                   draw(st.floats(0, 1e4)), found, draw(wild_text)))
    refs = st.lists(st.sampled_from(["OIDCC-3.1.3.7-3", "RFC7519-4.1.4", "CVX-R2", "RFC8725-3.1"]), max_size=3,
                    unique=True)
    checks = tuple(check(r.check_id, title=draw(wild_text), level=draw(st.sampled_from(Level)), refs=draw(refs))
                   for r in results)
    run = RunResult(metadata(profile=draw(st.sampled_from([PROFILE, "oidc-core"])),
                             implementation={"name": draw(wild_text), "version": draw(wild_text)}), tuple(results))
    return run, checks
