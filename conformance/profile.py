"""Conformance profiles as values: a name, a version, the reference validator and its rules.

"Profile" here is a *conformance* profile (what system a target must agree with), not a
Hypothesis settings profile. New profiles (``oidc-core``, ``convex-custom-jwt``) are new values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .errors import UsageError
from .fetching import Fetcher
from .provider import ProviderConfig
from .verdict import Verdict

__all__ = ["Profile", "Rule", "get_profile", "profile_names", "register_profile"]

Validate = Callable[..., Verdict]  # (token, *, provider: ProviderConfig, now: float, fetch: Fetcher) -> Verdict


@dataclass(frozen=True)
class Rule:
    """One rule of a profile's reference behaviour, e.g. ``CVX-O3.3`` "no extra audiences"."""

    id: str
    title: str
    source: str = ""  # where the behaviour comes from (document section, upstream source file)


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    title: str
    validate: Validate = field(repr=False)
    rules: tuple[Rule, ...] = ()

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"profile {self.name} has no rule {rule_id!r}")

    def verdict(self, token: str, *, provider: ProviderConfig, now: float, fetch: Fetcher) -> Verdict:
        return self.validate(token, provider=provider, now=now, fetch=fetch)


_REGISTRY: dict[str, Profile] = {}


def register_profile(profile: Profile) -> Profile:
    _REGISTRY[profile.name] = profile
    return profile


def _load_builtin() -> None:
    if not _REGISTRY:
        from .reference import CONVEX_OIDC  # noqa: F401  (registers itself)


def profile_names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def get_profile(name: str) -> Profile:
    """The registered profile called `name`, or a UsageError naming the known ones."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown conformance profile {name!r}",
                         f"use one of: {', '.join(sorted(_REGISTRY))}") from None
