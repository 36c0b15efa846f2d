"""Lenient decoding of a compact token and of JSON bodies, for display only.

Counterexamples are often malformed on purpose; every failure to decode is shown as a note next
to the raw text, never raised. Nothing here judges a token.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from ._json import jsonable

__all__ = ["Shown", "decode_token", "show_json"]

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Shown:
    """Text to display (pretty JSON when possible) and a note on what was odd about it."""

    text: str
    note: str = ""


def decode_token(token: str) -> tuple[Shown, Shown, str]:
    """The header and payload shown as JSON when they decode, and a note on the signature segment."""
    parts = token.split(".")
    header = _segment(parts[0]) if parts else Shown("", "empty token")
    payload = _segment(parts[1]) if len(parts) > 1 else Shown("", "no payload segment")
    if len(parts) != 3:
        signature = f"the token has {len(parts)} segment{'' if len(parts) == 1 else 's'}, not 3"
    else:
        raw = _b64decode(parts[2])
        signature = "signature is not base64url" if raw is None else f"signature: {len(raw)} bytes"
    return header, payload, signature


def show_json(raw: bytes | str) -> Shown:
    """`raw` pretty-printed when it is JSON, otherwise as text with a note."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, (bytes, bytearray)) else raw
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        value = json.loads(text, object_pairs_hook=pairs)
    except ValueError as exc:
        return Shown(text, f"not JSON: {exc}")
    note = f"duplicate member names (the last is shown): {', '.join(duplicates)}" if duplicates else ""
    return Shown(json.dumps(jsonable(value), indent=2, ensure_ascii=False), note)


def _segment(segment: str) -> Shown:
    raw = _b64decode(segment)
    if raw is None:
        return Shown(segment, "not base64url")
    shown = show_json(raw)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        notes = ("not UTF-8 (shown with replacement characters)", shown.note)
        return Shown(shown.text, "; ".join(note for note in notes if note))
    return shown


def _b64decode(segment: str) -> bytes | None:
    cleaned = segment.strip().replace("+", "-").replace("/", "_").rstrip("=")
    if not _BASE64URL.fullmatch(cleaned):
        return None
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        return None
