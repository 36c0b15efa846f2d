"""Hypothesis settings profiles for quick local runs, CI and certification.

Registered under ``idtoken-quick``, ``idtoken-ci`` and ``idtoken-certify`` so users can also load
them for their own property tests (``pytest --hypothesis-profile=idtoken-ci``). The engine reads
the number of examples per check from the chosen one.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["EXAMPLES", "register_settings_profiles", "examples_for"]

EXAMPLES = {"quick": 25, "ci": 100, "certify": 400}


def register_settings_profiles() -> None:
    for name, examples in EXAMPLES.items():
        settings.register_profile(f"idtoken-{name}", max_examples=examples, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def examples_for(name: str) -> int:
    from .errors import UsageError

    try:
        return EXAMPLES[name]
    except KeyError:
        raise UsageError(f"unknown settings profile {name!r}", f"use one of: {', '.join(EXAMPLES)}") from None
