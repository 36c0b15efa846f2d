"""Helpers shared by the target tests: toy adapter specs, adapter modules, a JWKS issuer with tokens."""

from __future__ import annotations

import importlib.util
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from conformance.context import TargetContext
from conformance.jws import compact
from conformance.keypool import key_pool

ADAPTERS = Path(__file__).parent / "adapters"
TOY_ADAPTER = ADAPTERS / "toy_adapter.py"
REPO = Path(__file__).resolve().parents[2]
PAST = 1_600_000_000.5  # 2020-09-13: long before the wall clock, so a validator reading it would see expired tokens


def toy_spec(*args: str) -> str:
    """The exec: spec of the JSON-lines toy adapter with `args`."""
    return "exec:" + shlex.join([sys.executable, str(TOY_ADAPTER), *args])


def adapter_module(name: str) -> ModuleType:
    """A module of tests/targets/adapters, loaded by path (the directory is not a package)."""
    qualified = f"target_test_adapters_{name}"
    if qualified not in sys.modules:
        spec = importlib.util.spec_from_file_location(qualified, ADAPTERS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return sys.modules[qualified]


@dataclass(frozen=True)
class JwksIssuer:
    """A loopback server publishing one key set, and tokens signed with its keys."""

    origin: str
    jwks: dict[str, Any]

    @property
    def jwks_uri(self) -> str:
        return self.origin + "/jwks"

    def context(self, *, now: float = PAST, application_id: str = "app-123") -> TargetContext:
        return TargetContext(domain=self.origin, application_id=application_id, now=now, jwks=self.jwks,
                             jwks_uri=self.jwks_uri, discovery_url=self.origin + "/.well-known/openid-configuration")

    def token(self, *, now: float = PAST, **overrides: Any) -> str:
        claims: dict[str, Any] = {"iss": self.origin, "sub": "user-1", "aud": "app-123", "iat": int(now) - 10,
                                  "exp": int(now) + 3600}
        claims.update(overrides)
        return compact({"alg": "RS256", "kid": "k1", "typ": "JWT"}, claims, key=key_pool()["rsa-2048-a"])
