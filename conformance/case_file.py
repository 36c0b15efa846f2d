"""Reading stored case files: a bare case, or a failure record (``{"check", "kind", ..., "case"}``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from .case import CASE_FORMAT, Case
from .errors import UsageError
from .results import Failure

__all__ = ["CaseFile", "load_case_file", "case_address"]


@dataclass(frozen=True)
class CaseFile:
    path: Path
    case: Case
    check_id: str | None = None
    failure: Failure | None = None  # present when the file is a failure record


def load_case_file(path: Path) -> CaseFile:
    """The case stored at `path`, or a UsageError naming the file and what is wrong with it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read case file {path}: {exc.strerror or exc}",
                         "check the path; case files are written under <report>/cases/ when a check fails") from None
    try:
        data: Any = json.loads(raw)
        if not isinstance(data, Mapping):
            raise ValueError("the file is not a JSON object")
        if "case" in data:
            failure = Failure.from_json(data)
            return CaseFile(Path(path), failure.case, data.get("check"), failure)
        return CaseFile(Path(path), Case.from_json(data))
    except KeyError as exc:
        problem = f"missing field {exc}"
    except (ValueError, TypeError, AttributeError) as exc:
        problem = str(exc)
    raise UsageError(f"{path} is not a valid case file: {problem}",
                     f"give a case file written by the suite (format {CASE_FORMAT}, or a failure record)")


def case_address(case: Case) -> tuple[str, int]:
    """The (host, port) the case's issuer must listen on for its token's iss to resolve."""
    parts = urlsplit(case.origin)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port = -1
    if parts.scheme != "http" or not parts.hostname or port == -1:
        raise UsageError(f"the case's origin {case.origin!r} is not an http://HOST:PORT origin",
                         "give --host and --port explicitly")
    return parts.hostname, 80 if port is None else port
