"""Ingest jobs started from the web: one background thread runs them in order.

An archive takes one ingest at a time (``pipeline.archive.ingest`` holds a lock), so queueing
them here keeps a second upload from blocking a request; the page polls a job's counter.
Each job runs in a process of its own (spawned: a clean interpreter, not a fork of a threaded
server): the ingest's own Python work — the catalog, the index writer — would otherwise share
the server's interpreter lock with everyone searching meanwhile.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from fastapi import HTTPException, UploadFile

from pipeline.archive.walk import is_skipped
from pipeline.facade import Archive
from pipeline.formats.sniff import EXTENSION_FORMATS
from pipeline.settings import env_int

KEEP_FINISHED = 50  # jobs remembered for the page's list; older ones are forgotten


def ingest_workers() -> int:
    """Parse processes of a web ingest: all cores but one (``GONGWEN_WEB_INGEST_WORKERS``), so
    that the people searching and reading while an archivist ingests keep a core."""
    return env_int("GONGWEN_WEB_INGEST_WORKERS", max(1, (os.cpu_count() or 2) - 1), least=1)


DEFAULT_INGEST_NICENESS = 10


def ingest_niceness() -> int:
    """How much lower than the server's the CPU priority of a web ingest is
    (``GONGWEN_WEB_INGEST_NICE``, 10; 0 keeps it equal). Its parse workers, LibreOffice and the
    OCR engine inherit it. At equal priority a busy ingest took its share of both cores and
    twenty readers' searches queued behind it (benchmarks/README.md, office section)."""
    return env_int("GONGWEN_WEB_INGEST_NICE", DEFAULT_INGEST_NICENESS, least=0)


@dataclass
class IngestJob:
    id: str
    paths: list[str]
    label: str  # what the page lists: the typed paths and the uploaded files' names
    state: str = "queued"  # queued → running → done | error
    done: int = 0
    total: int | None = None  # known once the files are counted
    summary: dict[str, Any] | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    owner: str | None = None  # the account that started it (None: a home without accounts)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "paths": self.paths, "label": self.label, "state": self.state, "done": self.done,
                "total": self.total, "summary": self.summary, "error": self.error,
                "created": self.created, "finished": self.finished}


class IngestJobs:
    def __init__(self, archive: Archive, within: list[Path] | None = None):
        """``within``: the folders a job may read files from (None: anywhere)."""
        self.archive = archive
        self.within = within
        self._jobs: dict[str, IngestJob] = {}
        self._queue: queue.Queue[IngestJob] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, paths: list[str], label: str, owner: str | None = None) -> IngestJob:
        job = IngestJob(id=uuid.uuid4().hex[:12], paths=paths, label=label, owner=owner)
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
            self._queue.put(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
                self._thread.start()
        return job

    def get(self, job_id: str) -> IngestJob | None:
        return self._jobs.get(job_id)

    def recent(self, owner: str | None = None) -> list[IngestJob]:
        """Newest first; only ``owner``'s when given (an archivist sees their own uploads)."""
        jobs = [job for job in self._jobs.values() if owner is None or job.owner == owner]
        return sorted(jobs, key=lambda job: job.created, reverse=True)

    def upload_folder(self) -> Path:
        """A new folder in the home for one upload's files (they stay there: the catalog's
        source path points at them)."""
        stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        folder = self.archive.home.uploads / stamp
        folder.mkdir(parents=True)
        return folder

    def _forget_old(self) -> None:
        finished = [j for j in self.recent() if j.state in ("done", "error")]
        for job in finished[KEEP_FINISHED:]:
            del self._jobs[job.id]

    def _run(self) -> None:
        while True:
            with self._lock:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:  # idle: the thread ends, the next job starts another (a
                    self._thread = None  # lingering thread keeps this process's index passes
                    return  # from forking: ``pipeline.index.forked.can_fork``)
            job.state = "running"
            try:
                self._run_in_child(job)
            except Exception as err:  # noqa: BLE001 - the page must say it failed, not hang
                traceback.print_exc()
                job.error = f"入库任务失败：{type(err).__name__}: {err}"
            job.state = "error" if job.error else "done"
            job.finished = time.time()

    def _run_in_child(self, job: IngestJob) -> None:
        """The ingest in a spawned process; its progress and summary come back through a pipe."""
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=_ingest, name="gongwen-web-ingest", args=(
            str(self.archive.home.root), job.paths, ingest_workers(), self.within, sending,
            ingest_niceness()))
        child.start()
        sending.close()
        try:
            while True:
                try:
                    kind, *values = receiving.recv()
                except EOFError:
                    break
                if kind == "progress":
                    job.progress(*values)
                elif kind == "done":
                    job.summary = values[0]
                else:
                    job.error = f"入库任务失败：{values[0]}"
        finally:
            receiving.close()
            child.join()
        if job.summary is None and job.error is None:
            job.error = f"入库任务失败：入库进程意外退出（退出码 {child.exitcode}）"


def _ingest(home: str, paths: list[str], workers: int, within: list[Path] | None, sending: Any,
            niceness: int = 0) -> None:
    """(In the spawned process) run one ingest at ``niceness`` below the server's priority,
    sending ``("progress", done, total)`` as it goes and ``("done", summary)`` or
    ``("error", message)`` at the end."""
    _lower_priority(niceness)
    try:
        summary = Archive(home).ingest(paths, workers=workers, progress=False, within=within,
                                       on_progress=lambda done, total: sending.send(("progress", done, total)))
        sending.send(("done", summary))
    except Exception as err:  # noqa: BLE001 - reported on the page
        traceback.print_exc()
        sending.send(("error", f"{type(err).__name__}: {err}"))
    finally:
        sending.close()


def _lower_priority(niceness: int) -> None:
    """This process (and what it starts) scheduled after the server; a system without
    ``os.nice`` (Windows) or one that refuses it runs the ingest at the server's priority."""
    if niceness:
        with contextlib.suppress(AttributeError, OSError):
            os.nice(niceness)


# What an upload may hold: the formats the readers know (by extension; the content is sniffed
# again at ingest) and zip files of them.
UPLOAD_SUFFIXES = frozenset([*EXTENSION_FORMATS, ".zip"])


def check_upload_names(uploads: list[UploadFile]) -> list[UploadFile]:
    """The uploads to keep: OS litter and lock files (as a folder walk skips them) dropped;
    ``HTTPException(415)`` naming the files of a type no reader takes."""
    def name(upload: UploadFile) -> PurePosixPath:
        return PurePosixPath((upload.filename or "").replace("\\", "/"))

    kept = [u for u in uploads if not is_skipped(name(u).name)]
    refused = [u.filename or "" for u in kept if name(u).suffix.lower() not in UPLOAD_SUFFIXES]
    if refused:
        shown = "、".join(refused[:5]) + ("等" if len(refused) > 5 else "")
        raise HTTPException(415, f"不支持上传的文件类型：{shown}（可上传：{'、'.join(sorted(UPLOAD_SUFFIXES))}）")
    return kept


def save_upload(folder: Path, name: str, data: BinaryIO) -> Path:
    """Write one uploaded file under ``folder``, keeping the folders of a folder upload but
    nothing that could leave ``folder`` (``..``, absolute paths); a clash gets a suffix."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..", "/")]
    target = folder.joinpath(*(parts or ["未命名文件"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        n += 1
        target = target.with_name(f"{stem}（{n}）{suffix}")
    with open(target, "wb") as out:
        while chunk := data.read(1 << 20):
            out.write(chunk)
    return target
