"""Text made safe to embed: no characters XML forbids, no lone surrogates, bounded length.

Tokens, claims and target messages are attacker-controlled; they may hold control characters or
lone surrogates (``"\\ud800"`` in a JSON payload decodes to one) that would make an XML file invalid
or a UTF-8 write fail. They are shown as visible escapes instead.
"""

from __future__ import annotations

import re

__all__ = ["printable", "truncate"]

# XML 1.0 Char production, negated; lone surrogates are never valid in UTF-8 either.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` with every character XML 1.0 forbids written as a visible ``\\xNN`` / ``\\uNNNN`` escape."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def truncate(text: str, limit: int) -> str:
    """`text` cut in the middle to about `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    head = limit * 3 // 4
    tail = limit - head
    return f"{text[:head]} ... [{len(text) - limit} characters omitted] ... {text[len(text) - tail:]}"
