"""The known-failures file: parsing, errors that say where and how to fix, applying, and rewriting."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_builders import failure

from conformance.errors import UsageError
from conformance.known_failures import (KnownFailure, KnownFailuresChange, apply_known_failures, fix_known_failures,
                                        load_known_failures, parse_known_failures)
from conformance.results import CheckResult, CheckStatus, MismatchKind

SAMPLE = """\
# Known failures of the PyJWT adapter
aud.extra-audience   BYPASS   PyJWT accepts a second audience by default

exp.leeway           DENY     the adapter applies no leeway # not a comment
  some.check         *        any kind will do
"""


def _failed(check_id: str, kind: MismatchKind) -> CheckResult:
    status = CheckStatus.ERROR if kind is MismatchKind.ERROR else CheckStatus.FAILED
    return CheckResult(check_id, status, 5, 0.1, failure(kind), f"{kind.value} found")


def _passed(check_id: str) -> CheckResult:
    return CheckResult(check_id, CheckStatus.PASSED, 5, 0.1)


# -- parsing -----------------------------------------------------------------------------------

def test_entries_comments_and_reasons_are_parsed() -> None:
    known = parse_known_failures(SAMPLE, source="kf.txt")
    assert list(known) == [
        KnownFailure("aud.extra-audience", MismatchKind.BYPASS, "PyJWT accepts a second audience by default", 2),
        KnownFailure("exp.leeway", MismatchKind.DENY, "the adapter applies no leeway # not a comment", 4),
        KnownFailure("some.check", None, "any kind will do", 5),
    ]
    assert "exp.leeway" in known and "other" not in known and len(known) == 3
    assert parse_known_failures("\ufeff" + SAMPLE.replace("\n", "\r\n")).entries == known.entries


@pytest.mark.parametrize("line, problem, fix", [
    ("aud.extra-audience", "kf.txt:2: 'aud.extra-audience' has no kind and no reason", "<check id>"),
    ("aud.extra-audience BYPASS", "kf.txt:2: aud.extra-audience has no reason", "why the target fails"),
    ("aud.extra-audience bypass reason", "kf.txt:2: unknown mismatch kind 'bypass' for aud.extra-audience",
     "BYPASS, DENY, MAPPING, REASON, ERROR or *"),
    ("aud.extra-audience PyJWT accepts it", "kf.txt:2: unknown mismatch kind 'PyJWT'", "second column"),
    ("exp.leeway DENY twice", "kf.txt:2: exp.leeway is already listed on line 1", "one entry per check"),
])
def test_malformed_lines_name_the_file_the_line_and_the_fix(line: str, problem: str, fix: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_known_failures(f"exp.leeway DENY no leeway\n{line}\n", source="kf.txt")
    assert raised.value.problem.startswith(problem)
    assert fix in (raised.value.fix or "")


def test_unknown_check_ids_make_the_list_stale(tmp_path: Path) -> None:
    path = tmp_path / "known-failures.txt"
    path.write_text(SAMPLE)
    with pytest.raises(UsageError) as raised:
        load_known_failures(path, known_ids=["aud.extra-audience"])
    assert raised.value.problem == (f"{path}: unknown check ids, the list is stale: exp.leeway (line 4), "
                                    "some.check (line 5)")
    known = load_known_failures(path, known_ids=["aud.extra-audience", "exp.leeway", "some.check", "more"])
    assert known.source == str(path) and len(known) == 3


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        load_known_failures(tmp_path / "nope.txt", known_ids=[])


_ids = st.from_regex(r"[a-z]{1,6}\.[a-z0-9-]{1,10}", fullmatch=True)
_kinds = st.sampled_from([*MismatchKind, None])
_reasons = st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1).map(str.strip).filter(bool)
_comments = st.sampled_from(["# a comment", "", "   ", "#", "  # indented comment"])


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, list[KnownFailure]]:
    ids = draw(st.lists(_ids, unique=True, max_size=8))
    lines, entries = [], []
    for check_id in ids:
        lines += draw(st.lists(_comments, max_size=2))
        kind = draw(_kinds)
        reason = draw(_reasons)
        lines.append(f"{check_id}{draw(st.sampled_from([' ', '   ', chr(9)]))}{kind.value if kind else '*'}  {reason}")
        entries.append(KnownFailure(check_id, kind, reason, len(lines)))
    return "\n".join(lines + draw(st.lists(_comments, max_size=2))) + "\n", entries


@given(_files())
def test_written_entries_parse_back(drawn: tuple[str, list[KnownFailure]]) -> None:
    text, entries = drawn
    assert list(parse_known_failures(text)) == entries


# -- applying ----------------------------------------------------------------------------------

KNOWN = parse_known_failures(SAMPLE + "crash.check ERROR the target crashes on huge tokens\n", source="kf.txt")


def test_a_listed_failure_of_the_listed_kind_is_expected() -> None:
    (result,) = apply_known_failures([_failed("aud.extra-audience", MismatchKind.BYPASS)], KNOWN)
    assert result.status is CheckStatus.XFAIL
    assert result.message == "PyJWT accepts a second audience by default"
    assert result.failure is not None and result.failure.kind is MismatchKind.BYPASS


def test_a_listed_check_that_passed_fails() -> None:
    (result,) = apply_known_failures([_passed("aud.extra-audience")], KNOWN)
    assert result.status is CheckStatus.FAILED
    assert result.message == "listed in known failures but passed: remove it (kf.txt:2)"


def test_a_listed_check_failing_differently_fails_saying_expected_and_got() -> None:
    (result,) = apply_known_failures([_failed("exp.leeway", MismatchKind.BYPASS)], KNOWN)
    assert result.status is CheckStatus.FAILED
    assert result.message == ("listed in known failures as DENY but failed with BYPASS (kf.txt:4): update the entry; "
                              "BYPASS found")


def test_errors_are_expected_only_when_listed_as_error_or_any() -> None:
    crash = apply_known_failures([_failed("crash.check", MismatchKind.ERROR)], KNOWN)[0]
    assert crash.status is CheckStatus.XFAIL
    generation = CheckResult("crash.check", CheckStatus.ERROR, 0, 0.0, None, "generation failed")
    assert apply_known_failures([generation], KNOWN)[0].status is CheckStatus.XFAIL
    anything = apply_known_failures([_failed("some.check", MismatchKind.ERROR)], KNOWN)[0]
    assert anything.status is CheckStatus.XFAIL
    other = apply_known_failures([_failed("exp.leeway", MismatchKind.ERROR)], KNOWN)[0]
    assert other.status is CheckStatus.ERROR
    assert other.message.startswith("listed in known failures as DENY but failed with ERROR (kf.txt:4)")


def test_unlisted_and_skipped_results_are_unchanged() -> None:
    results = [_failed("not.listed", MismatchKind.BYPASS), _passed("also.not"),
               CheckResult("aud.extra-audience", CheckStatus.SKIPPED, message="no ES512")]
    assert apply_known_failures(results, KNOWN) == tuple(results)


_statuses = st.sampled_from([CheckStatus.PASSED, CheckStatus.SKIPPED, *MismatchKind])
_listed_ids = st.sampled_from(["aud.extra-audience", "exp.leeway", "some.check", "crash.check", "not.listed"])


def _result(check_id: str, outcome: CheckStatus | MismatchKind) -> CheckResult:
    if isinstance(outcome, MismatchKind):
        return _failed(check_id, outcome)
    return CheckResult(check_id, outcome, 1)


@given(st.lists(st.tuples(_listed_ids, _statuses), max_size=10))
def test_applying_twice_changes_nothing_more(pairs: list[tuple[str, CheckStatus | MismatchKind]]) -> None:
    results = [_result(i, o) for i, o in pairs]
    once = apply_known_failures(results, KNOWN)
    assert apply_known_failures(once, KNOWN) == once
    assert [r.check_id for r in once] == [r.check_id for r in results]
    for before, after in zip(results, once):
        if after.status is CheckStatus.XFAIL:
            assert before.status in (CheckStatus.FAILED, CheckStatus.ERROR)
        if before.status is CheckStatus.PASSED:
            assert after.status is (CheckStatus.FAILED if before.check_id in KNOWN else CheckStatus.PASSED)


# -- fixing ------------------------------------------------------------------------------------

def test_fix_keeps_comments_order_and_reasons(tmp_path: Path) -> None:
    path = tmp_path / "known-failures.txt"
    path.write_text(SAMPLE + "gone.check  REASON  removed from the catalog\n")
    os.chmod(path, 0o640)
    results = [
        _passed("aud.extra-audience"),  # passes now: removed
        _failed("exp.leeway", MismatchKind.BYPASS),  # fails differently: kind updated, reason kept
        _failed("some.check", MismatchKind.MAPPING),  # '*' still matches: unchanged
        _failed("new.one", MismatchKind.DENY),  # new failure: appended
        CheckResult("new.crash", CheckStatus.ERROR, 0, 0.0, None, "generation failed"),
        CheckResult("skipped.one", CheckStatus.SKIPPED),
    ]
    change = fix_known_failures(path, results, known_ids=["aud.extra-audience", "exp.leeway", "some.check",
                                                            "new.one", "new.crash", "skipped.one"])
    assert change == KnownFailuresChange(added=("new.one", "new.crash"), removed=("aud.extra-audience", "gone.check"),
                                         updated=("exp.leeway",))
    assert path.read_text() == """\
# Known failures of the PyJWT adapter

exp.leeway           BYPASS   the adapter applies no leeway # not a comment
  some.check         *        any kind will do
new.one    DENY     TODO: explain why
new.crash  ERROR    TODO: explain why
"""
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["known-failures.txt"]
    assert fix_known_failures(path, results) == KnownFailuresChange()


def test_fix_works_on_results_after_apply(tmp_path: Path) -> None:
    path = tmp_path / "kf.txt"
    results = [_passed("aud.extra-audience"), _failed("exp.leeway", MismatchKind.BYPASS),
               _failed("some.check", MismatchKind.DENY), _failed("new.one", MismatchKind.REASON)]
    path.write_text(SAMPLE)
    raw = fix_known_failures(path, results)
    raw_text = path.read_text()
    path.write_text(SAMPLE)
    applied = apply_known_failures(results, parse_known_failures(SAMPLE, source=str(path)))
    assert fix_known_failures(path, applied) == raw
    assert path.read_text() == raw_text


def test_fix_creates_a_missing_file_and_leaves_an_unchanged_one_alone(tmp_path: Path) -> None:
    path = tmp_path / "kf.txt"
    assert fix_known_failures(path, [_passed("a.b")]) == KnownFailuresChange()
    assert not path.exists()
    fix_known_failures(path, [_failed("a.b", MismatchKind.BYPASS)])
    assert parse_known_failures(path.read_text()).entries == (
        KnownFailure("a.b", MismatchKind.BYPASS, "TODO: explain why", 2),)
    before = path.stat()
    assert not fix_known_failures(path, [_failed("a.b", MismatchKind.BYPASS)])
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_ino == before.st_ino


def test_fix_keeps_crlf_and_a_missing_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "kf.txt"
    path.write_bytes(b"# c\r\nx.y  DENY  why\r\nz.w  BYPASS  because")
    fix_known_failures(path, [_failed("x.y", MismatchKind.MAPPING), _failed("n.m", MismatchKind.DENY)])
    assert path.read_bytes() == (b"# c\r\nx.y  MAPPING why\r\nz.w  BYPASS  because\r\n"
                                 b"n.m  DENY     TODO: explain why\r\n")


def test_a_crash_while_fixing_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kf.txt"
    path.write_text(SAMPLE)

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        fix_known_failures(path, [_passed("aud.extra-audience")])
    assert path.read_text() == SAMPLE
    assert [p.name for p in tmp_path.iterdir()] == ["kf.txt"]


def test_fix_refuses_a_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "kf.txt"
    path.write_text("x.y DENY\n")
    with pytest.raises(UsageError, match=r"kf.txt:1: x.y has no reason"):
        fix_known_failures(path, [_passed("x.y")])
    assert path.read_text() == "x.y DENY\n"


@given(_files(), st.data())
def test_fix_then_apply_leaves_nothing_unexpected(drawn: tuple[str, list[KnownFailure]], data: st.DataObject) -> None:
    text, entries = drawn
    ids = [e.check_id for e in entries] + ["fresh.one", "fresh.two"]
    results = [_result(i, data.draw(_statuses)) for i in ids]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "kf.txt"
        path.write_text(text)
        change = fix_known_failures(path, results)
        fixed = parse_known_failures(path.read_text())
        new_text = path.read_text()
    for line in text.splitlines():
        if line.strip().startswith("#") or not line.strip():
            assert line in new_text.splitlines()  # comments and blank lines survive
    applied = apply_known_failures(results, fixed)
    failing = {CheckStatus.FAILED, CheckStatus.ERROR}
    assert not any(r.status in failing for r in applied)
    assert [e.check_id for e in fixed if e.check_id in {x.check_id for x in entries}] == \
        [e.check_id for e in entries if e.check_id not in change.removed]
    for entry in fixed:
        old = next((e for e in entries if e.check_id == entry.check_id), None)
        if old is not None:
            assert entry.reason == old.reason
