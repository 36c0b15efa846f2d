"""report.json: shape, the published schema, strict JSON, and stored cases equal to failure entries."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from report_builders import Drawn, full_run, hostile_run, runs

from conformance.check import Expectation, Level
from conformance.observation import ErrorKind, ObservationKind
from conformance.reasons import Reason
from conformance.reports import REPORT_FORMAT, render_json, report_document, report_schema, write_reports
from conformance.results import CheckStatus, Failure, MismatchKind

VALIDATOR = jsonschema.Draft202012Validator(report_schema(), format_checker=jsonschema.FormatChecker())


def _strict_loads(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def test_the_schema_itself_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema())
    assert report_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_report_with_every_status_and_kind_validates() -> None:
    run, checks = full_run()
    document = report_document(run, checks)
    VALIDATOR.validate(document)
    assert document["format"] == REPORT_FORMAT
    assert document["summary"] == {"passed": 1, "failed": 4, "error": 2, "skipped": 1, "xfail": 1, "total": 9,
                                   "conformant": False}
    assert [c["id"] for c in document["checks"]] == [r.check_id for r in run.results]
    kinds = {c["failure"]["kind"] for c in document["checks"] if c["failure"]}
    assert kinds == {k.value for k in MismatchKind}
    first = document["checks"][0]
    assert first["expectation"] == "reject" and first["links"] == {
        "OIDCC-3.1.3.7-3": "https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation"}


def test_the_failure_entry_round_trips_to_the_failure() -> None:
    run, checks = full_run()
    document = report_document(run, checks)
    for entry, result in zip(document["checks"], run.results):
        if result.failure is not None:
            assert Failure.from_json(entry["failure"]) == result.failure
            assert entry["failure"]["check"] == result.check_id


@pytest.mark.parametrize("breakage", [
    lambda d: d.pop("summary"),
    lambda d: d["checks"][0].update(status="flaky"),
    lambda d: d["checks"][1]["failure"].update(kind="SPLIT"),
    lambda d: d["checks"][0].update(level="optional"),
    lambda d: d["checks"][1]["failure"]["case"].pop("token"),
    lambda d: d["checks"][1]["failure"]["expected"].update(reason="because"),
    lambda d: d["metadata"].pop("seed"),
    lambda d: d["summary"].update(passed=-1),
    lambda d: d.update(format="something/else"),
    lambda d: d["checks"][0].update(unexpected=True),
], ids=["no-summary", "bad-status", "bad-kind", "bad-level", "no-token", "bad-reason", "no-seed", "negative-count",
        "bad-format", "extra-field"])
def test_a_broken_report_fails_validation(breakage: Callable[[dict[str, Any]], object]) -> None:
    run, checks = full_run()
    document = copy.deepcopy(report_document(run, checks))
    breakage(document)
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(document)


def test_schema_enums_match_the_python_enums() -> None:
    defs = report_schema()["$defs"]
    assert defs["status"]["enum"] == [s.value for s in CheckStatus]
    assert defs["failure"]["properties"]["kind"]["enum"] == [k.value for k in MismatchKind]
    assert defs["check"]["properties"]["level"]["enum"] == [v.value for v in Level]
    assert defs["check"]["properties"]["expectation"]["enum"] == [e.value for e in Expectation] + [None]
    assert defs["verdict"]["properties"]["reason"]["enum"] == [r.value for r in Reason]
    assert defs["observation"]["properties"]["kind"]["enum"] == [k.value for k in ObservationKind]
    assert defs["observation"]["properties"]["error"]["enum"] == [k.value for k in ErrorKind]
    assert set(defs["summary"]["required"]) == {s.value for s in CheckStatus} | {"total", "conformant"}


def test_the_hostile_report_is_valid_and_keeps_the_text() -> None:
    run, checks = hostile_run()
    document = report_document(run, checks)
    VALIDATOR.validate(document)
    assert document["checks"][0]["failure"]["explanation"] == run.results[0].failure.explanation


def test_results_without_a_check_are_refused() -> None:
    run, checks = full_run()
    with pytest.raises(ValueError, match="iss.exact"):
        report_document(run, checks[1:])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_any_run_gives_strict_schema_valid_json(drawn: Drawn) -> None:
    run, checks = drawn
    text = render_json(run, checks)
    text.encode("utf-8")  # never a lone surrogate
    document = _strict_loads(text)
    VALIDATOR.validate(document)
    assert document["summary"]["total"] == len(run.results)
    assert sum(document["summary"][s.value] for s in CheckStatus) == len(run.results)
    assert document["summary"]["conformant"] is run.conformant


def test_stored_cases_are_the_failure_entries(tmp_path: Path) -> None:
    run, checks = full_run()
    written = write_reports(run, checks, tmp_path)
    document = _strict_loads(written["json"].read_text(encoding="utf-8"))
    VALIDATOR.validate(document)
    failing = [c for c in document["checks"] if c["failure"] is not None]
    assert len(failing) == 6
    for entry in failing:
        path = written[f"case:{entry['id']}"]
        assert path == tmp_path / "cases" / f"{entry['id']}.json"
        stored = _strict_loads(path.read_text(encoding="utf-8"))
        assert stored == entry["failure"]
        assert stored["case_file"] == str(path)
        assert stored["replay_command"].startswith("idtoken-conformance replay ")
        assert str(path) in stored["replay_command"]
        schema = report_schema()
        VALIDATOR.evolve(schema={"$schema": schema["$schema"], "$defs": schema["$defs"],
                                 "$ref": "#/$defs/failure"}).validate(stored)
