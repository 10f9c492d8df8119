"""Timeline of one ``Archive.ingest`` of the ingest_speed corpus: when the parse starts, files
settle, the queue empties, each index pass and its commit start and end, and (with the forked
final pass) when the parent waits for its child. Each line: wall seconds, the parent's CPU,
its children's CPU (known once they are reaped), the thread's CPU and the thread.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/ingest_timeline.py [WORKERS] [HOME]
    GONGWEN_INDEX_FORK=0 PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/ingest_timeline.py   # no fork

HOME must be new or empty (default: a temporary folder, kept and printed).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCHMARKS))  # ingest_speed: the corpus it measures
sys.path.append(str(BENCHMARKS.parent))  # the checkout, unless PYTHONPATH names another
from ingest_speed import CORPUS, FOLDERS

from pipeline import Archive
from pipeline.archive import ingest, sync
from pipeline.index import writer
from pipeline.index.segments import FastSegmentWriter

STARTED = time.perf_counter()
SETTLED_MARKS = {1, 100, 200, 300, 400, 500, 600}


def mark(what: str) -> None:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{time.perf_counter() - STARTED:7.2f}s parent_cpu={time.process_time():6.2f}"
          f" children_cpu={children.ru_utime + children.ru_stime:6.2f}"
          f" thread_cpu={time.thread_time():6.2f} [{threading.current_thread().name}] {what}",
          flush=True)


def traced(owner: Any, name: str, label: Callable[..., str] | None = None) -> None:
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        mark(f"> {label(*args) if label else name}")
        try:
            return original(*args, **kwargs)
        finally:
            mark(f"< {name}")

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workers", type=int, nargs="?", default=2)
    parser.add_argument("home", type=Path, nargs="?", default=None, help="new or empty")
    args = parser.parse_args()
    workers = args.workers
    home = args.home or Path(tempfile.mkdtemp(prefix="timeline-"))
    traced(ingest, "warm_up")
    traced(ingest._Ingest, "_parse_all")
    traced(sync, "sync_index")
    traced(writer, "add_documents", lambda _home, items: f"add_documents n={len(items)}")
    traced(writer, "_add", lambda _writer, items, _bodies: f"_add n={len(items)}")
    traced(writer._Child, "segment", lambda _child: "waiting for the forked child")
    traced(FastSegmentWriter, "_flush_segment", lambda _w: "flush (term writes, sidecar)")
    settled = {"n": 0, "empty": False}
    settle, submit = ingest._Ingest._settle, ingest._Ingest._submit

    def counting_settle(self: Any, key: int, result: Any) -> None:
        settled["n"] += 1
        if settled["n"] in SETTLED_MARKS:
            mark(f"settled {settled['n']}")
        settle(self, key, result)

    def noting_submit(self: Any, pool: Any, running: dict) -> None:
        submit(self, pool, running)
        if not self.queue and not settled["empty"]:
            settled["empty"] = True
            mark(f"queue empty, {len(running)} running, settled {settled['n']}")

    ingest._Ingest._settle, ingest._Ingest._submit = counting_settle, noting_submit
    mark("start")
    summary = Archive(home).ingest([CORPUS / f for f in FOLDERS], workers=workers,
                                   progress=False)
    mark("end")
    print({k: (len(v) if isinstance(v, list) else v) for k, v in summary.items()})
    print("segments", len(list((home / "index").glob("*.pnp"))), "home", home,
          "load", os.getloadavg())


if __name__ == "__main__":
    main()
