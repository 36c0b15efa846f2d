"""Smoke test of benchmarks/certify_benchmark.py: every measurement runs at minimal size and yields numbers."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "certify_benchmark.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("certify_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["certify_benchmark"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_throughput_of_floor_and_every_target_kind_is_positive(bench):
    rates = bench.throughput(examples=2, rounds=1, check_ids=("token.valid", "aud.client-id"))
    assert set(rates) == {"floor", "in-process", "subprocess", "http"}
    assert all(math.isfinite(rate) and rate > 0 for rate in rates.values()), rates


def test_first_failure_is_found_and_timed(bench):
    found = bench.first_failure("accepts_alg_none", "signature.alg-none", examples=5)
    assert found.status == "failed" and found.kind == "BYPASS"
    assert found.examples_to_first >= 1
    assert 0 < found.seconds_to_first <= found.total_seconds


def test_every_bug_names_a_check_of_the_catalog_and_a_miniature(bench):
    from conformance.catalog import checks_for

    ids = {check.id for check in checks_for("convex-oidc")}
    source = bench.MINIATURES.read_text()
    for name, (check_id, _strict) in bench.BUGS.items():
        assert check_id in ids, check_id
        assert f"{name} = " in source or f"def {name}(" in source, name
    assert set(bench.THROUGHPUT_CHECKS) <= ids


def test_child_runs_report_wall_time_cpu_time_and_peak_memory(bench):
    baseline = bench.import_baseline()
    serial = bench.certify_run(1, examples=1, only=("token.valid",))
    parallel = bench.certify_run(2, examples=1, only=("token.valid", "iss.exact"))
    for run in (baseline, serial, parallel):
        assert run.seconds > 0 and run.cpu_seconds > 0 and run.max_rss_kib > 0 and run.exit_code == 0
    assert serial.last_line.startswith("CONFORMANCE: 1 passed")
    assert parallel.last_line.startswith("CONFORMANCE: 2 passed")


def test_section_is_rewritten_in_place_and_other_sections_are_kept(bench, tmp_path):
    run = bench.ChildRun(seconds=2.0, max_rss_kib=40960, cpu_seconds=1.5, exit_code=0, last_line="CONFORMANCE: ok")
    found = bench.FirstFailure("ignores_typ", "header.typ", "failed", "BYPASS", 1, 0.01, 0.4)
    rates = {"floor": 100.0, "in-process": 50.0, "subprocess": 40.0, "http": 25.0}

    def section(date: str) -> str:
        return bench.render(rates, [found], run, run, [run], [run], date=date, load_start="0.1",
                            load_end="0.2", examples=3, rounds=1)

    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Before\n\nkeep me\n\n## Certification\n\nold\n\n## After\n\nkeep me too\n")
    bench.write_section(path, section("first-date"))
    bench.write_section(path, section("second-date"))
    text = path.read_text()
    assert text.count("## Certification") == 1 and "old" not in text
    assert "second-date" in text and "first-date" not in text
    assert "## Before\n\nkeep me\n" in text and text.rstrip().endswith("## After\n\nkeep me too")
    assert "| floor: same cases + 1 RS256 signature + 2 verifications | 100 | 1.00x |" in text
    assert "| 25 | 4.00x |" in text  # the HTTP kind, four times the floor's time
    assert "**within** the one-minute goal" in text
