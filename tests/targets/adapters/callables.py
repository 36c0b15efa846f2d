"""In-process toy targets, one behaviour each."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime, timezone

from conformance import Rejected


def accept_claims(token, ctx):
    return {"sub": token, "aud": ctx.application_id}


accept_claims.implementation = {"name": "toy-claims", "version": "2.0", "language": "python",
                                "capabilities": {"returns": "claims"}}


def accept_identity(token, ctx):
    return {"tokenIdentifier": f"{ctx.domain}|{token}", "subject": token}


def reject_with_reason(token, ctx):
    raise Rejected("wrong audience", reason="audience")


def reject_without_reason(token, ctx):
    raise Rejected("no")


def reject_with_unknown_reason(token, ctx):
    raise Rejected("no", reason="aud")


class LibraryError(Exception):
    """Stands for a validation library's own exception type."""


class ExpiredError(LibraryError):
    reason = "expired"


class ConnectionProblem(LibraryError):
    reason = "connection refused"  # a library's own `reason` text, not a reason code


def raises_library_errors(token, ctx):
    if token == "expired":
        raise ExpiredError("token expired")
    if token == "connection":
        raise ConnectionProblem("cannot fetch keys")
    if token == "plain":
        raise LibraryError("bad token")
    raise KeyError(token)  # not listed in `rejects`: a crash


raises_library_errors.rejects = (LibraryError,)


def raises_unlisted(token, ctx):
    return {}["missing"]


def exits(token, ctx):
    sys.exit(2)


def returns_list(token, ctx):
    return ["not", "a", "mapping"]


def returns_non_json(token, ctx):
    return {"sub": token, "when": object()}


def reads_clock(token, ctx):
    return {"time": time.time(), "now": datetime.now(timezone.utc).timestamp(),
            "today": date.today().isoformat(), "time_ns": time.time_ns()}


def prints(token, ctx):
    print("validator chatter on stdout")
    return {"sub": token}


def bad_rejects(token, ctx):
    return {}


bad_rejects.rejects = ("jwt.InvalidTokenError",)


def bad_implementation(token, ctx):
    return {}


bad_implementation.implementation = ["toy"]

NOT_CALLABLE = 42
