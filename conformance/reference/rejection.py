"""A rejection raised inside the reference pipeline and turned into a `Verdict` at its edge.

Every step of the pipeline either returns what the next step needs or raises `Rejection` with the
reason code, the rule id that decided and a message in the wording the backend uses.
"""

from __future__ import annotations

from ..reasons import Reason
from ..verdict import Verdict

__all__ = ["Rejection"]


class Rejection(Exception):
    """The token is rejected by `rule` for `reason`."""

    def __init__(self, reason: Reason, rule: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.rule = rule
        self.message = message

    def verdict(self) -> Verdict:
        return Verdict.reject(self.reason, self.rule, self.message)
