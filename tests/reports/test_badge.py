"""The badge: N counts passes only (never skips), M counts every check; colour by outcome; valid SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from report_builders import metadata

from conformance.reports import badge_for, render_badge
from conformance.reports.badge import GREEN, GREY, RED, YELLOW
from conformance.results import CheckResult, CheckStatus, RunResult

SVG = "{http://www.w3.org/2000/svg}"


def _run(statuses: list[CheckStatus], profile: str = "convex-oidc") -> RunResult:
    return RunResult(metadata(profile=profile),
                     tuple(CheckResult(f"c.{i}", status) for i, status in enumerate(statuses)))


def test_skips_count_in_the_total_but_never_as_passes() -> None:
    run = _run([CheckStatus.PASSED] * 47 + [CheckStatus.SKIPPED] * 3)
    badge = badge_for(run)
    assert (badge.message, badge.passed, badge.total, badge.color) == ("47/50 passing", 47, 50, YELLOW)


def test_all_passed_is_conformant_and_failures_are_red() -> None:
    assert badge_for(_run([CheckStatus.PASSED] * 3)).message == "conformant"
    assert badge_for(_run([CheckStatus.PASSED] * 3)).color == GREEN
    assert badge_for(_run([CheckStatus.PASSED, CheckStatus.ERROR])).color == RED
    assert badge_for(_run([CheckStatus.PASSED, CheckStatus.XFAIL])).message == "1/2 passing"
    assert badge_for(_run([])).color == GREY


@given(st.lists(st.sampled_from(CheckStatus), max_size=60),
       st.text(st.characters(categories=["L", "N", "P", "S", "Cc", "Cs"]), min_size=1, max_size=20))
def test_the_svg_is_valid_and_says_n_of_m(statuses: list[CheckStatus], profile: str) -> None:
    run = _run(statuses, profile)
    text = render_badge(run)
    text.encode("utf-8")
    svg = ET.fromstring(text)
    assert svg.tag == f"{SVG}svg"
    words = [t.text for t in svg.iter(f"{SVG}text")]
    passed = statuses.count(CheckStatus.PASSED)
    expected = "conformant" if statuses and passed == len(statuses) else f"{passed}/{len(statuses)} passing"
    assert words[2] == words[3] == expected
    assert float(svg.get("width", "0")) > 0
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    bad = CheckStatus.FAILED in statuses or CheckStatus.ERROR in statuses
    assert (RED in fills) == bad
    assert (GREEN in fills) == (expected == "conformant")
