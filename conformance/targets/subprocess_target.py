"""Subprocess targets: an adapter program speaking the JSON-lines protocol on stdin/stdout.

Rules (see ``docs/protocol.md``): a handshake at start; one request at a time, each with a
deadline; a timeout kills the adapter, a crash or a broken answer discards it, and the next request
starts a fresh one with a new handshake. After `max_failures` failed requests in a row the adapter
is not started again and every further request is ERRORED at once. The stderr an adapter writes
while handling a request is attached to that request's observation.
"""

from __future__ import annotations

import dataclasses
import shlex
import threading
import time
from collections.abc import Sequence

from ..context import TargetContext
from ..errors import UsageError
from ..observation import ErrorKind, Observation
from .base import Implementation, Target
from .process import MAX_LINE, AdapterProcess, describe_exit
from .protocol import (
    ProtocolError,
    decode,
    encode,
    excerpt,
    parse_answer,
    parse_handshake,
    start_message,
    stop_message,
    validate_message,
)

__all__ = ["SubprocessTarget"]


class SubprocessTarget(Target):
    """Runs `argv` (no shell) and talks to it. `timeout` bounds each request, `start_timeout` the handshake."""

    kind = "subprocess"

    def __init__(self, argv: Sequence[str], *, timeout: float = 5.0, cwd: str | None = None,
                 spec: str | None = None, start_timeout: float | None = None, stop_grace: float = 1.0,
                 max_failures: int = 5) -> None:
        super().__init__(spec or "exec:" + shlex.join(argv), timeout=timeout)
        self.argv = list(argv)
        self.cwd = cwd
        self.start_timeout = start_timeout if start_timeout is not None else max(timeout, 10.0)
        self.stop_grace = stop_grace
        self.max_failures = max_failures
        self._process: AdapterProcess | None = None
        self._failures = 0  # consecutive requests that ended with the adapter discarded
        self._next_id = 0
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The running adapter's process id, if one is running."""
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        with self._lock:
            if self._process is not None:
                return
            try:
                self._process, self._implementation = self._launch()
                self._closed, self._failures = False, 0
            except _LaunchFailed as failure:
                raise UsageError(f"the adapter {self.spec!r} did not start: {failure}",
                                 "run the command by hand and check it answers the start message "
                                 "(see docs/protocol.md)") from None

    def run(self, token: str, ctx: TargetContext) -> Observation:
        self._require_started()
        with self._lock:
            if self._process is None:
                if self._failures >= self.max_failures:
                    return Observation.errored(
                        ErrorKind.CRASH, f"the adapter failed {self._failures} requests in a row (crash, timeout "
                        "or broken answer); it is not restarted again for this run")
                try:
                    self._process, _ = self._launch()
                except _LaunchFailed as failure:
                    self._failures += 1
                    return Observation.errored(ErrorKind.CRASH, f"restarting the adapter failed: {failure}",
                                               stderr=failure.stderr)
            observation = self._exchange(self._process, token, ctx)
            if observation.error in (ErrorKind.CRASH, ErrorKind.TIMEOUT, ErrorKind.PROTOCOL):
                self._discard()
                self._failures += 1
            else:
                self._failures = 0
            return observation

    def close(self) -> None:
        with self._lock:
            self._closed = True
            process, self._process = self._process, None
            if process is not None:
                process.stop(encode(stop_message()), self.stop_grace)

    def _exchange(self, process: AdapterProcess, token: str, ctx: TargetContext) -> Observation:
        self._next_id += 1
        request_id = self._next_id
        mark = process.stderr.position()
        began = time.perf_counter()

        def errored(kind: ErrorKind, message: str, detail: str = "") -> Observation:
            return Observation.errored(kind, message, detail=detail, stderr=process.stderr.since(mark),
                                       elapsed=time.perf_counter() - began)

        try:
            process.send(encode(validate_message(request_id, token, ctx)))
            line = process.receive(self.timeout)
        except TimeoutError:
            process.kill()
            return errored(ErrorKind.TIMEOUT, f"no answer to request {request_id} within {self.timeout:g} s; "
                                              "the adapter was killed and will be restarted")
        except OSError:
            line = b""  # stdin closed under us: the adapter is gone
        if not line:
            code = process.wait_exit(1.0)
            return errored(ErrorKind.CRASH, f"the adapter ended ({describe_exit(code)}) before answering "
                                            f"request {request_id}")
        process.settle_stderr()
        try:
            if len(line) > MAX_LINE:
                raise ProtocolError(f"the answer line is longer than {MAX_LINE} bytes")
            observation = parse_answer(decode(line), request_id)
        except ProtocolError as problem:
            return errored(ErrorKind.PROTOCOL, f"request {request_id}: {problem}",
                           detail=f"raw line: {excerpt(line)}")
        return dataclasses.replace(observation, stderr=process.stderr.since(mark),
                                   elapsed=time.perf_counter() - began)

    def _launch(self) -> tuple[AdapterProcess, Implementation]:
        """Spawn and shake hands; _LaunchFailed (with the process gone) when that does not work."""
        try:
            process = AdapterProcess(self.argv, cwd=self.cwd)
        except OSError as exc:
            raise _LaunchFailed(f"cannot run {self.argv[0]!r}: {exc.strerror or exc}") from None
        try:
            return process, self._handshake(process)
        except BaseException:
            process.kill()
            raise

    def _handshake(self, process: AdapterProcess) -> Implementation:
        try:
            process.send(encode(start_message()))
            line = process.receive(self.start_timeout)
        except TimeoutError:
            raise _LaunchFailed(f"no answer to the start message within {self.start_timeout:g} s",
                                process.stderr.tail()) from None
        except OSError:
            line = b""
        if not line:
            code = process.wait_exit(1.0)
            raise _LaunchFailed(f"it ended ({describe_exit(code)}) before answering the start message",
                                process.stderr.tail())
        try:
            return parse_handshake(decode(line))
        except ProtocolError as problem:
            process.settle_stderr()
            raise _LaunchFailed(f"{problem}; raw line: {excerpt(line, 300)}", process.stderr.tail()) from None

    def _discard(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()


class _LaunchFailed(Exception):
    """The adapter could not be started or did not complete the handshake."""

    def __init__(self, problem: str, stderr: str = "") -> None:
        text = problem if not stderr.strip() else f"{problem}\n  its stderr ended with:\n{_indent(stderr)}"
        super().__init__(text)
        self.stderr = stderr


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-20:])
