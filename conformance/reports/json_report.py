"""``report.json``: the whole run as one strict JSON document, described by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Sequence

from ..check import Check
from ..results import RunResult
from ._cases import case_record
from ._document import Entry, counts, join
from ._json import dump_json, jsonable

__all__ = ["REPORT_FORMAT", "report_document", "render_json", "report_schema"]

REPORT_FORMAT = "idtoken-conformance/report/v1"

_CHECK_FIELDS = ("id", "title", "level", "refs", "links", "rules", "area", "attack", "description")


def report_document(run: RunResult, checks: Sequence[Check]) -> dict[str, Any]:
    """The report as plain JSON values: format, run metadata, summary counts and one entry per check."""
    summary: dict[str, Any] = counts(run)
    summary["conformant"] = run.conformant
    return jsonable({
        "format": REPORT_FORMAT,
        "metadata": run.metadata.to_json(),
        "summary": summary,
        "checks": [_check_entry(entry) for entry in join(run, checks)],
    })


def _check_entry(entry: Entry) -> dict[str, Any]:
    described = entry.check.to_json()
    out = {name: described[name] for name in _CHECK_FIELDS}
    out["expectation"] = None if entry.expectation is None else entry.expectation.value
    out.update(entry.result.to_json())
    if entry.result.failure is not None:
        out["failure"] = case_record(entry.result.check_id, entry.result.failure)
    return out


def render_json(run: RunResult, checks: Sequence[Check]) -> str:
    return dump_json(report_document(run, checks))


def report_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of ``report.json``."""
    text = resources.files("conformance").joinpath("schemas/report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
