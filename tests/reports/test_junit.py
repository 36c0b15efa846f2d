"""junit.xml: parses with xml.etree, counts match, each status has its element."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from report_builders import HOSTILE, Drawn, full_run, hostile_run, runs

from conformance.reports import render_junit
from conformance.reports._cases import with_stored_cases
from conformance.results import CheckStatus


def _counts(element: ET.Element) -> dict[str, int]:
    return {name: int(element.get(name, "-1")) for name in ("tests", "failures", "errors", "skipped")}


def test_every_status_has_its_element(tmp_path: Path) -> None:
    run, checks = full_run()
    run = with_stored_cases(run, tmp_path)
    root = ET.fromstring(render_junit(run, checks))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "convex-oidc"
    assert _counts(root) == _counts(suite) == {"tests": 9, "failures": 4, "errors": 2, "skipped": 1}
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [r.check_id for r in run.results]
    assert list(cases["iss.exact"]) == []
    assert cases["aud.extra-audience"].get("classname") == "aud"
    assert cases["kind.bypass"].get("classname") == "kind"
    for kind in ("BYPASS", "DENY", "MAPPING", "REASON"):
        (failure,) = cases[f"kind.{kind.lower()}"].findall("failure")
        assert failure.get("type") == kind
        assert failure.get("message", "").startswith(f"{kind}: ")
        assert "replay: idtoken-conformance replay " in (failure.text or "")
        assert "expected: " in (failure.text or "") and "observed: " in (failure.text or "")
    (error,) = cases["target.crash"].findall("error")
    assert error.get("type") == "ERROR" and "segfault" in (error.text or "")
    (error,) = cases["gen.broken"].findall("error")
    assert error.get("message") == "generation failed: Unsatisfiable"
    (skipped,) = cases["alg.es512"].findall("skipped")
    assert skipped.get("message") == "target does not support ES512"
    xfail = cases["aud.extra-audience"]
    assert xfail.find("failure") is None and xfail.find("error") is None and xfail.find("skipped") is None
    assert "PyJWT accepts a second audience by default" in (xfail.findtext("system-out") or "")


def test_run_metadata_is_in_the_properties() -> None:
    run, checks = full_run()
    suite = ET.fromstring(render_junit(run, checks)).find("testsuite")
    assert suite is not None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["implementation"] == "pyjwt-adapter 2.8.0"
    assert properties["seed"] == "1234" and properties["suite_version"] == "0.1.0"


def test_markup_in_attacker_text_stays_text() -> None:
    run, checks = hostile_run()
    root = ET.fromstring(render_junit(run, checks))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == f"BYPASS: {HOSTILE}"
    assert root.find(".//script") is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_any_run_parses_with_the_right_counts(drawn: Drawn) -> None:
    run, checks = drawn
    text = render_junit(run, checks)
    text.encode("utf-8")
    root = ET.fromstring(text)
    expected = {"tests": len(run.results), "failures": run.count(CheckStatus.FAILED),
                "errors": run.count(CheckStatus.ERROR), "skipped": run.count(CheckStatus.SKIPPED)}
    (suite,) = root.findall("testsuite")
    assert _counts(root) == _counts(suite) == expected
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(run.results)
    assert sum(len(c.findall("failure")) for c in cases) == expected["failures"]
    assert sum(len(c.findall("error")) for c in cases) == expected["errors"]
    assert sum(len(c.findall("skipped")) for c in cases) == expected["skipped"]
