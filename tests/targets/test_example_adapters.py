"""The shipped example adapters judge real RS256 tokens, and docs/protocol.md ships the adapter verbatim."""

from __future__ import annotations

import re
import shlex
import shutil
import sys

import pytest
from target_helpers import PAST, REPO

from conformance.observation import ObservationKind
from conformance.reasons import Reason
from conformance.targets.protocol import RESULTS

EXAMPLES = REPO / "examples"
PROTOCOL_DOC = REPO / "docs" / "protocol.md"
NODE_MODULES = EXAMPLES / "node_jose" / "node_modules" / "jose"

python_adapter = "exec:" + shlex.join([sys.executable, str(EXAMPLES / "protocol_adapter.py")])
node = shutil.which("node")
needs_node = pytest.mark.skipif(
    node is None or not NODE_MODULES.is_dir(),
    reason="the jose adapter needs node and its modules: run `npm ci --prefix examples/node_jose`")

SPECS = [
    pytest.param(f"{EXAMPLES / 'pyjwt_target.py'}:validate", id="pyjwt"),
    pytest.param(f"{EXAMPLES / 'joserfc_target.py'}:validate", id="joserfc"),
    pytest.param(python_adapter, id="protocol-adapter"),
    pytest.param("exec:" + shlex.join([node or "node", str(EXAMPLES / "node_jose" / "adapter.mjs")]), id="node-jose",
                 marks=needs_node),
]


@pytest.fixture(scope="module", params=SPECS)
def example(request):
    from conformance.targets import load_target

    target = load_target(request.param, timeout=20.0)
    target.start()
    yield target
    target.close()


def test_a_valid_token_is_accepted_with_its_claims(example, jwks_issuer) -> None:
    token = jwks_issuer.token()
    observation = example.run(token, jwks_issuer.context())
    assert observation.kind is ObservationKind.ACCEPTED, (observation.message, observation.detail)
    assert observation.claims is not None
    assert observation.claims["sub"] == "user-1" and observation.claims["iss"] == jwks_issuer.origin


def test_a_token_for_another_audience_is_rejected(example, jwks_issuer) -> None:
    observation = example.run(jwks_issuer.token(aud="someone-else"), jwks_issuer.context())
    assert observation.kind is ObservationKind.REJECTED, (observation.message, observation.detail)
    if example.implementation.capabilities.get("reasons"):
        assert observation.reason == Reason.AUDIENCE.value


def test_the_clock_is_the_cases_not_the_wall(example, jwks_issuer) -> None:
    """Accepted at PAST (frozen or told), expired one hour after `exp`."""
    token = jwks_issuer.token()
    later = example.run(token, jwks_issuer.context(now=PAST + 7200))
    assert later.kind is ObservationKind.REJECTED, (later.message, later.detail)
    if example.implementation.capabilities.get("reasons"):
        assert later.reason == Reason.EXPIRED.value


def test_the_examples_name_themselves(example) -> None:
    implementation = example.implementation
    assert implementation.name in {"pyjwt", "joserfc", "jose"}
    assert re.match(r"^\d+\.\d+", implementation.version)


def test_the_protocol_doc_contains_the_adapter_verbatim() -> None:
    code = (EXAMPLES / "protocol_adapter.py").read_text()
    assert f"```python\n{code}```" in PROTOCOL_DOC.read_text()


def test_the_protocol_doc_lists_every_reason_code_and_result() -> None:
    doc = PROTOCOL_DOC.read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.MULTILINE))
    assert {reason.value for reason in Reason} <= documented
    for result in RESULTS:
        assert f'"result": "{result}"' in doc


def test_the_node_adapter_pins_jose_exactly() -> None:
    import json

    package = json.loads((EXAMPLES / "node_jose" / "package.json").read_text())
    lock = json.loads((EXAMPLES / "node_jose" / "package-lock.json").read_text())
    pinned = package["dependencies"]["jose"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned)
    assert lock["packages"]["node_modules/jose"]["version"] == pinned
