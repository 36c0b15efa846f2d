"""The certify command: summary, exit codes, reports, known failures, --jobs."""

from __future__ import annotations

import json
import subprocess
import sys

from conformance.cli import main

from engine_support import HERE, miniature


def test_conformant_target_exits_zero_with_summary_line(tmp_path, capsys):
    code = main(["certify", "--target", miniature("correct"), "--examples", "5", "--only", "aud", "--only", "exp",
                 "--report", str(tmp_path / "report")])
    out = capsys.readouterr().out
    assert code == 0
    last = out.strip().splitlines()[-1]
    assert last.startswith("CONFORMANCE: ") and " 0 failed, 0 errors" in last
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["summary"]["conformant"] is True
    assert {c["check_id"] for c in report["checks"]} >= {"aud.client-id", "exp.expired"}
    for name in ("junit.xml", "summary.md", "report.html", "badge-convex-oidc.svg"):
        assert (tmp_path / "report" / name).is_file(), name


def test_nonconformant_target_exits_one_and_explains(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["certify", "--target", miniature("allows_extra_audience"), "--examples", "15",
                 "--only", "aud.extra-audience"])
    out = capsys.readouterr().out
    assert code == 1
    # without --report the failure is still stored, under .idtoken-conformance/cases, and replayable
    stored = tmp_path / ".idtoken-conformance" / "cases" / "aud.extra-audience.json"
    assert "BYPASS" in out and f"idtoken-conformance replay {stored}" in out
    assert stored.is_file()
    assert out.strip().splitlines()[-1] == \
        "CONFORMANCE: 0 passed, 1 failed, 0 errors, 0 skipped, 0 expected failures"


def test_known_failures_turn_listed_failures_into_expected_ones(tmp_path, capsys):
    listing = tmp_path / "known.txt"
    listing.write_text("# our validator allows a second audience on purpose\n"
                       "aud.extra-audience  BYPASS  second audiences are trusted here\n")
    code = main(["certify", "--target", miniature("allows_extra_audience"), "--examples", "15",
                 "--only", "aud.extra-audience", "--only", "aud.client-id", "--known-failures", str(listing)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip().splitlines()[-1].endswith("1 passed, 0 failed, 0 errors, 0 skipped, 1 expected failure")


def test_a_listed_check_that_passes_is_a_failure_and_fix_rewrites_the_list(tmp_path, capsys):
    listing = tmp_path / "known.txt"
    original = "# keep this comment\naud.extra-audience  BYPASS  was broken once\n"
    listing.write_text(original)
    code = main(["certify", "--target", miniature("correct"), "--examples", "5", "--only", "aud.extra-audience",
                 "--known-failures", str(listing)])
    assert code == 1
    assert "aud.extra-audience" in capsys.readouterr().out
    assert listing.read_text() == original  # nothing rewritten without --fix-known-failures
    code = main(["certify", "--target", miniature("correct"), "--examples", "5", "--only", "aud.extra-audience",
                 "--known-failures", str(listing), "--fix-known-failures"])
    assert code == 0
    assert listing.read_text() == "# keep this comment\n"


def test_usage_errors_are_one_message_without_traceback(tmp_path, capsys):
    cases = [
        ["certify", "--target", "no_such_module_xyz:validate"],
        ["certify", "--target", miniature("correct"), "--profile", "nope"],
        ["certify", "--target", miniature("correct"), "--known-failures", str(tmp_path / "missing.txt")],
        ["certify", "--target", miniature("correct"), "--only", "no.such.check"],
        ["certify", "--target", miniature("correct"), "--examples", "0"],
        ["certify", "--target", miniature("does_not_exist")],
    ]
    for argv in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "Traceback" not in err, (argv, err)


def test_stale_known_failures_file_is_a_usage_error(tmp_path, capsys):
    listing = tmp_path / "known.txt"
    listing.write_text("no.such-check  *  gone\n")
    assert main(["certify", "--target", miniature("correct"), "--only", "aud", "--known-failures",
                 str(listing)]) == 2
    assert "stale" in capsys.readouterr().err
    assert listing.read_text() == "no.such-check  *  gone\n"


def test_jobs_two_gives_the_same_results_as_one(capsys):
    argv = ["certify", "--target", miniature("exp_off_by_one"), "--examples", "10",
            "--only", "exp", "--only", "aud.client-id"]
    assert main(argv) == 1
    sequential = capsys.readouterr().out.strip().splitlines()
    assert main(argv + ["--jobs", "2"]) == 1
    parallel = capsys.readouterr().out.strip().splitlines()
    assert sequential[-1] == parallel[-1]
    rows = lambda lines: sorted(l.split()[:2] for l in lines if l.startswith("  ") and l.split()[0] in
                                ("pass", "FAIL", "ERROR", "skip", "xfail"))
    assert rows(sequential) == rows(parallel)


def test_console_script_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "conformance", "checks", "--format", "json"],
                          capture_output=True, text=True, cwd=HERE, timeout=60)
    assert done.returncode == 0, done.stderr
    checks = json.loads(done.stdout)
    assert len(checks) >= 50 and all(c["refs"] for c in checks)


def test_only_runs_keep_the_entries_of_checks_not_run(tmp_path, capsys):
    listing = tmp_path / "known.txt"
    original = ("aud.extra-audience  BYPASS  trusted second audience\n"
                "header.typ          BYPASS  typ is not checked\n")
    listing.write_text(original)
    code = main(["certify", "--target", miniature("allows_extra_audience"), "--examples", "15",
                 "--only", "aud.extra-audience", "--known-failures", str(listing)])
    assert code == 0, capsys.readouterr().out
    code = main(["certify", "--target", miniature("allows_extra_audience"), "--examples", "15",
                 "--only", "aud.extra-audience", "--known-failures", str(listing), "--fix-known-failures"])
    assert code == 0
    assert listing.read_text() == original
