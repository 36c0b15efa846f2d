"""Mutation operators on the key set the issuer publishes (Convex O1 JWKS rules, O3.5 key choice).

The token stays as it was (same header, claims and signature) unless an operator says otherwise;
what changes is which keys the JWKS offers. Convex keeps only the keys that qualify for the token
(same ``kid`` when the token has one, ``use`` absent or ``sig``, a ``kty`` that fits the alg,
``alg`` absent or equal) and needs exactly one. Keys it cannot parse are skipped silently.

The last section signs with keys and algorithms Convex refuses (ES256, PS256/RS384, Ed448, RSA
outside 2048..8192 bits) while publishing the key, so the refusal is about the key or the alg
and never about a missing key. The helpers at the top (finding the signing key's entry, giving
the token a kid, publishing another pool key in its place) are shared with the other modules.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from conformance.keypool import PoolKey, key_pool
from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator

__all__ = ["key_material", "signing_index", "signing_entry", "fresh_kid", "ensure_kid", "republish",
           "sibling_key_ids", "attacker_key_id", "insert_key", "P256_ORDER"]

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_MATERIAL = ("kty", "crv", "n", "e", "x", "y")
_SIBLINGS = {"RSA": ("rsa-2048-a", "rsa-2048-b", "rsa-2048-c"), "OKP": ("ed25519-a", "ed25519-b"),
             "EC": ("ec-p256",)}
_ATTACKERS = {"RSA": "attacker-rsa-2048", "OKP": "attacker-ed25519", "EC": "attacker-ec-p256"}
_OTHER_KTY = {"RSA": ("ed25519-a", "ec-p256"), "OKP": ("rsa-2048-a", "ec-p256"), "EC": ("rsa-2048-a", "ed25519-a")}


# -- helpers shared with ops_forgery ---------------------------------------------------------------
def key_material(key: PoolKey) -> dict[str, Any]:
    """The members that identify a public key (``kty``, ``n``/``e`` or ``crv``/``x``/``y``)."""
    return {name: value for name, value in key.public_jwk.items() if name in _MATERIAL}


def signing_index(draft: CaseDraft) -> int:
    """Index in ``draft.jwks["keys"]`` of the entry Convex picks for the token as drafted."""
    material = key_material(key_pool()[draft.key_id or ""])
    kid, alg = draft.header.get("kid"), draft.header.get("alg")
    for index, entry in enumerate(draft.jwks.get("keys", [])):
        if (isinstance(entry, dict) and all(entry.get(k) == v for k, v in material.items())
                and entry.get("use") in (None, "sig") and entry.get("alg") in (None, alg)
                and (kid is None or entry.get("kid") == kid)):
            return index
    raise ValueError(f"the key set of this draft does not publish its signing key {draft.key_id!r}")


def signing_entry(draft: CaseDraft) -> dict[str, Any]:
    return draft.jwks["keys"][signing_index(draft)]


def fresh_kid(draft: CaseDraft, stem: str = "kid") -> str:
    """A kid no entry of the key set (and not the token) uses yet."""
    taken = {entry.get("kid") for entry in draft.jwks.get("keys", []) if isinstance(entry, dict)}
    taken.add(draft.header.get("kid"))
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def ensure_kid(draft: CaseDraft) -> str:
    """Make the token carry the kid of its signing entry (giving both a fresh one if needed).

    Returns a note for the mutation record ("" when the base already had a kid).
    """
    if "kid" in draft.header:
        return ""
    entry = signing_entry(draft)
    if "kid" not in entry:
        entry["kid"] = fresh_kid(draft, "signing-key")
    draft.header["kid"] = entry["kid"]
    return f"base edited: token and signing key get kid {entry['kid']!r}; "


def republish(draft: CaseDraft, key_id: str, alg: str) -> str:
    """Sign with pool key `key_id` under `alg`, published in place of the current signing entry.

    The entry keeps its ``use``; an ``alg`` member follows the new alg. When the key type or the
    alg changes, entry and token get a fresh kid, so no other entry of the base can qualify too.
    Returns a note for the mutation record.
    """
    index = signing_index(draft)
    old = draft.jwks["keys"][index]
    new_key = key_pool()[key_id]
    entry = {name: value for name, value in old.items() if name in ("kid", "use")}
    entry.update(key_material(new_key))
    if "alg" in old:
        entry["alg"] = alg
    note = f"published {key_id} ({alg}) in place of {draft.key_id}"
    if new_key.kty != key_pool()[draft.key_id or ""].kty or alg != draft.header.get("alg"):
        entry["kid"] = fresh_kid(draft, key_id)
        draft.header["kid"] = entry["kid"]
        note += f" under fresh kid {entry['kid']!r}"
    draft.jwks["keys"][index] = entry
    draft.header["alg"] = alg
    draft.key_id = key_id
    return note + "; "


def sibling_key_ids(draft: CaseDraft) -> list[str]:
    """Other fast issuer keys of the signing key's type (first = where shrinking goes)."""
    kty = key_pool()[draft.key_id or ""].kty
    return [key_id for key_id in _SIBLINGS[kty] if key_id != draft.key_id]


def attacker_key_id(draft: CaseDraft) -> str:
    """The pool's attacker key of the signing key's type."""
    return _ATTACKERS[key_pool()[draft.key_id or ""].kty]


def insert_key(draft: CaseDraft, draw: st.DrawFn, entry: Any) -> int:
    """Insert `entry` into the key set at a drawn position; returns the position."""
    keys = draft.jwks.setdefault("keys", [])
    position = draw(st.integers(0, len(keys)))
    keys.insert(position, entry)
    return position


def _entry(key_id: str, **members: Any) -> dict[str, Any]:
    entry = {name: value for name, value in members.items() if value is not None}
    entry.update(key_material(key_pool()[key_id]))
    return entry


# -- key choice: none or several keys qualify ------------------------------------------------------
_KEY_REFS = ("CVX-O3.5", "OIDCC-10.1-kid", "RFC7515-4.1.4")


@operator("keyset.kidless-two-eligible", "kid-less token while two keys of its type qualify", tier="B",
          expect={Reason.KEY}, refs=_KEY_REFS + ("RFC7517-4.5",), area="keyset")
def _kidless_two_eligible(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Convex never tries keys in turn: without a kid every key qualifies, two are ambiguous."""
    before = draft.header.pop("kid", None)
    other = draw(st.sampled_from(sibling_key_ids(draft)))
    entry = _entry(other, kid=draw(st.sampled_from((None, "other-key"))), use=draw(st.sampled_from((None, "sig"))))
    position = insert_key(draft, draw, entry)
    return Mutation("keyset.kidless-two-eligible", "header.kid", before, None,
                    f"kid removed; {other} published too (position {position}), also eligible")


@operator("keyset.kid-not-in-jwks", "token kid that no published key has", tier="B", expect={Reason.KEY},
          refs=_KEY_REFS + ("OIDCC-10.1.1",), area="keyset")
def _kid_not_in_jwks(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Only keys with an equal kid qualify and Convex never refetches the JWKS: no key."""
    before = draft.header.get("kid")
    kid = fresh_kid(draft, draw(st.sampled_from(("rotated-key", "ave-oidc-v2", "unknown"))))
    draft.header["kid"] = kid
    return Mutation("keyset.kid-not-in-jwks", "header.kid", before, kid, "the signature is still valid")


@operator("keyset.jwk-without-kid", "signing key published without kid, token has one", tier="B",
          expect={Reason.KEY}, refs=_KEY_REFS, area="keyset")
def _jwk_without_kid(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """A key without kid never matches a token that has one (O3.5)."""
    note = ensure_kid(draft)
    before = signing_entry(draft).pop("kid")
    return Mutation("keyset.jwk-without-kid", "jwks.keys[signing].kid", before, None, note + "token keeps its kid")


@operator("keyset.duplicate-kid", "two qualifying keys share the token's kid", tier="B", expect={Reason.KEY},
          refs=_KEY_REFS + ("RFC7517-4.5",), area="keyset")
def _duplicate_kid(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Two entries with the same kid, both usable: ambiguous even when one is a verbatim copy."""
    note = ensure_kid(draft)
    signing = signing_entry(draft)
    copy_kind = draw(st.sampled_from(("other key", "verbatim copy")))
    if copy_kind == "verbatim copy":
        entry = dict(signing)
    else:
        entry = _entry(draw(st.sampled_from(sibling_key_ids(draft))), kid=signing["kid"])
    position = insert_key(draft, draw, entry)
    return Mutation("keyset.duplicate-kid", "jwks.keys", None, entry.get("kid"),
                    note + f"{copy_kind} inserted at {position}")


@operator("keyset.empty-keys", "JWKS with an empty keys array", tier="B", expect={Reason.KEY},
          refs=_KEY_REFS + ("OIDCC-3.1.3.7-6",), area="keyset")
def _empty_keys(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """The document parses (``keys`` is there) but no key qualifies."""
    before = len(draft.jwks.get("keys", []))
    draft.jwks["keys"] = []
    return Mutation("keyset.empty-keys", "jwks.keys", f"{before} keys", [], "")


# -- the signing key is published, but not usable for this token ---------------------------------
@operator("keyset.use-enc", "signing key published with use: enc", tier="B", expect={Reason.KEY},
          refs=_KEY_REFS + ("RFC7517-4.2", "OIDD-3-jwks_uri"), area="keyset")
def _use_enc(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """A key qualifies only with ``use`` absent or ``sig``; no other entry of a valid base qualifies."""
    entry = signing_entry(draft)
    before = entry.get("use")
    entry["use"] = "enc"
    return Mutation("keyset.use-enc", "jwks.keys[signing].use", before, "enc", "")


@operator("keyset.jwk-alg-mismatch", "signing key published with another alg", tier="B", expect={Reason.KEY},
          refs=_KEY_REFS + ("RFC7517-4.4", "RFC8725-3.1"), area="keyset")
def _jwk_alg_mismatch(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """A key's ``alg``, when present, must equal the token's; any other JWS alg disqualifies it."""
    entry = signing_entry(draft)
    token_alg = draft.header.get("alg")
    choices = [alg for alg in ("RS512", "RS384", "PS256", "ES256", "HS256", "EdDSA", "RS256") if alg != token_alg]
    before, entry["alg"] = entry.get("alg"), draw(st.sampled_from(choices))
    return Mutation("keyset.jwk-alg-mismatch", "jwks.keys[signing].alg", before, entry["alg"],
                    f"token alg stays {token_alg}")


@operator("keyset.kty-mismatch-same-kid", "the token's kid names a key of another type", tier="B",
          expect={Reason.KEY}, refs=_KEY_REFS + ("RFC8725-3.1", "RFC7515-10.6"), area="keyset")
def _kty_mismatch(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """The entry under the token's kid holds a key whose ``kty`` does not fit the alg: no key."""
    note = ensure_kid(draft)
    index = signing_index(draft)
    old = draft.jwks["keys"][index]
    other = draw(st.sampled_from(_OTHER_KTY[old["kty"]]))
    draft.jwks["keys"][index] = _entry(other, kid=old["kid"], use=old.get("use"))
    return Mutation("keyset.kty-mismatch-same-kid", "jwks.keys[signing]", old["kty"],
                    key_pool()[other].kty, note + f"{other} published under kid {old['kid']!r}")


# -- edits Convex must still accept ---------------------------------------------------------------
@operator("keyset.other-kty-same-kid-alongside", "a key of another type shares the token's kid", tier="-",
          expect=ACCEPT, refs=_KEY_REFS + ("RFC7517-4.5",), area="keyset")
def _other_kty_alongside(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """The right key is still there; the other type never qualifies, so exactly one key remains."""
    kid = draft.header.get("kid")
    other = draw(st.sampled_from(_OTHER_KTY[signing_entry(draft)["kty"]]))
    position = insert_key(draft, draw, _entry(other, kid=kid))
    return Mutation("keyset.other-kty-same-kid-alongside", "jwks.keys", None, other,
                    f"inserted at {position} with kid {kid!r}")


_UNPARSEABLE = st.sampled_from(("unknown kty", "no kty", "kty not a string", "RSA-OAEP key", "not an object"))


@operator("keyset.unparseable-keys-mixed", "entries Convex cannot parse mixed into the key set", tier="-",
          expect=ACCEPT, refs=("CVX-O1", "RFC7517-5"), area="keyset")
def _unparseable_keys(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """O1: keys that cannot be parsed are skipped, they never make the set fail.

    The junk may even carry the token's kid and the signing key's own modulus (as an ``RSA-OAEP``
    encryption key): skipped or not, it never qualifies, so exactly one key remains.
    """
    kid = draft.header.get("kid")
    material = key_material(key_pool()[draft.key_id or ""])
    kinds = draw(st.lists(_UNPARSEABLE, min_size=1, max_size=3))
    for kind in kinds:
        junk: Any = {
            "unknown kty": {"kty": "XYZ", "kid": kid, "x": "AAAA"},
            "no kty": {"kid": kid, "use": "sig", "n": material.get("n", "AQAB"), "e": "AQAB"},
            "kty not a string": {"kty": 7, "kid": kid},
            "RSA-OAEP key": {**key_material(key_pool()["rsa-2048-a"]), "kid": kid, "alg": "RSA-OAEP"},
            "not an object": draw(st.sampled_from(("junk", 42, ["RSA"]))),
        }[kind]
        if isinstance(junk, dict) and junk.get("kid") is None:
            junk.pop("kid", None)
        insert_key(draft, draw, junk)
    return Mutation("keyset.unparseable-keys-mixed", "jwks.keys", None, kinds, "")


@operator("keyset.key-ops-present", "signing key published with a key_ops member", tier="-", expect=ACCEPT,
          refs=("CVX-O3.5", "RFC7517-4.3"), area="keyset")
def _key_ops(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """openidconnect 4.0.1's ``CoreJsonWebKey`` has no ``key_ops`` field (kty, use, kid, alg, n, e,
    crv, x, y, d, k only) and serde ignores unknown members, so Convex never reads ``key_ops``:
    even ``["encrypt"]`` is accepted. A strict RFC 7517 validator rejects ``key_ops`` without
    ``verify`` (oidc-core), which is why this edit is worth generating.
    """
    entry = signing_entry(draft)
    before = entry.get("key_ops")
    entry["key_ops"] = draw(st.sampled_from((["verify"], ["sign"], ["encrypt"], ["sign", "verify"], [],
                                             ["wrapKey"])))
    return Mutation("keyset.key-ops-present", "jwks.keys[signing].key_ops", before, entry["key_ops"], "")


# -- the key set document itself is unusable (discovery fails) ------------------------------------
_DOC_REFS = ("CVX-O1", "OIDD-3-jwks_uri", "RFC7517-5")


@operator("keyset.keys-missing", "JWKS object without a keys member", tier="B", expect={Reason.DISCOVERY},
          refs=_DOC_REFS, area="keyset")
def _keys_missing(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """``keys`` is required (O1); its absence fails discovery, not key choice."""
    keys = draft.jwks.get("keys", [])
    draft.jwks = draw(st.sampled_from(({}, {"Keys": keys}, {"jwks": {"keys": keys}}, {"key": keys})))
    return Mutation("keyset.keys-missing", "jwks", "{keys: [...]}", list(draft.jwks), "")


@operator("keyset.jwks-not-json", "JWKS body that is not JSON (HTML, empty, truncated)", tier="B",
          expect={Reason.DISCOVERY}, refs=_DOC_REFS + ("RFC8259-6",), area="keyset")
def _jwks_not_json(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """The body must parse as a JWKS document (O1)."""
    full = json.dumps(draft.jwks).encode()
    kind = draw(st.sampled_from(("html", "empty", "truncated", "text")))
    body = {"html": b"<html><body>keys</body></html>", "empty": b"", "text": b"keys: none",
            "truncated": full[:draw(st.integers(1, len(full) - 1))]}[kind]
    draft.issuer.jwks_body = body
    return Mutation("keyset.jwks-not-json", "jwks.body", "JSON key set", body, kind)


@operator("keyset.jwks-wrong-shape", "JWKS that is JSON but not a key set (array, keys not a list)", tier="B",
          expect={Reason.DISCOVERY}, refs=_DOC_REFS, area="keyset")
def _jwks_wrong_shape(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """``{"keys": [...]}`` is the only shape; a top-level array or a non-list ``keys`` fails O1."""
    keys = draft.jwks.get("keys", [])
    kind = draw(st.sampled_from(("array", "keys object", "keys string")))
    value: Any = {"array": keys, "keys object": {"keys": {"0": keys[0] if keys else {}}},
                  "keys string": {"keys": json.dumps(keys)}}[kind]
    draft.issuer.jwks_body = json.dumps(value).encode()
    return Mutation("keyset.jwks-wrong-shape", "jwks.body", "{keys: [...]}", kind, "")


# -- algorithms and keys Convex refuses ----------------------------------------------------------------
_ALG_REFS = ("CVX-O3.4", "OIDCC-3.1.3.7-7", "RFC8725-3.1", "RFC7519-7.2-alg")
_SIZE_REFS = ("CVX-O3.6", "RFC7518-3.3")


@operator("signature.es256-published-key", "ES256 token signed by a published P-256 key", tier="A",
          expect={Reason.ALGORITHM}, refs=_ALG_REFS, area="signature")
def _es256(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """O3.4: only RS256 and EdDSA; the EC key is published and selected by a fresh kid."""
    before = draft.header["alg"]
    note = republish(draft, "ec-p256", "ES256")
    return Mutation("signature.es256-published-key", "header.alg", before, "ES256", note)


@operator("signature.rsa-other-alg", "PS256 / RS384 / RS512 / PS384 / PS512 with the issuer's RSA key", tier="A",
          expect={Reason.ALGORITHM}, refs=_ALG_REFS + ("RFC7515-10.6",), area="signature")
def _rsa_other_alg(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """The right RSA key under another RSA algorithm: O3.4 refuses everything but RS256."""
    before = draft.header["alg"]
    note = "" if key_pool()[draft.key_id or ""].kty == "RSA" else republish(draft, "rsa-2048-a", "RS256")
    alg = draw(st.sampled_from(("PS256", "RS384", "RS512", "PS384", "PS512")))
    note += republish(draft, draft.key_id or "", alg)
    return Mutation("signature.rsa-other-alg", "header.alg", before, alg, note)


def _key_operator(name: str, title: str, key_ids: tuple[str, ...], alg: str, expect: set[Reason] | str,
                  refs: tuple[str, ...]) -> None:
    @operator(name, title, tier="A" if expect != ACCEPT else "-", expect=expect, refs=refs,
              area="signature")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        """O3.6: RS256 needs a 2048..8192-bit modulus, EdDSA needs Ed25519 (a rejection is ``key``).
        The key replaces the signing entry; the kid changes only when the key type does."""
        before = draft.key_id
        note = republish(draft, draw(st.sampled_from(key_ids)), alg)
        return Mutation(name, "key", before, draft.key_id, note)


_key_operator("signature.rsa-weak-key", "RS256 signed by a published RSA key below 2048 bits (1024, 2047)",
              ("rsa-1024", "rsa-2047"), "RS256", {Reason.KEY}, _SIZE_REFS + ("RFC7518-3.5",))
_key_operator("signature.rsa-oversized-key", "RS256 signed by a published 8200-bit RSA key", ("rsa-8200",),
              "RS256", {Reason.KEY}, _SIZE_REFS)
_key_operator("signature.rsa-8192-key", "RS256 signed by a published 8192-bit RSA key (the largest allowed)",
              ("rsa-8192",), "RS256", ACCEPT, _SIZE_REFS)
_key_operator("signature.eddsa-ed448-key", "EdDSA signed by a published Ed448 key", ("ed448",), "EdDSA",
              {Reason.KEY}, ("CVX-O3.6", "RFC8037-3.1", "RFC9864-4"))


@operator("signature.psychic-ecdsa", "ES256 psychic signature (r = 0 or n, s = 0 or n)", tier="A",
          expect={Reason.ALGORITHM}, refs=_ALG_REFS + ("RFC7518-3.4",), area="signature")
def _psychic_ecdsa(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """CVE-2022-21449 class. Convex refuses ES256 outright (O3.4); other validators may not."""
    before = draft.header["alg"]
    note = republish(draft, "ec-p256", "ES256")
    form = draw(st.sampled_from(("r=s=0", "r=s=n", "r=0,s=n", "r=n,s=0", "DER r=s=0")))
    values = {"r=s=0": (0, 0), "r=s=n": (P256_ORDER, P256_ORDER), "r=0,s=n": (0, P256_ORDER),
              "r=n,s=0": (P256_ORDER, 0)}
    if form in values:
        r, s = values[form]
        draft.signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        draft.signature = bytes.fromhex("3006020100020100")
    return Mutation("signature.psychic-ecdsa", "token.signature", before, form, note)
