"""Cluster ingest: what reading the files on Dask workers costs against local reader processes.

Measures the wall time of ``Archive(home).ingest(paths)`` into a fresh home, the same files each
time, in four variants: local reader processes (``workers=1`` and ``workers=2``) and
``cluster=`` a Dask scheduler on 127.0.0.1 with one and with two workers (one thread each,
``tools/dask_local.py``: real processes, each in a folder of its own, files sent as bytes).
The number to read is the overhead at the same parallelism, cluster wall / local wall - 1
(goal: under 15 %). On a shared box only ratios of runs made side by side count, so each
round runs a local and a cluster ingest at the same parallelism back to back (which goes first
alternates between rounds) and the overhead is the median of the per-round ratios.

Also the CPU of the whole ingest: the coordinator process, plus its reader processes (local)
or every process of the cluster — scheduler, nannies, workers, their reader processes (Dask);
on a shared box it varies less than the wall time.

Everything but the reading stays on the coordinator in both modes (hashing, stored originals,
catalog, index), so this is the cost of the transport (bytes out, results back through the
scheduler) and of the bundle. The cluster is started before the rounds and warmed by one
unmeasured ingest (a long-running cluster has its readers loaded; a local ingest loads them
in the coordinator, inside the measured time, as every run of ``gongwen ingest`` does).
Corpus: ../shared/corpus/{state_council,speeches,work_reports} (248 files) by default.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cluster_ingest.py [--rounds 3]
        [--folders state_council,speeches,work_reports]

Writes benchmarks/results/cluster_ingest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # a dependency of distributed

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from shared_corpus import CORPUS  # found beside this script

from tools.dask_local import LocalDaskCluster

FOLDERS = ("state_council", "speeches", "work_reports")
VARIANTS = ("local-1", "dask-1", "local-2", "dask-2")


def _child(home: Path, folders: list[str], workers: int | None, cluster: str | None) -> None:
    """One ingest in this fresh process: its wall time and summary as one JSON line."""
    from pipeline import Archive

    started = time.perf_counter()
    summary = Archive(home).ingest([CORPUS / f for f in folders], workers=workers,
                                   progress=False, cluster=cluster)
    seconds = time.perf_counter() - started
    own, children = (resource.getrusage(resource.RUSAGE_SELF),
                     resource.getrusage(resource.RUSAGE_CHILDREN))
    print(json.dumps({"seconds": seconds, "added": summary["added"],
                      "failed": len(summary["failed"]), "duplicates": summary["duplicates"],
                      "coordinator_cpu": own.ru_utime + own.ru_stime,  # imports included
                      "local_readers_cpu": children.ru_utime + children.ru_stime}))


def measure(folders: list[str], workers: int | None = None, cluster: str | None = None) -> dict:
    home = Path(tempfile.mkdtemp(prefix="cluster-ingest-"))
    try:
        cmd = [sys.executable, __file__, "--child", str(home), "--folders", ",".join(folders)]
        cmd += ["--workers", str(workers)] if workers else ["--cluster", cluster or ""]
        out = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, check=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _cluster_cpu(cluster: LocalDaskCluster) -> float:
    """CPU seconds used so far by the cluster's processes: scheduler, nannies, workers and the
    workers' reader processes (those alive, and those ended and reaped)."""
    total = 0.0
    for process in cluster.processes.values():
        top = psutil.Process(process.pid)
        for each in [top, *top.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = each.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
    return total


def _measure_cluster(folders: list[str], cluster: LocalDaskCluster) -> dict:
    before = _cluster_cpu(cluster)
    result = measure(folders, cluster=cluster.address)
    result["cluster_cpu"] = _cluster_cpu(cluster) - before
    return result


def _cpu(result: dict) -> float:
    """The whole ingest's CPU: the coordinator and its readers, local or on the cluster."""
    return result["coordinator_cpu"] + result["local_readers_cpu"] + result.get("cluster_cpu", 0)


def run(folders: list[str], rounds: int) -> dict:
    files = sum(1 for f in folders for p in (CORPUS / f).rglob("*") if p.is_file())
    seconds: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    cpu: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    outcomes: dict[str, dict] = {}
    with LocalDaskCluster(workers=1) as cluster:
        for workers in (1, 2):
            if workers == 2:
                cluster.add_worker("worker-2")
            measure(folders, cluster=cluster.address)  # warm-up: readers loaded on the workers
            for number in range(rounds):
                pair = [f"local-{workers}", f"dask-{workers}"]
                for variant in (pair if number % 2 == 0 else pair[::-1]):
                    kind, _dash, count = variant.partition("-")
                    result = (measure(folders, workers=int(count)) if kind == "local"
                              else _measure_cluster(folders, cluster))
                    seconds[variant].append(result["seconds"])
                    cpu[variant].append(_cpu(result))
                    outcomes[variant] = result
                    print(f"{variant} round {number + 1}: {result['seconds']:.1f} s, "
                          f"CPU {_cpu(result):.1f} s", flush=True)
    overhead = {workers: [d / loc - 1 for d, loc in zip(seconds[f"dask-{workers}"],
                                                        seconds[f"local-{workers}"])]
                for workers in (1, 2)}
    cpu_overhead = {workers: [d / loc - 1 for d, loc in zip(cpu[f"dask-{workers}"],
                                                            cpu[f"local-{workers}"])]
                    for workers in (1, 2)}
    return {
        "folders": folders, "files": files, "rounds": rounds, "seconds": seconds,
        "median_seconds": {v: statistics.median(s) for v, s in seconds.items()},
        "files_per_second": {v: files / statistics.median(s) for v, s in seconds.items()},
        "overhead_median": {w: statistics.median(o) for w, o in overhead.items()},
        "overhead_rounds": overhead,
        "cpu_seconds": cpu,
        "median_cpu": {v: statistics.median(c) for v, c in cpu.items()},
        "cpu_overhead_median": {w: statistics.median(o) for w, o in cpu_overhead.items()},
        "dask_2_vs_1_speedup": statistics.median(
            one / two for one, two in zip(seconds["dask-1"], seconds["dask-2"])),
        "outcomes": outcomes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folders", default=",".join(FOLDERS))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cluster", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folders = args.folders.split(",")
    if args.child:
        _child(args.child, folders, args.workers, args.cluster or None)
        return 0
    result = run(folders, args.rounds)
    out = PROJECT / "benchmarks" / "results" / "cluster_ingest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("files", "median_seconds", "overhead_median",
                                             "median_cpu", "cpu_overhead_median",
                                             "dask_2_vs_1_speedup")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
