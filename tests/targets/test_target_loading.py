"""load_target: every spec form, and one clear UsageError (never a traceback) for each mistake."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from target_helpers import ADAPTERS, TOY_ADAPTER, toy_spec

from conformance.errors import UsageError
from conformance.targets import HttpTarget, PythonTarget, SubprocessTarget, load_target

CALLABLES = ADAPTERS / "callables.py"


def usage_error(spec: str, **options: object) -> str:
    with pytest.raises(UsageError) as raised:
        load_target(spec, **options)
    message = str(raised.value)
    assert "Traceback" not in message
    return message


def test_the_three_forms_give_the_three_kinds() -> None:
    assert isinstance(load_target(f"{CALLABLES}:accept_claims"), PythonTarget)
    assert isinstance(load_target(toy_spec()), SubprocessTarget)
    assert isinstance(load_target("http://127.0.0.1:9/validate"), HttpTarget)
    assert isinstance(load_target("https://localhost/validate"), HttpTarget)


def test_relative_paths_start_at_cwd() -> None:
    relative = load_target("adapters/callables.py:accept_claims", cwd=ADAPTERS.parent)
    assert isinstance(relative, PythonTarget)
    command = load_target(f"exec:{sys.executable} adapters/toy_adapter.py", cwd=ADAPTERS.parent)
    assert isinstance(command, SubprocessTarget) and command.cwd == str(ADAPTERS.parent)
    assert command.argv == [sys.executable, "adapters/toy_adapter.py"]


def test_a_module_next_to_cwd_is_importable(tmp_path: Path) -> None:
    (tmp_path / "local_validator_for_loading.py").write_text("def validate(token, ctx):\n    return {}\n")
    target = load_target("local_validator_for_loading:validate", cwd=tmp_path)
    assert isinstance(target, PythonTarget)
    assert str(tmp_path) not in sys.path  # only while importing


def test_a_dotted_attribute_is_followed() -> None:
    assert isinstance(load_target("conformance.targets.loader:Path.cwd"), PythonTarget)


def test_the_spec_the_user_gave_is_kept() -> None:
    spec = f"  {CALLABLES}:accept_claims "
    assert load_target(spec).spec == spec.strip()


@pytest.mark.parametrize("spec", ["", "   ", "no_colon_here", "module:", ":callable", "mod:not-an-identifier",
                                  "has space:fn"])
def test_an_unreadable_spec_lists_the_forms(spec: str) -> None:
    message = usage_error(spec)
    assert "module:callable" in message and "exec:" in message and "http" in message


def test_a_missing_module_is_named_and_the_file_form_suggested() -> None:
    message = usage_error("no_such_validator_module:validate")
    assert "no module named 'no_such_validator_module'" in message
    assert "no_such_validator_module.py:callable" in message


def test_a_module_whose_import_fails_says_why(tmp_path: Path) -> None:
    (tmp_path / "broken_validator_import.py").write_text("import not_installed_dependency_xyz\n")
    (tmp_path / "raising_validator_import.py").write_text("raise RuntimeError('needs a config file')\n")
    assert "No module named 'not_installed_dependency_xyz'" in usage_error("broken_validator_import:v",
                                                                           cwd=tmp_path)
    assert "needs a config file" in usage_error("raising_validator_import:v", cwd=tmp_path)
    assert "needs a config file" in usage_error("raising_validator_import.py:v", cwd=tmp_path)


def test_a_missing_attribute_lists_the_callables_there() -> None:
    message = usage_error(f"{CALLABLES}:acept_claims")
    assert "has no attribute 'acept_claims'" in message
    assert "accept_claims" in message.split("fix:")[1] and "reads_clock" in message


def test_an_attribute_that_is_not_callable_is_refused() -> None:
    assert "int, not a callable" in usage_error(f"{CALLABLES}:NOT_CALLABLE")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    message = usage_error("validators/missing.py:validate", cwd=tmp_path)
    assert f"file not found: {tmp_path / 'validators' / 'missing.py'}" in message


def test_a_bad_rejects_attribute_is_refused_at_load() -> None:
    assert "`rejects` must be a tuple of exception types" in usage_error(f"{CALLABLES}:bad_rejects")


@pytest.mark.parametrize(("spec", "complaint"), [
    ("exec:", "exec: needs a command"),
    ("exec:   ", "exec: needs a command"),
    ("exec:definitely-not-a-command-xyz --flag", "command not found: definitely-not-a-command-xyz"),
    ("exec:./missing-adapter.sh", "adapter program not found"),
    ("exec:python 'unbalanced", "cannot split the command"),
])
def test_exec_mistakes_are_named(spec: str, complaint: str) -> None:
    assert complaint in usage_error(spec)


@pytest.mark.skipif(os.name != "posix", reason="execute permission bits are POSIX")
def test_a_program_that_is_not_executable_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "adapter.py"
    script.write_text(TOY_ADAPTER.read_text())
    script.chmod(0o644)
    message = usage_error("exec:./adapter.py", cwd=tmp_path)
    assert "not executable" in message and "exec:python ./adapter.py" in message


@pytest.mark.parametrize(("spec", "complaint"), [
    ("ftp://127.0.0.1/validate", "unsupported URL scheme 'ftp'"),
    ("http://", "names no host"),
    ("http://127.0.0.1:notaport/", "bad URL"),
])
def test_url_mistakes_are_named(spec: str, complaint: str) -> None:
    assert complaint in usage_error(spec)


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), "5", True])
def test_a_timeout_must_be_positive_seconds(timeout: object) -> None:
    assert "must be a positive number of seconds" in usage_error(toy_spec(), timeout=timeout)


def test_a_missing_working_directory_is_named(tmp_path: Path) -> None:
    assert "working directory not found" in usage_error(toy_spec(), cwd=tmp_path / "nope")


def test_usage_errors_carry_a_fix() -> None:
    with pytest.raises(UsageError) as raised:
        load_target("no_such_validator_module:validate")
    assert raised.value.fix and raised.value.problem
