"""Strategies for the JOSE header of a valid token (RFC 7515 §4, Convex O3.1)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

__all__ = ["ACCEPTED_TYPS", "typs", "headers", "draw_header"]

# `typ` values Convex accepts: lowercased, `application/` prepended when there is no `/`, the
# result must be application/jwt or application/jose. None means the member is absent.
ACCEPTED_TYPS: tuple[str | None, ...] = ("JWT", None, "jwt", "application/jwt", "JOSE", "application/jose",
                                         "Application/JWT", "jose")


_TYPS = st.sampled_from(ACCEPTED_TYPS)
_ORDERS = st.permutations(["alg", "typ", "kid"])


def typs() -> SearchStrategy[str | None]:
    """`typ` values a Convex validator accepts, or None for no `typ`. Shrinks towards ``JWT``."""
    return _TYPS


def headers(*, alg: str, kid: str | None) -> SearchStrategy[dict[str, Any]]:
    """JOSE headers ``{"alg", "typ"?, "kid"?}`` for a valid token signed with `alg`.

    ``kid`` is present exactly when `kid` is not None; ``typ`` is one of the accepted variants
    or absent (rejected variants such as ``at+jwt`` are the job of mutation operators). Members
    are sometimes reordered. Shrinks towards Ave's ``{"alg": alg, "typ": "JWT", "kid": kid}``.
    """
    if not isinstance(alg, str) or not alg:
        raise InvalidArgument(f"alg={alg!r} must be a non-empty JWS algorithm name")
    if kid is not None and not isinstance(kid, str):
        raise InvalidArgument(f"kid={kid!r} must be a string or None")
    return st.composite(lambda draw: draw_header(draw, alg=alg, kid=kid))()


def draw_header(draw: st.DrawFn, *, alg: str, kid: str | None) -> dict[str, Any]:
    """One value of `headers(alg=alg, kid=kid)`, drawn inside another strategy."""
    members = {"alg": alg, "typ": draw(_TYPS), "kid": kid}
    return {name: members[name] for name in draw(_ORDERS) if members[name] is not None}
