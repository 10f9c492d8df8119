"""Where an ingest's files are read: the dispatch between the coordinator and its readers.

The coordinator (``pipeline.archive.ingest``) walks, hashes, stores and catalogs; a dispatcher
runs ``pipeline.archive.worker.process`` on each queued file and hands every result back, once,
in the coordinator's thread. Two dispatchers give the same results: ``LocalPool`` (forked
processes on this machine, below) and ``pipeline.archive.cluster.ClusterPool`` (Dask workers).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.archive.worker import Job, Result, process, warm_up
from pipeline.home import Home
from pipeline.index.forked import die_with_parent

DEFAULT_FILE_TIMEOUT = 300.0  # seconds per file before its worker is killed (readers stop sooner)
GC_THRESHOLDS = (10_000, 10, 100)  # Python's default is (700, 10, 10); see ingest._fewer_collections
CRASH_REASON = "解析进程异常退出（文件可能已损坏，读取程序崩溃）"


def file_timeout() -> float:
    try:
        return float(os.environ.get("GONGWEN_FILE_TIMEOUT", DEFAULT_FILE_TIMEOUT))
    except ValueError:
        return DEFAULT_FILE_TIMEOUT


def timeout_reason(limit: float) -> str:
    return f"处理超时（超过 {limit:g} 秒），已跳过"


@dataclass
class Work:
    """One queued file, as a dispatcher sees it."""

    key: int  # the coordinator's handle for the file
    name: str  # the file's own name (readers look at its extension)
    shown_path: str  # the path users see (zip members: "a.zip!dir/x.docx")
    source: Path | None  # the real file; None for a zip member
    stored: Path  # the stored copy in the home: the same bytes
    size: int


class ClusterError(RuntimeError):
    """A cluster ingest cannot start (not installed, unreachable, no workers); the message is
    for the user."""


Settle = Callable[[int, Result], None]  # (work key, its result): called once per work item
Idle = Callable[[], None]  # called between results (the coordinator commits there)


class Dispatcher(Protocol):
    def run(self, works: list[Work], settle: Settle, idle: Idle) -> None:
        """Read every work item and ``settle`` each exactly once, in the caller's thread."""


class LocalPool:
    """A pool of forked processes on this machine, at most ``workers`` files in flight.

    Keeping in-flight == workers makes the submit time the start time, so a file that exceeds
    the time limit is known; the pool is then killed and rebuilt. When a worker dies, every file
    then in flight becomes a suspect; suspects run one at a time, so a file that takes its
    worker down alone is the culprit and fails.
    """

    def __init__(self, home: Home, workers: int | None):
        self.home = home
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.limit = file_timeout()
        self.works: dict[int, Work] = {}
        self.queue: list[int] = []
        self.suspects: list[int] = []  # in flight when a worker died: rerun one at a time
        self.isolated: set[int] = set()  # running alone after a worker crash
        self.temp_dirs: dict[int, Path] = {}  # zip members' copies, named as the member

    def run(self, works: list[Work], settle: Settle, idle: Idle) -> None:
        if not works:
            return
        self.works = {work.key: work for work in works}
        self.queue = [work.key for work in reversed(works)]  # pop() from the end: walk order
        warm_up(self.home.root)
        gc.freeze()  # what the workers inherit is never scanned again (and stays shared)

        def settled(key: int, result: Result) -> None:
            shutil.rmtree(self.temp_dirs.pop(key, ""), ignore_errors=True)
            settle(key, result)

        try:
            while self.queue or self.suspects:
                pool = _new_pool(self.workers)
                kill = True
                try:
                    kill = self._drive(pool, settled, idle)
                finally:
                    stop_pool(pool, kill)
        finally:
            for folder in self.temp_dirs.values():
                shutil.rmtree(folder, ignore_errors=True)

    def _drive(self, pool: ProcessPoolExecutor, settle: Settle, idle: Idle) -> bool:
        """Feed ``pool`` until the queue is empty; True when the pool must be killed."""
        running: dict[Future, tuple[int, float]] = {}
        while self.queue or self.suspects or running:
            self._submit(pool, running)
            done, _ = wait(running, timeout=min(self.limit, 1.0), return_when=FIRST_COMPLETED)
            broken: list[int] = []
            for future in done:
                key, _started = running.pop(future)
                try:
                    settle(key, future.result())
                except BrokenProcessPool:
                    broken.append(key)
            overdue = [f for f, (_k, t) in running.items() if time.monotonic() - t > self.limit]
            for future in overdue:
                key, _started = running.pop(future)
                settle(key, Result(key, error=timeout_reason(self.limit)))
            if broken or overdue:
                self._after_break(broken + [key for key, _t in running.values()], bool(broken),
                                  settle)
                return True  # the caller kills this pool and starts a fresh one
            idle()
        return False

    def _submit(self, pool: ProcessPoolExecutor, running: dict[Future, tuple[int, float]]) -> None:
        isolating = bool(self.suspects)
        capacity = 1 if isolating else self.workers
        while len(running) < capacity and (self.suspects or self.queue):
            key = self.suspects.pop() if isolating else self.queue.pop()
            (self.isolated.add if isolating else self.isolated.discard)(key)
            job = Job(key, self._parse_path(self.works[key]), self.works[key].shown_path,
                      str(self.home.root))
            running[pool.submit(process, job)] = (key, time.monotonic())

    def _parse_path(self, work: Work) -> str:
        """The real file, or for a zip member a copy of its stored bytes under its own name."""
        if work.source is not None:
            return str(work.source)
        folder = self.temp_dirs.get(work.key)
        if folder is None:
            folder = self.home.originals_tmp / f"member-{os.getpid()}-{work.key}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work.stored, folder / work.name)
            self.temp_dirs[work.key] = folder
        return str(folder / work.name)

    def _after_break(self, in_flight: list[int], worker_died: bool, settle: Settle) -> None:
        for key in in_flight:
            if worker_died and key in self.isolated:
                settle(key, Result(key, error=CRASH_REASON))
            elif worker_died:
                self.suspects.append(key)
            else:  # killed only because another file hung: simply run again
                self.queue.append(key)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # fork: workers inherit the already-imported readers and dictionaries for free
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent_process, initargs=(os.getpid(),))


def die_with_parent_process(parent_pid: int) -> None:
    """Worker initializer: end this worker when the process that forked it dies (e.g. SIGKILL).

    Without it, workers of a killed parent wait forever on a queue whose write end their
    siblings still hold.
    """
    die_with_parent(parent_pid)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    """Portable backstop for PR_SET_PDEATHSIG."""
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def stop_pool(pool: ProcessPoolExecutor, kill: bool) -> None:
    """Shut the pool down; ``kill`` ends hung workers first (nothing else would)."""
    if kill:
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
    pool.shutdown(wait=True, cancel_futures=True)
