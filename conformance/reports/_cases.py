"""Stored cases: one JSON file per failure, the same object as the failure entry of ``report.json``.

A stored case is ``{"check": <check id>, **Failure.to_json()}``: the self-contained case (token,
provider, clock, origin, publication) with the expected verdict, the observed answer, the
explanation, where the file lives and the command that replays it. ``Failure.from_json`` reads it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..engine import replay_command
from ..results import Failure, RunResult
from ._files import safe_file_name

__all__ = ["CASES_DIRECTORY", "case_file_names", "with_stored_cases", "case_record"]

CASES_DIRECTORY = "cases"


def case_file_names(run: RunResult) -> dict[str, str]:
    """A distinct, safe file name for each check id whose result carries a failure."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for result in run.results:
        if result.failure is None or result.check_id in names:
            continue
        stem = safe_file_name(result.check_id)
        name, number = f"{stem}.json", 1
        while name.lower() in taken:  # case-insensitive file systems
            number += 1
            name = f"{stem}-{number}.json"
        taken.add(name.lower())
        names[result.check_id] = name
    return names


def with_stored_cases(run: RunResult, directory: Path) -> RunResult:
    """`run` with each failure pointing at its stored case under `directory` and carrying a replay command.

    A failure that already names a case file and a replay command (the engine stores cases as it
    finds them) keeps them.
    """
    names = case_file_names(run)
    results = []
    for result in run.results:
        failure = result.failure
        if failure is not None:
            path = str(Path(directory) / CASES_DIRECTORY / names[result.check_id])
            case_file = failure.case_file or path
            command = failure.replay_command or replay_command(case_file, run.metadata.target,
                                                               run.metadata.profile)
            result = replace(result, failure=replace(failure, case_file=case_file, replay_command=command))
        results.append(result)
    return replace(run, results=tuple(results))


def case_record(check_id: str, failure: Failure) -> dict[str, Any]:
    """The stored-case object of one failure (before conversion to strict JSON)."""
    return {"check": check_id, **failure.to_json()}
