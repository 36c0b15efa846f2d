"""Parser-strictness operators on the JSON inside the header and payload (attack-catalog tier D):
JSON text a strict parser refuses, and the near misses a faithful one must still take.

JSON is serde_json's (O2a): UTF-8 only, no NaN, at most 127 nested levels, lone surrogates fail,
duplicated known members fail, duplicated custom claims keep the last value, trailing characters
fail, members of no header field are skipped unread. The token text around it is `ops_parsing`'s.
"""

from __future__ import annotations

import json
from typing import Callable

from hypothesis import strategies as st

from conformance.jws import json_bytes
from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator
from .ops_parsing import free_name, json_segment, set_json_segment

__all__ = ["with_member"]

_JSON_REFS = ("CVX-R1", "CVX-O2a", "RFC7515-10.12", "RFC8259-6", "RFC7519-7.2")
_MALFORMED = {Reason.MALFORMED}


def with_member(obj: bytes, member: bytes, *, first: bool = True) -> bytes:
    """A compact JSON object with a raw ``"name":value`` member added first or last."""
    if obj.strip() == b"{}":
        return b"{" + member + b"}"
    return b"{" + member + b"," + obj[1:] if first else obj[:-1] + b"," + member + b"}"


# -- JSON inside the header and payload --------------------------------------------------------------
def _json_operator(name: str, title: str, segments: tuple[str, ...], expect: set[Reason] | str,
                   build: Callable[[st.DrawFn, CaseDraft, str], tuple[bytes, str]], doc: str,
                   refs: tuple[str, ...] = _JSON_REFS) -> None:
    """Register an operator that replaces the JSON text of a drawn segment with `build`'s bytes."""

    @operator(name, title, tier="D" if expect != ACCEPT else "-", expect=expect, refs=refs,
              area="parser")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        segment = draw(st.sampled_from(segments))
        raw, note = build(draw, draft, segment)
        set_json_segment(draft, segment, raw)
        return Mutation(name, f"{segment}.json", None, raw[:120], note)

    apply.__doc__ = doc


def _member(name: str, value: object) -> bytes:
    """A raw ``"name":value`` member; a bytes value is written as it is."""
    raw = value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    return json.dumps(name).encode() + b":" + raw


def _without(draft: CaseDraft, segment: str, name: str) -> bytes:
    source = draft.header if segment == "header" else draft.payload
    return json_bytes({key: value for key, value in source.items() if key != name})


def _duplicated(draft: CaseDraft, segment: str, name: str, first: object, last: object) -> bytes:
    return with_member(with_member(_without(draft, segment, name), _member(name, last), first=False),
                       _member(name, first))


_BAD_UTF8 = (b"\xff", b"\xc3\x28", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe9", b"\xf8\x88\x80\x80\x80")


def _non_utf8(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    bad = draw(st.sampled_from(_BAD_UTF8))
    if segment == "header":  # in a member Convex reads (typ), not one it skips unread
        return with_member(_without(draft, "header", "typ"), b'"typ":"J' + bad + b'WT"'), f"typ holds {bad!r}"
    name = free_name(draft, "x_note")
    return with_member(json_segment(draft, segment), _member(name, b'"ab' + bad + b'cd"')), f"{name} holds {bad!r}"


_json_operator("parser.non-utf8", "invalid UTF-8 bytes in a header or payload string", ("payload", "header"),
               _MALFORMED, _non_utf8, "serde_json reads UTF-8 only; the bytes sit in typ (header) or a custom "
               "claim (payload), both of which Convex parses.", _JSON_REFS + ("RFC8725-3.7",))


_json_operator("parser.bom", "a UTF-8 byte order mark before the header or payload JSON", ("payload", "header"),
               _MALFORMED, lambda draw, draft, segment: (b"\xef\xbb\xbf" + json_segment(draft, segment), "BOM"),
               "serde_json does not skip a BOM.", _JSON_REFS + ("RFC8259-8.1",))


def _wrong_value(draft: CaseDraft, name: str) -> object:
    return {"iss": draft.env.origin + "/attacker", "aud": "attacker-client", "exp": int(draft.now) - 3600,
            "sub": 12345, "alg": "none", "kid": "attacker-key", "typ": "at+jwt"}[name]


def _duplicate(last_valid: bool, segment: str) -> Callable[[st.DrawFn, CaseDraft, str], tuple[bytes, str]]:
    def build(draw: st.DrawFn, draft: CaseDraft, _: str) -> tuple[bytes, str]:
        source = draft.header if segment == "header" else draft.payload
        candidates = ("alg", "kid", "typ") if segment == "header" else ("iss", "aud", "exp", "sub")
        name = draw(st.sampled_from([n for n in candidates if n in source]))
        good, bad = source[name], _wrong_value(draft, name)
        first, last = (bad, good) if last_valid else (good, bad)
        return _duplicated(draft, segment, name, first, last), f"{name}: first {first!r}, last {last!r}"

    return build


for _segment, _names in (("payload", "registered claim (iss, aud, exp, sub)"), ("header", "header (alg, kid, typ)")):
    _kind = "claim" if _segment == "payload" else "header"
    for _last_valid in (True, False):
        _json_operator(f"parser.duplicate-{_kind}-last-{'valid' if _last_valid else 'invalid'}",
                       f"duplicated {_names}, the {'last' if _last_valid else 'first'} value is the good one",
                       (_segment,), _MALFORMED, _duplicate(_last_valid, _segment),
                       "Duplicates of registered claims and known header fields fail serde (O2a).",
                       _JSON_REFS + ("RFC7519-4-a", "RFC7515-4-a"))


def _duplicate_standard(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    name = draw(st.sampled_from(("name", "email", "preferred_username", "picture")))
    values = draw(st.lists(st.sampled_from(("Alice", "admin", "a@example.com")), min_size=2, max_size=2, unique=True))
    return _duplicated(draft, "payload", name, values[0], values[1]), f"{name} twice"


_json_operator("parser.duplicate-standard-claim", "a standard claim (name, email, ...) twice", ("payload",),
               _MALFORMED, _duplicate_standard, "Duplicated standard claims fail the ID-token parse (O2).",
               _JSON_REFS + ("RFC7519-4-a",))


def _duplicate_custom(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    from .claims import custom_claim_names, json_values  # the valid side's vocabulary

    name = draw(custom_claim_names())
    first, last = draw(json_values()), draw(json_values())
    draft.payload[name] = last
    return _duplicated(draft, "payload", name, first, last), f"{name}: last value {last!r} wins"


_json_operator("parser.duplicate-custom-claim", "a custom claim twice (the last value wins)", ("payload",), ACCEPT,
               _duplicate_custom, "Custom claims go into a map: accepted, the last value is the identity's.",
               _JSON_REFS + ("RFC7519-4-a",))


_json_operator("parser.duplicate-unknown-header", "an unknown header member twice", ("header",), ACCEPT,
               lambda draw, draft, segment: (_duplicated(draft, "header", draw(st.sampled_from(
                   ("x-trace", "ver", "ext"))), "first", "second"), "unknown member twice"),
               "Unknown header members are skipped unread, duplicates too (O2a).",
               _JSON_REFS + ("RFC7515-4-a", "RFC7515-4-b"))


_UNREAD = (b'"a\xffb"', b'"\\ud800"', b"[" * 200 + b"]" * 200, b'"\xed\xa0\x80"')
_json_operator("parser.unknown-header-unread", "invalid UTF-8, a lone surrogate or 200-deep nesting in an unknown "
               "header member", ("header",), ACCEPT,
               lambda draw, draft, segment: (with_member(json_segment(draft, "header"),
                                                         _member("x-ext", draw(st.sampled_from(_UNREAD)))), "x-ext"),
               "serde skips members of no header field unread (IgnoredAny): only their syntax is checked, so "
               "what would fail in a field Convex reads passes here (O2a).", _JSON_REFS + ("RFC7515-4-b",))


def _raw_claim(literals: tuple[bytes, ...], stem: str) -> Callable[[st.DrawFn, CaseDraft, str], tuple[bytes, str]]:
    def build(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
        literal = draw(st.sampled_from(literals))
        member = _member(free_name(draft, stem), literal)
        return with_member(json_segment(draft, segment), member, first=draw(st.booleans())), literal.decode()

    return build


_json_operator("parser.nan-literal", "NaN / Infinity literal in a custom claim", ("payload",), _MALFORMED,
               _raw_claim((b"NaN", b"Infinity", b"-Infinity"), "x_score"), "Not JSON (RFC 8259 §6).")
_json_operator("parser.lone-surrogate", "lone UTF-16 surrogate escape in a custom claim", ("payload",), _MALFORMED,
               _raw_claim((b'"a\\ud800b"', b'"\\udfff"', b'"\\ud83dx"', b'"\\udc00\\ud800"'), "x_note"),
               "serde_json refuses unpaired surrogates in strings it reads (O2a).")


def _comment(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    raw = json_segment(draft, segment)
    comment = draw(st.sampled_from((b"/* note */", b"// note\n")))
    return (b"{" + comment + raw[1:] if draw(st.booleans()) else raw[:-1] + comment + b"}"), comment.decode()


def _trailing(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    junk = draw(st.sampled_from((b"x", b"}", b"]", b"{}", b"null", b"\x00", b",")))
    return json_segment(draft, segment) + junk, f"{junk!r} after the JSON"


_json_operator("parser.json-comment", "a /* */ or // comment inside the JSON", ("payload", "header"), _MALFORMED,
               _comment, "JSON has no comments.")
_json_operator("parser.trailing-junk", "characters after the JSON value of a segment", ("payload", "header"),
               _MALFORMED, _trailing, "serde_json::from_slice refuses trailing characters (whitespace aside).")


def _not_object(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    raw = json_segment(draft, segment)
    kind = draw(st.sampled_from(("array", "string", "number", "null", "true")))
    return {"array": b"[" + raw + b"]", "string": json.dumps(raw.decode()).encode(), "number": b"42",
            "null": b"null", "true": b"true"}[kind], kind


_json_operator("parser.payload-not-object", "payload JSON that is not an object", ("payload",), _MALFORMED,
               _not_object, "The claims must be an object (routing).", _JSON_REFS + ("RFC7519-7.2",))
_json_operator("parser.header-not-object", "header JSON that is not an object", ("header",), _MALFORMED,
               _not_object, "The header must be an object (O2).", _JSON_REFS + ("RFC7519-7.2",))


# -- edits of the claims dict Convex must judge by their JSON limits ----------------------------------
def _claim_operator(name: str, title: str, expect: set[Reason] | str, value: Callable[[st.DrawFn], object],
                    doc: str, *, where: str = "payload") -> None:
    @operator(name, title, tier="D" if expect != ACCEPT else "-", expect=expect, refs=_JSON_REFS,
              area="parser")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        target = draft.payload if where == "payload" else draft.header
        member = free_name(draft, "x_data") if where == "payload" else "x-data"
        target[member] = value(draw)
        shown = json.dumps(target[member])
        return Mutation(name, f"{where}.{member}", None, shown[:120], f"{len(shown)} characters")

    apply.__doc__ = doc


def _nested(depth: int, shape: str) -> object:
    value: object = [] if shape == "array" else {}
    for _ in range(depth - 1):
        value = [value] if shape == "array" else {"a": value}
    return value


_SHAPES = st.sampled_from(("array", "object"))
_claim_operator("parser.deep-nesting-accepted", "custom claim nested 101..126 levels deep", ACCEPT,
                lambda draw: _nested(126 - draw(st.integers(0, 25)), draw(_SHAPES)),
                "serde_json allows 127 nested levels in all; the payload object is one of them (O2a).")
_claim_operator("parser.deep-nesting-rejected", "custom claim nested 127..300 levels deep", _MALFORMED,
                lambda draw: _nested(127 + draw(st.integers(0, 173)), draw(_SHAPES)),
                "127 levels in the claim make 128 with the payload object: serde_json's limit (O2a).")
_claim_operator("parser.big-integer", "custom claim integer beyond 64 bits", ACCEPT,
                lambda draw: draw(st.one_of(st.sampled_from((2**64, -(2**63) - 1, 10**20, 10**300)),
                                            st.integers(2**64, 2**200))),
                "Accepted; serde_json turns it into a float, so the identity shows a float (O2a).")
_claim_operator("parser.oversized-payload", "hundreds of KB of custom claims", ACCEPT,
                lambda draw: "0123456789abcdef" * (64 * draw(st.integers(200, 600))),
                "Convex has no token size limit (O3).")
_claim_operator("parser.oversized-header", "hundreds of KB in an unknown header member", ACCEPT,
                lambda draw: "f" * (1024 * draw(st.integers(100, 300))),
                "Unknown header members are ignored and there is no size limit.", where="header")
