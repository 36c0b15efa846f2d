"""The signature layer against published vectors: RFC 7515 Appendix A.2 and Wycheproof JWS groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.reference import base64url
from conformance.reference.signature import key_problem, verify_signature

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "json_web_signature_test.json"

# RFC 7515, Appendix A.2 (RS256): the key and the JWS as printed in the RFC.
RFC7515_A2_JWK = {
    "kty": "RSA",
    "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2"
         "lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBE"
         "Ma2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2"
         "PAcDTW9gb54h4FRWyuXpoQ",
    "e": "AQAB",
}
RFC7515_A2_JWS = (
    "eyJhbGciOiJSUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUA"
    "r7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO-"
    "-xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_I"
    "oypGlUPQGe77Rw"
)


def _split(jws: str) -> tuple[str, bytes, bytes] | None:
    """(alg, signing input, signature) of a compact JWS, or None when it is not one."""
    if not isinstance(jws, str) or jws.count(".") != 2:
        return None
    header_segment, payload_segment, signature_segment = jws.split(".")
    header = base64url.decode(header_segment, canonical=False)
    payload = base64url.decode(payload_segment, canonical=False)
    signature = base64url.decode(signature_segment, canonical=False)
    if header is None or payload is None or signature is None:
        return None
    try:
        alg = json.loads(header).get("alg")
    except (ValueError, AttributeError):
        return None
    if not isinstance(alg, str):
        return None
    return alg, f"{header_segment}.{payload_segment}".encode("ascii"), signature


def _verifies(jws: Any, jwk: dict[str, Any]) -> bool:
    parts = _split(jws)
    return parts is not None and verify_signature(parts[0], jwk, parts[1], parts[2])


def test_rfc7515_appendix_a2_verifies():
    alg, data, signature = _split(RFC7515_A2_JWS)
    assert alg == "RS256" and key_problem(alg, RFC7515_A2_JWK) is None
    assert data.split(b".")[1] and base64url.decode(data.decode().split(".")[1], canonical=True) == (
        b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}')
    assert verify_signature(alg, RFC7515_A2_JWK, data, signature)


def test_rfc7515_appendix_a2_altered_inputs_fail():
    alg, data, signature = _split(RFC7515_A2_JWS)
    assert not verify_signature(alg, RFC7515_A2_JWK, data + b" ", signature)
    assert not verify_signature(alg, RFC7515_A2_JWK, data, signature[:-1] + bytes([signature[-1] ^ 1]))
    assert not verify_signature("RS384", RFC7515_A2_JWK, data, signature)
    assert not verify_signature("PS256", RFC7515_A2_JWK, data, signature)
    assert not verify_signature(alg, dict(RFC7515_A2_JWK, e="Aw"), data, signature)
    assert not verify_signature(alg, dict(RFC7515_A2_JWK, kty="EC"), data, signature)


def _groups() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    if not VECTORS.exists():
        return []
    document = json.loads(VECTORS.read_text())
    cases = []
    for group in document["testGroups"]:
        if group["comment"] not in ("rs256", "rfc7520", "rfc7520WithKeyOps"):
            continue
        jwk = group.get("public", group.get("private"))
        for test in group["tests"]:
            cases.append((f"{group['comment']}-{test['tcId']}", jwk, test))
    return cases


WYCHEPROOF = _groups()


@pytest.mark.skipif(not WYCHEPROOF, reason=f"Wycheproof vectors not found at {VECTORS}: copy "
                                           "json_web_signature_test.json from C2SP/wycheproof into tests/vectors/")
@pytest.mark.parametrize("name, jwk, test", WYCHEPROOF, ids=[case[0] for case in WYCHEPROOF])
def test_wycheproof_jws_vector(name, jwk, test):
    verified = _verifies(test["jws"], jwk)
    if test["result"] == "valid":
        assert verified, f"{name}: {test['comment']}"
    elif test["result"] == "invalid":
        assert not verified, f"{name}: {test['comment']}"


def test_wycheproof_groups_cover_rs256_and_rfc7520():
    if not WYCHEPROOF:
        pytest.skip(f"Wycheproof vectors not found at {VECTORS}")
    results = {test["result"] for _, _, test in WYCHEPROOF}
    algs = {(_split(test["jws"]) or ("?",))[0] for _, _, test in WYCHEPROOF if test["result"] == "valid"}
    assert len(WYCHEPROOF) >= 230 and {"valid", "invalid"} <= results
    assert {"RS256", "PS384", "ES512", "HS256"} <= algs
