"""Escaping attacker-controlled text for GitHub-flavoured Markdown (text, table cells, code)."""

from __future__ import annotations

import re

from ._text import printable

__all__ = ["md_text", "md_code", "md_fence"]

_SPECIAL = re.compile(r"([\\`*_\[\]#+!|~])")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md_text(text: str) -> str:
    """`text` as literal Markdown on one line: ``& < >`` as entities, other punctuation backslash-escaped."""
    one_line = " ".join(printable(str(text)).split())
    return _SPECIAL.sub(r"\\\1", one_line.translate(_ENTITIES))


def md_code(text: str) -> str:
    """`text` as an inline code span that survives inside a table cell."""
    one_line = " ".join(printable(str(text)).split()).replace("|", "\\|")
    ticks = "`" * (_longest_run(one_line, "`") + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{ticks}{pad}{one_line}{pad}{ticks}" if one_line else "` `"


def md_fence(text: str, language: str = "text") -> str:
    """`text` as a fenced code block whose fence no backtick run inside it can close."""
    fence = "`" * max(3, _longest_run(text, "`") + 1)
    return f"{fence}{language}\n{printable(text)}\n{fence}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(run) for run in runs), default=0)
