"""The known-failures file: failures a target is expected to have, each with a reason. It never goes stale.

Format (UTF-8 text, one entry per line; ``#`` starts a comment line; blank lines are ignored)::

    # check id            kind     reason (the rest of the line, required)
    aud.extra-audience    BYPASS   PyJWT accepts a second audience by default
    some.check            *        any mismatch kind

`kind` is the expected mismatch kind (BYPASS, DENY, MAPPING, REASON, ERROR) or ``*`` for any.
Applying the file turns a listed failure of the listed kind into XFAIL, and makes a listed check
that passed, or failed differently, a failure: a list that no longer matches the target fails the
run. ``fix_known_failures`` rewrites the file to match a run, keeping comments, order and reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .errors import UsageError
from .reports._files import write_text_atomic
from .results import CheckResult, CheckStatus, MismatchKind

__all__ = ["ANY_KIND", "KnownFailure", "KnownFailures", "KnownFailuresChange", "parse_known_failures",
           "load_known_failures", "apply_known_failures", "fix_known_failures"]

ANY_KIND = "*"
TODO_REASON = "TODO: explain why"
_KINDS = ", ".join(kind.value for kind in MismatchKind) + " or " + ANY_KIND
_FORMAT_FIX = f"write '<check id> <{_KINDS}> <reason>' on one line, or start the line with # to make it a comment"
_PASSED_NOTE = "listed in known failures but passed: remove it"
_ENTRY = re.compile(r"^(\s*\S+\s+)(\S+)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class KnownFailure:
    """One entry: `kind` None means any mismatch kind (``*``)."""

    check_id: str
    kind: MismatchKind | None
    reason: str
    line: int

    @property
    def kind_text(self) -> str:
        return ANY_KIND if self.kind is None else self.kind.value

    def matches(self, kind: MismatchKind | None) -> bool:
        return self.kind is None or self.kind is kind


@dataclass(frozen=True)
class KnownFailures:
    """The parsed file: entries in file order, and where they came from (for messages)."""

    entries: tuple[KnownFailure, ...] = ()
    source: str = "<known failures>"

    def get(self, check_id: str) -> KnownFailure | None:
        return next((entry for entry in self.entries if entry.check_id == check_id), None)

    def __contains__(self, check_id: object) -> bool:
        return any(entry.check_id == check_id for entry in self.entries)

    def __iter__(self) -> Iterator[KnownFailure]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class KnownFailuresChange:
    """What ``fix_known_failures`` changed, by check id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.updated)


def parse_known_failures(text: str, *, source: str = "<known failures>") -> KnownFailures:
    """The entries of a known-failures text; a malformed line raises UsageError naming `source` and the line."""
    entries: list[KnownFailure] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(_lines(text.lstrip("\ufeff")), start=1):
        entry = _parse_line(line, number, source)
        if entry is None:
            continue
        if entry.check_id in first_line:
            raise UsageError(f"{source}:{number}: {entry.check_id} is already listed on line "
                             f"{first_line[entry.check_id]}", "keep one entry per check")
        first_line[entry.check_id] = number
        entries.append(entry)
    return KnownFailures(tuple(entries), source)


def load_known_failures(path: str | Path, *, known_ids: Iterable[str]) -> KnownFailures:
    """Read and check a known-failures file; ids that are not in `known_ids` make it stale: UsageError."""
    known = parse_known_failures(_read(Path(path)), source=str(path))
    catalog = set(known_ids)
    stale = [entry for entry in known if entry.check_id not in catalog]
    if stale:
        listed = ", ".join(f"{entry.check_id} (line {entry.line})" for entry in stale)
        raise UsageError(f"{path}: unknown check ids, the list is stale: {listed}",
                         "remove or rename these entries, or rewrite the file with the fix option")
    return known


def apply_known_failures(results: Sequence[CheckResult], known: KnownFailures) -> tuple[CheckResult, ...]:
    """`results` judged against the list: listed failures of the listed kind become XFAIL.

    A listed check that passed becomes FAILED ("remove it"); one that failed with another kind
    becomes FAILED (expected vs got); one that errored while listed with another kind stays ERROR
    with a note. Skipped, already-XFAIL and unlisted results are unchanged.
    """
    return tuple(_apply(result, known.get(result.check_id), known.source) for result in results)


def fix_known_failures(path: str | Path, results: Sequence[CheckResult], *,
                       known_ids: Iterable[str] | None = None) -> KnownFailuresChange:
    """Rewrite the file at `path` to match `results` (given before or after ``apply_known_failures``).

    Keeps comments, blank lines, order and reasons; updates the kind of entries that now fail
    differently; removes entries whose check passed (and, when `known_ids` is given, entries naming
    no known check); appends new failures with the reason ``TODO: explain why``. The file is written
    through a temporary file and an atomic rename, and only when something changed.
    """
    path = Path(path)
    text = _read(path) if path.exists() else ""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = _lines(text[len(bom):])
    known = parse_known_failures(text, source=str(path))
    by_line = {entry.line: entry for entry in known}
    by_id = {result.check_id: result for result in results}
    catalog = None if known_ids is None else set(known_ids)
    added, removed, updated, kept = [], [], [], []
    for number, line in enumerate(lines, start=1):
        entry = by_line.get(number)
        if entry is None:
            kept.append(line)
            continue
        result = by_id.get(entry.check_id)
        if (catalog is not None and entry.check_id not in catalog) or (result is not None and _passed(result)):
            removed.append(entry.check_id)
            continue
        kind = _failed_kind(result) if result is not None and result.status is not CheckStatus.XFAIL else None
        if kind is not None and not entry.matches(kind):
            line = _with_kind(line, entry.kind_text, kind.value)
            updated.append(entry.check_id)
        kept.append(line)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    fresh = [r for r in results if r.check_id not in known and _failing(r)]
    if fresh:
        if not kept:
            kept.append(f"# check id  kind ({_KINDS})  reason{newline}")
        elif not kept[-1].endswith("\n"):
            kept[-1] += newline
        width = max(len(r.check_id) for r in fresh)
        for result in fresh:
            kind = _failed_kind(result)
            kind_text = ANY_KIND if kind is None else kind.value
            kept.append(f"{result.check_id:<{width}}  {kind_text:<7}  {TODO_REASON}{newline}")
            added.append(result.check_id)
    change = KnownFailuresChange(tuple(added), tuple(removed), tuple(updated))
    if change:
        write_text_atomic(path, bom + "".join(kept))
    return change


def _apply(result: CheckResult, entry: KnownFailure | None, source: str) -> CheckResult:
    if entry is None or result.status in (CheckStatus.SKIPPED, CheckStatus.XFAIL):
        return result
    where = f"{source}:{entry.line}"
    if _passed(result):
        return replace(result, status=CheckStatus.FAILED, message=f"{_PASSED_NOTE} ({where})")
    got = _failed_kind(result)
    if entry.matches(got):
        return replace(result, status=CheckStatus.XFAIL, message=entry.reason)
    got_text = "an unrecorded kind" if got is None else got.value
    note = f"listed in known failures as {entry.kind_text} but failed with {got_text} ({where}): update the entry"
    if result.message.startswith(note):  # applied before
        return result
    return replace(result, message=f"{note}; {result.message}" if result.message else note)


def _failed_kind(result: CheckResult) -> MismatchKind | None:
    """The mismatch kind a failing result shows: ERROR for an error, else its failure's kind."""
    if result.status is CheckStatus.ERROR:
        return MismatchKind.ERROR
    if result.status in (CheckStatus.FAILED, CheckStatus.XFAIL) and not _passed(result):
        return None if result.failure is None else result.failure.kind
    return None


def _passed(result: CheckResult) -> bool:
    """Passed, or marked by ``apply_known_failures`` as a listed check that passed."""
    return result.status is CheckStatus.PASSED or (
        result.status is CheckStatus.FAILED and result.failure is None and result.message.startswith(_PASSED_NOTE))


def _failing(result: CheckResult) -> bool:
    return result.status in (CheckStatus.FAILED, CheckStatus.ERROR, CheckStatus.XFAIL) and not _passed(result)


def _with_kind(line: str, old: str, new: str) -> str:
    """`line` with its kind column replaced, keeping the reason column where it was when possible."""
    match = _ENTRY.match(line)
    assert match is not None and match.group(2) == old
    rest = match.group(3)
    shift = len(old) - len(new)
    if shift > 0:
        rest = " " * shift + rest
    elif shift < 0:
        spaces = len(rest) - len(rest.lstrip(" "))
        rest = rest[min(-shift, max(spaces - 1, 0)):]
    return match.group(1) + new + rest


def _parse_line(line: str, number: int, source: str) -> KnownFailure | None:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    parts = stripped.split(None, 2)
    where = f"{source}:{number}"
    if len(parts) == 1:
        raise UsageError(f"{where}: {parts[0]!r} has no kind and no reason", _FORMAT_FIX)
    kind_text = parts[1]
    if kind_text != ANY_KIND and kind_text not in MismatchKind.__members__:
        raise UsageError(f"{where}: unknown mismatch kind {kind_text!r} for {parts[0]}",
                         f"use one of {_KINDS} (upper case) in the second column")
    if len(parts) < 3 or not parts[2].strip():
        raise UsageError(f"{where}: {parts[0]} has no reason", "say after the kind why the target fails this check")
    kind = None if kind_text == ANY_KIND else MismatchKind(kind_text)
    return KnownFailure(parts[0], kind, parts[2].strip(), number)


def _lines(text: str) -> list[str]:
    """Lines split after each ``\\n`` only, each keeping its line ending (so joining gives `text` back)."""
    return [line for line in re.split(r"(?<=\n)", text) if line]


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")  # line endings kept as they are
    except FileNotFoundError:
        raise UsageError(f"known-failures file {path} does not exist",
                         "check the path, or create the file (it may be empty)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read known-failures file {path}: {exc}", "make it a readable UTF-8 text file") \
            from None
