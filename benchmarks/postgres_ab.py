"""Two checkouts' PostgreSQL search on one built database, beside the embedded index, query by query.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/postgres_ab.py --url URL --home HOME \
        --before CHECKOUT --after CHECKOUT [--queries 300]

``URL`` and ``HOME`` are a database and an index home built by ``postgres_search.py --url SERVER
--workdir DIR --skip-quality`` (its report names the database; the home is
``DIR/latency_home``). A checkout is a directory holding a ``pipeline`` package (e.g. a
``git worktree add`` of the commit to compare). Each of the three searchers — the embedded index
and each checkout's PostgreSQL search — runs in a process of its own, importing its own code; every
query goes to all three in turn, the order rotated, so that a busy box slows them alike. Prints
one JSON report: p50/p95 of each, and each database search's top-10 overlap with the embedded one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "benchmarks"))
from query_latency import make_queries, percentiles


def serve(checkout: str, home: str, url: str | None) -> None:
    """The worker: one JSON query per line in, ``{"ms", "total", "ids"}`` per line out."""
    sys.path.insert(0, checkout)
    if url is None:
        from pipeline.index.search import search

        def run(query: str) -> dict[str, Any]:
            return search(Path(home), query, limit=10)
    else:
        from pipeline.storage.postgres.catalog import connect
        from pipeline.storage.postgres.fts import search as pg_search

        conn = connect(url)

        def run(query: str) -> dict[str, Any]:
            return pg_search(conn, Path(home), query, limit=10)
    for line in sys.stdin:
        started = time.perf_counter()
        found = run(json.loads(line))
        spent = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": spent, "total": found["total"],
                          "ids": [hit["id"] for hit in found["hits"]]}), flush=True)


class Searcher:
    def __init__(self, checkout: str, home: str, url: str | None):
        command = [sys.executable, __file__, "--serve", checkout, "--home", home]
        if url:
            command += ["--url", url]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=dict(os.environ, PYTHONPATH=checkout))

    def ask(self, query: str) -> dict[str, Any]:
        self.process.stdin.write(json.dumps(query, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def compare(args: argparse.Namespace) -> dict[str, Any]:
    searchers = {"embedded": Searcher(args.after, args.home, None),
                 "before": Searcher(args.before, args.home, args.url),
                 "after": Searcher(args.after, args.home, args.url)}
    queries = make_queries(args.queries)
    names = list(searchers)
    answers: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for name in names:
        searchers[name].ask(queries[0])  # warm-up, not counted
    for number, query in enumerate(queries):
        turn = number % len(names)
        for name in names[turn:] + names[:turn]:
            answers[name].append(searchers[name].ask(query))
    for searcher in searchers.values():
        searcher.close()
    report: dict[str, Any] = {"queries": len(queries)}
    for name in names:
        report[name] = percentiles([answer["ms"] / 1000 for answer in answers[name]])
        if name != "embedded":
            report[name].update(_agreement(answers["embedded"], answers[name]))
    return report


def _agreement(embedded: list[dict[str, Any]], database: list[dict[str, Any]]) -> dict[str, Any]:
    shares = [len(set(a["ids"]) & set(b["ids"])) / max(len(a["ids"]), len(b["ids"]))
              for a, b in zip(embedded, database) if a["ids"] or b["ids"]]
    return {"top10_overlap": round(sum(shares) / max(len(shares), 1), 4),
            "identical": sum(a["ids"] == b["ids"] for a, b in zip(embedded, database)),
            "totals_equal": sum(a["total"] == b["total"] for a, b in zip(embedded, database))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="the built database")
    parser.add_argument("--home", required=True, help="the index home built beside it")
    parser.add_argument("--before", help="the checkout to compare against")
    parser.add_argument("--after", default=str(PROJECT), help="the checkout measured (default: this one)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.home, args.url)
        return
    if not (args.url and args.before):
        parser.error("--url and --before are needed")
    print(json.dumps(compare(args), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
