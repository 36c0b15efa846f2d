"""The reference validator (the oracle) of the ``convex-oidc`` conformance profile.

Public API::

    validate(token, *, provider, now, fetch) -> Verdict   never raises
    CONVEX_OIDC                                            the Profile, registered on import
    RULES                                                  its rules (conformance.profile.Rule)

The signature layer alone is ``conformance.reference.signature.verify_signature``.
"""

from __future__ import annotations

from ..profile import Profile, register_profile
from .convex_oidc import validate
from .rules import RULES

__all__ = ["validate", "CONVEX_OIDC", "RULES"]

CONVEX_OIDC: Profile = register_profile(Profile(
    name="convex-oidc",
    version="1.0.0",
    title="Convex backend, custom OIDC provider {domain, applicationID}",
    validate=validate,
    rules=RULES,
))
