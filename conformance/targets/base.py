"""The target contract: what every validator under test looks like to the suite, whatever its kind.

A target is started once (import, spawn + handshake, or HTTP handshake), asked about one token at a
time, and closed. Its answers are `Observation` values; only misuse of the suite (a bad spec, an
adapter that cannot even start) raises, as `UsageError`.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..context import TargetContext
from ..observation import Observation

__all__ = ["Implementation", "Target"]


@dataclass(frozen=True)
class Implementation:
    """Who the target is: reported in run metadata and reports.

    `capabilities` is what the adapter declared in its handshake, e.g. ``{"returns": "claims",
    "reasons": True}``; empty when nothing was declared.
    """

    name: str
    version: str = ""
    language: str = ""
    capabilities: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "language": self.language,
                "capabilities": dict(self.capabilities)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Implementation:
        return cls(name=data["name"], version=data.get("version", ""), language=data.get("language", ""),
                   capabilities=dict(data.get("capabilities") or {}))


class Target(abc.ABC):
    """A validator under test. Use as a context manager, or call `start()` and `close()` yourself.

    `run()` never raises for anything the target does: a crash, a hang or a broken answer is an
    ERRORED observation. `close()` is idempotent.
    """

    kind: str = "target"  # "python", "subprocess" or "http"

    def __init__(self, spec: str, *, timeout: float) -> None:
        self.spec = spec
        self.timeout = timeout
        self._implementation: Implementation | None = None
        self._closed = False

    @property
    def implementation(self) -> Implementation:
        if self._implementation is None:
            raise RuntimeError(f"target {self.spec!r} is not started: call start() or use `with target:`")
        return self._implementation

    @property
    def started(self) -> bool:
        return self._implementation is not None

    @abc.abstractmethod
    def start(self) -> None:
        """Import, spawn or connect, and learn the implementation; UsageError if that fails."""

    @abc.abstractmethod
    def run(self, token: str, ctx: TargetContext) -> Observation:
        """The target's answer for one token."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release everything `start()` acquired; safe to call twice or before `start()`."""

    def _require_started(self) -> None:
        if not self.started or self._closed:
            raise RuntimeError(f"target {self.spec!r} is not running: call start() or use `with target:`")

    def __enter__(self) -> Target:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec!r}>"
