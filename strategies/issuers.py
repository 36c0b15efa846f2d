"""Strategies for how a well-behaved issuer publishes its discovery document and key set (Convex O1, O2a)."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .draft import IssuerDraft

__all__ = ["DISCOVERY_CONTENT_TYPES", "JWKS_CONTENT_TYPES", "issuer_paths", "issuer_drafts"]

# Content-Type headers Convex accepts (None: the header is missing, which is accepted too).
DISCOVERY_CONTENT_TYPES: tuple[str | None, ...] = ("application/json", "application/json; charset=utf-8",
                                                   "Application/JSON", None)
JWKS_CONTENT_TYPES: tuple[str | None, ...] = DISCOVERY_CONTENT_TYPES + ("application/jwk-set+json",
                                                                       "application/jwk-set+json; charset=utf-8")
# Bytes after the JSON value: Convex reads the first JSON value and ignores the rest. The JWKS only
# gets whitespace so that `Publication.jwks_document()` (and targets handed the parsed key set) can
# still read it.
_DISCOVERY_TRAILING = (b"", b"\n", b"\r\n  ", b"\n<!-- served by issuer -->", b"garbage")
_JWKS_TRAILING = (b"", b"\n", b" \r\n\t")
_SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)


def issuer_paths() -> SearchStrategy[str]:
    """Path parts of an issuer URL: ``''`` (the origin itself), ``/tenant``, ``/a/b``, realm-style
    paths, and with a trailing slash (``/``, ``/tenant/``). Shrinks towards ``''``."""
    return st.one_of(
        st.sampled_from(("", "/tenant", "/a/b", "/", "/tenant/", "/realms/acme")),
        st.lists(_SEGMENT, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts)),
    )


def issuer_drafts(*, issuer_path: str | None = None) -> SearchStrategy[IssuerDraft]:
    """How a well-behaved issuer serves one case: discovery under the issuer path (drawn from
    `issuer_paths()` unless `issuer_path` is given), the JWKS at ``{path}/jwks`` or elsewhere
    (``/keys/jwks.json``, ``/.well-known/jwks.json``, another prefix), any accepted content type
    or none, sometimes trailing bytes after the JSON, status 200 and no delay. Everything drawn
    here is valid for Convex. Shrinks towards the defaults of `IssuerDraft` (path ``''``,
    JWKS at ``/jwks``, ``application/json``).
    """
    if issuer_path is not None and (not isinstance(issuer_path, str)
                                    or (issuer_path and not issuer_path.startswith("/"))):
        raise InvalidArgument(f"issuer_path={issuer_path!r} must be '' or start with '/'")
    paths = issuer_paths() if issuer_path is None else st.just(issuer_path)

    @st.composite
    def build(draw: st.DrawFn) -> IssuerDraft:
        path = draw(paths)
        jwks_path = draw(st.sampled_from((None, "/keys/jwks.json", "/.well-known/jwks.json",
                                          "/oauth2/v1/keys", path.rstrip("/") + "/protocol/openid-connect/certs")))
        return IssuerDraft(
            issuer_path=path,
            jwks_path=jwks_path,
            discovery_content_type=draw(st.sampled_from(DISCOVERY_CONTENT_TYPES)),
            jwks_content_type=draw(st.sampled_from(JWKS_CONTENT_TYPES)),
            discovery_trailing=draw(st.sampled_from(_DISCOVERY_TRAILING)),
            jwks_trailing=draw(st.sampled_from(_JWKS_TRAILING)),
        )

    return build()
