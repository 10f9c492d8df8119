"""Load on the office server: signed-in readers searching and reading while an archivist ingests.

A real ``gongwen serve`` (a subprocess, on loopback only) over a fresh home that holds the real
documents of ``../shared/corpus`` not picked for the live ingest. Then, at once:
- ``--users`` (20) signed-in 起草人员, each in a loop for ``--seconds`` (60): search a drafters'
  query (benchmarks/drafter_queries.tsv), open one of the hits (``/doc/ID``);
- one 档案员 starting an ingest of ``--files`` (600) further real files through ``/api/ingest``
  (typed paths inside ``--ingest-root``) and polling it to the end.
Reported: requests, errors (any status but 200, any exception), p50/p95 latency of searches and
of document pages, the ingest's time and summary, and afterwards ``gongwen verify`` and
``gongwen audit --verify`` (both must be clean). Bounded: the readers stop after ``--seconds``,
the ingest is waited for at most ``--ingest-timeout`` seconds.

    .venv/bin/python benchmarks/office_load.py [--users 20] [--seconds 60] [--files 600]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from shared_corpus import CORPUS

from pipeline import Archive
from pipeline.formats.sniff import EXTENSION_FORMATS

PASSWORD = "Load-test-2024"
RESULTS = HERE / "results"


def corpus_files() -> list[Path]:
    files = [p for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.suffix.lower() in EXTENSION_FORMATS
             and not p.name.startswith((".", "README"))]
    random.Random(18).shuffle(files)  # a fixed mix of formats and collections
    return files


def queries() -> list[str]:
    lines = (HERE / "drafter_queries.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(home: Path, port: int, log: Any) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", "--home", str(home), "serve",
                               "--host", "127.0.0.1", "--port", str(port), "--ingest-root", str(CORPUS)],
                              env=env, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("服务没有启动")


def signed_in(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=120)
    client.headers["X-CSRF-Token"] = client.get("/api/csrf").json()["token"]
    response = client.post("/login", data={"name": name, "password": PASSWORD})
    assert response.status_code in (200, 303) and "gongwen_session" in client.cookies, response.text
    client.headers["X-CSRF-Token"] = client.get("/api/csrf").json()["token"]
    return client


def timed(kind: str, call, timings: dict[str, list[float]], errors: list[str]) -> httpx.Response | None:
    """``call()`` timed under ``kind``; None (and an error noted) unless it answered 200."""
    started = time.perf_counter()
    try:
        response = call()
    except httpx.HTTPError as err:
        errors.append(f"{kind}: {err!r}")
        return None
    timings[kind].append(time.perf_counter() - started)
    if response.status_code != 200:
        errors.append(f"{kind}: HTTP {response.status_code}")
        return None
    return response


def reader(client: httpx.Client, words: list[str], until: float, seed: int,
           timings: dict[str, list[float]], errors: list[str]) -> None:
    """Search, open one of the hits, again, until ``until``."""
    pick = random.Random(seed)
    while time.monotonic() < until:
        found = timed("search", lambda: client.get("/api/search", params={"q": pick.choice(words)}),
                      timings, errors)
        hits = found.json()["hits"] if found is not None else []
        if hits:
            doc_id = pick.choice(hits)["id"]
            timed("read", lambda doc_id=doc_id: client.get(f"/doc/{doc_id}"), timings, errors)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--ingest-timeout", type=float, default=1800.0)
    args = parser.parse_args()
    files = corpus_files()
    live, first = files[:args.files], files[args.files:]
    home = Path(tempfile.mkdtemp(prefix="gongwen-load-"))
    archive = Archive(home)
    archive.ingest(first, progress=False)
    for n in range(args.users):
        archive.accounts.add(f"起草{n:02d}", ["起草人员"], PASSWORD)
    archive.accounts.add("档案员", ["档案员"], PASSWORD)
    port = free_port()
    RESULTS.mkdir(exist_ok=True)
    log = open(RESULTS / "office_load_server.log", "w")  # noqa: SIM115 - the server's, until it ends
    server = start_server(home, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        clients = [signed_in(base, f"起草{n:02d}") for n in range(args.users)]
        archivist = signed_in(base, "档案员")
        timings: dict[str, list[float]] = {"search": [], "read": []}
        errors: list[str] = []
        started = time.monotonic()
        job = (archivist.post("/api/ingest", data={"paths": "\n".join(map(str, live))}).json() if live
               else {"state": "done", "summary": None})  # --files 0: the readers alone
        until = started + args.seconds
        threads = [threading.Thread(target=reader, args=(c, queries(), until, n, timings, errors))
                   for n, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        while job["state"] not in ("done", "error") and time.monotonic() - started < args.ingest_timeout:
            time.sleep(1)
            job = archivist.get(f"/api/ingest/{job['id']}").json()
        ingest_seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    gongwen = [sys.executable, "-m", "pipeline.cli.main", "--home", str(home), "--json"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    verify = json.loads(subprocess.run([*gongwen, "verify", "--no-progress"], capture_output=True,
                                       text=True, env=env, check=False).stdout)
    audit = json.loads(subprocess.run([*gongwen, "audit", "--verify"], capture_output=True, text=True,
                                      env=env, check=False).stdout)
    summary = job.get("summary") or {}
    report = {
        "users": args.users, "seconds": args.seconds, "files": len(live), "preloaded": len(first),
        "requests": {k: len(v) for k, v in timings.items()}, "errors": len(errors), "first_errors": errors[:5],
        "p50_ms": {k: round(percentile(v, 0.5), 1) for k, v in timings.items()},
        "p95_ms": {k: round(percentile(v, 0.95), 1) for k, v in timings.items()},
        "mean_ms": {k: round(statistics.fmean(v) * 1000, 1) if v else 0 for k, v in timings.items()},
        "ingest": {"state": job["state"], "seconds": round(ingest_seconds, 1),
                   **{k: summary.get(k) for k in ("added", "updated", "duplicates")},
                   "failed": len(summary.get("failed") or []), "quarantined": len(summary.get("quarantined") or [])},
        "verify_ok": verify.get("ok"), "use_record": {"ok": audit.get("ok"), "records": audit.get("records")},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "office_load.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    clean = not errors and job["state"] == "done" and verify.get("ok") and audit.get("ok")
    return 0 if clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
