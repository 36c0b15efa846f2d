"""Strategies for whole cases: valid ID tokens, mutated ones, and access tokens.

`valid_drafts` draws everything a case needs (clock, issuer behaviour, signing key, key set,
header, claims) so that the `convex-oidc` reference accepts it; `mutated_drafts` then applies
exactly one mutation operator, so a failure names one cause. The `*_cases` strategies finish the
drafts into self-contained `conformance.case.Case` values.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from conformance.case import Case
from conformance.check import GenerationEnv
from conformance.provider import ProviderConfig

from .claims import draw_access_token_claims, draw_id_token_claims, scopes
from .draft import CaseDraft
from .headers import draw_header
from .issuers import issuer_drafts
from .keys import draw_key_set, kids, signing_keys
from .mutation import OPERATORS, Operator, get_operator
from .timestamps import nows

__all__ = ["valid_drafts", "valid_cases", "mutated_drafts", "mutated_cases", "access_token_drafts",
           "access_token_cases"]

_ACCESS_TOKEN_TYPS = st.sampled_from(("at+jwt", "JWT", None, "application/at+jwt"))
_OPTIONAL_KIDS = st.one_of(kids(), st.none())
_PROVIDER_VARIANTS = st.integers(0, 9).map(lambda ticket: ticket == 9)  # 1 in 10: domain slashes differ
_DOMAIN_SLASHES = st.sampled_from(("", "/", "//"))


def valid_drafts(*, env: GenerationEnv) -> SearchStrategy[CaseDraft]:
    """Case drafts the `convex-oidc` reference accepts, for the issuer origin and client of `env`.

    Each draft has its own `now`, an issuer path (``env.issuer_path`` when it is not empty,
    otherwise drawn; the draft's ``env`` carries the path used), a pool signing key (RS256 or
    EdDSA), a key set with exactly one eligible key, a header whose ``kid`` is present exactly
    when the key is published with one, and Ave-shaped claims. The provider's domain sometimes
    differs from the token's ``iss`` by a trailing slash only (Convex strips them when routing).
    Shrinks towards ``rsa-2048-a`` with kid ``ave-oidc-v1``, ``typ: JWT``, no optional claims,
    the issuer at the origin root and ``now = 1700000000``.
    """
    _check_env(env)
    issuers = issuer_drafts(issuer_path=env.issuer_path or None)
    keys = signing_keys()

    @st.composite
    def build(draw: st.DrawFn) -> CaseDraft:
        now = draw(nows())
        issuer = draw(issuers)
        case_env = replace(env, issuer_path=issuer.issuer_path)
        key = draw(keys)
        alg = key.natural_alg
        kid = draw(_OPTIONAL_KIDS)
        chosen = draw(scopes())
        draft = CaseDraft(
            env=case_env,
            header=draw_header(draw, alg=alg, kid=kid),
            payload=draw_id_token_claims(draw, issuer=case_env.issuer, application_id=env.application_id,
                                         now=now, scopes=chosen),
            key_id=key.id,
            jwks=draw_key_set(draw, key, kid=kid, alg=alg),
            now=now,
            issuer=issuer,
            scopes=chosen,
        )
        if draw(_PROVIDER_VARIANTS):
            domain = case_env.issuer.rstrip("/") + draw(_DOMAIN_SLASHES)
            if domain != case_env.issuer:
                draft.provider = ProviderConfig(domain, env.application_id)
        return draft

    return build()


def valid_cases(*, env: GenerationEnv) -> SearchStrategy[Case]:
    """Finished cases of `valid_drafts(env=env)`: tokens the `convex-oidc` reference accepts.

    Shrinks as `valid_drafts` does.
    """
    return valid_drafts(env=env).map(CaseDraft.finish)


def mutated_drafts(*, env: GenerationEnv, operators: Iterable[str | Operator]) -> SearchStrategy[CaseDraft]:
    """Valid drafts with exactly one operator drawn from `operators` (names or `Operator` values)
    applied; the change is recorded in ``draft.mutations``. Shrinks towards the first operator
    given, applied to the simplest valid draft.
    """
    _check_env(env)
    names = _operator_names(operators)
    valid = valid_drafts(env=env)
    picks = st.sampled_from(names)

    @st.composite
    def build(draw: st.DrawFn) -> CaseDraft:
        base = draw(valid)
        draft = base.copy()
        draft.base = base
        chosen = get_operator(draw(picks))
        mutation = chosen.apply(draw, draft)
        draft.mutations.append(mutation.to_json())
        return draft

    return build()


def mutated_cases(*, env: GenerationEnv, operators: Iterable[str | Operator]) -> SearchStrategy[Case]:
    """Finished cases of `mutated_drafts`: one recorded mutation each, judged by the reference as
    the operator's ``expect`` says. Shrinks as `mutated_drafts` does."""
    return mutated_drafts(env=env, operators=operators).map(CaseDraft.finish)


def access_token_drafts(*, env: GenerationEnv) -> SearchStrategy[CaseDraft]:
    """Drafts of Ave access tokens (``aud`` is the issuer, not the client), otherwise well signed
    and published like valid ID tokens; ``typ`` is ``at+jwt``, ``JWT`` or absent. Convex must reject
    them (audience). Shrinks towards ``typ: at+jwt`` signed with ``rsa-2048-a``."""
    valid = valid_drafts(env=env)

    @st.composite
    def build(draw: st.DrawFn) -> CaseDraft:
        draft = draw(valid)
        chosen = draw(scopes())
        draft.payload = draw_access_token_claims(draw, issuer=draft.env.issuer, application_id=env.application_id,
                                                 now=draft.now, scopes=chosen)
        typ = draw(_ACCESS_TOKEN_TYPS)
        draft.header.pop("typ", None)
        if typ is not None:
            draft.header["typ"] = typ
        draft.scopes = chosen
        draft.kind = "access_token"
        return draft

    return build()


def access_token_cases(*, env: GenerationEnv) -> SearchStrategy[Case]:
    """Finished cases of `access_token_drafts`: every one must be rejected with reason audience.

    Shrinks as `access_token_drafts` does.
    """
    return access_token_drafts(env=env).map(CaseDraft.finish)


def _check_env(env: object) -> None:
    if not isinstance(env, GenerationEnv):
        raise InvalidArgument(f"env={env!r} must be a conformance.check.GenerationEnv")
    if not env.origin.startswith(("http://", "https://")) or env.origin.endswith("/"):
        raise InvalidArgument(f"env.origin={env.origin!r} must be a scheme and host like 'http://127.0.0.1:8080' "
                              "with no trailing slash")
    if not isinstance(env.application_id, str) or not env.application_id:
        raise InvalidArgument(f"env.application_id={env.application_id!r} must be a non-empty string")
    if env.issuer_path and not env.issuer_path.startswith("/"):
        raise InvalidArgument(f"env.issuer_path={env.issuer_path!r} must be '' or start with '/'")


def _operator_names(operators: object) -> list[str]:
    if isinstance(operators, (str, Operator)) or not isinstance(operators, Iterable):
        raise InvalidArgument(f"operators={operators!r} must be a list of operator names")
    names: list[str] = []
    for item in operators:
        name = item.name if isinstance(item, Operator) else item
        if not isinstance(name, str) or name not in OPERATORS:
            raise InvalidArgument(f"operators contains unknown mutation operator {name!r}; "
                                  f"known: {', '.join(sorted(OPERATORS))}")
        names.append(name)
    if not names:
        raise InvalidArgument("operators=[] must name at least one mutation operator")
    return list(dict.fromkeys(names))
