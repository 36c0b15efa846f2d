"""A clock frozen at the case's `now` around one in-process call, and only that call.

The suite itself (Hypothesis, pytest, the reference) must never run frozen, so the freeze is entered
and left around each call into the validator. freezegun patches every loaded module that holds a
direct reference to a clock function each time it starts, which costs a scan of ``sys.modules``;
skipping modules known to hold no clock reference a validator depends on (the test harness, this suite,
most of the standard library) brings that from 5-9 ms to about 1 ms per call in a pytest session.

Skipped modules are not patched; they still see the frozen clock when they call ``time.time()`` or
``datetime.now()`` through the module, as everything else does. freezegun's call-stack inspection
(which would hand the real clock to code *called from* a skipped module, such as this suite calling
the validator) is switched off for the duration of the call.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any, TypeVar

import freezegun
import freezegun.api

__all__ = ["FrozenClock", "SKIPPED_MODULE_PREFIXES", "instant"]

T = TypeVar("T")

# Module-name prefixes freezegun does not scan. A bare name also matches longer names
# ("asyncio" matches "asyncio_extras"); names that could start a validator library are dotted.
SKIPPED_MODULE_PREFIXES: tuple[str, ...] = (
    # the test harness and this suite
    "hypothesis", "_hypothesis", "_pytest", "pytest", "pluggy", "iniconfig", "xdist", "execnet", "pygments.",
    "sortedcontainers", "exceptiongroup", "tomli", "py.", "freezegun", "conformance.", "strategies.",
    # libraries that hold no clock function or class of their own (they reach it through the module)
    "cryptography.", "httpcore.", "h11.", "anyio", "sniffio", "idna.", "certifi", "typing", "six", "click", "attr",
    "trio", "outcome",
    # standard-library packages and modules
    "asyncio", "collections.", "concurrent.", "ctypes", "email.", "encodings.", "html.", "http.", "importlib.",
    "json.", "logging.", "re.", "sqlite3", "unittest", "urllib.", "xml.", "xmlrpc.", "zoneinfo.", "tkinter",
    "lib2to3", "pydoc", "wsgiref.", "_socket", "_ssl", "_ast", "_io", "_decimal", "_pickle", "_sqlite3",
    "_ctypes", "_openssl", "_cffi_backend", "posix", "socket", "ssl", "os.", "ast", "inspect", "builtins",
    "zipfile", "tokenize",
    "errno", "locale", "operator", "argparse", "pickle", "dataclasses", "pathlib", "tempfile", "shutil",
    "gettext", "traceback", "linecache", "warnings", "weakref", "functools", "itertools", "decimal",
    "fractions", "difflib", "sysconfig", "subprocess", "selectors", "signal", "codecs", "textwrap", "pprint",
    "opcode", "dis", "keyword", "platform", "hashlib", "hmac", "base64", "binascii", "struct", "shlex",
    "logging", "tarfile", "stat", "sys", "random", "math", "enum", "calendar", "lzma", "bz2", "zlib", "gzip",
    "ntpath", "posixpath", "genericpath", "zipimport", "types", "fcntl", "termios", "unicodedata", "uuid",
    "contextvars", "numbers", "heapq", "bisect", "reprlib", "fnmatch", "mimetypes", "ipaddress", "secrets",
    "_datetime", "_locale", "_signal", "_stat", "_frozen_importlib", "_collections", "_operator", "_codecs",
    "_thread", "_weakref", "_abc", "_functools", "_sre", "_json", "_random", "_struct", "_hashlib", "_blake2",
    "_bisect", "_heapq", "_contextvars", "_asyncio", "_queue", "_posixsubprocess", "_lzma", "_bz2", "_uuid",
    "_typing", "_weakrefset", "_sitebuiltins", "_string", "_warnings", "_imp", "_tokenize", "_opcode",
    "pyexpat", "pdb", "readline",
)

_LOCK = threading.RLock()  # freezegun patches process-wide state: one frozen call at a time


def instant(now: float) -> datetime:
    """`now` (seconds since the epoch) as an aware UTC datetime; ValueError outside datetime's range."""
    try:
        return datetime.fromtimestamp(now, timezone.utc)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"the clock cannot be frozen at now={now!r}: {exc}") from None


class FrozenClock:
    """Freezes time (no ticking) around a call. `keep`: module names that must never be skipped."""

    def __init__(self, *, keep: Iterable[str] = ()) -> None:
        kept = tuple(keep)
        self.ignore: tuple[str, ...] = tuple(
            prefix for prefix in SKIPPED_MODULE_PREFIXES if not any(name.startswith(prefix) for name in kept)
        )
        if not hasattr(freezegun.api, "call_stack_inspection_limit"):
            self.ignore = ()  # without the switch below, skipped callers would see the real clock

    @contextlib.contextmanager
    def frozen(self, now: float) -> Iterator[None]:
        """The clock reads `now` inside the block, and is real again after it."""
        moment = instant(now)
        with _LOCK:
            freezer = freezegun.freeze_time(moment, tick=False, ignore=list(self.ignore))
            limit = getattr(freezegun.api, "call_stack_inspection_limit", None)
            freezer.start()
            if limit is not None:
                freezegun.api.call_stack_inspection_limit = 0
            try:
                yield
            finally:
                if limit is not None:
                    freezegun.api.call_stack_inspection_limit = limit
                freezer.stop()

    def call(self, now: float, fn: Callable[..., T], *args: Any) -> T:
        with self.frozen(now):
            return fn(*args)
