"""Writing files so that a crash never leaves a half-written one, and naming them safely."""

from __future__ import annotations

import itertools
import os
import re
import stat
from pathlib import Path

__all__ = ["write_text_atomic", "safe_file_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file in the same directory and an atomic rename.

    Either the old content or the new content is on disk at every moment. An existing file keeps
    its permission bits; a new file gets the usual umask-derived mode.
    """
    path = Path(path)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temporary, descriptor = _create_temporary(path)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_temporary(path: Path) -> tuple[Path, int]:
    for attempt in itertools.count():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{attempt}.tmp")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def safe_file_name(name: str) -> str:
    """`name` usable as one file name on every platform: other characters become ``_``, no leading dot."""
    cleaned = _UNSAFE.sub("_", name) or "_"
    return "_" + cleaned if cleaned.startswith(".") else cleaned
