"""One running adapter process: its pipes, a line reader, and a stderr drain that never lets it block.

stdout is read line by line by a thread into a queue, so the suite can wait for an answer with a
deadline; stderr is drained continuously by another thread into a bounded tail, so an adapter that
writes a lot of diagnostics never fills the pipe and stalls. The process gets its own session (POSIX)
so that killing it also kills anything it spawned.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence

__all__ = ["AdapterProcess", "StderrTail", "MAX_LINE", "describe_exit"]

MAX_LINE = 16 * 1024 * 1024  # longest answer line accepted
_EOF = b""

try:  # bytes waiting in a pipe, to let the stderr drain catch up before a request's tail is taken
    import fcntl
    import termios

    def _pending(fd: int) -> int:
        buffer = bytearray(4)
        try:
            fcntl.ioctl(fd, termios.FIONREAD, buffer)
        except OSError:
            return 0
        return int.from_bytes(buffer, "little")
except ImportError:  # pragma: no cover  (Windows)
    def _pending(fd: int) -> int:
        return 0


class StderrTail:
    """The last `limit` bytes written to stderr, with positions to cut out what one request produced."""

    def __init__(self, limit: int = 8192) -> None:
        self.limit = limit
        self._data = bytearray()
        self._total = 0  # bytes seen so far; the buffer holds the bytes [total - len(data), total)
        self._lock = threading.Lock()
        self.closed = threading.Event()

    def append(self, chunk: bytes) -> None:
        with self._lock:
            self._data += chunk
            self._total += len(chunk)
            if len(self._data) > self.limit:
                del self._data[: len(self._data) - self.limit]

    def position(self) -> int:
        with self._lock:
            return self._total

    def since(self, position: int) -> str:
        """What was written after `position`, at most the last `limit` bytes, decoded leniently."""
        with self._lock:
            start = self._total - len(self._data)
            dropped = max(0, start - position)
            data = bytes(self._data[max(0, position - start):])
        text = data.decode("utf-8", errors="replace")
        return f"[... {dropped} earlier bytes dropped]\n{text}" if dropped else text

    def tail(self, size: int = 2000) -> str:
        with self._lock:
            data = bytes(self._data[-size:])
        return data.decode("utf-8", errors="replace")


class AdapterProcess:
    """A spawned adapter with its reader threads. Not thread-safe: one request at a time."""

    def __init__(self, argv: Sequence[str], *, cwd: str | None = None, env: Mapping[str, str] | None = None,
                 stderr_limit: int = 8192) -> None:
        environment = dict(os.environ if env is None else env)
        environment.setdefault("PYTHONUNBUFFERED", "1")
        self.argv = list(argv)
        self.process = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
            env=environment, start_new_session=(os.name == "posix"),
        )
        self.stderr = StderrTail(stderr_limit)
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._readers = [
            threading.Thread(target=self._read_stdout, name=f"adapter-stdout-{self.pid}", daemon=True),
            threading.Thread(target=self._drain_stderr, name=f"adapter-stderr-{self.pid}", daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, line: bytes) -> None:
        """Write one line; OSError (broken pipe) when the process is gone."""
        stdin = self.process.stdin
        if stdin is None or stdin.closed:
            raise BrokenPipeError("the adapter's stdin is closed")
        stdin.write(line)
        stdin.flush()

    def receive(self, timeout: float) -> bytes:
        """The next stdout line (with its newline); b"" at end of output; TimeoutError after `timeout` s."""
        try:
            return self._lines.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            raise TimeoutError(f"no line within {timeout:g} s") from None

    def settle_stderr(self, wait: float = 0.05) -> None:
        """Give the stderr drain a moment to take in bytes already waiting in the pipe."""
        pipe = self.process.stderr
        if pipe is None or pipe.closed:
            return
        deadline = time.monotonic() + wait
        try:
            fd = pipe.fileno()
        except ValueError:
            return
        while _pending(fd) > 0 and time.monotonic() < deadline:
            time.sleep(0.001)

    def wait_exit(self, timeout: float) -> int | None:
        """The exit code once the process has ended (None if still running after `timeout` s)."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self.stderr.closed.wait(0.5)  # the rest of its stderr
        return code

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> int | None:
        """Kill the process (and its session); the exit code."""
        if self.process.poll() is None:
            try:
                if os.name == "posix":
                    os.killpg(self.process.pid, signal.SIGKILL)
                else:  # pragma: no cover
                    self.process.kill()
            except (ProcessLookupError, PermissionError):
                pass
        code = self.wait_exit(5.0)
        self._close_pipes()
        return code

    def stop(self, stop_line: bytes, grace: float) -> int | None:
        """Ask politely (stop message, stdin closed), then kill after `grace` seconds."""
        try:
            self.send(stop_line)
        except (OSError, ValueError):
            pass
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass
        code = self.wait_exit(grace)
        if code is None:
            return self.kill()
        if os.name == "posix":  # anything it left behind in its session
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._close_pipes()
        return code

    def _close_pipes(self) -> None:
        """Close stdin, let the readers reach end of output, then close stdout and stderr."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass
        for reader in self._readers:
            reader.join(timeout=1.0)
        if any(reader.is_alive() for reader in self._readers):
            return  # something still holds the pipes open; closing under a blocked reader is unsafe
        for pipe in (self.process.stdout, self.process.stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass

    def _read_stdout(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                line = stdout.readline(MAX_LINE + 1)
                if not line:
                    break
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        self._lines.put(_EOF)

    def _drain_stderr(self) -> None:
        stderr = self.process.stderr
        assert stderr is not None
        try:
            fd = stderr.fileno()
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                self.stderr.append(chunk)
        except (OSError, ValueError):
            pass
        self.stderr.closed.set()


def describe_exit(code: int | None) -> str:
    """'exit code 3', 'killed by signal 9 (SIGKILL)', or 'still running'."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown signal"
        return f"killed by signal {-code} ({name})"
    return f"exit code {code}"
