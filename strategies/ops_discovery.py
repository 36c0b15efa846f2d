"""Discovery operators: how the issuer serves its discovery document and key set (Convex O1).

The token is left as it was; these operators change ``draft.issuer`` (an `IssuerDraft`): the
document's ``issuer``, status codes, content types, bodies, paths and delays. Convex fetches
``{iss}/.well-known/openid-configuration`` (status 200, Content-Type missing or
``application/json``, ``issuer`` and ``jwks_uri`` URLs), then ``jwks_uri`` (status 200,
Content-Type missing, ``application/json`` or ``application/jwk-set+json``); any failure there
is a discovery failure. That includes the document's ``issuer``, which must equal the token's
``iss`` byte for byte: openidconnect's discovery compares them (``DiscoveryError::Validation``),
so a mismatch is a ``discovery`` rejection before the O3.2 comparison is ever reached.
"""

from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from hypothesis import strategies as st

from conformance.reasons import Reason

from .draft import CaseDraft
from .mutation import ACCEPT, Mutation, operator

__all__ = ["discovery_document"]

_ISSUER_REFS = ("CVX-O1", "CVX-O3.2", "OIDCC-16.15", "OIDD-4.3", "OIDCC-3.1.3.7-2")
_FETCH_REFS = ("CVX-O1", "OIDD-4.3")
_DISCOVERY = {Reason.DISCOVERY}


def discovery_document(draft: CaseDraft) -> dict[str, Any]:
    """The discovery document the draft would serve, as a dict (trailing bytes left out)."""
    body = draft.publication().discovery.body
    document, _ = json.JSONDecoder().raw_decode(body.decode("utf-8"))
    return document


def _served_issuer(draft: CaseDraft) -> str:
    return discovery_document(draft)["issuer"]


# -- the document's issuer is not the token's iss -------------------------------------------------
@operator("discovery.issuer-trailing-slash", "discovered issuer and token iss differ by a trailing slash",
          tier="B", expect=_DISCOVERY, refs=_ISSUER_REFS, area="discovery")
def _issuer_trailing_slash(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Routing strips trailing slashes, the issuer comparison does not. Either the document's
    ``issuer`` or the token's ``iss`` gains (or loses) one slash; discovery is still found at
    the same URL (one trailing slash of ``iss`` is absorbed when the URL is built)."""
    side = draw(st.sampled_from(("document", "token")))
    token_iss = draft.payload["iss"]
    toggled = token_iss[:-1] if token_iss.endswith("/") else token_iss + "/"
    if side == "document":
        before, draft.issuer.discovered_issuer = _served_issuer(draft), toggled
        return Mutation("discovery.issuer-trailing-slash", "discovery.issuer", before, toggled, "")
    draft.payload["iss"] = toggled
    draft.issuer.discovered_issuer = token_iss
    return Mutation("discovery.issuer-trailing-slash", "payload.iss", token_iss, toggled,
                    "the document keeps the old iss")


def _issuer_variants(draft: CaseDraft) -> dict[str, str]:
    iss = draft.payload["iss"]
    parts = urlsplit(iss)
    host, _, port = parts.netloc.rpartition(":")
    variants = {
        "scheme in capitals": parts.scheme.upper() + iss[len(parts.scheme):],
        "another path": iss.rstrip("/") + "/other",
        "another host": urlunsplit(parts._replace(netloc=f"localhost:{port}" if host else "localhost")),
    }
    if port.isdigit():
        variants["another port"] = urlunsplit(parts._replace(netloc=f"{host}:{int(port) % 65535 + 1}"))
    if parts.path.upper() != parts.path:
        variants["path in capitals"] = urlunsplit(parts._replace(path=parts.path.upper()))
    if parts.path.strip("/"):
        variants["parent path"] = urlunsplit(parts._replace(path=parts.path.rstrip("/").rsplit("/", 1)[0]))
    return {name: value for name, value in variants.items() if value != iss}


@operator("discovery.issuer-mismatch", "discovered issuer differs from iss (case, path, host, port)", tier="B",
          expect=_DISCOVERY, refs=_ISSUER_REFS + ("OIDCC-14",), area="discovery")
def _issuer_mismatch(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Byte-for-byte comparison: no case folding, no path or port normalisation."""
    variants = _issuer_variants(draft)
    kind = draw(st.sampled_from(sorted(variants)))
    before, draft.issuer.discovered_issuer = _served_issuer(draft), variants[kind]
    return Mutation("discovery.issuer-mismatch", "discovery.issuer", before, variants[kind], kind)


# -- status codes and content types ----------------------------------------------------------------
_STATUSES = (404, 500, 201, 204, 301, 302, 403, 503)


def _status_operator(name: str, endpoint: str) -> None:
    @operator(name, f"{endpoint} answered with a status other than 200", tier="B", expect=_DISCOVERY,
              refs=_FETCH_REFS, area="discovery")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        """O1: the status must be 200 (redirects are not followed); the body is still served, so a
        validator that ignores the status would go on (204 carries no body)."""
        status = draw(st.sampled_from(_STATUSES))
        setattr(draft.issuer, f"{endpoint}_status", status)
        if status == 204:
            setattr(draft.issuer, f"{endpoint}_body", b"")
        return Mutation(name, f"{endpoint}.status", 200, status, "")


_status_operator("discovery.discovery-status", "discovery")
_status_operator("discovery.jwks-status", "jwks")

_WRONG_TYPES = {"discovery": ("text/html", "text/plain", "application/jwk-set+json", "application/xml"),
                "jwks": ("text/html", "text/plain", "application/xml", "application/octet-stream")}


def _content_type_operator(name: str, title: str, endpoints: tuple[str, ...], expect: set[Reason] | str,
                           types: Callable[[str], tuple[str | None, ...]], doc: str) -> None:
    @operator(name, title, tier="B" if expect != ACCEPT else "-", expect=expect,
              refs=_FETCH_REFS, area="discovery")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        endpoint = draw(st.sampled_from(endpoints))
        before = getattr(draft.issuer, f"{endpoint}_content_type")
        value = draw(st.sampled_from(types(endpoint)))
        setattr(draft.issuer, f"{endpoint}_content_type", value)
        return Mutation(name, f"{endpoint}.content_type", before, value, "")

    apply.__doc__ = doc


_content_type_operator("discovery.content-type-wrong", "discovery or JWKS served with a non-JSON content type",
                       ("discovery", "jwks"), _DISCOVERY, lambda endpoint: _WRONG_TYPES[endpoint],
                       "O1: discovery needs application/json (not even application/jwk-set+json), the JWKS "
                       "application/json or application/jwk-set+json.")
_content_type_operator("discovery.content-type-parameters", "JSON content type with parameters (charset)",
                       ("discovery", "jwks"), ACCEPT,
                       lambda endpoint: ("application/json; charset=utf-8", "application/json;charset=UTF-8")
                       + (("application/jwk-set+json; charset=utf-8",) if endpoint == "jwks" else ()),
                       "Only the media type before ';' counts (O1).")
_content_type_operator("discovery.content-type-uppercase", "JSON content type in capitals", ("discovery", "jwks"),
                       ACCEPT, lambda endpoint: ("APPLICATION/JSON", "Application/Json"),
                       "Media types are compared lowercased (O1).")
_content_type_operator("discovery.content-type-missing", "no Content-Type header at all", ("discovery", "jwks"),
                       ACCEPT, lambda endpoint: (None,), "A missing Content-Type is accepted (O1, O2a).")
_content_type_operator("discovery.jwks-content-type-jwk-set", "JWKS served as application/jwk-set+json", ("jwks",),
                       ACCEPT, lambda endpoint: ("application/jwk-set+json",), "Allowed for the JWKS (O1).")


# -- the discovery document's body ----------------------------------------------------------------
def _body_operator(name: str, title: str, build: Callable[[st.DrawFn, CaseDraft, dict[str, Any]], bytes],
                   doc: str) -> None:
    @operator(name, title, tier="B", expect=_DISCOVERY, refs=_FETCH_REFS + ("OIDD-3-issuer", "OIDD-3-jwks_uri"),
              area="discovery")
    def apply(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
        body = build(draw, draft, discovery_document(draft))
        draft.issuer.discovery_body = body
        return Mutation(name, "discovery.body", "the document", body[:200], "")

    apply.__doc__ = doc


def _without(member: str) -> Callable[[st.DrawFn, CaseDraft, dict[str, Any]], bytes]:
    return lambda draw, draft, document: json.dumps({k: v for k, v in document.items() if k != member}).encode()


def _replaced(member: str, values: tuple[str, ...]) -> Callable[[st.DrawFn, CaseDraft, dict[str, Any]], bytes]:
    return lambda draw, draft, document: json.dumps({**document, member: draw(st.sampled_from(values))}).encode()


def _truncated(draw: st.DrawFn, draft: CaseDraft, document: dict[str, Any]) -> bytes:
    full = json.dumps(document).encode()
    return full[:draw(st.integers(1, len(full) - 1))]


_body_operator("discovery.document-not-json", "discovery body that is not JSON (HTML, text, empty)",
               lambda draw, draft, document: draw(st.sampled_from((b"<html><body>issuer</body></html>",
                                                                   b"issuer: here", b""))),
               "O1: the body must parse as a provider metadata document.")
_body_operator("discovery.document-truncated", "discovery document cut short", _truncated,
               "A proper prefix of a JSON object is never JSON.")
_body_operator("discovery.document-array", "discovery document wrapped in a JSON array",
               lambda draw, draft, document: json.dumps([document]).encode(),
               "A one-element array is no provider metadata object.")
_body_operator("discovery.jwks-uri-missing", "discovery document without jwks_uri", _without("jwks_uri"),
               "``jwks_uri`` is required (O1).")
_body_operator("discovery.issuer-missing", "discovery document without issuer", _without("issuer"),
               "``issuer`` is required (O1).")
_body_operator("discovery.issuer-not-url", "discovery issuer that is not a URL",
               _replaced("issuer", ("not a url", "", "/relative/issuer")),
               "``issuer`` must parse as a URL (O1), before any comparison with iss.")
_body_operator("discovery.jwks-uri-not-url", "discovery jwks_uri that is not a URL",
               _replaced("jwks_uri", ("not a url", "", "/jwks")),
               "``jwks_uri`` must parse as an absolute URL (O1).")


# -- edits Convex must still accept ---------------------------------------------------------------
@operator("discovery.trailing-bytes", "bytes after the JSON of the discovery document", tier="-", expect=ACCEPT,
          refs=("CVX-O2a", "CVX-O1"), area="discovery")
def _trailing_bytes(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """O2a: the document is read as the first JSON value; what follows is ignored. (Only the
    discovery document gets junk: targets handed the parsed JWKS need it to stay JSON.)"""
    junk = draw(st.sampled_from((b"garbage", b"}", b"]]", b"<!-- cached -->", b"{}", b"\n\x00")))
    before, draft.issuer.discovery_trailing = draft.issuer.discovery_trailing, junk
    draft.issuer.discovery_body = None
    return Mutation("discovery.trailing-bytes", "discovery.body", before, junk, "")


@operator("discovery.jwks-uri-other-path", "jwks_uri at another path of the issuer origin", tier="-",
          expect=ACCEPT, refs=("CVX-O1", "OIDD-3-jwks_uri"), area="discovery")
def _jwks_uri_other_path(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """Convex fetches whatever ``jwks_uri`` names (not ``{domain}/.well-known/jwks.json``)."""
    served = draft.publication()
    choices = [p for p in ("/oauth2/v3/certs", "/keys", "/v1/jwks.json", "/.well-known/jwks.json", "/a/b/c/jwks")
               if p not in (served.discovery.path, served.jwks.path)]
    before, draft.issuer.jwks_path = draft.issuer.jwks_path, draw(st.sampled_from(choices))
    return Mutation("discovery.jwks-uri-other-path", "discovery.jwks_uri", before, draft.issuer.jwks_path, "")


@operator("discovery.slow-issuer", "issuer answers after a small delay", tier="-", expect=ACCEPT,
          refs=("CVX-O1",), area="discovery")
def _slow_issuer(draw: st.DrawFn, draft: CaseDraft) -> Mutation:
    """A slow but working issuer is still an issuer."""
    before, draft.issuer.delay = draft.issuer.delay, draw(st.sampled_from((0.05, 0.02, 0.1)))
    return Mutation("discovery.slow-issuer", "issuer.delay", before, draft.issuer.delay, "seconds")
