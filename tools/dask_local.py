"""A Dask cluster on this machine's loopback: a scheduler and workers as real subprocesses.

For the cluster-ingest tests and ``benchmarks/cluster_ingest.py``, and by hand to try
``gongwen ingest --cluster``::

    .venv/bin/python tools/dask_local.py --workers 2     # prints the address, Ctrl-C stops it

``.ci/run`` starts one this way for the tests (``--address-file``; SIGTERM stops it too).

Each process runs in a folder of its own (its working and local directory), so a worker shares
nothing with the coordinator but the network; the scheduler writes its address to a file
(``--scheduler-file``), so no port is guessed. ``stop`` ends exactly the processes started here
(each in a process group of its own: a worker's nanny and the worker it runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
START_SECONDS = 60.0
# Dask settings for a gongwen cluster (docs/deploy.md), unless the environment sets them: an idle
# scheduler, nanny and worker then take ~0.5 % of a core each instead of ~2 % (the event-loop
# health check every 20 ms; the worker's profiler sampling its threads every 10 ms, for a
# dashboard gongwen does not use).
TUNING = {"DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "500ms",
          "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}


class LocalDaskCluster:
    def __init__(self, workers: int = 2, base: Path | None = None):
        self.base = Path(base or tempfile.mkdtemp(prefix="gongwen-dask-"))
        self.scheduler_file = self.base / "scheduler.json"
        self.processes: dict[str, subprocess.Popen] = {}
        self.initial_workers = workers
        self.address = ""

    @classmethod
    def joining(cls, address: str) -> LocalDaskCluster:
        """No scheduler of its own: workers added here join the running one at ``address``."""
        cluster = cls(workers=0)
        cluster.address = address
        cluster.scheduler_file.write_text(json.dumps({"address": address}))
        return cluster

    def __enter__(self):  # the started cluster
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> LocalDaskCluster:
        try:
            self._spawn("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--scheduler-file", str(self.scheduler_file)])
            self.address = self._read_address()
            for number in range(self.initial_workers):
                self.add_worker(f"worker-{number + 1}")
        except BaseException:
            self.stop()
            raise
        return self

    def add_worker(self, name: str, nanny: bool = True, wait: bool = True) -> subprocess.Popen:
        """One worker, one thread; without a nanny, the process is the worker itself (a
        SIGKILL of it is a worker gone for good, not one restarted)."""
        args = ["worker", "--scheduler-file", str(self.scheduler_file), "--host", "127.0.0.1",
                "--name", name, "--nworkers", "1", "--nthreads", "1",
                "--local-directory", str(self.base / name)]
        process = self._spawn(name, args + ([] if nanny else ["--no-nanny"]))
        if wait:
            self.wait_for_worker(name)
        return process

    def wait_for_worker(self, name: str) -> None:
        from distributed import Client

        deadline = time.monotonic() + START_SECONDS
        with Client(self.address, timeout=START_SECONDS, set_as_default=False) as client:
            while time.monotonic() < deadline:
                names = {w.get("name") for w in client.scheduler_info()["workers"].values()}
                if name in names:
                    return
                self._check_alive(name)
                time.sleep(0.2)
        raise RuntimeError(f"Dask worker {name} did not join within {START_SECONDS:g} s")

    def kill(self, name: str) -> None:
        """SIGKILL the named process (and, for a nanny, the worker under it)."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for name in reversed(list(self.processes)):  # workers first, the scheduler last
            process = self.processes.pop(name)
            _end_group(process)
        shutil.rmtree(self.base, ignore_errors=True)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        folder = self.base / name
        folder.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
        env.pop("GONGWEN_HOME", None)
        env = {**TUNING, **env}
        log = open(folder / "log.txt", "wb")  # noqa: SIM115 - the child keeps it
        command = [sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:],
                   "--no-dashboard"]
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.processes[name] = process
        return process

    def _read_address(self) -> str:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            self._check_alive("scheduler")
            try:
                return json.loads(self.scheduler_file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise RuntimeError(f"Dask scheduler did not start within {START_SECONDS:g} s")

    def _check_alive(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is not None:
            log = (self.base / name / "log.txt").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"Dask {name} exited ({process.returncode}):\n{log}")


def _end_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description="A Dask scheduler and workers on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--address-file", type=Path, default=None,
                        help="write the scheduler's address there once every worker has joined")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _interrupt)  # stop the cluster, as Ctrl-C does
    with LocalDaskCluster(args.workers) as cluster:
        print(cluster.address, flush=True)
        if args.address_file is not None:
            partial = args.address_file.with_name(args.address_file.name + ".partial")
            partial.write_text(cluster.address + "\n")
            partial.replace(args.address_file)  # readers never see half an address
        try:
            while True:
                signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
