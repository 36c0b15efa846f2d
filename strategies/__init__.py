"""Public Hypothesis strategies for OIDC ID tokens (facade; implementations live in submodules).

Import from here in your own property tests::

    from conformance.check import GenerationEnv
    from strategies import valid_cases, mutated_cases

    env = GenerationEnv(origin="http://127.0.0.1:8080", application_id="app_123")

    @given(valid_cases(env=env))
    def test_my_validator_accepts(case): ...

Values: keys (`signing_keys`, `key_sets`, `kids`), clocks and time claims (`nows`, `expirations`,
`issue_times`, `auth_times`, `not_befores`), payloads (`scopes`, `id_token_claims`,
`access_token_claims`, ...), headers (`headers`, `typs`), issuers (`issuer_paths`,
`issuer_drafts`), whole cases (`valid_cases`, `mutated_cases`, `access_token_cases` and their
`*_drafts` forms), and the mutation-operator registry (`OPERATORS`, `get_operator`).
See docs/strategies.md.
"""

from __future__ import annotations

from .claims import (access_token_claims, audiences, custom_claim_names, custom_claims, id_token_claims,
                     json_values, organization_claims, rfc3339_times, scopes, standard_claims, subjects)
from .draft import CaseDraft, IssuerDraft
from .headers import headers, typs
from .issuers import issuer_drafts, issuer_paths
from .keys import key_sets, kids, published_key, signing_keys
from .mutation import ACCEPT, OPERATORS, Mutation, Operator, get_operator, operator
from .timestamps import auth_times, expirations, issue_times, not_befores, nows
from .tokens import (access_token_cases, access_token_drafts, mutated_cases, mutated_drafts, valid_cases,
                     valid_drafts)

# Importing an operator module registers its operators in OPERATORS. A check lists its operators in
# registration order and shrinks towards the first, so this order is kept on purpose.
from . import ops_time, ops_claims, ops_discovery, ops_forgery, ops_keyset, ops_parsing, ops_json  # noqa: E402,F401

__all__ = [
    "ACCEPT", "OPERATORS", "CaseDraft", "IssuerDraft", "Mutation", "Operator", "access_token_cases",
    "access_token_claims", "access_token_drafts", "audiences", "auth_times", "custom_claim_names",
    "custom_claims", "expirations", "get_operator", "headers", "id_token_claims", "issue_times",
    "issuer_drafts", "issuer_paths", "json_values", "key_sets", "kids", "mutated_cases", "mutated_drafts",
    "not_befores", "nows", "operator", "organization_claims", "published_key", "rfc3339_times", "scopes",
    "signing_keys", "standard_claims", "subjects", "typs", "valid_cases", "valid_drafts",
]
