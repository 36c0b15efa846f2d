"""Turning a target spec string into a `Target`, with one clear message for every mistyped spec.

Forms: ``module:callable`` or ``path/to/file.py:callable`` (in-process Python), ``exec:COMMAND ARGS``
(a subprocess adapter, split like a shell would but run without one), ``http://...`` or
``https://...`` (an HTTP endpoint).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from ..errors import UsageError
from .base import Target
from .http_target import HttpTarget
from .python_target import PythonTarget
from .subprocess_target import SubprocessTarget

__all__ = ["load_target", "load_callable", "resolve_command", "SPEC_FORMS"]

SPEC_FORMS = ("module:callable, path/to/file.py:callable, exec:COMMAND ARGS... or http(s)://HOST:PORT/PATH")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def load_target(spec: str, *, timeout: float = 5.0, cwd: str | os.PathLike[str] | None = None) -> Target:
    """The target a spec names, not yet started. UsageError, with a hint, for a spec that cannot work.

    Python targets are imported here; `cwd` (default: the current directory) resolves relative file
    paths and commands, and is the adapter's working directory.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise UsageError("the target spec is empty", f"give one of: {SPEC_FORMS}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise UsageError(f"timeout={timeout!r} must be a positive number of seconds")
    base = Path(cwd) if cwd is not None else Path.cwd()
    if not base.is_dir():
        raise UsageError(f"working directory not found: {base}")
    spec = spec.strip()
    if spec.startswith("exec:"):
        argv = resolve_command(spec[len("exec:"):], base)
        return SubprocessTarget(argv, timeout=float(timeout), cwd=str(base), spec=spec)
    if "://" in spec:
        return HttpTarget(_checked_url(spec), timeout=float(timeout), spec=spec)
    fn, module, label = load_callable(spec, base)
    return PythonTarget(fn, spec=spec, module=module, module_label=label)


def resolve_command(command: str, base: Path) -> list[str]:
    """The argv of an ``exec:`` spec, with the program resolved to a path that exists."""
    try:
        argv = shlex.split(command, posix=os.name != "nt")
    except ValueError as exc:
        raise UsageError(f"cannot split the command {command!r}: {exc}", "check the quotes") from None
    if not argv:
        raise UsageError("exec: needs a command", "e.g. exec:node examples/node_jose/adapter.mjs")
    program = argv[0]
    if os.sep in program or (os.altsep and os.altsep in program):
        path = Path(program) if Path(program).is_absolute() else base / program
        if not path.is_file():
            raise UsageError(f"adapter program not found: {path}", "check the path (relative paths start at the "
                                                                   f"working directory {base})")
        if not os.access(path, os.X_OK):
            raise UsageError(f"adapter program is not executable: {path}",
                             f"chmod +x it, or name its interpreter: exec:python {program}")
        return [str(path), *argv[1:]]
    found = shutil.which(program)
    if found is None:
        raise UsageError(f"command not found: {program}", "install it, or give its full path")
    return [found, *argv[1:]]


def load_callable(spec: str, base: Path) -> tuple[Any, ModuleType, str]:
    """(callable, module, label) for ``module:callable`` or ``path/to/file.py:callable``."""
    location, colon, attribute = spec.rpartition(":")
    if not colon or not location or not _DOTTED.match(attribute):
        raise UsageError(f"cannot read the target spec {spec!r}", f"give one of: {SPEC_FORMS}")
    if location.endswith(".py") or os.sep in location or "/" in location:
        module, label = _import_file(location, base), Path(location).stem
    elif _DOTTED.match(location):
        module, label = _import_module(location, base), location
    else:
        raise UsageError(f"{location!r} is neither a module name nor a .py file", f"give one of: {SPEC_FORMS}")
    fn: Any = module
    for part in attribute.split("."):
        if not hasattr(fn, part):
            raise UsageError(f"{location} has no attribute {attribute!r}", _callables_hint(module))
        fn = getattr(fn, part)
    if not callable(fn):
        raise UsageError(f"{location}:{attribute} is a {type(fn).__name__}, not a callable", _callables_hint(module))
    return fn, module, label


def _import_module(name: str, base: Path) -> ModuleType:
    try:
        with _importable_from(base):
            return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            candidate = base / (name.replace(".", os.sep) + ".py")
            raise UsageError(f"no module named {exc.name!r}",
                             f"check the spelling and that it is installed, or name a file instead: "
                             f"{candidate}:callable") from None
        raise UsageError(f"importing {name} failed: {exc}", "install the missing dependency") from None
    except (Exception, SystemExit) as exc:
        raise UsageError(f"importing {name} raised {type(exc).__name__}: {exc}",
                         "fix the module so that it imports cleanly") from None


def _import_file(location: str, base: Path) -> ModuleType:
    path = Path(location) if Path(location).is_absolute() else base / location
    if not path.is_file():
        raise UsageError(f"file not found: {path}", f"relative paths start at the working directory {base}")
    path = path.resolve()
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    name = f"idtoken_target_{re.sub(r'[^0-9A-Za-z_]', '_', path.stem)}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise UsageError(f"cannot load {path} as Python", "give a .py file")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        with _importable_from(path.parent):
            module_spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        del sys.modules[name]
        raise UsageError(f"loading {path} raised {type(exc).__name__}: {exc}",
                         "fix the file so that it runs cleanly on import") from None
    return module


@contextlib.contextmanager
def _importable_from(directory: Path) -> Iterator[None]:
    """`directory` first on sys.path while importing (as ``python -m`` or a script would have it)."""
    entry = str(directory)
    added = entry not in sys.path
    if added:
        sys.path.insert(0, entry)
    try:
        yield
    finally:
        if added and entry in sys.path:
            sys.path.remove(entry)


def _callables_hint(module: ModuleType) -> str:
    names = sorted(
        name for name, value in vars(module).items()
        if not name.startswith("_") and callable(value) and getattr(value, "__module__", None) == module.__name__
    )
    if not names:
        return f"{getattr(module, '__file__', module.__name__)} defines no public callable"
    shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    return f"callables defined there: {shown}"


def _checked_url(spec: str) -> str:
    parts = urlsplit(spec)
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"unsupported URL scheme {parts.scheme!r} in {spec!r}",
                         "an HTTP target URL starts with http:// or https://")
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError as exc:
        raise UsageError(f"bad URL {spec!r}: {exc}") from None
    if not parts.hostname:
        raise UsageError(f"the URL {spec!r} names no host", "e.g. http://127.0.0.1:8080/validate")
    return spec
