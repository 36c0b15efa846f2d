"""pytest plugin (registered through ``pytest11``); inert unless ``--oidc-target`` is given.

``pytest --oidc-target=SPEC [--oidc-profile=convex-oidc]`` adds one test item per check of the
conformance profile; a failing item shows the shrunk counterexample and the command that replays
it. The fixtures for users' own tests (``oidc_issuer``, ``oidc_key_pool``, ``oidc_reference``,
token factories) are always available and start nothing until used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .settings_profiles import EXAMPLES, register_settings_profiles

try:  # the fixtures start nothing until a test asks for them
    from .fixtures import *  # noqa: F401,F403
except ImportError:  # pragma: no cover - only while the package is being assembled
    pass

__all__ = ["pytest_addoption", "pytest_configure", "pytest_collection_modifyitems", "CheckItem"]

_SESSION_KEY = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("idtoken-conformance", "OIDC ID-token conformance (idtoken-conformance)")
    group.addoption("--oidc-target", metavar="SPEC", default=None,
                    help="validator to certify: module:callable, path/file.py:callable, exec:COMMAND or http(s)://URL")
    group.addoption("--oidc-profile", metavar="NAME", default="convex-oidc", help="conformance profile (default convex-oidc)")
    group.addoption("--oidc-settings", metavar="NAME", default="ci", choices=sorted(EXAMPLES),
                    help="examples per check: quick, ci or certify (default ci)")
    group.addoption("--oidc-examples", metavar="N", type=int, default=None, help="examples per check (overrides --oidc-settings)")
    group.addoption("--oidc-seed", metavar="S", type=int, default=0, help="Hypothesis seed (default 0)")
    group.addoption("--oidc-strict-reasons", action="store_true", default=False, help="also compare rejection reason codes")
    group.addoption("--oidc-known-failures", metavar="FILE", default=None, help="known-failures file")
    group.addoption("--oidc-report", metavar="DIR", default=None, help="write certification reports to DIR")
    group.addoption("--oidc-timeout", metavar="SECONDS", type=float, default=5.0, help="per-request target timeout")


def pytest_configure(config: pytest.Config) -> None:
    register_settings_profiles()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    spec = config.getoption("--oidc-target")
    if not spec:
        return
    from .catalog import checks_for
    from .errors import UsageError

    profile = config.getoption("--oidc-profile")
    try:
        checks = checks_for(profile)
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    collector = ConformanceCollector.from_parent(session, name=f"idtoken-conformance[{profile}]")
    items.extend(CheckItem.from_parent(collector, name=check.id, check=check) for check in checks)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    runtime = session.config.stash.get(_SESSION_KEY, None)
    if runtime is not None:
        runtime.finish()
        session.config.stash[_SESSION_KEY] = None


class ConformanceCollector(pytest.Collector):
    """Groups the check items of one profile (collected programmatically, not from a file)."""

    def collect(self) -> list[pytest.Item]:  # pragma: no cover - items are added directly
        return []


class CheckItem(pytest.Item):
    """One check of the conformance profile, run by the differential engine."""

    def __init__(self, *, check: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.result: Any = None

    def runtest(self) -> None:
        from .results import CheckStatus

        runtime = _runtime(self.config)
        self.result = runtime.run_check(self.check)
        status = self.result.status
        if status is CheckStatus.SKIPPED:
            pytest.skip(self.result.message or "skipped")
        if status is CheckStatus.XFAIL:
            pytest.xfail(self.result.message or "known failure")
        if status in (CheckStatus.FAILED, CheckStatus.ERROR):
            raise CheckFailed(self.result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CheckFailed):
            from .explain import explain_result

            return explain_result(self.check, excinfo.value.result)
        if isinstance(excinfo.value, _RuntimeProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[str, int | None, str]:
        return ("idtoken-conformance", None, f"{self.check.id}: {self.check.title}")


class CheckFailed(Exception):
    def __init__(self, result: Any) -> None:
        super().__init__(result.message)
        self.result = result


class _RuntimeProblem(Exception):
    """The target or configuration could not be used; shown as one message."""


def _runtime(config: pytest.Config) -> Any:
    runtime = config.stash.get(_SESSION_KEY, None)
    if runtime is None:
        from .errors import UsageError
        from .session import CertificationSession, SessionOptions

        examples = config.getoption("--oidc-examples") or EXAMPLES[config.getoption("--oidc-settings")]
        report = config.getoption("--oidc-report")
        known = config.getoption("--oidc-known-failures")
        options = SessionOptions(
            target=config.getoption("--oidc-target"), profile=config.getoption("--oidc-profile"), examples=examples,
            seed=config.getoption("--oidc-seed"), strict_reasons=config.getoption("--oidc-strict-reasons"),
            known_failures=Path(known) if known else None, report_dir=Path(report) if report else None,
            timeout=config.getoption("--oidc-timeout"), cwd=Path(str(config.invocation_params.dir)))
        try:
            runtime = CertificationSession(options)
            runtime.start()
        except UsageError as exc:
            raise _RuntimeProblem(str(exc)) from None
        config.stash[_SESSION_KEY] = runtime
    return runtime
