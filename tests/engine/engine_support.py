"""Helpers for the engine tests: run some checks of convex-oidc against a miniature target."""

from __future__ import annotations

import tempfile
from pathlib import Path


from conformance.results import CheckResult
from conformance.session import CertificationSession, SessionOptions

HERE = Path(__file__).resolve().parent
MINIATURES = HERE / "miniatures.py"


def miniature(name: str) -> str:
    return f"{MINIATURES}:{name}"


def run_checks(target: str, only: tuple[str, ...] = (), *, examples: int = 15, strict_reasons: bool = False,
               report_dir: Path | None = None, timeout: float = 5.0, seed: int | None = 0) -> dict[str, CheckResult]:
    options = SessionOptions(target=target, only=only, examples=examples, strict_reasons=strict_reasons,
                             report_dir=report_dir, timeout=timeout, seed=seed,
                             cwd=HERE if report_dir is not None else Path(tempfile.mkdtemp(prefix="idtoken-engine-")))
    with CertificationSession(options) as session:
        run = session.run_all()
    return {r.check_id: r for r in run.results}


