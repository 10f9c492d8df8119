"""Reading an ingest's files on a Dask cluster (``gongwen ingest --cluster tcp://HOST:8786``).

The coordinator (the ingest process) keeps everything but the reading: it walks, hashes, stores
the originals and writes the catalog and the index exactly as a local ingest does
(``pipeline.archive.ingest``); ``ClusterPool`` only replaces the local process pool.

- A task carries its files' bytes (read from the stored copies, the bytes that were hashed),
  their names and the paths users see: workers need no shared mount and never open a
  coordinator path. Small files of quick formats go several to a task (``next_batch``), each
  read under its own limit and coming back with its own result; the others go one to a task.
  Files above ``INLINE_BYTES`` travel beside the task (``scatter``) rather than through the
  scheduler.
- A result comes back as the bytes the worker's reader process pickled
  (``pipeline.archive.remote.read_batch``), unpickled once, here.
- The archive's lexicon, synonyms, settings and models go once per ingest, as one bundle
  (``pipeline.archive.bundle``) in a worker plugin: the scheduler hands it to every worker,
  those that join or restart midway included (``pipeline.archive.remote.BundlePlugin``).
- A file a reader fails on, hangs on or crashes on comes back as a failed file with the reason
  (the worker enforces the time limit in its reader process). A worker that dies has its
  tasks rerun elsewhere by the scheduler; each file of a task whose workers died too often
  (``distributed.scheduler.allowed-failures``, ``KilledWorker``) is run again alone on the
  cluster, and fails only if it kills a worker then too (as the local pool's suspects do).
- A kill of the coordinator loses nothing: the catalog is committed as results arrive, and the
  scheduler drops the tasks of a client that went away; the rerun skips what is cataloged. (The
  bundle's plugin stays registered until the archive's next ingest replaces it.)
"""

from __future__ import annotations

import hashlib
import queue
import socket
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import PurePath
from typing import Any

import dask
from distributed import Client
from distributed.client import FutureCancelledError
from distributed.comm import utils as comm_utils
from distributed.scheduler import KilledWorker

from pipeline.archive.bundle import ReadSettings, build_bundle
from pipeline.archive.dispatch import (
    ClusterError,
    Idle,
    Settle,
    Work,
    file_timeout,
    timeout_reason,
)
from pipeline.archive.remote import BundlePlugin, RemoteFile, decode_result, read_batch
from pipeline.archive.worker import Result
from pipeline.formats import limits
from pipeline.formats.sniff import EXTENSION_FORMATS
from pipeline.home import Home
from pipeline.model import ParseError

INLINE_BYTES = 4 * 1024 * 1024  # larger files are scattered to a worker, not sent via the scheduler
CONNECT_SECONDS = 20.0
WORKER_WAIT_SECONDS = 60.0  # for a first worker to join a cluster that has none
THREADS_EVERY_SECONDS = 5.0  # how often the cluster's size is asked again
IN_FLIGHT_PER_THREAD = 2  # a second task waits on each worker thread: no round trip idles it
BATCH_FILES = 8  # files per task at most: the cluster's bookkeeping of a task is paid once
BATCH_BYTES = 1024 * 1024  # a task's bytes at most (a larger file goes alone)
BATCH_SHARE = 4  # a task takes at most 1 / (BATCH_SHARE × worker threads) of the files left
BATCHED_FORMATS = frozenset({"txt", "md", "html", "docx"})  # read in milliseconds; not OCR,
# LibreOffice or PDF
FETCH_THREADS = 4  # results fetched from the workers at once
POLL_SECONDS = 0.02  # how often the coordinator looks for finished tasks while it waits
KILLED_REASON = "处理该文件的计算节点多次异常退出（文件可能使读取程序崩溃），已跳过"
LOST_REASON = "计算集群丢失了该文件的任务（计算节点退出时数据随之丢失），已跳过"
RESENDS = 2  # a task the cluster lost (with the worker holding its input) is sent again
KILLED, LOST = "killed", "lost"  # task outcomes that are no result


@contextmanager
def connect_cluster(home: Home, address: str) -> Iterator[ClusterPool]:
    """A ``ClusterPool`` on the scheduler at ``address``, closed on exit."""
    _no_offload()
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"无法连接计算集群 {address}：{_reason(err)}") from err
    try:
        yield ClusterPool(home, client, address)
    finally:
        client.close()


class ClusterPool:
    """Reads queued files on the cluster's workers; results are settled in the caller's thread.

    Files go in batches (``next_batch``): one task reads several small files, so the cluster's
    bookkeeping of a task is paid once for them. At most ``IN_FLIGHT_PER_THREAD`` tasks per
    worker thread are submitted at once, so the coordinator reads and holds only that many
    batches' bytes. Past its backstop (``_backstop``) a task's files are given up as timed out
    even if the cluster never answered (e.g. it lost every worker): a wait can never hang the
    ingest.
    """

    def __init__(self, home: Home, client: Any, address: str):
        self.home, self.client, self.address = home, client, address
        self.limit = file_timeout()
        self.threads, self.threads_asked = 0, 0.0
        # (future, its outcome): results are fetched from the workers in threads of our own, so
        # that transfers overlap one another and the coordinator's own work
        self.finished: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self.fetchers = ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="gongwen-fetch")
        self.fetching: set[Any] = set()
        self.queue: deque[Work] = deque()
        self.running: dict[Any, tuple[list[Work], float]] = {}  # future -> (batch, submitted at)
        self.suspects: deque[Work] = deque()  # on workers that died repeatedly: run alone
        self.isolated: set[int] = set()
        self.resent: Counter[int] = Counter()

    def run(self, works: list[Work], settle: Settle, idle: Idle) -> None:
        if not works:
            return
        self._wait_for_workers()
        bundle = build_bundle(self.home, self.limit)
        plugin = BundlePlugin(bundle, _archive_id(self.home))
        self.client.register_plugin(plugin)  # on every worker now, and on any that joins
        self.queue = deque(works)
        try:
            while self.queue or self.suspects or self.running:
                self._feed(bundle.settings, settle)
                for future, outcome in self._finished():
                    batch, _submitted = self.running.pop(future)
                    for work, result in zip(batch, _as_results(outcome, batch), strict=True):
                        self._settle(work, result, settle)
                self._give_up_overdue(settle)
                idle()
        finally:
            for future in self.running:
                future.cancel()
            with suppress(Exception):  # a cluster gone midway must not hide why the run ended
                self.client.unregister_worker_plugin(plugin.name)
            # closed now, not when the ingest ends: with no thread of the client's left, the
            # ingest's last index pass may fork (pipeline.index.forked runs single-threaded only)
            self.client.close()
            self.fetchers.shutdown(wait=True, cancel_futures=True)

    def _feed(self, settings: ReadSettings, settle: Settle) -> None:
        """Submit up to the capacity; suspects one at a time, alone on the cluster."""
        while True:
            if self.suspects:
                if self.running:
                    return
                batch = [self.suspects.popleft()]
                self.isolated.add(batch[0].key)
            elif self.queue and len(self.running) < self._capacity():
                batch = next_batch(self.queue, self.threads)
            else:
                return
            future = self._submit(batch, settings, settle)
            if future is not None:
                self.running[future] = (batch, time.monotonic())

    def _settle(self, work: Work, result: Result | str, settle: Settle) -> None:
        """``KILLED``: the file was on workers that died again and again. Whatever was on
        those workers with it is a suspect, run again alone: the file that kills its worker
        then is the culprit, and fails. ``LOST``: the cluster lost the task's input with a
        worker; it is sent again (a few times)."""
        if result == KILLED and work.key not in self.isolated:
            self.suspects.append(work)
        elif result == LOST and self.resent[work.key] < RESENDS:
            self.resent[work.key] += 1
            self.queue.appendleft(work)
        elif isinstance(result, str):
            reason = KILLED_REASON if result == KILLED else LOST_REASON
            settle(work.key, Result(work.key, error=reason))
        else:
            settle(work.key, result)

    def _give_up_overdue(self, settle: Settle) -> None:
        now = time.monotonic()
        for future in [f for f, (batch, t) in self.running.items()
                       if now - t > self._backstop(batch)]:
            batch, _submitted = self.running.pop(future)
            self.fetching.discard(future)
            future.cancel()
            for work in batch:
                settle(work.key, Result(work.key, error=timeout_reason(self.limit)))

    def _backstop(self, batch: list[Work]) -> float:
        """Seconds after which a task is given up: it may wait for a batch ahead of it on its
        worker, then each of its files takes its own limit; a margin for the transfer and a
        restart of a worker."""
        return (len(batch) + BATCH_FILES) * self.limit + 60.0

    def _submit(self, batch: list[Work], settings: ReadSettings, settle: Settle) -> Any:
        """The task's future (None when no file of the batch could be sent: each of those is
        settled here as failed)."""
        files, payloads, sent = [], [], []
        for work in batch:
            try:
                limits.check_file_size(work.shown_path, work.size)  # not even sent: the reader
                data = work.stored.read_bytes()  # would refuse it (workers use these limits)
            except ParseError as err:
                settle(work.key, Result(work.key, error=err.reason))
                continue
            except OSError as err:
                settle(work.key, Result(work.key, error=f"无法读取存档原件（{err.strerror or err}）"))
                continue
            payload: Any = data
            if len(data) > INLINE_BYTES:
                payload = self.client.scatter(data, hash=False)
            files.append(RemoteFile(work.key, work.name, work.shown_path, work.size))
            payloads.append(payload)
            sent.append(work)
        if not sent:
            return None
        batch[:] = sent
        return self.client.submit(read_batch, files, payloads, settings, pure=False,
                                  key=f"gongwen-read-{sent[0].key}-{time.time_ns()}")

    def _finished(self) -> list[tuple[Any, Any]]:
        """(future, outcome) of the tasks that finished (cancelled ones too: the scheduler gave
        up), waiting up to a second for the first.

        Finished futures are found by asking each (a local check), not by a done callback:
        Dask runs those in a thread that lives as long as the process."""
        deadline = time.monotonic() + 1.0
        while True:
            for future in self.running:
                if future not in self.fetching and future.done():
                    self.fetching.add(future)
                    self.fetchers.submit(lambda f=future: self.finished.put((f, _outcome(f))))
            finished = []
            try:
                finished.append(self.finished.get(timeout=POLL_SECONDS))
                while True:
                    finished.append(self.finished.get_nowait())
            except queue.Empty:
                pass
            mine = [item for item in finished if item[0] in self.running]  # not given up on
            self.fetching.difference_update(future for future, _ in mine)
            if mine or not self.running or time.monotonic() > deadline:
                return mine

    def _capacity(self) -> int:
        now = time.monotonic()
        if now - self.threads_asked > THREADS_EVERY_SECONDS:
            self.threads = sum(self.client.nthreads().values())
            self.threads_asked = now
        return IN_FLIGHT_PER_THREAD * max(self.threads, 1)

    def _wait_for_workers(self) -> None:
        if sum(self.client.nthreads().values()) > 0:
            return
        sys.stderr.write(f"计算集群 {self.address} 暂无计算节点，等待其加入……\n")
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError as err:
            raise ClusterError(f"计算集群 {self.address} 没有可用的计算节点"
                               f"（等待 {WORKER_WAIT_SECONDS:g} 秒）") from err


def next_batch(queue: deque[Work], threads: int) -> list[Work]:
    """The next files to send as one task, taken from the front of ``queue``.

    Up to ``BATCH_FILES`` files and ``BATCH_BYTES`` bytes of formats read in milliseconds
    (``BATCHED_FORMATS``, by the file's extension); any other file — a scan for OCR, a .doc for
    LibreOffice, a large file — goes alone, so one slow file never holds up quick ones behind
    it. A batch takes at most a ``BATCH_SHARE`` × ``threads``-th of the files left, so the
    last files are spread over every worker thread rather than left to one."""
    most = max(1, min(BATCH_FILES, len(queue) // (BATCH_SHARE * max(threads, 1))))
    batch = [queue.popleft()]
    size = batch[0].size
    if not _batched(batch[0]):
        return batch
    while (queue and len(batch) < most and _batched(queue[0])
           and size + queue[0].size <= BATCH_BYTES):
        size += queue[0].size
        batch.append(queue.popleft())
    return batch


def _batched(work: Work) -> bool:
    fmt = EXTENSION_FORMATS.get(PurePath(work.name).suffix.lower())
    return fmt in BATCHED_FORMATS and work.size <= BATCH_BYTES


def _outcome(future: Any) -> list[Result] | str | BaseException:
    """The results of the task's files, ``KILLED`` (its workers died too often), ``LOST``
    (cancelled by the cluster, not by us), or what else it raised (a broken reader process, a
    lost transfer)."""
    try:
        return [decode_result(data) for data in future.result()]
    except KilledWorker:
        return KILLED
    except FutureCancelledError:
        return LOST
    except Exception as err:  # noqa: BLE001 - whatever the cluster raised, the batch goes on
        return err


def _as_results(outcome: list[Result] | str | BaseException,
                batch: list[Work]) -> list[Result | str]:
    """The outcome of each file of ``batch`` as the coordinator settles it: a raised error
    fails every file of the task, with the reason."""
    if isinstance(outcome, BaseException):
        reason = f"计算节点处理失败（{type(outcome).__name__}: {_reason(outcome)}）"
        return [Result(work.key, error=reason) for work in batch]
    if isinstance(outcome, str):
        return [outcome] * len(batch)
    for work, result in zip(batch, outcome, strict=True):
        result.key = work.key
    return list(outcome)


def _no_offload() -> None:
    """Have the client handle large messages on its own loop. Dask moves them to an "offload"
    thread that then lives as long as the process, and the coordinator's index passes fork
    only in a single-threaded process (``pipeline.index.forked``)."""
    dask.config.set({"distributed.comm.offload": False})
    comm_utils.OFFLOAD_THRESHOLD = False  # read from the configuration when first imported


def _archive_id(home: Home) -> str:
    """Which archive an ingest is of, the same on every run: this machine and the home's path."""
    place = f"{socket.gethostname()}:{home.root.resolve()}"
    return hashlib.sha256(place.encode()).hexdigest()[:16]


def _reason(err: BaseException) -> str:
    return str(err).strip().replace("\n", " ")[:300] or type(err).__name__
