"""Parser-strictness operators on the token text (attack-catalog tier D): segments that are not
unpadded base64url, whitespace, and the wrong number of segments, with the near misses a faithful
parser must still take. The JSON inside the segments is `ops_json`'s.

Where each defect lands decides Convex's answer. Routing (R1) decodes only the payload segment,
strictly (no ``=``, no non-zero trailing bits). O2 then splits the token into exactly three
segments and decodes them as base64url without padding, tolerating non-zero trailing bits; the
signature is checked over the segment text as sent.
"""

from __future__ import annotations

from typing import Callable

from hypothesis import strategies as st

from conformance.jws import b64url_encode, sign
from conformance.keypool import key_pool
from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator
from .ops_forgery import edit_segment, signature_length
from .ops_keyset import republish

__all__ = ["free_name", "json_segment", "set_json_segment"]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SEGMENTS = ("header", "payload", "signature")
_B64_REFS = ("CVX-R1", "CVX-O2", "RFC7515-2", "RFC7519-7.2")
_MALFORMED = {Reason.MALFORMED}


def json_segment(draft: CaseDraft, segment: str) -> bytes:
    """The JSON bytes of the ``header`` or ``payload`` segment, as the token will carry them."""
    return draft.encoded_header() if segment == "header" else draft.encoded_payload()


def set_json_segment(draft: CaseDraft, segment: str, raw: bytes) -> None:
    """Make the ``header`` or ``payload`` segment carry `raw` instead of its rendered JSON."""
    setattr(draft, f"{segment}_bytes", raw)  # header_bytes or payload_bytes


def free_name(draft: CaseDraft, stem: str) -> str:
    """`stem`, with underscores appended until no payload member has that name."""
    name = stem
    while name in draft.payload:
        name += "_"
    return name


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


def _needing_padding(draft: CaseDraft, segment: str) -> str:
    """Make `segment` encode to a length that is not a multiple of 4; returns a note."""
    if segment == "signature":
        if signature_length(draft) % 3 == 0:
            return republish(draft, "rsa-2048-a", "RS256")
        return ""
    raw = json_segment(draft, segment)
    if len(raw) % 3 == 0:
        set_json_segment(draft, segment, raw + b" ")
        return f"base edited: one space after the {segment} JSON; "
    return ""


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
    if segment != "signature" and not set(b64url_encode(json_segment(draft, segment))) & set("-_"):
        (draft.header if segment == "header" else draft.payload)[free_name(draft, "pad")] = "??????"
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
