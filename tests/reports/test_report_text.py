"""The small helpers every report relies on: printable text, truncation, strict JSON, lenient decoding."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from report_builders import wild_text

from conformance.jws import b64url_encode
from conformance.reports._decode import Shown, decode_token, show_json
from conformance.reports._json import dump_json, jsonable
from conformance.reports._markdown_text import md_code, md_fence
from conformance.reports._text import printable, truncate


@given(wild_text)
def test_printable_text_is_valid_in_xml_and_utf8(text: str) -> None:
    shown = printable(text)
    shown.encode("utf-8")
    element = ET.fromstring(ET.tostring(ET.Element("x", {"a": shown}), encoding="unicode"))
    assert element.get("a") is not None
    if text.isprintable():
        assert shown == text


def test_printable_escapes_visibly() -> None:
    assert printable("a\x00b\ud800c\x1bd\te") == "a\\x00b\\ud800c\\x1bd\te"


@given(st.text(), st.integers(8, 200))
def test_truncation_keeps_both_ends_and_says_so(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    if len(text) <= limit:
        assert cut == text
    else:
        assert f"[{len(text) - limit} characters omitted]" in cut
        assert cut.startswith(text[: limit * 3 // 4]) and cut.endswith(text[-(limit - limit * 3 // 4):])


def test_jsonable_gives_standard_json() -> None:
    value = {"nan": math.nan, "inf": [math.inf, -math.inf], "bytes": b"ok", "raw": b"\xff", 1: {"set": {2, 1}}}
    assert jsonable(value) == {"nan": "NaN", "inf": ["Infinity", "-Infinity"], "bytes": "ok",
                               "raw": {"base64": "/w=="}, "1": {"set": [1, 2]}}
    text = dump_json({"s": "\ud800é"})
    text.encode("ascii")
    assert json.loads(text) == {"s": "\ud800é"}


def test_tokens_decode_leniently_with_notes() -> None:
    header = b64url_encode(b'{"alg":"none","a":1,"a":2}')
    payload = b64url_encode(b"\xff\xfe not json")
    shown_header, shown_payload, signature = decode_token(f"{header}.{payload}.")
    assert json.loads(shown_header.text) == {"alg": "none", "a": 2}
    assert shown_header.note == "duplicate member names (the last is shown): a"
    assert shown_payload.note.startswith("not UTF-8 (shown with replacement characters); not JSON")
    assert signature == "signature: 0 bytes"
    assert decode_token("only-one")[2] == "the token has 1 segment, not 3"
    assert decode_token("e30.e30.x.y")[2] == "the token has 4 segments, not 3"
    assert decode_token("!!.e30.x")[0] == Shown("!!", "not base64url")
    assert decode_token("e30.e30.x")[1] == Shown("{}")
    assert show_json('{"x": NaN}').text == '{\n  "x": "NaN"\n}'


@given(st.text(st.sampled_from("ab`|\n ")))
def test_code_fences_and_spans_cannot_be_closed_from_inside(text: str) -> None:
    fence = md_fence(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    opening = fence.split("\n", 1)[0]
    assert opening == "`" * max(3, longest + 1) + "text" and fence.endswith("\n" + "`" * max(3, longest + 1))
    span = md_code(text)
    ticks = len(span) - len(span.lstrip("`"))
    assert "`" * ticks not in span[ticks:-ticks]
    assert "\n" not in span and "|" not in span.replace("\\|", "")
