"""Run a function in a forked child process and read back its (pickled) return value.

The child shares the parent's memory copy-on-write: a large in-memory structure (documents and
their analysed postings) is handed over without pickling it. Only for single-threaded parents:
a lock another thread held at the fork would stay held in the child forever.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def can_fork() -> bool:
    """Whether ``Forked`` may be used here: POSIX fork, two cores or more, one thread."""
    return (hasattr(os, "fork") and (os.cpu_count() or 1) >= 2
            and threading.active_count() == 1)


def spare_core(samples: int = 5, pause: float = 0.01) -> bool:
    """Whether another core is idle now: at most ``cores - 1`` runnable tasks (this one
    included) in some sample of /proc/loadavg over ``samples * pause`` seconds. On a loaded
    machine a second process only adds CPU (the two halves repeat their shared terms) for no
    gain in time. True where /proc is missing (the caller decided to fork)."""
    cores = os.cpu_count() or 1
    try:
        for _ in range(samples):
            with open("/proc/loadavg", encoding="ascii") as handle:
                running = int(handle.read().split()[3].split("/")[0])
            if running <= cores - 1:
                return True
            time.sleep(pause)
    except (OSError, ValueError, IndexError):
        return True
    return False


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere only the
    check that follows), and exit now if ``parent_pid`` died before that took effect."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:
        os._exit(1)


class Forked:
    """``action()`` running in a forked child; ``result()`` is its return value, or None when
    the child failed (its traceback goes to stderr)."""

    def __init__(self, action: Callable[[], Any]) -> None:
        for stream in (sys.stdout, sys.stderr):  # else the child could write them out again
            stream.flush()
        parent = os.getpid()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _run_child(action, write, parent)
        os.close(write)
        self.pid, self._read = pid, read
        self._done = False

    def result(self) -> Any:
        """Wait for the child; its return value, or None when it failed."""
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self._done = True
        if status != 0 or not data:
            return None
        return pickle.loads(data)

    def kill(self) -> None:
        """Stop the child (when the parent gives up on its work)."""
        if self._done:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self._read)
        self._done = True


def _run_child(action: Callable[[], Any], write: int, parent: int) -> None:
    code = 1
    try:
        die_with_parent(parent)
        gc.freeze()  # never scan (and so copy) the parent's objects
        data = pickle.dumps(action(), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001 - reported, and the parent does the work itself
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)  # no atexit handlers, no flushing the parent's buffers


__all__ = ["Forked", "can_fork", "die_with_parent", "spare_core"]
