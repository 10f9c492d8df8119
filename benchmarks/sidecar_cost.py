"""CPU the postings sidecars add to an ingest: ``Archive(home).ingest`` of the ingest-speed
corpus (../shared/corpus/{state_council,laws,work_reports,speeches}) with the time spent
building and writing the sidecars (``pipeline.index.sidecar.Builder``) counted per thread.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/sidecar_cost.py [--workers N] [--home DIR]
        [--folders state_council,laws,work_reports,speeches]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


def main() -> None:
    from benchmarks.ingest_speed import CORPUS, FOLDERS
    from pipeline import Archive
    from pipeline.index import sidecar

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--folders", default=",".join(FOLDERS), help="corpus folders to ingest")
    args = parser.parse_args()
    spent = {"add_field": 0.0, "write": 0.0}

    def counted(name: str, method):  # thread CPU: the index writer runs in its own thread
        def wrapper(*a, **k):
            started = time.thread_time()
            try:
                return method(*a, **k)
            finally:
                spent[name] += time.thread_time() - started
        return wrapper

    sidecar.Builder.add_field = counted("add_field", sidecar.Builder.add_field)
    sidecar.Builder.write = counted("write", sidecar.Builder.write)
    with tempfile.TemporaryDirectory(prefix="gongwen-sidecar-cost-") as tmp:
        home = args.home or Path(tmp) / "home"
        started, cpu = time.perf_counter(), time.process_time()
        summary = Archive(home).ingest([CORPUS / f for f in args.folders.split(",")], workers=args.workers,
                                       progress=False)
        parent_cpu = time.process_time() - cpu
        index = home / "index"
        sidecar_mb = sum(p.stat().st_size for p in index.glob("*.pnp")) / 1e6
        index_mb = sum(p.stat().st_size for p in index.iterdir()) / 1e6
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = {
            "files": summary.get("added"), "wall_seconds": round(time.perf_counter() - started, 1),
            "parent_cpu_seconds": round(parent_cpu, 2),
            "workers_cpu_seconds": round(children.ru_utime + children.ru_stime, 2),
            "sidecar_cpu_seconds": {k: round(v, 3) for k, v in spent.items()},
            "sidecar_share_of_all_cpu": round(sum(spent.values()) / (
                parent_cpu + children.ru_utime + children.ru_stime), 4),
            "index_mb": round(index_mb, 1), "sidecar_mb": round(sidecar_mb, 1),
        }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
