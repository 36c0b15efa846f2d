"""idtoken-conformance: certify OIDC ID-token validators against a reference behaviour.

Public API (everything else is internal and may change)::

    Rejected            raise it from an in-process target to reject a token
    Verdict, Reason     the reference validator's answer and the rejection taxonomy
    ProviderConfig      ``{domain, applicationID}`` as in Convex's auth.config.ts
    TargetContext       what a target is told besides the token
    Case                one self-contained, replayable case
    get_profile         a conformance profile by name (``convex-oidc``)
    key_pool            the committed test-only key pool
"""

from __future__ import annotations

from .case import Case
from .context import TargetContext
from .errors import ConformanceError, Rejected, UsageError
from .keypool import key_pool
from .profile import Profile, get_profile, profile_names
from .provider import ProviderConfig
from .reasons import Reason
from .verdict import Verdict

__version__ = "0.1.0"

__all__ = [
    "Case",
    "ConformanceError",
    "Profile",
    "ProviderConfig",
    "Reason",
    "Rejected",
    "TargetContext",
    "UsageError",
    "Verdict",
    "__version__",
    "get_profile",
    "key_pool",
    "profile_names",
]
