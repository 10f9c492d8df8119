"""What a Dask worker does with a batch of files of a cluster ingest (``read_batch``).

The task carries the files' bytes, never a path of the coordinator's: the worker writes each to
a scratch folder of its own, under the file's own name (readers look at the extension), and
reads that copy. The archive's lexicon and models come in the bundle (``pipeline.archive.bundle``),
installed by a worker plugin (``BundlePlugin``): the scheduler keeps it for the ingest and hands
it to every worker, one that joins or restarts midway included; each unpacks it into its own
directory. The task itself carries only the bundle's small ``ReadSettings``.

Each worker thread reads through one reader process of its own, forked from the worker (which
has the readers and models loaded) and kept for the next files of the same bundle, as the local
ingest's pool is. The reader process is what the limits act on: a file over the time limit has
it killed (the reader's own SIGALRM limit works there too: it runs on that process's main
thread), and a reader crash kills it, never the worker. Either way the file comes back as failed
with the reason, and the next file gets a fresh reader process. The archive's lexicon is loaded
in the reader process only, so a worker serving several archives never mixes their words.
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from distributed import get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from pipeline.archive.bundle import Bundle, ReadSettings, relabel, unpack
from pipeline.archive.dispatch import (
    CRASH_REASON,
    GC_THRESHOLDS,
    die_with_parent_process,
    stop_pool,
    timeout_reason,
)
from pipeline.archive.worker import Job, Result, process, warm_up
from pipeline.text.segment import load_home_lexicon


@dataclass(frozen=True)
class RemoteFile:
    """What a task says of one of its files besides the bytes (sent beside them)."""

    key: int  # the coordinator's handle
    name: str  # the file's own name
    shown_path: str  # the path users see: a label for the document, never opened here
    size: int


class BundlePlugin(WorkerPlugin):
    """Installs one ingest's bundle on every worker (registered for the ingest's duration).

    Named after the archive (``archive``: a stable id of the coordinator's home), not the
    bundle: an ingest killed before it could unregister its plugin leaves one behind, which the
    archive's next ingest replaces (one ingest per archive runs at a time)."""

    def __init__(self, bundle: Bundle, archive: str):
        self.bundle = bundle
        self.name = f"gongwen-bundle-{archive}"

    def setup(self, worker: object) -> None:
        unpack(self.bundle, _bundles(Path(worker.local_directory)))  # type: ignore[attr-defined]


def read_batch(files: list[RemoteFile], payloads: list[bytes],
               settings: ReadSettings) -> list[bytes]:
    """Read a batch of files from their bytes with the bundle's home, one after the other, each
    under its own time limit: each file's ``Result``, pickled (``encode_result``), in order. A
    file that fails (or hangs, or crashes its reader process) fails alone; the next one goes on.

    Results travel as the bytes the reader process pickled: the worker never unpickles one and
    Dask sends bytes as they are, so a result is pickled once and unpickled once, on the
    coordinator, as a local ingest's is."""
    home = _home_for(settings)
    folder = Path(tempfile.mkdtemp(prefix="batch-", dir=_scratch()))
    try:
        return [_read_one(number, file, data, settings, home, folder)
                for number, (file, data) in enumerate(zip(files, payloads, strict=True))]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def encode_result(result: Result) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def decode_result(data: bytes) -> Result:
    """On the coordinator: a result as ``read_batch`` sent it (pickled by the same code)."""
    return pickle.loads(data)  # bytes from our own workers, as a local pool's results are


def _read_one(number: int, file: RemoteFile, data: bytes, settings: ReadSettings, home: Path,
              folder: Path) -> bytes:
    if len(data) != file.size:
        return encode_result(Result(file.key, error=(
            f"文件传输不完整（收到 {len(data)} 字节，应为 {file.size} 字节）")))
    own = folder / str(number)  # a folder per file: two files of a batch may share a name
    own.mkdir()
    path = own / _safe_name(file.name)
    path.write_bytes(data)
    try:
        return _read(settings, Job(file.key, str(path), file.shown_path, str(home)))
    finally:
        path.unlink(missing_ok=True)


def stop_readers() -> None:
    """Have every thread start a fresh reader process at its next file (e.g. after a worker
    plugin changed what a new reader process inherits)."""
    global _generation
    with _lock:
        _generation += 1


# --- the reader process ------------------------------------------------------------------------

_lock = threading.Lock()
_homes: dict[str, Path] = {}  # bundle version -> its unpacked home
_generation = 0
_thread = threading.local()  # this thread's reader: (bundle version, generation, pool)


def _read(settings: ReadSettings, job: Job) -> bytes:
    """The file's result, pickled (by the reader process, or here when it failed)."""
    pool = _reader(settings, Path(job.home))
    future = pool.submit(_process_in_reader, job)
    try:
        return future.result(timeout=settings.file_timeout)
    except concurrent.futures.TimeoutError:
        _drop_reader()
        return encode_result(Result(job.key, error=timeout_reason(settings.file_timeout)))
    except concurrent.futures.process.BrokenProcessPool:
        _drop_reader()
        return encode_result(Result(job.key, error=CRASH_REASON))


def _reader(settings: ReadSettings, home: Path) -> concurrent.futures.ProcessPoolExecutor:
    current = getattr(_thread, "reader", None)
    if current is not None and current[:2] == (settings.version, _generation):
        return current[2]
    _drop_reader()
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"),
        initializer=_start_reader, initargs=(os.getpid(), str(home), settings))
    with _children_allowed():
        pool.submit(gc.collect).result()  # start it now, while children are allowed
    _thread.reader = (settings.version, _generation, pool)
    return pool


def _drop_reader() -> None:
    current = getattr(_thread, "reader", None)
    _thread.reader = None
    if current is not None:
        stop_pool(current[2], kill=True)


_reader_settings: ReadSettings | None = None  # in a reader process: what it reads with


def _start_reader(parent_pid: int, home: str, settings: ReadSettings) -> None:
    """Reader process initializer: the coordinator's limits, the archive's words."""
    global _reader_settings
    die_with_parent_process(parent_pid)
    os.environ.update(settings.environment)
    load_home_lexicon(home)
    _reader_settings = settings
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()  # what it inherited is never scanned (and stays shared with the worker)


def _process_in_reader(job: Job) -> bytes:
    result = process(job)
    if _reader_settings is not None:
        relabel(result.analysis, _reader_settings)
    return encode_result(result)


@contextmanager
def _children_allowed() -> Iterator[None]:
    """Let this process start a child although Dask's nanny started it as a daemon.

    multiprocessing refuses children to daemonic processes so that none outlive them; the
    reader process cannot: the kernel kills it when the worker dies (PR_SET_PDEATHSIG)."""
    config = multiprocessing.current_process()._config  # no public switch exists
    with _lock:
        daemon = config.pop("daemon", None)
        try:
            yield
        finally:
            if daemon is not None:
                config["daemon"] = daemon


# --- the worker's own folders --------------------------------------------------------------------


def _home_for(settings: ReadSettings) -> Path:
    """The bundle's unpacked home (``BundlePlugin`` put it there), warmed up once."""
    with _lock:
        home = _homes.get(settings.version)
        if home is None:
            home = _bundles(_local_directory()) / settings.version
            if not home.is_dir():
                raise RuntimeError(f"计算节点上没有本次入库的资料包（{settings.version}）")
            warm_up(home)  # readers and models loaded once here; reader processes inherit them
            _homes[settings.version] = home
    return home


def _local_directory() -> Path:
    """The worker's own directory (its temporary space)."""
    try:
        return Path(get_worker().local_directory)
    except ValueError:  # not inside a worker (a direct call)
        return Path(tempfile.gettempdir())


def _scratch() -> Path:
    folder = _local_directory() / "gongwen" / "scratch"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _bundles(local_directory: Path) -> Path:
    return local_directory / "gongwen" / "bundles"


def _safe_name(name: str) -> str:
    """The last part of the name only: nothing the coordinator sends can point elsewhere."""
    last = PurePosixPath(name.replace("\\", "/")).name
    return last if last not in ("", ".", "..") else "file.bin"
