"""Worker plugins the cluster-ingest tests install on real Dask workers (pickled by value, so
a cluster started elsewhere, e.g. by .ci/run, need not import the tests).

- ``OpenAudit``: records every file a worker process (or a reader process it forks) opens under
  the given folders (the coordinator's), into a log in the worker's own directory.
- ``Misbehave``: the reader takes its process down on a file whose name holds ``CRASH``, never
  returns on ``HANG``, takes ``SLOW_SECONDS`` longer on ``SLOW``; a name holding ``KILL_WORKER``
  takes the worker process itself down.

Both hold for reader processes forked after ``setup`` (it has every thread start a fresh one)
and undo themselves on ``teardown`` (an audit hook cannot be removed: it goes quiet).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

CRASH, HANG, SLOW, KILL_WORKER = "crash-reader", "hang-reader", "slow-reader", "kill-worker"
SLOW_SECONDS = 0.05
AUDIT_LOG = "gongwen-open-audit.log"
_audit_state: dict = {"prefixes": (), "log": None, "installed": False}


class OpenAudit(WorkerPlugin):
    name = "gongwen-open-audit"

    def __init__(self, prefixes: list[str]):
        self.prefixes = tuple(prefixes)

    def setup(self, worker) -> None:
        log = Path(worker.local_directory) / AUDIT_LOG
        log.unlink(missing_ok=True)
        _audit_state.update(prefixes=self.prefixes, log=str(log))
        if not _audit_state["installed"]:
            sys.addaudithook(_audit)
            _audit_state["installed"] = True
        _fresh_readers()

    def teardown(self, worker) -> None:
        _audit_state["prefixes"] = ()


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _audit_state["prefixes"] or not args:
        return
    path = args[0]
    if isinstance(path, int):
        return
    path = os.fsdecode(path)
    if os.path.abspath(path).startswith(_audit_state["prefixes"]):
        prefixes, _audit_state["prefixes"] = _audit_state["prefixes"], ()  # no recursion
        try:
            with open(_audit_state["log"], "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()} {path}\n")
        finally:
            _audit_state["prefixes"] = prefixes


def audit_log(dask_worker) -> str:
    """Run on each worker (``client.run``): what the audit recorded."""
    log = Path(dask_worker.local_directory) / AUDIT_LOG
    return log.read_text(encoding="utf-8") if log.exists() else ""


class Misbehave(WorkerPlugin):
    name = "gongwen-misbehave"

    def setup(self, worker) -> None:
        from pipeline.archive import remote
        from pipeline.archive import worker as reader

        self.saved = (reader.parse, remote._read)
        real_parse, real_read = self.saved

        def parse(path: str):
            name = os.path.basename(path)
            if CRASH in name:
                os._exit(3)  # as a segfault in a reader's C code would
            if HANG in name:
                while True:
                    time.sleep(1)
            if SLOW in name:
                time.sleep(SLOW_SECONDS)
            return real_parse(path)

        def read(bundle, job):
            if KILL_WORKER in os.path.basename(job.parse_path):
                os._exit(4)  # the worker process itself
            return real_read(bundle, job)

        reader.parse, remote._read = parse, read
        _fresh_readers()

    def teardown(self, worker) -> None:
        from pipeline.archive import remote
        from pipeline.archive import worker as reader

        reader.parse, remote._read = self.saved
        _fresh_readers()


def _fresh_readers() -> None:
    from pipeline.archive.remote import stop_readers

    stop_readers()
