"""In-process Python targets: a callable ``fn(token, ctx) -> Mapping`` run under a frozen clock.

Contract:

* return a mapping: with ``tokenIdentifier`` and without ``iss`` it is the Convex identity (an
  identity never carries ``iss``; verified claims always do, and may hold a custom claim named
  ``tokenIdentifier``), otherwise the verified claims (it must be made of JSON values);
* reject by raising ``conformance.Rejected``, or an exception whose type is listed in the
  callable's optional ``rejects`` attribute; the exception's ``reason`` attribute, when present,
  is the reason code;
* anything else raised is ERRORED(exception), with the traceback in ``detail``;
* optional ``implementation = {"name": ..., "version": ..., "language": "python"}`` attribute.

Each call runs with the clock frozen at ``ctx.now``; anything the callable prints to stdout goes to
stderr, so the suite's own output stays intact. An in-process call cannot be timed out: a callable
that hangs hangs the run. Use an ``exec:`` target for code you do not trust.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from ..context import TargetContext
from ..errors import Rejected, UsageError
from ..observation import ErrorKind, Observation
from .base import Implementation, Target
from .frozen_clock import FrozenClock, instant
from .protocol import ProtocolError, check_reason, excerpt

__all__ = ["PythonTarget", "TargetCallable"]

TargetCallable = Callable[[str, TargetContext], Any]
_DETAIL_LIMIT = 20_000


class PythonTarget(Target):
    """Calls `fn` in this process. `module` is where it came from (for the implementation's defaults)."""

    kind = "python"

    def __init__(self, fn: TargetCallable, *, spec: str | None = None, module: Any = None,
                 module_label: str | None = None) -> None:
        if not callable(fn):
            raise UsageError(f"target {spec or fn!r} is not callable", "point the spec at a function")
        super().__init__(spec or _qualified_name(fn), timeout=0.0)
        self.fn = fn
        self.rejects = rejection_types(fn, self.spec)
        self._module = module
        self._module_label = module_label or getattr(module, "__name__", None) or getattr(fn, "__module__", "") or ""
        self._clock = FrozenClock(keep=[name for name in (getattr(module, "__name__", None),
                                                          getattr(fn, "__module__", None)) if name])
        self._lock = threading.Lock()

    def start(self) -> None:
        if self._implementation is None:
            self._implementation = _implementation(self.fn, self._module, self._module_label, self.spec)
        self._closed = False

    def close(self) -> None:
        self._closed = True  # nothing to release: the callable lives as long as its module

    def run(self, token: str, ctx: TargetContext) -> Observation:
        self._require_started()
        try:
            instant(ctx.now)
        except ValueError as exc:
            return Observation.skip(f"an in-process target cannot run at this clock: {exc}")
        with self._lock:
            began = time.perf_counter()
            try:
                returned = self._call_frozen(token, ctx)
            except _CallRaised as raised:
                return self._raised(raised.exc, time.perf_counter() - began)
            return _answer(returned, time.perf_counter() - began)

    def _call_frozen(self, token: str, ctx: TargetContext) -> Any:
        with self._clock.frozen(ctx.now):
            stdout = sys.stdout
            if sys.stderr is not None:
                sys.stdout = sys.stderr  # print() inside the validator must not reach the suite's stdout
            try:
                return self.fn(token, ctx)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001  (SystemExit too: the target, not the suite, exits)
                raise _CallRaised(exc) from None
            finally:
                sys.stdout = stdout

    def _raised(self, exc: BaseException, elapsed: float) -> Observation:
        if isinstance(exc, Rejected):
            try:
                reason = check_reason(exc.reason)
            except ProtocolError as problem:
                return Observation.errored(ErrorKind.PROTOCOL, f"Rejected(reason=...): {problem}",
                                           detail=_traceback(exc), elapsed=elapsed)
            return Observation.reject(reason=reason, message=str(exc), elapsed=elapsed)
        if self.rejects and isinstance(exc, self.rejects):
            return Observation.reject(reason=_loose_reason(exc), message=_describe(exc), elapsed=elapsed)
        return Observation.errored(ErrorKind.EXCEPTION, _describe(exc), detail=_traceback(exc), elapsed=elapsed)


class _CallRaised(Exception):
    """Carries what the callable raised out of the frozen block, apart from the suite's own errors."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(repr(exc))
        self.exc = exc


def rejection_types(fn: Any, spec: str) -> tuple[type[BaseException], ...]:
    """The callable's ``rejects`` attribute as a tuple of exception types (UsageError when malformed)."""
    declared = getattr(fn, "rejects", ())
    if isinstance(declared, type):
        declared = (declared,)
    if not isinstance(declared, (tuple, list)) or not all(
            isinstance(kind, type) and issubclass(kind, BaseException) for kind in declared):
        raise UsageError(f"{spec}: `rejects` must be a tuple of exception types, got {declared!r}",
                         "e.g. validate.rejects = (jwt.InvalidTokenError,)")
    return tuple(declared)


def _answer(returned: Any, elapsed: float) -> Observation:
    if not isinstance(returned, Mapping):
        return Observation.errored(ErrorKind.PROTOCOL,
                                   f"the target returned {type(returned).__name__}, expected a mapping "
                                   "(the verified claims, or the identity with tokenIdentifier)",
                                   detail=excerpt(repr(returned)), elapsed=elapsed)
    try:
        plain = json.loads(json.dumps(dict(returned), allow_nan=True))
    except (TypeError, ValueError, RecursionError) as exc:
        return Observation.errored(ErrorKind.PROTOCOL, f"the target returned a mapping that is not JSON data: {exc}",
                                   detail=excerpt(repr(returned)), elapsed=elapsed)
    if "tokenIdentifier" in plain and "iss" not in plain:
        return Observation.accept(identity=plain, elapsed=elapsed)
    return Observation.accept(claims=plain, elapsed=elapsed)


def _loose_reason(exc: BaseException) -> str | None:
    """A `reason` attribute that is a known code; other values (a library's own `reason`) are ignored."""
    try:
        return check_reason(getattr(exc, "reason", None))
    except ProtocolError:
        return None


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _traceback(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return text if len(text) <= _DETAIL_LIMIT else "...\n" + text[-_DETAIL_LIMIT:]


def _qualified_name(fn: Any) -> str:
    return f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', type(fn).__name__)}"


def _implementation(fn: Any, module: Any, module_label: str, spec: str) -> Implementation:
    declared = getattr(fn, "implementation", None)
    version = getattr(module, "__version__", "") if module is not None else ""
    defaults = {"name": module_label or spec, "version": version if isinstance(version, str) else str(version),
                "language": "python"}
    if declared is None:
        return Implementation(**defaults)
    if not isinstance(declared, Mapping) or not all(
            isinstance(declared.get(key, ""), str) for key in ("name", "version", "language")):
        raise UsageError(f"{spec}: `implementation` must be a mapping of strings name, version, language; "
                         f"got {declared!r}", 'e.g. validate.implementation = {"name": "mylib", "version": "1.0"}')
    capabilities = declared.get("capabilities") or {}
    if not isinstance(capabilities, Mapping):
        raise UsageError(f"{spec}: implementation['capabilities'] must be a mapping, got {capabilities!r}")
    merged = {**defaults, **{k: declared[k] for k in ("name", "version", "language") if declared.get(k)}}
    return Implementation(**merged, capabilities=dict(capabilities))
