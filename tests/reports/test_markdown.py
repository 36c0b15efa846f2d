"""summary.md: header, the CONFORMANCE line, the checks table and one section per failure."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from report_builders import Drawn, full_run, hostile_run, metadata, runs

from conformance.reports import render_markdown, summary_line
from conformance.reports._cases import with_stored_cases
from conformance.results import CheckResult, CheckStatus, RunResult

_LINE = re.compile(r"^CONFORMANCE: (\d+) passed, (\d+) failed, (\d+) errors?, (\d+) skipped, "
                   r"(\d+) expected failures?$")


def _run(**counts: int) -> RunResult:
    results = [CheckResult(f"c{status}.{i}", CheckStatus(status))
               for status, n in counts.items() for i in range(n)]
    return RunResult(metadata(), tuple(results))


def test_the_summary_line_has_the_protobuf_style() -> None:
    run = _run(passed=47, failed=2, error=0, skipped=1, xfail=1)
    assert summary_line(run) == "CONFORMANCE: 47 passed, 2 failed, 0 errors, 1 skipped, 1 expected failure"
    assert summary_line(_run(error=1, xfail=2)) == \
        "CONFORMANCE: 0 passed, 0 failed, 1 error, 0 skipped, 2 expected failures"


@given(runs())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_summary_line_counts_every_status(drawn: Drawn) -> None:
    run, checks = drawn
    match = _LINE.match(summary_line(run))
    assert match is not None
    statuses = (CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.ERROR, CheckStatus.SKIPPED, CheckStatus.XFAIL)
    assert tuple(int(n) for n in match.groups()) == tuple(run.count(s) for s in statuses)
    text = render_markdown(run, checks)
    text.encode("utf-8")
    assert text.splitlines()[-1] == summary_line(run)
    labels = ("PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL")
    table_rows = [line for line in text.splitlines() if line.startswith(tuple(f"| {s} | " for s in labels))]
    assert len(table_rows) == len(run.results)


def test_header_table_and_failure_sections(tmp_path: Path) -> None:
    run, checks = full_run()
    run = with_stored_cases(run, tmp_path)
    text = render_markdown(run, checks)
    lines = text.splitlines()
    assert lines[0] == "# ID-token conformance: pyjwt-adapter 2.8.0"
    for fact in ("| Profile | convex-oidc 1.0 |", "| Suite | idtoken-conformance 0.1.0 |", "| Seed | 1234 |",
                 "| Date | 2024-05-01T12:00:00Z |", "| Target | `example_targets.pyjwt:validate` |"):
        assert fact in lines
    line = "CONFORMANCE: 1 passed, 4 failed, 2 errors, 1 skipped, 1 expected failure"
    assert line in lines and lines[-1] == line
    assert "| FAILED | `kind.deny` | required | requirement of kind.deny | 7 |" in lines
    assert "| SKIPPED | `alg.es512` | recommended | requirement of alg.es512 | 0 |" in lines
    failures = [r for r in run.results if r.status in (CheckStatus.FAILED, CheckStatus.ERROR)]
    sections = [l for l in lines if l.startswith("### ")]
    assert len(sections) == len(failures) == 6
    for result in failures:
        if result.failure is not None:
            assert result.failure.replay_command and result.failure.replay_command in lines
            assert result.failure.case.token in lines
            assert f"**{result.failure.kind.value}**: " in text
    assert "| expected (reference) | rejected: audience (CVX-O3.3): untrusted extra audience |" in lines
    assert "| observed (target) | accepted |" in lines
    assert '| expected identity | `{"issuer": "http://127.0.0.1:8765", "subject": "user-1"}` |' in lines
    assert '| observed identity | `{"subject": "someone-else"}` |' in lines
    assert "## Expected failures (known-failures file)" in lines
    assert "- `aud.extra-audience` (BYPASS): PyJWT accepts a second audience by default" in lines


def test_huge_tokens_are_truncated_and_fences_hold() -> None:
    run, checks = full_run()
    big = run.results[1]
    assert big.failure is not None
    case = big.failure.case
    huge = replace(case, token=case.token + "`" * 5 + "A" * 100_000)
    run = replace(run, results=(replace(big, failure=replace(big.failure, case=huge)),))
    text = render_markdown(run, checks)
    assert len(text) < 20_000
    assert "characters omitted" in text
    assert "``````text" in text  # a fence longer than the token's backtick run


def test_markup_is_escaped() -> None:
    run, checks = hostile_run()
    text = render_markdown(run, checks)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt;&amp;&lt;img src=https://evil.example/x.png&gt;" in text


def test_verdict_line_names_known_failures():
    from conformance.reports._document import verdict_text
    from conformance.results import CheckResult, CheckStatus, RunResult

    from report_builders import metadata

    def run(*statuses):
        return RunResult(metadata(), tuple(CheckResult(f"c.{i}", s) for i, s in enumerate(statuses)))

    assert verdict_text(run(CheckStatus.PASSED)) == "Conformant"
    assert verdict_text(run(CheckStatus.PASSED, CheckStatus.XFAIL, CheckStatus.XFAIL)) == \
        "Conformant except for 2 listed known failures"
    assert verdict_text(run(CheckStatus.PASSED, CheckStatus.FAILED)) == "Not conformant"
