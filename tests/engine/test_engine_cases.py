"""Failures are stored as self-contained case files that replay without Hypothesis; runs are reproducible."""

from __future__ import annotations

import json

from conformance.case_file import load_case_file
from conformance.cli import main
from conformance.replay import replay_case_file
from conformance.results import CheckStatus, MismatchKind

from engine_support import miniature, run_checks


def test_failure_is_stored_and_replays_as_still_failing_then_fixed(tmp_path, capsys):
    results = run_checks(miniature("allows_extra_audience"), ("aud.extra-audience",), examples=20,
                         report_dir=tmp_path)
    failure = results["aud.extra-audience"].failure
    assert failure.kind is MismatchKind.BYPASS
    stored = load_case_file(tmp_path / "cases" / "aud.extra-audience.json")
    assert stored.check_id == "aud.extra-audience"
    assert stored.case.token == failure.case.token
    assert stored.failure.expected.reason.value == "audience"
    # self-contained: token, key set, discovery document, clock and provider are all in the file
    document = json.loads((tmp_path / "cases" / "aud.extra-audience.json").read_text())
    assert {"token", "provider", "now", "origin", "publication"} <= set(document["case"])
    assert json.loads(document["case"]["publication"]["jwks"]["body"])["keys"]

    still = replay_case_file(stored.path, miniature("allows_extra_audience"))
    assert still.status == "still failing" and still.mismatch.kind is MismatchKind.BYPASS
    fixed = replay_case_file(stored.path, miniature("correct"))
    assert fixed.status == "fixed" and fixed.mismatch is None

    assert main(["replay", str(stored.path), "--target", miniature("correct")]) == 0
    assert "REPLAY: fixed" in capsys.readouterr().out
    assert main(["replay", str(stored.path), "--target", miniature("allows_extra_audience")]) == 1
    assert "REPLAY: still failing" in capsys.readouterr().out


def test_shrunk_counterexample_names_one_mutation_of_the_check():
    results = run_checks(miniature("ignores_audience"), ("aud.client-id",), examples=30)
    failure = results["aud.client-id"].failure
    mutations = failure.case.recipe["mutations"]
    assert len(mutations) == 1 and mutations[0]["operator"].startswith("aud.")
    # shrinking removes optional claims: only the registered ones remain
    payload = failure.case.recipe["payload"]
    assert set(payload) <= {"iss", "sub", "aud", "exp", "iat"}


def test_same_seed_same_verdicts_and_same_counterexample_shape():
    first = run_checks(miniature("exp_off_by_one"), ("exp.expired", "token.valid"), examples=20, seed=7)
    second = run_checks(miniature("exp_off_by_one"), ("exp.expired", "token.valid"), examples=20, seed=7)
    assert {k: r.status for k, r in first.items()} == {k: r.status for k, r in second.items()}
    a, b = first["exp.expired"].failure, second["exp.expired"].failure
    def portless(failure):  # each run has its own issuer port, which appears in iss
        return json.dumps(failure.case.recipe, sort_keys=True).replace(failure.case.origin, "ORIGIN")

    assert portless(a) == portless(b)
    assert a.case.now == b.case.now


def test_result_counts_examples_and_keeps_passing_checks_clean():
    results = run_checks(miniature("correct"), ("exp.expired",), examples=12)
    result = results["exp.expired"]
    assert result.status is CheckStatus.PASSED and result.failure is None
    assert result.examples >= 12
