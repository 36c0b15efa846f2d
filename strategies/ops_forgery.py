"""Forgery operators (attack-catalog tier A): tokens built without the issuer's private key, or
signed in a way the issuer never signs, that some validators have accepted.

Each operator keeps the claims valid, so the only thing wrong is the forgery itself. Convex's
answer follows from O2 (the ``alg`` must be a known JOSE name; three segments), O3.1 (no
``crit``), O3.4 (only RS256 and EdDSA), O3.5 (exactly one key qualifies; header keys are never
used) and O3.6 (the signature verifies with that key). The last section damages a genuine
signature byte by byte (bit flip, truncation, empty); the helpers at the top edit finished tokens
and are shared with the parser operators.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from hypothesis import strategies as st

from conformance.jws import b64url_encode, json_bytes, sign
from conformance.keypool import key_pool
from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import Mutation, operator
from .ops_keyset import (attacker_key_id, ensure_kid, fresh_kid, insert_key, key_material, republish,
                         sibling_key_ids, signing_entry)

__all__ = ["b64url_decode", "signature_length", "edit_segment"]

_ATTACKER_PATHS = ("/attacker/jwks", "/.attacker/jwks.json")


def b64url_decode(segment: str) -> bytes:
    """Decode an unpadded base64url segment (tolerant: this reads tokens we built ourselves)."""
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def signature_length(draft: CaseDraft) -> int:
    """Bytes in the signature the draft will produce."""
    if draft.signature is not None:
        return len(draft.signature)
    key = key_pool()[draft.key_id or ""]
    if key.kty == "RSA":
        return (key.size + 7) // 8
    if key.kty == "OKP":
        return 114 if key.is_ed448() else 64
    return 2 * ((key.size + 7) // 8)


def edit_segment(draft: CaseDraft, description: str, index: int, edit: Callable[[str], str]) -> None:
    """Append a token edit that rewrites segment `index` (0 header, 1 payload, 2 signature)."""

    def apply(token: str) -> str:
        parts = token.split(".")
        parts[index] = edit(parts[index])
        return ".".join(parts)

    draft.token_edits.append((description, apply))


def _signing_input(draft: CaseDraft) -> bytes:
    return (b64url_encode(draft.encoded_header()) + "." + b64url_encode(draft.encoded_payload())).encode("ascii")


# -- alg: none ---------------------------------------------------------------------------------------
_NONE_REFS = ("CVX-O2", "CVX-O3.4", "OIDCC-2-none", "RFC7518-3.6", "RFC8725-3.2", "RFC7515-4.1.1")


def _maybe_drop_kid(draw: st.DrawFn, draft: CaseDraft) -> str:
    if "kid" in draft.header and draw(st.booleans()):
        return f"kid {draft.header.pop('kid')!r} removed; "
    return "kid kept; " if "kid" in draft.header else "no kid; "


@operator("signature.alg-none", "alg: none with an empty signature", tier="A", expect={Reason.ALGORITHM},
          refs=_NONE_REFS, area="signature")
def _alg_none(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """``none`` is a known JOSE name, so O2 parses it and O3.4 rejects it."""
    before, draft.header["alg"] = draft.header["alg"], "none"
    note = _maybe_drop_kid(draw, draft)
    draft.signature = b""
    return Mutation("signature.alg-none", "header.alg", before, "none", note + "empty signature")


@operator("signature.alg-none-case", "alg None / NONE / nOnE with an empty signature", tier="A",
          expect={Reason.ALGORITHM}, refs=_NONE_REFS + ("bis-2.11",), area="signature")
def _alg_none_case(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Algorithm names are case-sensitive: ``None`` is no known JOSE name, so O2 fails on the alg."""
    alg = draw(st.sampled_from(("None", "NONE", "nOnE", "NoNe")))
    before, draft.header["alg"] = draft.header["alg"], alg
    note = _maybe_drop_kid(draw, draft)
    draft.signature = b""
    return Mutation("signature.alg-none-case", "header.alg", before, alg, note + "empty signature")


@operator("signature.alg-none-signed", "alg: none that still carries a signature", tier="A",
          expect={Reason.ALGORITHM}, refs=_NONE_REFS, area="signature")
def _alg_none_signed(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """O3.4 rejects ``none`` whatever the signature; a validator that verifies with the key's own
    algorithm would accept the re-signed form."""
    original_alg = draft.header["alg"]
    kind = draw(st.sampled_from(("re-signed over the none header", "original signature kept")))
    if kind == "original signature kept":
        draft.signature = sign(original_alg, key_pool()[draft.key_id or ""], _signing_input(draft))
    else:
        draft.sign_alg = original_alg
    draft.header["alg"] = draw(st.sampled_from(("none", "None", "NONE")))
    note = _maybe_drop_kid(draw, draft)
    return Mutation("signature.alg-none-signed", "header.alg", original_alg, draft.header["alg"], note + kind)


# -- HMAC keyed with the issuer's public key ---------------------------------------------------------
_HMAC_REFS = ("CVX-O3.4", "OIDCC-3.1.3.7-8", "RFC8725-3.1", "RFC8725-2.1", "OIDCC-10.1-sym")
_HMAC_FORMS = (
    ("signature.hmac-spki-pem", "SPKI PEM (BEGIN PUBLIC KEY)", "spki"),
    ("signature.hmac-pkcs1-pem", "PKCS#1 PEM (BEGIN RSA PUBLIC KEY)", "pkcs1"),
    ("signature.hmac-openssh", "OpenSSH text (ssh-rsa / ssh-ed25519)", "openssh"),
    ("signature.hmac-jwk-text", "the published JWK as JSON text", "jwk"),
)


def _public_text(draw: st.DrawFn, draft: CaseDraft, form: str) -> bytes:
    if form == "jwk":
        entry = signing_entry(draft)
        text = json.dumps(entry, indent=2) if draw(st.booleans()) else json.dumps(entry, separators=(",", ":"))
        raw = text.encode()
    else:
        raw = key_pool()[draft.key_id or ""].public_pem(form)
    stripped = raw.rstrip(b"\n")
    return stripped + b"\n" if draw(st.booleans()) else stripped


def _hmac_operator(name: str, title: str, form: str) -> None:
    @operator(name, f"HS256/384/512 keyed with the issuer's public key as {title}", tier="A",
              expect={Reason.ALGORITHM}, refs=_HMAC_REFS, area="signature")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        """O3.4: only RS256 and EdDSA pass, so every HS* token is refused before any key is used."""
        note = ""
        if form == "pkcs1" and key_pool()[draft.key_id or ""].kty != "RSA":
            note = republish(draft, "rsa-2048-a", "RS256")  # PKCS#1 text exists for RSA keys only
        draft.secret = _public_text(draw, draft, form)
        alg = draw(st.sampled_from(("HS256", "HS384", "HS512")))
        before, draft.header["alg"] = draft.header["alg"], alg
        newline = "with" if draft.secret.endswith(b"\n") else "without"
        return Mutation(name, "header.alg", before, alg,
                        note + f"secret: {form} text of {draft.key_id}, {newline} trailing newline")


for _name, _title, _form in _HMAC_FORMS:
    _hmac_operator(_name, _title, _form)


# -- keys offered by the header itself ----------------------------------------------------------------
_HEADER_KEY_REFS = ("CVX-O3.5", "OIDCC-3.1.3.7-6", "OIDCC-2-keyhdr", "RFC8725-3.8")


@lru_cache(maxsize=None)
def _self_signed_certificate(key_id: str) -> bytes:
    """A DER certificate for a pool key, deterministic: fixed name, serial and validity dates, and
    a deterministic signature scheme (RSA PKCS#1 v1.5 or Ed25519)."""
    key = key_pool()[key_id]
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker.invalid")])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key)
               .serial_number(0x1D70CE).not_valid_before(datetime(2024, 1, 1, tzinfo=timezone.utc))
               .not_valid_after(datetime(2034, 1, 1, tzinfo=timezone.utc)))
    certificate = builder.sign(key.private_key, None if key.kty == "OKP" else hashes.SHA256())
    return certificate.public_bytes(serialization.Encoding.DER)


def _attacker_url(draft: CaseDraft, suffix: str) -> str:
    served = {draft.issuer.jwks_path, draft.issuer.issuer_path.rstrip("/") + "/jwks"}
    path = next(p for p in _ATTACKER_PATHS if p not in served)
    return draft.env.origin + path + suffix


def _header_key_operator(name: str, title: str, member: str,
                         value: Callable[[CaseDraft, str], object]) -> None:
    @operator(name, title, tier="A", expect={Reason.SIGNATURE}, refs=_HEADER_KEY_REFS + ("RFC8725-3.10",),
              area="header")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        """Convex reads keys from the discovered JWKS only (O3.5); the header member is ignored, the
        kid (if any) still selects the issuer's key, and the attacker's signature fails there."""
        attacker = attacker_key_id(draft)
        draft.header[member] = value(draft, attacker)
        draft.key_id = attacker
        return Mutation(name, f"header.{member}", None, draft.header[member], f"signed with {attacker}")


_header_key_operator("header.embedded-jwk", "attacker public key embedded as header jwk, signed with it", "jwk",
                     lambda draft, attacker: {**key_material(key_pool()[attacker]),
                                              **({"kid": draft.header["kid"]} if "kid" in draft.header else {})})
_header_key_operator("header.embedded-x5c", "attacker self-signed certificate in header x5c, signed with its key",
                     "x5c", lambda draft, attacker: [base64.b64encode(_self_signed_certificate(attacker)).decode()])
_header_key_operator("header.jku-attacker-url", "header jku naming an attacker JWKS URL, signed by the attacker",
                     "jku", lambda draft, attacker: _attacker_url(draft, ""))
_header_key_operator("header.x5u-attacker-url", "header x5u naming an attacker certificate URL", "x5u",
                     lambda draft, attacker: _attacker_url(draft, ".pem"))


# -- crit and b64 -------------------------------------------------------------------------------------
_CRIT_REFS = ("CVX-O3.1", "RFC7515-4.1.11-a")


def _crit_operator(name: str, title: str, refs: tuple[str, ...],
                   members: Callable[[st.DrawFn, CaseDraft], dict[str, object]]) -> None:
    @operator(name, title, tier="A", expect={Reason.HEADER}, refs=_CRIT_REFS + refs, area="header")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        """O3.1: ``crit`` must be absent (openidconnect understands no extension), whatever it lists.
        The token stays correctly signed, so a validator that ignores ``crit`` accepts it."""
        added = members(draw, draft)
        draft.header.update(added)
        return Mutation(name, "header.crit", None, added["crit"], json.dumps(added))


_crit_operator("header.crit-unknown", 'unknown critical extension: crit ["urn:x"], "urn:x": true', (),
               lambda draw, draft: {"crit": ["urn:x"], "urn:x": True})
_crit_operator("header.crit-registered-header", "crit naming a JWS-defined header (alg, typ, kid)",
               ("RFC7515-4.1.11-b", "RFC7515-4.1.11-c"),
               lambda draw, draft: {"crit": [draw(st.sampled_from([n for n in ("alg", "typ", "kid")
                                                                   if n in draft.header]))]})
_crit_operator("header.crit-claim-name", "crit naming a registered claim (exp, iss, aud)", (),
               lambda draw, draft: {"crit": [draw(st.sampled_from(("exp", "iss", "aud")))]})
_crit_operator("header.crit-empty", "crit: [] (an empty critical list)", ("RFC7515-4.1.11-b", "RFC7515-4.1.11-c"),
               lambda draw, draft: {"crit": []})


@operator("header.b64-false", "b64: false with crit [\"b64\"] (RFC 7797 unencoded payload)", tier="A",
          expect={Reason.HEADER}, refs=_CRIT_REFS + ("RFC7797-7",), area="header")
def _b64_false(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """O3.1 rejects any ``crit``. The payload segment stays base64url (routing must read it); the
    signature is either over the raw payload as RFC 7797 defines it, or over the usual input."""
    draft.header.update({"b64": False, "crit": ["b64"]})
    signed_over = draw(st.sampled_from(("raw payload (RFC 7797)", "encoded payload")))
    if signed_over.startswith("raw"):
        data = b64url_encode(draft.encoded_header()).encode("ascii") + b"." + draft.encoded_payload()
        draft.signature = sign(draft.header["alg"], key_pool()[draft.key_id or ""], data)
    return Mutation("header.b64-false", "header.b64", None, False, f"signature over the {signed_over}")


# -- JSON serialization where compact is expected ----------------------------------------------------
_JSON_REFS = ("CVX-R1", "CVX-O2", "RFC7519-1", "bis-3.14")


@operator("signature.json-polyglot", "JSON / compact polyglot carrying forged claims (CVE-2022-39227)",
          tier="A", expect={Reason.MALFORMED}, refs=_JSON_REFS, area="signature")
def _json_polyglot(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """``{"  H.F.":"","protected":H,"payload":P,"signature":S}``: split on dots, the middle part is
    the forged payload F (routing reads it fine), but the first part starts with ``{"`` and is no
    base64url, so O2 fails: malformed."""
    forged = dict(draft.payload)
    field = draw(st.sampled_from(("sub", "exp", "role")))
    if field == "sub":
        forged["sub"] = draw(st.sampled_from(("admin", "root", "00000000-0000-0000-0000-000000000001")))
        if forged["sub"] == draft.payload.get("sub"):
            forged["sub"] += "-forged"
    elif field == "exp":
        forged["exp"] = int(draft.now) + draw(st.integers(365 * 86400, 100 * 365 * 86400))
    else:
        forged["role"] = "admin"
    forged_segment = b64url_encode(json_bytes(forged))

    def polyglot(token: str) -> str:
        header, payload, signature = token.split(".")
        return ('{"  ' + header + "." + forged_segment + '.":"","protected":"' + header + '", "payload":"'
                + payload + '","signature":"' + signature + '"}')

    draft.token_edits.append((f"JSON/compact polyglot forging {field}", polyglot))
    return Mutation("signature.json-polyglot", f"payload.{field}", draft.payload.get(field), forged[field],
                    "forged claims in the compact view, the signed token in the JSON members")


@operator("signature.json-serialization", "JWS JSON serialization (flattened or general) instead of compact",
          tier="A", expect={Reason.MALFORMED}, refs=_JSON_REFS, area="signature")
def _json_serialization(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """A JSON JWS has no dots, so there is no payload segment: routing fails (malformed)."""
    form = draw(st.sampled_from(("flattened", "general")))

    def serialize(token: str) -> str:
        header, payload, signature = token.split(".")
        entry = {"protected": header, "signature": signature}
        document = {"payload": payload, **entry} if form == "flattened" else {"payload": payload,
                                                                              "signatures": [entry]}
        return json.dumps(document, separators=(",", ":"))

    draft.token_edits.append((f"{form} JSON serialization", serialize))
    return Mutation("signature.json-serialization", "token", "compact", form, "")


# -- signatures by the wrong key ----------------------------------------------------------------------
_WRONG_KEY_REFS = ("CVX-O3.5", "CVX-O3.6", "OIDCC-3.1.3.7-6", "RFC7515-5.2")


@operator("signature.other-key-same-type", "signed by an attacker key of the same type, same kid", tier="A",
          expect={Reason.SIGNATURE}, refs=_WRONG_KEY_REFS, area="signature")
def _other_key_same_type(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """The kid (or the single eligible key) selects the issuer's key; the signature fails there."""
    before, draft.key_id = draft.key_id, attacker_key_id(draft)
    return Mutation("signature.other-key-same-type", "key", before, draft.key_id, "header unchanged")


@operator("signature.signed-by-other-listed-key", "kid names one published key, another published key signed",
          tier="A", expect={Reason.SIGNATURE}, refs=_WRONG_KEY_REFS + ("RFC7515-4.1.4",), area="signature")
def _signed_by_other_listed_key(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Convex verifies with the key the kid names only, never with the other keys of the set."""
    note = ensure_kid(draft)
    other = draw(st.sampled_from(sibling_key_ids(draft)))
    position = insert_key(draft, draw, {"kid": fresh_kid(draft, "other-key"), **key_material(key_pool()[other])})
    before, draft.key_id = draft.key_id, other
    return Mutation("signature.signed-by-other-listed-key", "key", before, other,
                    note + f"{other} published at {position} under its own kid")


@operator("signature.unknown-kid-other-listed-key", "unknown kid, valid signature by another published key",
          tier="A", expect={Reason.KEY}, refs=_WRONG_KEY_REFS + ("RFC7515-4.1.4", "OIDCC-10.1.1"), area="signature")
def _unknown_kid_other_listed_key(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Only keys with the token's kid qualify; none has it, so O3.5 fails before any signature check
    (a library that tries every key would accept)."""
    other = draw(st.sampled_from(sibling_key_ids(draft)))
    insert_key(draft, draw, {"kid": fresh_kid(draft, "other-key"), **key_material(key_pool()[other])})
    before, draft.header["kid"] = draft.header.get("kid"), fresh_kid(draft, "unknown-key")
    draft.key_id = other
    return Mutation("signature.unknown-kid-other-listed-key", "header.kid", before, draft.header["kid"],
                    f"signed by {other}, which is published under another kid")


@operator("signature.overlong", "valid signature with bytes added before or after it", tier="A",
          expect={Reason.SIGNATURE}, refs=("CVX-O3.6", "RFC7515-5.2", "RFC7518-3.3"), area="signature")
def _overlong(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """RSA signatures must be exactly the modulus length and Ed25519 ones 64 bytes: even leading
    zero bytes (same integer) fail verification."""
    extra = draw(st.one_of(st.binary(min_size=1, max_size=64),
                           st.sampled_from((1024, 65536)).map(lambda size: b"\0" * size)))
    where = draw(st.sampled_from(("after", "before")))

    def lengthen(token: str) -> str:
        header, payload, signature = token.split(".")
        raw = b64url_decode(signature)
        return f"{header}.{payload}." + b64url_encode(raw + extra if where == "after" else extra + raw)

    draft.token_edits.append((f"{len(extra)} bytes {where} the signature", lengthen))
    return Mutation("signature.overlong", "token.signature", None, f"+{len(extra)} bytes {where}", "")


# -- signature bytes ---------------------------------------------------------------------------------
_SIG_REFS = ("CVX-O3.6", "OIDCC-3.1.3.7-6", "RFC7515-5.2")


@operator("parser.signature-bit-flip", "one bit of the signature flipped", tier="D", expect={Reason.SIGNATURE},
          refs=_SIG_REFS, area="parser")
def _bit_flip(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    bit = draw(st.integers(0, 8 * signature_length(draft) - 1))

    def flip(segment: str) -> str:
        raw = bytearray(b64url_decode(segment))
        raw[bit // 8] ^= 0x80 >> (bit % 8)
        return b64url_encode(bytes(raw))

    edit_segment(draft, f"flip signature bit {bit}", 2, flip)
    return Mutation("parser.signature-bit-flip", "token.signature", None, f"bit {bit} flipped", "")


@operator("parser.signature-truncated", "signature with bytes cut from its end", tier="D",
          expect={Reason.SIGNATURE}, refs=_SIG_REFS, area="parser")
def _truncated(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    cut = draw(st.integers(1, signature_length(draft) - 1))
    edit_segment(draft, f"drop the last {cut} signature bytes", 2,
                 lambda segment: b64url_encode(b64url_decode(segment)[:-cut]))
    return Mutation("parser.signature-truncated", "token.signature", None, f"-{cut} bytes", "")


@operator("parser.signature-empty", "empty signature segment with the alg unchanged", tier="D",
          expect={Reason.SIGNATURE}, refs=_SIG_REFS, area="parser")
def _signature_empty(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """``h.p.`` still has three segments and decodes; the empty signature fails verification."""
    draft.signature = b""
    return Mutation("parser.signature-empty", "token.signature", None, "", "")
