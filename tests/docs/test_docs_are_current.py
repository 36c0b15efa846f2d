"""The README, the checks table and the shipped known-failures files say what the code does."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from conformance.catalog import checks_for
from conformance.known_failures import load_known_failures

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_checks_table_is_generated_from_the_catalog():
    done = subprocess.run([sys.executable, "-m", "conformance", "checks", "--format", "markdown"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=True)
    assert done.stdout.strip() in (ROOT / "docs" / "checks.md").read_text()


def test_ci_runs_the_readme_test_command():
    test_command = _code_blocks(README)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci.splitlines()


def test_shipped_known_failures_files_are_current_and_explained():
    ids = [c.id for c in checks_for("convex-oidc")]
    for path in sorted((ROOT / "examples" / "known-failures").glob("*.txt")):
        known = load_known_failures(path, known_ids=ids)  # raises on stale ids
        assert len(known) > 0
        for entry in known:
            assert "TODO" not in entry.reason and len(entry.reason) > 20, (path.name, entry.check_id)


def test_readme_quick_start_certifies_pyjwt_with_the_result_it_quotes(tmp_path):
    setup = _code_blocks(README)[0]
    certify = shlex.split(setup.split("&&")[-1].strip())
    assert certify[0].endswith("idtoken-conformance") and certify[1] == "certify"
    args = [a if a != "conformance-report" else str(tmp_path / "report") for a in certify[2:]]
    done = subprocess.run([sys.executable, "-m", "conformance", "certify", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert f"`{last}`" in README
    assert (tmp_path / "report" / "report.html").is_file()
