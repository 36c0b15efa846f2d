"""``summary.md``: a Markdown summary that fits a GitHub CI job summary.

Header with the implementation, profile, suite version, seed and date; the ``CONFORMANCE:`` line;
a table of checks; one section per failure with everything needed to understand and replay it.
The ``CONFORMANCE:`` line is also the file's last line, so ``tail -n 1`` gives the verdict.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..check import Check
from ..results import CheckStatus, MismatchKind, RunResult
from ._document import (STATUS_LABELS, Entry, describe_observation, describe_verdict, implementation_label, join,
                        summary_line, verdict_text)
from ._markdown_text import md_code, md_fence, md_text
from ._json import jsonable
from ._text import truncate

__all__ = ["render_markdown"]

_TOKEN_LIMIT = 1500
_DETAIL_LIMIT = 2000


def render_markdown(run: RunResult, checks: Sequence[Check]) -> str:
    """The Markdown text of `run`."""
    entries = join(run, checks)
    meta = run.metadata
    line = summary_line(run)
    lines = [
        f"# ID-token conformance: {md_text(implementation_label(meta))}",
        "",
        "| | |",
        "|---|---|",
        f"| Implementation | {md_text(implementation_label(meta))} |",
        f"| Target | {md_code(meta.target)} |",
        f"| Profile | {md_text(meta.profile)} {md_text(meta.profile_version)} |",
        f"| Suite | idtoken-conformance {md_text(meta.suite_version)} |",
        f"| Seed | {md_text('none' if meta.seed is None else str(meta.seed))} |",
        f"| Date | {md_text(meta.started_at)} |",
        "",
        f"**{verdict_text(run)}**",
        "",
        line,
        "",
        "## Checks",
        "",
        "| Status | Check | Level | Requirement | Examples |",
        "|---|---|---|---|---:|",
    ]
    lines += [f"| {STATUS_LABELS[e.result.status]} | {md_code(e.check.id)} | {e.check.level.value} | "
              f"{md_text(e.check.title)} | {e.result.examples} |" for e in entries]
    problems = [e for e in entries if e.result.status in (CheckStatus.FAILED, CheckStatus.ERROR)]
    if problems:
        lines += ["", "## Failures"]
        for entry in problems:
            lines += ["", *_failure_section(entry)]
    expected = [e for e in entries if e.result.status is CheckStatus.XFAIL]
    if expected:
        lines += ["", "## Expected failures (known-failures file)", ""]
        lines += [f"- {md_code(e.check.id)}"
                  f"{' (' + e.result.failure.kind.value + ')' if e.result.failure else ''}: "
                  f"{md_text(e.result.message)}" for e in expected]
    lines += ["", line]
    return "\n".join(lines) + "\n"


def _failure_section(entry: Entry) -> list[str]:
    result, failure = entry.result, entry.result.failure
    kind = f" ({failure.kind.value})" if failure is not None else ""
    lines = [f"### {STATUS_LABELS[result.status]}{kind}: {md_code(entry.check.id)}", "",
             f"{md_text(entry.check.title)} ({entry.check.level.value}"
             f"{'; ' + md_text(', '.join(entry.check.refs)) if entry.check.refs else ''})"]
    if result.message and (failure is None or result.message != failure.explanation):
        lines += ["", md_text(result.message)]
    if failure is None:
        return lines
    lines += [
        "",
        f"**{failure.kind.value}**: {md_text(failure.explanation)}",
        "",
        "| | verdict |",
        "|---|---|",
        f"| expected (reference) | {md_text(describe_verdict(failure.expected))} |",
        f"| observed (target) | {md_text(describe_observation(failure.observed))} |",
    ]
    if failure.kind is MismatchKind.MAPPING:
        observed = failure.observed.identity if failure.observed.identity is not None else failure.observed.claims
        lines += [f"| expected identity | {md_code(_compact(failure.expected.identity))} |",
                  f"| observed identity | {md_code(_compact(observed))} |"]
    lines += [
        "",
        f"Token ({len(failure.case.token)} characters):",
        "",
        md_fence(truncate(failure.case.token, _TOKEN_LIMIT)),
    ]
    if failure.observed.detail or failure.observed.stderr:
        lines += ["", "Target output:", "", md_fence(truncate(
            "\n".join(t for t in (failure.observed.detail, failure.observed.stderr) if t), _DETAIL_LIMIT))]
    if failure.replay_command:
        lines += ["", "Replay:", "", md_fence(failure.replay_command, "sh")]
    return lines


def _compact(value: Any) -> str:
    return truncate(json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True), _DETAIL_LIMIT)
