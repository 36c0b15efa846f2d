"""Parser-strictness operators (attack-catalog tier D): tokens whose text or JSON is not what a
strict JWS / JSON parser takes, and the near misses a faithful one must still take.

Where each defect lands decides Convex's answer. Routing (R1) decodes only the payload segment,
strictly (no ``=``, no non-zero trailing bits). O2 then splits the token into exactly three
segments and decodes them as base64url without padding, tolerating non-zero trailing bits; the
signature is checked over the segment text as sent. JSON is serde_json's (O2a): UTF-8 only, no
NaN, at most 127 nested levels, lone surrogates fail, duplicated known members fail, duplicated
custom claims keep the last value, trailing characters fail.
"""

from __future__ import annotations

import json
from typing import Callable

from hypothesis import strategies as st

from conformance.jws import b64url_encode, json_bytes, sign
from conformance.keypool import key_pool
from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator
from .ops_forgery import edit_segment, signature_length
from .ops_keyset import republish

__all__ = ["with_member"]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SEGMENTS = ("header", "payload", "signature")
_B64_REFS = ("CVX-R1", "CVX-O2", "RFC7515-2", "RFC7519-7.2")
_JSON_REFS = ("CVX-R1", "CVX-O2a", "RFC7515-10.12", "RFC8259-6", "RFC7519-7.2")
_MALFORMED = {Reason.MALFORMED}


def with_member(obj: bytes, member: bytes, *, first: bool = True) -> bytes:
    """A compact JSON object with a raw ``"name":value`` member added first or last."""
    if obj.strip() == b"{}":
        return b"{" + member + b"}"
    return b"{" + member + b"," + obj[1:] if first else obj[:-1] + b"," + member + b"}"


def _segment_lengths(draft: CaseDraft) -> tuple[int, int, int]:
    return (len(b64url_encode(draft.encoded_header())), len(b64url_encode(draft.encoded_payload())),
            len(b64url_encode(b"\0" * signature_length(draft))))


def _resigned(draft: CaseDraft, description: str, index: int, edit: Callable[[str], str]) -> None:
    """Edit the header or payload segment text and sign the edited text again."""
    alg, key = draft.header["alg"], key_pool()[draft.key_id or ""]

    def apply(token: str) -> str:
        parts = token.split(".")
        parts[index] = edit(parts[index])
        signing_input = (parts[0] + "." + parts[1]).encode("ascii")
        return parts[0] + "." + parts[1] + "." + b64url_encode(sign(alg, key, signing_input))

    draft.token_edits.append((description, apply))


def _json_segment(draft: CaseDraft, segment: str) -> bytes:
    return draft.encoded_header() if segment == "header" else draft.encoded_payload()


def _set_json_segment(draft: CaseDraft, segment: str, raw: bytes) -> None:
    setattr(draft, f"{segment}_bytes", raw)  # header_bytes or payload_bytes


def _needing_padding(draft: CaseDraft, segment: str) -> str:
    """Make `segment` encode to a length that is not a multiple of 4; returns a note."""
    if segment == "signature":
        if signature_length(draft) % 3 == 0:
            return republish(draft, "rsa-2048-a", "RS256")
        return ""
    raw = _json_segment(draft, segment)
    if len(raw) % 3 == 0:
        _set_json_segment(draft, segment, raw + b" ")
        return f"base edited: one space after the {segment} JSON; "
    return ""


def _free_name(draft: CaseDraft, stem: str) -> str:
    name = stem
    while name in draft.payload:
        name += "_"
    return name


# -- base64url text ----------------------------------------------------------------------------------
@operator("parser.junk-character", "a $ ! space ~ or * inserted into a segment", tier="D", expect=_MALFORMED,
          refs=_B64_REFS, area="parser")
def _junk_character(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Not base64url: the payload fails routing, the header or signature fail O2."""
    index = draw(st.integers(0, 2))
    position = draw(st.integers(0, _segment_lengths(draft)[index]))
    char = draw(st.sampled_from(("$", "!", " ", "~", "*")))
    edit_segment(draft, f"insert {char!r} at {position} of the {_SEGMENTS[index]}", index,
                 lambda segment: segment[:position] + char + segment[position:])
    return Mutation("parser.junk-character", f"token.{_SEGMENTS[index]}", None, char, f"at {position}")


@operator("parser.standard-base64-alphabet", "a segment in the standard alphabet (+ and / for - and _)",
          tier="D", expect=_MALFORMED, refs=_B64_REFS, area="parser")
def _standard_alphabet(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """``+`` and ``/`` are not base64url. The segment is made to contain ``-`` or ``_`` first: a
    ``"pad":"??????"`` member (six 0x3f bytes always encode to ``Pz8_`` once) when it has none."""
    segment = draw(st.sampled_from(_SEGMENTS))
    note = ""
    if segment == "signature" and not set(draft.token().split(".")[2]) & set("-_"):
        segment, note = "payload", "the signature has no - or _; payload used instead; "
    if segment != "signature" and not set(b64url_encode(_json_segment(draft, segment))) & set("-_"):
        (draft.header if segment == "header" else draft.payload)[_free_name(draft, "pad")] = "??????"
        note += f"base edited: pad member added to the {segment}; "
    index = _SEGMENTS.index(segment)
    edit_segment(draft, f"{segment} in the standard base64 alphabet", index,
                 lambda text: text.replace("-", "+").replace("_", "/"))
    return Mutation("parser.standard-base64-alphabet", f"token.{segment}", "-_", "+/", note)


@operator("parser.padding", "= padding on a segment", tier="D", expect=_MALFORMED,
          refs=_B64_REFS + ("bis-3.14",), area="parser")
def _padding(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Routing decodes the payload strictly and O2 decodes without padding: ``=`` fails anywhere."""
    segment = draw(st.sampled_from(_SEGMENTS))
    note = _needing_padding(draft, segment)
    edit_segment(draft, f"pad the {segment}", _SEGMENTS.index(segment), lambda text: text + "=" * (-len(text) % 4))
    return Mutation("parser.padding", f"token.{segment}", None, "=", note)


def _dirty_last_char(mask: int) -> Callable[[str], str]:
    """Set unused low bits (`mask`, limited to the bits that are unused) of the last character."""

    def edit(text: str) -> str:
        unused = 4 if len(text) % 4 == 2 else 2
        last = _ALPHABET.index(text[-1]) | (mask % (1 << unused) or 1)
        return text[:-1] + _ALPHABET[last]

    return edit


def _noncanonical_operator(name: str, segment: str, expect: set[Reason] | str, doc: str) -> None:
    @operator(name, f"non-zero trailing bits in the last character of the {segment}", tier="D",
              expect=expect, refs=_B64_REFS + ("RFC4648-3.5",), area="parser")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        note = _needing_padding(draft, segment)
        mask = draw(st.integers(1, 15))
        index = _SEGMENTS.index(segment)
        if segment == "signature":
            edit_segment(draft, "dirty trailing bits of the signature", index, _dirty_last_char(mask))
        else:
            _resigned(draft, f"dirty trailing bits of the {segment}, signed again", index, _dirty_last_char(mask))
            note += "signature computed over the edited text; "
        return Mutation(name, f"token.{segment}", None, f"trailing bits mask {mask}", note)

    apply.__doc__ = doc


_noncanonical_operator("parser.noncanonical-signature-bits", "signature", ACCEPT,
                       "O2 tolerates trailing bits and routing never decodes the signature: accepted.")
_noncanonical_operator("parser.noncanonical-header-bits", "header", ACCEPT,
                       "O2 tolerates trailing bits; the signature covers the text as sent: accepted.")
_noncanonical_operator("parser.noncanonical-payload-bits", "payload", _MALFORMED,
                       "Routing (R1) decodes the payload strictly: malformed.")


# -- whitespace and segments -------------------------------------------------------------------------
@operator("parser.whitespace-around", "whitespace before or after the token", tier="D", expect=_MALFORMED,
          refs=_B64_REFS + ("bis-3.14",), area="parser")
def _whitespace_around(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Nothing trims the token: the space becomes part of the header or signature segment."""
    space = draw(st.sampled_from((" ", "\n", "\t", "\r\n", "  ")))
    where = draw(st.sampled_from(("after", "before", "both")))
    draft.token_edits.append((f"whitespace {where}", lambda token: (space if where != "after" else "") + token
                              + (space if where != "before" else "")))
    return Mutation("parser.whitespace-around", "token", None, repr(space), where)


@operator("parser.whitespace-inside", "a space or tab inside a segment", tier="D",
          expect=_MALFORMED, refs=_B64_REFS + ("bis-3.14",), area="parser")
def _whitespace_inside(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    index = draw(st.integers(0, 2))
    position = draw(st.integers(1, max(1, _segment_lengths(draft)[index] - 1)))
    space = draw(st.sampled_from((" ", "\t")))
    edit_segment(draft, f"whitespace at {position} of the {_SEGMENTS[index]}", index,
                 lambda text: text[:position] + space + text[position:])
    return Mutation("parser.whitespace-inside", f"token.{_SEGMENTS[index]}", None, repr(space), f"at {position}")


@operator("parser.newline", "line breaks in the token (wrapped every 40, 64 or 76 characters)",
          tier="D", expect=_MALFORMED, refs=_B64_REFS, area="parser")
def _newline(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    width = draw(st.sampled_from((76, 64, 40)))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    draft.token_edits.append((f"wrapped every {width} characters", lambda token: newline.join(
        token[start:start + width] for start in range(0, len(token), width))))
    return Mutation("parser.newline", "token", None, repr(newline), f"every {width} characters")


def _segments_operator(name: str, title: str, build: Callable[[st.DrawFn, CaseDraft], Callable[[str], str]],
                       doc: str) -> None:
    @operator(name, title, tier="A", expect=_MALFORMED, refs=_B64_REFS + ("RFC7516-9",), area="parser")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        edit = build(draw, draft)
        draft.token_edits.append((title, edit))
        return Mutation(name, "token", "h.p.s", title, "")

    apply.__doc__ = doc


def _fourth(draw: st.DrawFn, draft: CaseDraft) -> Callable[[str], str]:
    extra = draw(st.one_of(st.sampled_from(("copy", "e30")), st.binary(min_size=1, max_size=16).map(b64url_encode)))
    return lambda token: token + "." + (token.split(".")[2] if extra == "copy" else extra)


def _fifth(draw: st.DrawFn, draft: CaseDraft) -> Callable[[str], str]:
    if draw(st.booleans()):
        draft.sign_alg = draft.header["alg"]
        draft.header.update({"alg": "RSA-OAEP", "enc": "A256GCM"})
    parts = draw(st.lists(st.binary(min_size=1, max_size=16).map(b64url_encode), min_size=2, max_size=2))
    return lambda token: token + "." + ".".join(parts)


def _extra_dot(draw: st.DrawFn, draft: CaseDraft) -> Callable[[str], str]:
    layout = draw(st.sampled_from(("h..p.s", "h.p..s", "h.p.s.", "h.p.s..")))

    def edit(token: str) -> str:
        parts = dict(zip("hps", token.split(".")), **{"": ""})
        return ".".join(parts[name] for name in layout.split("."))

    return edit


def _empty(draw: st.DrawFn, draft: CaseDraft) -> Callable[[str], str]:
    index = draw(st.integers(0, 1))
    return lambda token: ".".join("" if i == index else part for i, part in enumerate(token.split(".")))


_segments_operator("parser.four-segments", "four segments h.p.s.x", _fourth, "O2 needs exactly three segments.")
_segments_operator("parser.two-segments", "two segments h.p (no signature part)",
                   lambda draw, draft: lambda token: token.rsplit(".", 1)[0],
                   "Routing reads the payload; O2 needs exactly three segments.")
_segments_operator("parser.five-segments", "five segments (JWE-shaped), JWE header or the original", _fifth,
                   "Routing reads the claims in segment 2; O2 needs exactly three segments (no JWE).")
_segments_operator("parser.extra-dots", "an extra dot (h..p.s, h.p..s, h.p.s., h.p.s..)", _extra_dot,
                   "A dot after the header empties the payload (routing fails), any other one makes four or "
                   "more segments (O2 fails). A leading dot is left out: the header would be read as claims.")
_segments_operator("parser.empty-segment", "empty header or empty payload segment", _empty,
                   "An empty payload fails routing; an empty header fails O2 (no JSON).")


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
        _set_json_segment(draft, segment, raw)
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
    name = _free_name(draft, "x_note")
    return with_member(_json_segment(draft, segment), _member(name, b'"ab' + bad + b'cd"')), f"{name} holds {bad!r}"


_json_operator("parser.non-utf8", "invalid UTF-8 bytes in a header or payload string", ("payload", "header"),
               _MALFORMED, _non_utf8, "serde_json reads UTF-8 only; the bytes sit in typ (header) or a custom "
               "claim (payload), both of which Convex parses.", _JSON_REFS + ("RFC8725-3.7",))


_json_operator("parser.bom", "a UTF-8 byte order mark before the header or payload JSON", ("payload", "header"),
               _MALFORMED, lambda draw, draft, segment: (b"\xef\xbb\xbf" + _json_segment(draft, segment), "BOM"),
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
               lambda draw, draft, segment: (with_member(_json_segment(draft, "header"),
                                                         _member("x-ext", draw(st.sampled_from(_UNREAD)))), "x-ext"),
               "serde skips members of no header field unread (IgnoredAny): only their syntax is checked, so "
               "what would fail in a field Convex reads passes here (O2a).", _JSON_REFS + ("RFC7515-4-b",))


def _raw_claim(literals: tuple[bytes, ...], stem: str) -> Callable[[st.DrawFn, CaseDraft, str], tuple[bytes, str]]:
    def build(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
        literal = draw(st.sampled_from(literals))
        member = _member(_free_name(draft, stem), literal)
        return with_member(_json_segment(draft, segment), member, first=draw(st.booleans())), literal.decode()

    return build


_json_operator("parser.nan-literal", "NaN / Infinity literal in a custom claim", ("payload",), _MALFORMED,
               _raw_claim((b"NaN", b"Infinity", b"-Infinity"), "x_score"), "Not JSON (RFC 8259 §6).")
_json_operator("parser.lone-surrogate", "lone UTF-16 surrogate escape in a custom claim", ("payload",), _MALFORMED,
               _raw_claim((b'"a\\ud800b"', b'"\\udfff"', b'"\\ud83dx"', b'"\\udc00\\ud800"'), "x_note"),
               "serde_json refuses unpaired surrogates in strings it reads (O2a).")


def _comment(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    raw = _json_segment(draft, segment)
    comment = draw(st.sampled_from((b"/* note */", b"// note\n")))
    return (b"{" + comment + raw[1:] if draw(st.booleans()) else raw[:-1] + comment + b"}"), comment.decode()


def _trailing(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    junk = draw(st.sampled_from((b"x", b"}", b"]", b"{}", b"null", b"\x00", b",")))
    return _json_segment(draft, segment) + junk, f"{junk!r} after the JSON"


_json_operator("parser.json-comment", "a /* */ or // comment inside the JSON", ("payload", "header"), _MALFORMED,
               _comment, "JSON has no comments.")
_json_operator("parser.trailing-junk", "characters after the JSON value of a segment", ("payload", "header"),
               _MALFORMED, _trailing, "serde_json::from_slice refuses trailing characters (whitespace aside).")


def _not_object(draw: st.DrawFn, draft: CaseDraft, segment: str) -> tuple[bytes, str]:
    raw = _json_segment(draft, segment)
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
        member = _free_name(draft, "x_data") if where == "payload" else "x-data"
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
