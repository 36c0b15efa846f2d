"""Unpadded base64url decoding, in the two strictness levels the backend uses.

Routing (R1) decodes the payload canonically: only the URL-safe alphabet, no ``=``, a length that
is not 1 mod 4, and zero unused bits in the last character. The OIDC parser (O2) and the JWK
members use the same engine with ``decode_allow_trailing_bits(true)``: non-zero unused bits are
tolerated, everything else is as strict. PyJWT's own decoder is more lenient than either (it
accepts padding and the standard alphabet), so this module does not use it.
"""

from __future__ import annotations

import base64
import re

__all__ = ["decode"]

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
_VALUES = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}


def decode(segment: str, *, canonical: bool) -> bytes | None:
    """The bytes of `segment`, or None when it is not unpadded base64url at the chosen strictness.

    `canonical` True additionally refuses non-zero unused bits in the last character.
    """
    if not isinstance(segment, str) or _ALPHABET.fullmatch(segment) is None:
        return None
    remainder = len(segment) % 4
    if remainder == 1:
        return None
    if canonical and remainder:
        unused_mask = 0b1111 if remainder == 2 else 0b11
        if _VALUES[segment[-1]] & unused_mask:
            return None
    padded = segment + "=" * (-len(segment) % 4)
    return base64.urlsafe_b64decode(padded)
