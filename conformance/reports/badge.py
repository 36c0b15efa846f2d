"""``badge-<profile>.svg``: a shields-style flat badge ``<profile> | N/M passing``.

N counts passed checks only: a skip or an expected failure is never a pass, but both count in M.
When every check passed the message is ``conformant``. Colour: green when all passed, red when
any check failed or errored, yellow when the rest are skips or expected failures, grey for no checks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..results import CheckStatus, RunResult
from ._text import printable

__all__ = ["Badge", "badge_for", "render_badge"]

GREEN, RED, YELLOW, GREY = "#4c1", "#e05d44", "#dfb317", "#9f9f9f"
_SVG = "http://www.w3.org/2000/svg"

# Approximate advance widths of Verdana at 11px, as shields.io measures its text.
_NARROW = {c: 3.2 for c in "ijlI|!'.,:;"}
_NARROW.update({c: 4.4 for c in "frt()[]/ -"})
_WIDE = {c: 9.8 for c in "mwMW%@"}


@dataclass(frozen=True)
class Badge:
    label: str
    message: str
    color: str
    passed: int
    total: int


def badge_for(run: RunResult) -> Badge:
    """What the badge of `run` says."""
    passed, total = run.count(CheckStatus.PASSED), len(run.results)
    problems = run.count(CheckStatus.FAILED) + run.count(CheckStatus.ERROR)
    if total and passed == total:
        message, color = "conformant", GREEN
    else:
        message = f"{passed}/{total} passing"
        color = GREY if total == 0 else (RED if problems else YELLOW)
    return Badge(run.metadata.profile, message, color, passed, total)


def render_badge(run: RunResult) -> str:
    """The badge of `run` as SVG text."""
    badge = badge_for(run)
    label, message = printable(badge.label), printable(badge.message)
    left, right = _text_width(label) + 10, _text_width(message) + 10
    width = left + right
    summary = f"{label}: {message}"
    svg = ET.Element("svg", {"xmlns": _SVG, "width": _n(width), "height": "20", "role": "img", "aria-label": summary})
    ET.SubElement(svg, "title").text = summary
    gradient = ET.SubElement(svg, "linearGradient", {"id": "s", "x2": "0", "y2": "100%"})
    ET.SubElement(gradient, "stop", {"offset": "0", "stop-color": "#bbb", "stop-opacity": ".1"})
    ET.SubElement(gradient, "stop", {"offset": "1", "stop-opacity": ".1"})
    clip = ET.SubElement(svg, "clipPath", {"id": "r"})
    ET.SubElement(clip, "rect", {"width": _n(width), "height": "20", "rx": "3", "fill": "#fff"})
    shapes = ET.SubElement(svg, "g", {"clip-path": "url(#r)"})
    ET.SubElement(shapes, "rect", {"width": _n(left), "height": "20", "fill": "#555"})
    ET.SubElement(shapes, "rect", {"x": _n(left), "width": _n(right), "height": "20",
                                              "fill": badge.color})
    ET.SubElement(shapes, "rect", {"width": _n(width), "height": "20", "fill": "url(#s)"})
    texts = ET.SubElement(svg, "g", {"fill": "#fff", "text-anchor": "middle", "font-size": "11",
                                                "font-family": "Verdana,Geneva,DejaVu Sans,sans-serif"})
    for text, middle in ((label, left / 2), (message, left + right / 2)):
        ET.SubElement(texts, "text", {"x": _n(middle), "y": "15", "fill": "#010101",
                                                 "fill-opacity": ".3"}).text = text
        ET.SubElement(texts, "text", {"x": _n(middle), "y": "14"}).text = text
    return ET.tostring(svg, encoding="unicode") + "\n"


def _text_width(text: str) -> float:
    return sum(_NARROW.get(c, _WIDE.get(c, 7.6 if c.isupper() else 6.6)) for c in text)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
