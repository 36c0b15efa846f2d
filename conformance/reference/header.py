"""The JOSE header: parsed as openidconnect's `JsonWebTokenHeader` (O2) and checked (O3.1).

Parsing (`src/jwt/mod.rs`): the header is a struct with fields ``alg crit cty kid typ``; it is read
by serde_json directly, so unknown members are only syntax-checked and may repeat (see
`lenient_json`), a known member may not repeat, and the five-element sequence form
``[alg, crit, cty, kid, typ]`` is accepted too. ``alg`` must be a string naming ``none``, a JWE
content-encryption algorithm or a JWS algorithm (case-sensitive; key-management names such as
``RSA-OAEP`` are unknown). ``kid``, ``typ`` and ``cty`` are strings and ``crit`` an array of
strings; ``null`` reads as absent.

Checks (`src/verification/mod.rs` `validate_jose_header`, in this order): ``typ`` is lowercased,
gets ``application/`` prepended when it has no ``/``, and must then be ``application/jwt`` or
``application/jose``; ``cty`` must be absent; ``crit`` must be absent; a JWE ``alg`` fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..reasons import Reason
from .keys import JWE_CONTENT_ALGORITHMS, JWS_ALGORITHMS
from .lenient_json import read_struct
from .rejection import Rejection
from .rules import O2, O2A, O3_1
from .strict_json import JsonError

__all__ = ["Header", "parse_header", "check_header", "PARSE_MESSAGE", "VERIFY_MESSAGE", "json_rule"]

PARSE_MESSAGE = "Could not parse as OIDC ID token"
VERIFY_MESSAGE = ("Could not verify OIDC token claim. Check that the token signature is valid and the token "
                  "hasn't expired.")
_FIELDS = ("alg", "crit", "cty", "kid", "typ")
_ACCEPTED_TYP = frozenset({"application/jwt", "application/jose"})


@dataclass(frozen=True)
class Header:
    alg: str
    kid: str | None = None
    typ: str | None = None
    cty: str | None = None
    crit: tuple[str, ...] | None = None

    @property
    def alg_kind(self) -> str:
        """``none``, ``encryption`` (a JWE content-encryption name) or ``signature``."""
        if self.alg == "none":
            return "none"
        return "encryption" if self.alg in JWE_CONTENT_ALGORITHMS else "signature"


def json_rule(error: JsonError) -> str:
    """The rule a JSON failure belongs to: plain syntax is O2, serde_json's own strictness is O2a."""
    return O2 if error.kind in ("syntax", "type") else O2A


def _reject(reason: Reason, rule: str, detail: str) -> Rejection:
    return Rejection(reason, rule, f"{PARSE_MESSAGE}: {detail}")


def _members(data: bytes) -> dict[str, Any]:
    try:
        struct = read_struct(data, _FIELDS, trailing=False)
    except JsonError as error:
        raise _reject(Reason.MALFORMED, json_rule(error), f"header is not a JSON object ({error})") from None
    if struct.sequence is not None:
        if len(struct.sequence) != len(_FIELDS):
            raise _reject(Reason.MALFORMED, O2, "header sequence form needs exactly 5 elements")
        return dict(zip(_FIELDS, struct.sequence))
    members: dict[str, Any] = {}
    for key, value in struct.members:
        if key in members:
            raise _reject(Reason.MALFORMED, O2A, f"duplicate header field `{key}`")
        members[key] = value
    return members


def _optional_string(members: dict[str, Any], name: str) -> str | None:
    value = members.get(name)
    if value is not None and not isinstance(value, str):
        raise _reject(Reason.HEADER, O2, f"header `{name}` must be a string")
    return value


def parse_header(data: bytes) -> Header:
    """The header decoded from `data` (the base64url-decoded first segment); `Rejection` if it does not parse."""
    members = _members(data)
    if "alg" not in members or members["alg"] is None:
        raise _reject(Reason.HEADER, O2, "missing header field `alg`")
    alg = members["alg"]
    if not isinstance(alg, str):
        raise _reject(Reason.HEADER, O2, "header `alg` must be a string")
    if alg != "none" and alg not in JWE_CONTENT_ALGORITHMS and alg not in JWS_ALGORITHMS:
        raise _reject(Reason.ALGORITHM, O2, f"unrecognized JSON Web Algorithm `{alg[:80]}`")
    crit = members.get("crit")
    if crit is not None and not (isinstance(crit, list) and all(isinstance(item, str) for item in crit)):
        raise _reject(Reason.HEADER, O2, "header `crit` must be an array of strings")
    return Header(alg=alg, kid=_optional_string(members, "kid"), typ=_optional_string(members, "typ"),
                  cty=_optional_string(members, "cty"), crit=None if crit is None else tuple(crit))


def normalized_typ(typ: str) -> str:
    lowered = typ.lower()
    return lowered if "/" in lowered else "application/" + lowered


def check_header(header: Header) -> None:
    """O3.1; raises `Rejection` (HEADER, or ALGORITHM for a JWE ``alg``)."""
    if header.typ is not None and normalized_typ(header.typ) not in _ACCEPTED_TYP:
        raise Rejection(Reason.HEADER, O3_1, f"{VERIFY_MESSAGE} (unsupported JWT type `{header.typ[:80]}`)")
    if header.cty is not None:
        raise Rejection(Reason.HEADER, O3_1, f"{VERIFY_MESSAGE} (`cty` header is not supported)")
    if header.crit is not None:
        raise Rejection(Reason.HEADER, O3_1, f"{VERIFY_MESSAGE} (`crit` header is not supported)")
    if header.alg_kind == "encryption":
        raise Rejection(Reason.ALGORITHM, O3_1, f"{VERIFY_MESSAGE} (JWE encryption is not supported)")
