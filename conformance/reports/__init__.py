"""Certification reports, written from a :class:`~conformance.results.RunResult`.

``write_reports(run, checks, directory)`` writes, into `directory`:

=========================  ==========================================================
``report.json``            the whole run; schema in ``conformance/schemas/report.schema.json``
``junit.xml``              one testsuite per profile, one testcase per check
``summary.md``             Markdown for a CI job summary, ending with the ``CONFORMANCE:`` line
``report.html``            one self-contained page with every counterexample and a traceability table
``badge-<profile>.svg``    ``<profile> | N/M passing`` (skips never count as passes)
``cases/<check-id>.json``  one stored case per failure, the same object as its entry in report.json
=========================  ==========================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..check import Check
from ..results import RunResult
from ._cases import CASES_DIRECTORY, case_file_names, case_record, with_stored_cases
from ._document import summary_line
from ._files import safe_file_name, write_text_atomic
from ._json import dump_json
from .badge import badge_for, render_badge
from .html import render_html
from .json_report import REPORT_FORMAT, render_json, report_document, report_schema
from .junit import render_junit
from .markdown import render_markdown

__all__ = ["write_reports", "summary_line", "report_document", "report_schema", "REPORT_FORMAT", "render_json",
           "render_junit", "render_markdown", "render_html", "render_badge", "badge_for"]


def write_reports(run: RunResult, checks: Sequence[Check], directory: Path) -> dict[str, Path]:
    """Write every report of `run` into `directory` (created if needed) and return the paths written.

    Keys: ``json``, ``junit``, ``markdown``, ``html``, ``badge`` and ``case:<check-id>`` per failure.
    Every file is replaced atomically; other files in `directory` are left alone. Each failure is
    given its stored case file and a replay command (unless it already has them).
    """
    directory = Path(directory)
    run = with_stored_cases(run, directory)
    texts = {
        "json": ("report.json", render_json(run, checks)),
        "junit": ("junit.xml", render_junit(run, checks)),
        "markdown": ("summary.md", render_markdown(run, checks)),
        "html": ("report.html", render_html(run, checks)),
        "badge": (f"badge-{safe_file_name(run.metadata.profile)}.svg", render_badge(run)),
    }
    names = case_file_names(run)
    for result in run.results:
        if result.failure is not None:
            texts[f"case:{result.check_id}"] = (f"{CASES_DIRECTORY}/{names[result.check_id]}",
                                                dump_json(case_record(result.check_id, result.failure)))
    written: dict[str, Path] = {}
    for key, (name, text) in texts.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        written[key] = path
    return written
