"""write_reports: every file, in a directory it creates, replacing only its own files."""

from __future__ import annotations

import json
from dataclasses import replace
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_builders import check, full_run

from conformance.reports import summary_line, write_reports


def test_every_report_is_written(tmp_path: Path) -> None:
    run, checks = full_run()
    directory = tmp_path / "deep" / "reports"
    written = write_reports(run, checks, directory)
    assert {k: p.relative_to(directory).as_posix() for k, p in written.items()} == {
        "json": "report.json", "junit": "junit.xml", "markdown": "summary.md", "html": "report.html",
        "badge": "badge-convex-oidc.svg",
        **{f"case:{r.check_id}": f"cases/{r.check_id}.json" for r in run.results if r.failure is not None},
    }
    assert json.loads(written["json"].read_text())["summary"]["total"] == 9
    ET.parse(written["junit"])
    ET.parse(written["badge"])
    assert written["markdown"].read_text().splitlines()[-1] == summary_line(run)
    assert written["html"].read_text().startswith("<!DOCTYPE html>")
    leftovers = [p.name for p in directory.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_other_files_are_kept_and_own_files_replaced(tmp_path: Path) -> None:
    run, checks = full_run()
    (tmp_path / "cases").mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "cases" / "old.check.json").write_text("{}")
    (tmp_path / "report.json").write_text("stale")
    write_reports(run, checks, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "cases" / "old.check.json").read_text() == "{}"
    assert json.loads((tmp_path / "report.json").read_text())["format"] == "idtoken-conformance/report/v1"


def test_nothing_is_written_when_a_check_is_missing(tmp_path: Path) -> None:
    run, checks = full_run()
    with pytest.raises(ValueError, match="iss.exact"):
        write_reports(run, checks[1:], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_case_files_and_replay_commands_from_the_engine_are_kept(tmp_path: Path) -> None:
    run, checks = full_run()
    result = run.results[1]
    assert result.failure is not None
    stored = replace(result.failure, case_file="elsewhere/x.json", replay_command="replay it")
    run = replace(run, results=(replace(result, failure=stored),))
    written = write_reports(run, checks, tmp_path)
    record = json.loads(written[f"case:{result.check_id}"].read_text())
    assert (record["case_file"], record["replay_command"]) == ("elsewhere/x.json", "replay it")


def test_unusual_check_ids_get_safe_distinct_file_names(tmp_path: Path) -> None:
    run, _ = full_run()
    failing = run.results[1]
    ids = ["../escape", "a/b", "a_b", ".hidden"]
    run = replace(run, results=tuple(replace(failing, check_id=i) for i in ids))
    written = write_reports(run, [check(i) for i in ids], tmp_path)
    paths = [written[f"case:{i}"] for i in ids]
    assert len(set(paths)) == 4
    assert all(p.parent == tmp_path / "cases" and not p.name.startswith(".") for p in paths)
    assert [json.loads(p.read_text())["check"] for p in paths] == ids
