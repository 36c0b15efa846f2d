"""URLs as the backend's `url` crate (WHATWG URL Standard) parses and sends them.

The backend parses the token's issuer, the discovery URL, the discovered ``issuer`` and
``jwks_uri`` with `url::Url::parse`; a failure is a rejection, and a success is what goes on the
wire. This module keeps the parts of the WHATWG parser that decide either: scheme syntax, special
authority parsing (host, port, userinfo), IPv4/IPv6 hosts, forbidden host code points, default
ports, backslashes, dot segments and percent-encoding of the path and query. International
domain names are converted with Python's IDNA 2003 codec, an approximation of the crate's
UTS #46 processing that only matters for non-ASCII hosts.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote_to_bytes

__all__ = ["Url", "parse_url"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SPECIAL_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_PATH_ESCAPE = frozenset(' "#<>?`{}')
_QUERY_ESCAPE = frozenset(" \"#<>'")
_SINGLE_DOT = {".", "%2e"}
_DOUBLE_DOT = {"..", ".%2e", "%2e.", "%2e%2e"}


@dataclass(frozen=True)
class Url:
    """A parsed URL: its lower-cased scheme and where a request for it goes.

    `request` has no fragment and no userinfo (an HTTP client sends credentials as a header).
    """

    scheme: str
    request: str


def parse_url(text: str) -> Url | None:
    """`text` parsed as `url::Url::parse` would, or None where that fails."""
    return _parse_cached(text) if len(text) <= 2048 else _parse(text)


@lru_cache(maxsize=1024)
def _parse_cached(text: str) -> Url | None:
    return _parse(text)


def _parse(text: str) -> Url | None:
    text = text.strip(_C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    scheme_match = _SCHEME.match(text)
    if scheme_match is None:
        return None  # relative URL without a base
    scheme = scheme_match.group()[:-1].lower()
    rest = text[scheme_match.end():]
    if scheme not in _SPECIAL_PORTS:
        return Url(scheme, scheme + ":" + rest)  # opaque or non-special URL: parsed, never fetched
    rest = rest.lstrip("/\\")
    end = min((i for i in (rest.find(c) for c in "/\\?#") if i >= 0), default=len(rest))
    authority, remainder = rest[:end], rest[end:]
    hostport = authority.rpartition("@")[2]
    split = _split_host_port(hostport)
    if split is None:
        return None
    host_text, port_text = split
    host = _parse_host(host_text)
    port = _parse_port(port_text, _SPECIAL_PORTS[scheme])
    if host is None or port is None:
        return None
    try:
        path_and_query = _path_and_query(remainder.split("#", 1)[0])
    except UnicodeEncodeError:
        return None
    return Url(scheme, f"{scheme}://{host}{port}{path_and_query}")


def _split_host_port(hostport: str) -> tuple[str, str | None] | None:
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            return None
        after = hostport[close + 1:]
        if after and not after.startswith(":"):
            return None
        return hostport[: close + 1], (after[1:] if after else None)
    host, colon, port = hostport.partition(":")
    return host, (port if colon else None)


def _parse_port(text: str | None, default: int) -> str | None:
    """``:port`` as serialized (empty for none or the default port); None when invalid."""
    if not text:
        return ""
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    if value > 65535:
        return None
    return "" if value == default else f":{value}"


def _parse_host(text: str) -> str | None:
    if not text:
        return None
    if text.startswith("["):
        inner = text[1:-1] if text.endswith("]") else ""
        if not inner or "%" in inner:
            return None
        try:
            return "[" + ipaddress.IPv6Address(inner).compressed + "]"
        except ValueError:
            return None
    try:
        decoded = unquote_to_bytes(text).decode("utf-8")
        ascii_host = decoded.lower() if decoded.isascii() else decoded.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return None
    if not ascii_host or _FORBIDDEN_HOST.search(ascii_host):
        return None
    if _ends_in_a_number(ascii_host):
        return _parse_ipv4(ascii_host)
    return ascii_host


def _ipv4_number(part: str) -> int | None:
    if part[:2] in ("0x", "0X"):
        digits, base = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if digits == "":
        return 0 if base != 10 else None
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _labels(host: str) -> list[str]:
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    return labels


def _ends_in_a_number(host: str) -> bool:
    last = _labels(host)[-1]
    if last and last.isascii() and last.isdigit():
        return True
    return bool(last) and _ipv4_number(last) is not None


def _parse_ipv4(host: str) -> str | None:
    labels = _labels(host)
    if len(labels) > 4:
        return None
    numbers = [_ipv4_number(label) if label else None for label in labels]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if any(value > 255 for value in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1] + sum(value << (8 * (3 - i)) for i, value in enumerate(values[:-1]))
    return str(ipaddress.IPv4Address(address))


def _escape(text: str, escape: frozenset[str]) -> str:
    out = []
    for char in text:
        if char in escape or ord(char) < 0x20 or ord(char) > 0x7E:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def _path_and_query(remainder: str) -> str:
    path, question, query = remainder.partition("?")
    segments: list[str] = []
    parts = path.replace("\\", "/").split("/")[1:] if path else [""]
    for index, segment in enumerate(parts):
        last = index == len(parts) - 1
        lowered = segment.lower()
        if lowered in _DOUBLE_DOT:
            if segments:
                segments.pop()
            if last:
                segments.append("")
        elif lowered in _SINGLE_DOT:
            if last:
                segments.append("")
        else:
            segments.append(_escape(segment, _PATH_ESCAPE))
    serialized = "/" + "/".join(segments)
    return serialized + (question + _escape(query, _QUERY_ESCAPE) if question else "")
