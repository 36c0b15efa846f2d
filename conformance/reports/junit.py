"""``junit.xml``: one testsuite per profile, one testcase per check, for CI test-report views.

FAILED becomes ``<failure>`` (type = mismatch kind), ERROR ``<error>``, SKIPPED ``<skipped>``;
an expected failure (XFAIL) is a passing testcase with a ``<system-out>`` note.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence

from ..check import Check
from ..results import CheckStatus, Failure, RunResult
from ._document import Entry, describe_observation, describe_verdict, implementation_label, join
from ._text import printable, truncate

__all__ = ["render_junit"]

_TOKEN_LIMIT = 2000
_DETAIL_LIMIT = 4000


def render_junit(run: RunResult, checks: Sequence[Check]) -> str:
    """The JUnit XML text of `run`."""
    entries = join(run, checks)
    totals = {
        "tests": str(len(run.results)),
        "failures": str(run.count(CheckStatus.FAILED)),
        "errors": str(run.count(CheckStatus.ERROR)),
        "skipped": str(run.count(CheckStatus.SKIPPED)),
        "time": f"{sum(r.duration for r in run.results):.3f}",
    }
    root = ET.Element("testsuites", {"name": "idtoken-conformance", **totals})
    suite = ET.SubElement(root, "testsuite", {"name": _clean(run.metadata.profile), **totals,
                                              "timestamp": _clean(run.metadata.started_at)})
    properties = ET.SubElement(suite, "properties")
    meta = run.metadata
    for name, value in (("implementation", implementation_label(meta)), ("target", meta.target),
                        ("profile_version", meta.profile_version), ("suite_version", meta.suite_version),
                        ("seed", "" if meta.seed is None else str(meta.seed)),
                        ("examples_per_check", str(meta.examples_per_check))):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    for entry in entries:
        _testcase(suite, entry)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, entry: Entry) -> None:
    result = entry.result
    case = ET.SubElement(suite, "testcase", {"classname": _clean(entry.area), "name": _clean(entry.check.id),
                                             "time": f"{result.duration:.3f}"})
    failure = result.failure
    if result.status is CheckStatus.FAILED:
        kind = failure.kind.value if failure is not None else "FAILED"
        message = failure.explanation if failure is not None and not result.message else result.message
        element = ET.SubElement(case, "failure", {"type": kind, "message": _clean(f"{kind}: {message}")})
        element.text = _clean(_details(entry, failure))
    elif result.status is CheckStatus.ERROR:
        kind = failure.kind.value if failure is not None else "ERROR"
        element = ET.SubElement(case, "error", {"type": kind, "message": _clean(result.message or kind)})
        element.text = _clean(_details(entry, failure))
    elif result.status is CheckStatus.SKIPPED:
        ET.SubElement(case, "skipped", {"message": _clean(result.message)})
    elif result.status is CheckStatus.XFAIL:
        note = f"expected failure (listed in known failures): {result.message}"
        if failure is not None:
            note += f"\n{failure.kind.value}: {failure.explanation}"
        ET.SubElement(case, "system-out").text = _clean(note)


def _details(entry: Entry, failure: Failure | None) -> str:
    lines = [f"requirement: {entry.check.title}"]
    if entry.result.message:
        lines.append(entry.result.message)
    if failure is not None:
        lines += [
            f"{failure.kind.value}: {failure.explanation}",
            f"expected: {describe_verdict(failure.expected)}",
            f"observed: {describe_observation(failure.observed)}",
            f"token: {truncate(failure.case.token, _TOKEN_LIMIT)}",
        ]
        if failure.observed.detail:
            lines.append("target detail:\n" + truncate(failure.observed.detail, _DETAIL_LIMIT))
        if failure.observed.stderr:
            lines.append("target stderr:\n" + truncate(failure.observed.stderr, _DETAIL_LIMIT))
        if failure.case_file:
            lines.append(f"case file: {failure.case_file}")
        if failure.replay_command:
            lines.append(f"replay: {failure.replay_command}")
    return "\n".join(lines)


def _clean(text: str) -> str:
    return printable(str(text))
