"""A check: one stated requirement, how it is exercised, and what each profile expects.

The catalog of checks lives in ``conformance/catalog.py``; this module is only the noun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from hypothesis.strategies import SearchStrategy

    from .case import Case

__all__ = ["Level", "Expectation", "Check", "GenerationEnv", "spec_link"]


class Level(str, Enum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"


class Expectation(str, Enum):
    """What a profile expects of the check's examples, as a whole."""

    ACCEPT = "accept"  # every example must be accepted
    REJECT = "reject"  # every example must be rejected
    EITHER = "either"  # the profile allows both answers (a declared policy decides)
    MIXED = "mixed"  # some accepted, some rejected: the reference decides per example


@dataclass(frozen=True)
class GenerationEnv:
    """Where generated cases live: the issuer origin, issuer path and the client id."""

    origin: str
    application_id: str = "app_0123456789abcdef0123456789abcdef"
    issuer_path: str = ""

    @property
    def issuer(self) -> str:
        return self.origin + self.issuer_path


@dataclass(frozen=True)
class Check:
    id: str  # stable, e.g. "aud.extra-audience"
    title: str  # the requirement, stated as a fact ("A second, untrusted audience is rejected")
    level: Level
    refs: tuple[str, ...]  # spec references, e.g. ("OIDCC-3.1.3.7-3", "RFC7519-4.1.3")
    rules: tuple[str, ...]  # reference rule ids of the profile, e.g. ("CVX-O3.3",)
    strategy: Callable[[GenerationEnv], "SearchStrategy[Case]"] = field(repr=False, compare=False)
    expectations: Mapping[str, Expectation] = field(default_factory=dict)  # profile name -> expectation
    area: str = ""  # iss, aud, exp, signature, header, claims, parser, discovery, identity
    attack: str = ""  # attack-catalog tier (A forgery, B missing checks, C claim types, D parser)
    description: str = ""

    def expectation(self, profile: str) -> Expectation | None:
        return self.expectations.get(profile)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level.value,
            "refs": list(self.refs),
            "links": {ref: spec_link(ref) for ref in self.refs if spec_link(ref)},
            "rules": list(self.rules),
            "expectations": {k: v.value for k, v in self.expectations.items()},
            "area": self.area,
            "attack": self.attack,
            "description": self.description,
        }


_RFC_SECTION_SPLIT = ("RFC7519", "RFC7515", "RFC7516", "RFC7517", "RFC7518", "RFC7797", "RFC8037", "RFC8725",
                      "RFC9068", "RFC8259", "RFC4648", "RFC9864")

_OPENID = "https://openid.net/specs/"
# (reference id prefixes, URL), most specific first
_DOCUMENT_LINKS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("OIDCC-3.1.3.7",), _OPENID + "openid-connect-core-1_0.html#IDTokenValidation"),
    (("OIDCC-2",), _OPENID + "openid-connect-core-1_0.html#IDToken"),
    (("OIDCC-5",), _OPENID + "openid-connect-core-1_0.html#StandardClaims"),
    (("OIDCC-10",), _OPENID + "openid-connect-core-1_0.html#Signing"),
    (("OIDCC-16",), _OPENID + "openid-connect-core-1_0.html#Security"),
    (("OIDCC",), _OPENID + "openid-connect-core-1_0.html"),
    (("bis-", "RFC8725bis"), "https://datatracker.ietf.org/doc/draft-ietf-oauth-rfc8725bis/"),
    (("OIDBCL",), _OPENID + "openid-connect-backchannel-1_0.html"),
    (("OIDCR",), _OPENID + "openid-connect-registration-1_0.html#ClientMetadata"),
    (("OIDD",), _OPENID + "openid-connect-discovery-1_0.html#ProviderMetadata"),
)


def spec_link(ref: str) -> str | None:
    """A public URL for a spec reference id, or None when it has no public anchor (e.g. CVX rules)."""
    for prefixes, url in _DOCUMENT_LINKS:
        if ref.startswith(prefixes):
            return url
    for rfc in _RFC_SECTION_SPLIT:
        if ref.startswith(rfc):
            section = re.match(r"[0-9][0-9.]*", ref[len(rfc) + 1:])
            anchor = f"#section-{section.group().rstrip('.')}" if section else ""
            return f"https://www.rfc-editor.org/rfc/rfc{rfc[3:]}{anchor}"
    return None
