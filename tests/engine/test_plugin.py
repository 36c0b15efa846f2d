"""The pytest plugin: inert by default; with --oidc-target one item per check, failures with a replay command."""

from __future__ import annotations

from conformance.catalog import checks_for

from engine_support import miniature

pytest_plugins = ["pytester"]


def test_plugin_is_inert_without_a_target(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=1)


def test_one_item_per_check_and_a_passing_target(pytester):
    aud_checks = [c.id for c in checks_for("convex-oidc") if c.id.startswith("aud.")]
    result = pytester.runpytest_subprocess(f"--oidc-target={miniature('correct')}", "--oidc-examples=3",
                                           "-k", "aud", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(aud_checks))


def test_failing_check_shows_counterexample_and_replay_command(pytester, tmp_path):
    report = tmp_path / "report"
    result = pytester.runpytest_subprocess(f"--oidc-target={miniature('allows_extra_audience')}",
                                           "--oidc-examples=15", "-k", "extra-audience", f"--oidc-report={report}",
                                           "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*aud.extra-audience*FAILED*", "*BYPASS*", "*replay:*idtoken-conformance replay*"])
    assert (report / "report.json").is_file()
    assert (report / "cases" / "aud.extra-audience.json").is_file()


def test_known_failures_and_bad_target_through_pytest(pytester):
    listing = pytester.path / "known.txt"
    listing.write_text("aud.extra-audience  BYPASS  trusted second audience\n")
    result = pytester.runpytest_subprocess(f"--oidc-target={miniature('allows_extra_audience')}",
                                           "--oidc-examples=15", "-k", "extra-audience",
                                           f"--oidc-known-failures={listing}", "-p", "no:cacheprovider")
    result.assert_outcomes(xfailed=1)
    bad = pytester.runpytest_subprocess("--oidc-target=no_such_module_xyz:fn", "-k", "aud.type",
                                        "-p", "no:cacheprovider")
    bad.stdout.fnmatch_lines(["*no module named 'no_such_module_xyz'*"])
    assert "Traceback" not in bad.stdout.str()
