"""Exceptions of the suite itself.

Tree::

    ConformanceError          misuse of the suite (bad target spec, broken config, missing file):
     └─ UsageError            shown to the user as one message, never as a traceback
    Rejected                  raised by an in-process target to say "this token is rejected"

A target's answers are values (see ``conformance.observation``); only the suite's own misuse raises.
"""

from __future__ import annotations

__all__ = ["ConformanceError", "UsageError", "Rejected"]


class ConformanceError(Exception):
    """Base class of the suite's own errors."""


class UsageError(ConformanceError):
    """Bad input to the suite: says what is wrong and how to fix it."""

    def __init__(self, problem: str, fix: str | None = None) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(problem if fix is None else f"{problem}\n  fix: {fix}")


class Rejected(Exception):
    """Raised by an in-process target validator to reject a token, optionally with a reason code."""

    def __init__(self, message: str = "rejected", *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
