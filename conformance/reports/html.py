"""``report.html``: one self-contained page (inline CSS, no scripts, no external assets).

Run metadata, the checks, a requirement traceability table (check -> spec section -> level) and,
per check, the requirement and any counterexample in full: token, decoded header and payload, key
set, clock, provider, expected and observed verdicts, replay command. Tokens and claims are
attacker-controlled, so every piece of text is escaped; the only links are spec links.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from typing import Iterable, Sequence

from ..check import Check, spec_link
from ..publication import Endpoint
from ..results import CheckStatus, Failure, RunResult
from ._decode import Shown, decode_token, show_json
from ._document import (STATUS_LABELS, Entry, describe_observation, describe_verdict, implementation_label, join,
                        summary_line, verdict_text)
from ._json import jsonable
from ._text import printable, truncate

__all__ = ["render_html"]

_SHOW_LIMIT = 20000
_NONE = '<span class="note">none</span>'

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1b1f24;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;
vertical-align:top}th{background:#f6f8fa}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem;white-space:pre-wrap;word-break:break-all;
max-height:30rem;overflow:auto}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.status{font-weight:bold;padding:0 .35rem;border-radius:.25rem;color:#fff}
.passed{background:#1a7f37}.failed{background:#cf222e}.error{background:#8250df}.skipped{background:#6e7781}
.xfail{background:#bc4c00}.verdict-ok{color:#1a7f37}.verdict-bad{color:#cf222e}.note{color:#57606a}
article{border:1px solid #d0d7de;border-radius:.4rem;padding:.2rem 1rem 1rem;margin:1rem 0}
dt{font-weight:bold;margin-top:.4rem}dd{margin-left:1rem}
"""


def render_html(run: RunResult, checks: Sequence[Check]) -> str:
    """The HTML page of `run`."""
    entries = join(run, checks)
    meta = run.metadata
    title = f"ID-token conformance: {implementation_label(meta)} / {meta.profile} {meta.profile_version}"
    verdict = ("verdict-ok" if run.conformant else "verdict-bad", verdict_text(run))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="{verdict[0]}"><strong>{verdict[1]}</strong></p>',
        f"<p><code>{_e(summary_line(run))}</code></p>",
        _metadata(run),
        _overview(entries),
        _traceability(entries),
        '<h2 id="details">Check details</h2>',
        *(_details(entry) for entry in entries),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _metadata(run: RunResult) -> str:
    meta = run.metadata
    rows = [
        ("Implementation", implementation_label(meta)),
        ("Implementation details", json.dumps(jsonable(meta.implementation), sort_keys=True)),
        ("Target", meta.target),
        ("Conformance profile", f"{meta.profile} {meta.profile_version}"),
        ("Suite", f"idtoken-conformance {meta.suite_version}"),
        ("Seed", "none" if meta.seed is None else str(meta.seed)),
        ("Examples per check", str(meta.examples_per_check)),
        ("Strict reasons", "yes" if meta.strict_reasons else "no"),
        ("Jobs", str(meta.jobs)),
        ("Started", meta.started_at),
        ("Finished", meta.finished_at),
        ("Python", meta.python),
        ("Platform", meta.platform),
    ]
    body = "".join(f"<tr><th>{_e(name)}</th><td>{_e(value)}</td></tr>" for name, value in rows)
    return f'<h2 id="run">Run</h2><table class="metadata">{body}</table>'


def _overview(entries: Sequence[Entry]) -> str:
    rows = "".join(
        f"<tr><td>{_status(e.result.status)}</td><td><a href=\"#{_anchor(e)}\"><code>{_e(e.check.id)}</code></a></td>"
        f"<td>{_e(e.check.level.value)}</td><td>{_e(e.check.title)}</td><td>{e.result.examples}</td>"
        f"<td>{e.result.duration:.2f}s</td></tr>" for e in entries)
    return ('<h2 id="checks">Checks</h2><table class="checks"><tr><th>Status</th><th>Check</th><th>Level</th>'
            f"<th>Requirement</th><th>Examples</th><th>Time</th></tr>{rows}</table>")


def _traceability(entries: Sequence[Entry]) -> str:
    rows = []
    for e in entries:
        refs = e.check.refs or ("",)
        for ref in refs:
            rows.append(f"<tr><td><a href=\"#{_anchor(e)}\"><code>{_e(e.check.id)}</code></a></td>"
                        f"<td>{_ref(ref) if ref else _NONE}</td>"
                        f"<td>{_e(e.check.level.value)}</td><td>{_e(', '.join(e.check.rules))}</td>"
                        f"<td>{_status(e.result.status)}</td></tr>")
    return ('<h2 id="traceability">Requirement traceability</h2><table class="traceability"><tr><th>Check</th>'
            f"<th>Spec section</th><th>Level</th><th>Profile rules</th><th>Status</th></tr>{''.join(rows)}</table>")


def _details(entry: Entry) -> str:
    check, result = entry.check, entry.result
    facts = [
        ("Requirement", _e(check.title)),
        ("Level", _e(check.level.value)),
        ("Expectation", _e(entry.expectation.value if entry.expectation else "none stated")),
        ("Spec", ", ".join(_ref(ref) for ref in check.refs) or "none"),
        ("Profile rules", _e(", ".join(check.rules)) or "none"),
        ("Area", _e(entry.area)),
    ]
    if check.attack:
        facts.append(("Attack class", _e(check.attack)))
    if check.description:
        facts.append(("Description", _e(check.description)))
    facts.append(("Examples", f"{result.examples} in {result.duration:.2f}s"))
    if result.message:
        facts.append(("Message", _e(result.message)))
    parts = [f'<article id="{_anchor(entry)}"><h3>{_status(result.status)} <code>{_e(check.id)}</code></h3>',
             _dl(facts)]
    if result.failure is not None:
        parts.append(_counterexample(result.failure))
    parts.append("</article>")
    return "\n".join(parts)


def _counterexample(failure: Failure) -> str:
    case = failure.case
    header, payload, signature = decode_token(case.token)
    facts = [
        ("Mismatch", f"<strong>{_e(failure.kind.value)}</strong>: {_e(failure.explanation)}"),
        ("Expected (reference)", _e(describe_verdict(failure.expected)) + _pre(_json(failure.expected.to_json()))),
        ("Observed (target)", _e(describe_observation(failure.observed)) + _pre(_json(failure.observed.to_json()))),
        (f"Token ({len(case.token)} characters)", _pre(truncate(case.token, _SHOW_LIMIT))),
        ("Header (decoded)", _shown(header)),
        ("Payload (decoded)", _shown(payload)),
        ("Signature", _e(signature)),
        ("Key set", _endpoint_text(case.publication.jwks) + _shown(show_json(case.publication.jwks.body))),
        ("Discovery document", _endpoint_text(case.publication.discovery)
         + _shown(show_json(case.publication.discovery.body))),
        ("Clock", _e(_clock(case.now))),
        ("Provider", f"domain <code>{_e(case.provider.domain)}</code>, applicationID "
                     f"<code>{_e(case.provider.application_id)}</code>, issuer origin <code>{_e(case.origin)}</code>"),
    ]
    if case.recipe:
        facts.append(("How it was built", _pre(_json(case.recipe))))
    for name, text in (("Target detail", failure.observed.detail), ("Target stderr", failure.observed.stderr)):
        if text:
            facts.append((name, _pre(truncate(text, _SHOW_LIMIT))))
    if failure.case_file:
        facts.append(("Case file", f"<code>{_e(failure.case_file)}</code>"))
    if failure.replay_command:
        facts.append(("Replay", _pre(failure.replay_command)))
    return "<h4>Counterexample</h4>" + _dl(facts)


def _endpoint_text(endpoint: Endpoint) -> str:
    content_type = endpoint.content_type if endpoint.content_type is not None else "no Content-Type"
    delay = f", after {endpoint.delay}s" if endpoint.delay else ""
    return _e(f"served at {endpoint.path}: HTTP {endpoint.status}, {content_type}{delay}")


def _clock(now: float) -> str:
    try:
        moment = datetime.fromtimestamp(now, timezone.utc).isoformat()
    except (OverflowError, OSError, ValueError):
        return f"now = {now}"
    return f"now = {now} ({moment})"


def _shown(shown: Shown) -> str:
    note = f'<p class="note">{_e(shown.note)}</p>' if shown.note else ""
    return note + _pre(truncate(shown.text, _SHOW_LIMIT))


def _json(value: object) -> str:
    return json.dumps(jsonable(value), indent=2, ensure_ascii=False)


def _dl(facts: Iterable[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{_e(name)}</dt><dd>{value}</dd>" for name, value in facts) + "</dl>"


def _pre(text: str) -> str:
    return f"<pre>{_e(text)}</pre>"


def _ref(ref: str) -> str:
    link = spec_link(ref)
    return f'<a href="{_e(link)}"><code>{_e(ref)}</code></a>' if link else f"<code>{_e(ref)}</code>"


def _status(status: CheckStatus) -> str:
    return f'<span class="status {status.value}">{STATUS_LABELS[status]}</span>'


def _anchor(entry: Entry) -> str:
    return _e("check-" + entry.check.id)


def _e(text: object) -> str:
    return html.escape(printable(str(text)), quote=True)
