"""The public face of the reference: the profile value, its rules, and the module conventions."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import conformance.reference as reference
from conformance.fetching import PublicationFetcher
from conformance.profile import Rule, get_profile, profile_names
from conformance.provider import ProviderConfig
from conformance.reasons import Reason
from conformance.reference import CONVEX_OIDC, RULES, validate
from conformance.reference.base64url import decode
from conformance.reference.signature import verify_signature

RULE_IDS = ["CVX-C0", "CVX-R1", "CVX-R2", "CVX-R3", "CVX-R4", "CVX-O1", "CVX-O2", "CVX-O2a", "CVX-O3.1",
            "CVX-O3.2", "CVX-O3.3", "CVX-O3.4", "CVX-O3.5", "CVX-O3.6", "CVX-O3.7", "CVX-O3.8", "CVX-ID"]


def test_profile_value_and_registration():
    assert CONVEX_OIDC.name == "convex-oidc" and CONVEX_OIDC.version == "1.0.0"
    assert CONVEX_OIDC.validate is validate and CONVEX_OIDC.rules is RULES
    assert get_profile("convex-oidc") is CONVEX_OIDC and "convex-oidc" in profile_names()


def test_rules_are_the_documented_ids_with_behaviour_and_source():
    assert [rule.id for rule in RULES] == RULE_IDS
    for rule in RULES:
        assert isinstance(rule, Rule) and len(rule.title) > 20 and rule.source
    assert CONVEX_OIDC.rule("CVX-O3.3").title.startswith("aud contains applicationID")


def test_every_rule_has_named_accept_and_reject_tests():
    names = [name for path in Path(__file__).parent.glob("test_reference_*.py")
             for name in re.findall(r"^def (test_CVX_\w+)", path.read_text(), re.M)]
    for rule_id in RULE_IDS:
        prefix = "test_" + rule_id.replace("-", "_").replace(".", "_") + "_"
        tests = [name for name in names if name.startswith(prefix)]
        assert any(name.endswith("_accepted") for name in tests), f"{rule_id}: no accepted test"
        assert any("_rejected" in name for name in tests), f"{rule_id}: no rejected test"


def test_private_modules_declare_all():
    for module_info in pkgutil.iter_modules(reference.__path__):
        module = importlib.import_module(f"conformance.reference.{module_info.name}")
        assert isinstance(getattr(module, "__all__", None), list), module_info.name
        assert module.__doc__ and len(module.__doc__) > 40, module_info.name
        source = Path(module.__file__).read_text()
        assert source.count("\n") < 400, module_info.name


@pytest.mark.parametrize("token", [None, 5, b"x.y.z", ["a"], object()])
def test_validate_never_raises_on_odd_arguments(kit, token):
    publication = kit.publication()
    verdict = validate(token, provider=ProviderConfig(kit.origin, kit.app), now=kit.now,  # type: ignore[arg-type]
                       fetch=PublicationFetcher(kit.origin, publication))
    assert (verdict.accepted, verdict.reason, verdict.rule) == (False, Reason.MALFORMED, "CVX-R1")


def test_internal_errors_become_labelled_rejections(kit):
    def broken_fetch(url, *, accept="application/json"):
        raise RuntimeError("boom")

    verdict = validate(kit.token(), provider=ProviderConfig(kit.origin, kit.app), now=kit.now, fetch=broken_fetch)
    assert not verdict.accepted and verdict.message.startswith("internal error:") and verdict.rule == "CVX-O1"


def test_verify_signature_is_the_public_signature_layer(kit):
    key = kit.key("ed25519-a")
    token = kit.token("ed25519-a")
    head, body, signature = token.split(".")
    assert verify_signature("EdDSA", key.public_jwk, f"{head}.{body}".encode(), decode(signature, canonical=False))
    assert not verify_signature("EdDSA", kit.key("ed25519-b").public_jwk, f"{head}.{body}".encode(),
                                decode(signature, canonical=False))
    assert not verify_signature("none", key.public_jwk, b"", b"")
