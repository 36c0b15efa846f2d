"""report.html: self-contained, everything escaped, counterexamples in full, traceability table."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path
from html.parser import HTMLParser
from typing import Sequence

from hypothesis import HealthCheck, given, settings
from report_builders import HOSTILE, Drawn, full_run, hostile_run, runs

from conformance.check import Check, spec_link
from conformance.reports import render_html
from conformance.reports._cases import with_stored_cases

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "strong", "code",
                "table", "tr", "th", "td", "a", "span", "article", "dl", "dt", "dd", "pre"}


class _Page(HTMLParser):
    """Every tag and attribute of a page, and the text of its tables by id-less class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _assert_self_contained(page: _Page, spec_links: set[str]) -> None:
    for tag, attrs in page.tags:
        assert tag in ALLOWED_TAGS, tag
        assert "src" not in attrs and not any(name.startswith("on") for name in attrs)
        if tag == "a":
            href = attrs["href"] or ""
            assert href.startswith("#") or href in spec_links, href


def _spec_links(checks: Sequence[Check]) -> set[str]:
    return {link for c in checks for ref in c.refs if (link := spec_link(ref))}


def test_the_page_shows_metadata_checks_traceability_and_counterexamples(tmp_path: Path) -> None:
    run, checks = full_run()
    run = with_stored_cases(run, tmp_path)
    page = render_html(run, checks)
    parsed = _parse(page)
    _assert_self_contained(parsed, _spec_links(checks))
    text = "".join(parsed.text)
    for fact in ("pyjwt-adapter 2.8.0", "convex-oidc 1.0", "idtoken-conformance 0.1.0", "1234",
                 "CONFORMANCE: 1 passed, 4 failed, 2 errors, 1 skipped, 1 expected failure", "Not conformant"):
        assert fact in text
    tables = [attrs.get("class") for tag, attrs in parsed.tags if tag == "table"]
    assert tables == ["metadata", "checks", "traceability"]
    assert '<h2 id="traceability">Requirement traceability</h2>' in page
    traceability = page.split('<table class="traceability">')[1].split("</table>")[0]
    assert traceability.count("<tr>") == 1 + sum(len(c.refs) for c in checks)
    assert '<a href="https://www.rfc-editor.org/rfc/rfc7519#section-4.1.3"><code>RFC7519-4.1.3</code></a>' in \
        traceability
    for result in run.results:
        assert f'<article id="check-{result.check_id}">' in page
        failure = result.failure
        if failure is None:
            continue
        assert failure.case.token in text
        assert failure.replay_command is not None and failure.replay_command in text
        assert '"kty": "OKP"' in text  # the key set, pretty-printed
        assert '"alg": "EdDSA"' in text and '"sub": "user-1"' in text  # decoded header and payload
        assert "now = 1700000000.5 (2023-11-14T22:13:20.500000+00:00)" in text
        assert "domain http://127.0.0.1:8765, applicationID app_0123456789abcdef0123456789abcdef" in text
    assert "segfault" in text and "PyJWT accepts a second audience by default" in text


def test_attacker_markup_is_escaped() -> None:
    run, checks = hostile_run()
    page = render_html(run, checks)
    assert "<script" not in page and "<img" not in page
    assert html.escape(HOSTILE) in page
    parsed = _parse(page)
    _assert_self_contained(parsed, _spec_links(checks))
    text = "".join(parsed.text)
    assert f'"sub": {json.dumps(HOSTILE, ensure_ascii=False)}' in text  # the decoded payload, as text
    assert f"BYPASS: {HOSTILE}" in text  # the explanation, as text


def test_malformed_tokens_are_shown_with_a_note() -> None:
    run, checks = full_run()
    result = run.results[1]
    assert result.failure is not None
    bad = replace(result.failure.case, token="%%%.not-json-but-base64.x.y")
    run = replace(run, results=(replace(result, failure=replace(result.failure, case=bad)),))
    text = "".join(_parse(render_html(run, checks)).text)
    assert "not base64url" in text and "the token has 4 segments, not 3" in text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_no_generated_text_can_add_markup(drawn: Drawn) -> None:
    run, checks = drawn
    page = render_html(run, checks)
    page.encode("utf-8")
    parsed = _parse(page)
    _assert_self_contained(parsed, _spec_links(checks))
    assert sum(1 for tag, _ in parsed.tags if tag == "article") == len(run.results)
