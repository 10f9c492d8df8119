"""Reading an ingest's files on a Dask cluster (``gongwen ingest --cluster tcp://HOST:8786``).

The coordinator (the ingest process) keeps everything but the reading: it walks, hashes, stores
the originals and writes the catalog and the index exactly as a local ingest does
(``pipeline.archive.ingest``); ``ClusterPool`` only replaces the local process pool.

- A task carries the file's bytes (read from the stored copy, the bytes that were hashed), its
  name and the path users see: workers need no shared mount and never open a coordinator path.
  Files above ``INLINE_BYTES`` travel beside the task (``scatter``) rather than through the
  scheduler.
- The archive's lexicon, synonyms, settings and models go once per ingest, as one bundle
  (``pipeline.archive.bundle``) scattered to every worker (a worker that joins later fetches it
  from a peer); workers unpack it once per version (``pipeline.archive.remote``).
- A file a reader fails on, hangs on or crashes on comes back as a failed file with the reason
  (the worker enforces the time limit in its reader process). A worker that dies has its
  tasks rerun elsewhere by the scheduler; a file that has killed workers repeatedly
  (``distributed.scheduler.allowed-failures``) ends as ``KilledWorker``: a failed file.
- A kill of the coordinator loses nothing: the catalog is committed as results arrive, and the
  scheduler drops the tasks of a client that went away; the rerun skips what is cataloged.
"""

from __future__ import annotations

import queue
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pipeline.archive.bundle import build_bundle
from pipeline.archive.dispatch import Idle, Settle, Work, file_timeout, timeout_reason
from pipeline.archive.remote import RemoteFile, read_remote
from pipeline.archive.worker import Result
from pipeline.formats import limits
from pipeline.home import Home
from pipeline.model import ParseError

INLINE_BYTES = 4 * 1024 * 1024  # larger files are scattered to a worker, not sent via the scheduler
CONNECT_SECONDS = 20.0
WORKER_WAIT_SECONDS = 60.0  # for a first worker to join a cluster that has none
THREADS_EVERY_SECONDS = 5.0  # how often the cluster's size is asked again
IN_FLIGHT_PER_THREAD = 2  # a second file waits on each worker thread: no round trip idles it
KILLED_REASON = "处理该文件的计算节点多次异常退出（文件可能使读取程序崩溃），已跳过"


class ClusterError(RuntimeError):
    """The cluster cannot be used (unreachable, no workers); the message is for the user."""


@contextmanager
def connect_cluster(home: Home, address: str) -> Iterator[ClusterPool]:
    """A ``ClusterPool`` on the scheduler at ``address``, closed on exit."""
    try:
        from distributed import Client
    except ImportError as err:
        raise ClusterError("未安装 Dask 分布式组件：请安装 gongwen[cluster]"
                           "（pip install 'gongwen[cluster]'）") from err
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

    At most ``IN_FLIGHT_PER_THREAD`` files per worker thread are submitted at once, so the
    coordinator reads and holds only that many files' bytes. Past ``backstop`` seconds after
    its submission a file is given up as timed out even if the cluster never answered (e.g. it
    lost every worker): a wait can never hang the ingest.
    """

    def __init__(self, home: Home, client: Any, address: str):
        self.home, self.client, self.address = home, client, address
        self.limit = file_timeout()
        # one file may wait for one other on its worker, then take its own limit; a margin for
        # the transfer and a restart of a worker
        self.backstop = 2 * self.limit + 60.0
        self.threads, self.threads_asked = 0, 0.0
        self.finished: queue.SimpleQueue[Any] = queue.SimpleQueue()  # filled by the client

    def run(self, works: list[Work], settle: Settle, idle: Idle) -> None:
        if not works:
            return
        self._wait_for_workers()
        bundle = self.client.scatter(build_bundle(self.home, self.limit), broadcast=True,
                                     hash=False)
        queue = deque(works)
        running: dict[Any, tuple[Work, float]] = {}
        try:
            while queue or running:
                while queue and len(running) < self._capacity():
                    work = queue.popleft()
                    future = self._submit(work, bundle)
                    if isinstance(future, Result):
                        settle(work.key, future)
                    else:
                        running[future] = (work, time.monotonic())
                for future in self._finished(running):
                    work, _submitted = running.pop(future)
                    settle(work.key, _outcome(future, work))
                now = time.monotonic()
                for future in [f for f, (_w, t) in running.items() if now - t > self.backstop]:
                    work, _submitted = running.pop(future)
                    future.cancel()
                    settle(work.key, Result(work.key, error=timeout_reason(self.limit)))
                idle()
        finally:
            for future in running:
                future.cancel()
            bundle.release()

    def _submit(self, work: Work, bundle: Any) -> Any:
        """The task's future, or the file's failed result when it cannot be sent."""
        try:
            limits.check_file_size(work.shown_path, work.size)  # not even sent: the reader
            data = work.stored.read_bytes()  # would refuse it (workers use these limits)
        except ParseError as err:
            return Result(work.key, error=err.reason)
        except OSError as err:
            return Result(work.key, error=f"无法读取存档原件（{err.strerror or err}）")
        payload: Any = data
        if len(data) > INLINE_BYTES:
            payload = self.client.scatter(data, hash=False)
        task = RemoteFile(work.key, work.name, work.shown_path, work.size)
        future = self.client.submit(read_remote, task, payload, bundle, pure=False,
                                    key=f"gongwen-read-{work.key}-{time.time_ns()}")
        future.add_done_callback(self.finished.put)  # called in a thread of the client's
        return future

    def _finished(self, running: dict[Any, tuple[Work, float]]) -> list[Any]:
        """The futures that finished (cancelled ones too: the scheduler gave up), waiting up to
        a second for the first."""
        finished = []
        try:
            finished.append(self.finished.get(timeout=1.0) if running else None)
            while True:
                finished.append(self.finished.get_nowait())
        except queue.Empty:
            pass
        return [future for future in finished if future in running]  # not given up on since

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


def _outcome(future: Any, work: Work) -> Result:
    """The task's result; a task that raised (a lost worker, a broken reader process) is a
    failed file with the reason."""
    from distributed.scheduler import KilledWorker

    try:
        result = future.result()
    except KilledWorker:
        return Result(work.key, error=KILLED_REASON)
    except Exception as err:  # noqa: BLE001 - whatever the cluster raised, the batch goes on
        return Result(work.key, error=f"计算节点处理失败（{type(err).__name__}: {_reason(err)}）")
    result.key = work.key
    return result


def _reason(err: BaseException) -> str:
    return str(err).strip().replace("\n", " ")[:300] or type(err).__name__
