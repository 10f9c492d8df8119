"""PostgreSQL beside the embedded backend, in one run: same answers, query latency, storage.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/postgres_search.py [--docs 100000] [--batch 2000]
        [--queries 300] [--limit-questions N] [--skip-quality] [--skip-latency] [--url URL]
        [--workdir DIR]

Quality: the 599 policy_qa documents and the drafters' corpus (``search_quality.py``'s data) are
ingested once through ``Archive(home, database=URL).ingest`` — the embedded index and the
database are written from the same catalog — and every policy_qa question and both drafter
sets are run against both backends: MRR@10 of each and the mean top-10 overlap
(|A ∩ B| / max(|A|, |B|) per query). Goal: MRR within 0.01, overlap ≥ 0.8.

Latency: ``--docs`` synthetic documents (``query_latency.py``'s expansion of the real corpus:
paragraphs shuffled, titles and 文号 varied, dates 2000–2025) written to a Whoosh index
(``add_documents``) and to the database (``write_documents``, the rows ``publish`` writes);
one-to-three-word queries from real titles, p50/p95 of ``search()`` on each (each query once,
after one warm-up query) and the top-10 overlap of the two. Storage: the database's size and the index folder's, per document.

Without ``--url`` a throwaway cluster is started (``pipeline.storage.postgres.cluster``:
fsync off, 128 MB shared buffers, otherwise PostgreSQL's defaults). Prints one JSON report.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))
from query_latency import make_queries, percentiles, synthetic_documents
from search_quality import (
    DRAFTER_SETS,
    drafter_files,
    load_drafter_queries,
    load_policy_qa,
    metrics,
)
from shared_corpus import CORPUS


def overlap(first: list[list[str]], second: list[list[str]]) -> float:
    shares = [len(set(a) & set(b)) / max(len(a), len(b)) for a, b in zip(first, second) if a or b]
    return round(sum(shares) / max(len(shares), 1), 4)


def compare(embedded: Any, database: Any, queries: list[str], targets: list[set[str]],
            name_of: Any) -> dict[str, Any]:
    """Both backends' rankings of ``queries``: MRR of each, overlap, latency of each."""
    rankings: dict[str, list[list[str]]] = {"embedded": [], "postgres": []}
    latency: dict[str, list[float]] = {"embedded": [], "postgres": []}
    for query in queries:
        for label, archive in (("embedded", embedded), ("postgres", database)):
            started = time.perf_counter()
            hits = archive.search(query, limit=10)["hits"]
            latency[label].append(time.perf_counter() - started)
            rankings[label].append([name_of(hit["path"]) for hit in hits])
    report = {label: {**metrics(rankings[label], targets), **percentiles(latency[label])}
              for label in rankings}
    report["mrr_difference"] = round(report["postgres"]["mrr@10"] - report["embedded"]["mrr@10"], 4)
    report["top10_overlap"] = overlap(rankings["embedded"], rankings["postgres"])
    report["identical_rankings"] = sum(a == b for a, b in zip(*rankings.values()))
    return report


def quality(server: str, workdir: Path, limit: int | None) -> dict[str, Any]:
    from pipeline import Archive
    from pipeline.storage.postgres.cluster import create_database

    report: dict[str, Any] = {}
    url = create_database(server)
    docs, questions = load_policy_qa(limit)
    folder, home = workdir / "policy_qa_files", workdir / "policy_qa_home"
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in docs.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    summary = Archive(home, database=url).ingest([folder], progress=False)
    report["policy_qa"] = {"documents": summary["added"], **compare(
        Archive(home, database=""), Archive(home, database=url), [q for q, _ in questions],
        [t for _, t in questions], lambda path: Path(path).stem)}
    home, url = workdir / "drafters_home", create_database(server)
    Archive(home, database=url).ingest(drafter_files(), progress=False)
    relative = lambda path: str(Path(path).relative_to(CORPUS))
    for name, path in DRAFTER_SETS.items():
        rows = load_drafter_queries(path)
        report[f"drafters_{name}"] = compare(Archive(home, database=""), Archive(home, database=url),
                                             [row[0] for row in rows], [row[1] for row in rows],
                                             relative)
    return report


def synthetic_rows(count: int) -> Any:
    """Catalog rows for ``query_latency.py``'s synthetic documents (as ``publish`` writes them)."""
    now = time.time()
    for doc_id, doc in synthetic_documents(count):
        yield {"id": doc_id, "fonds": "Z001", "sha256": doc_id, "chain": doc_id, "is_current": True,
               "state": "active", "path": doc.path, "doc_json": json.dumps(doc.to_json(full=True),
                                                                           ensure_ascii=False),
               "meta_json": json.dumps({"path": doc.path}), "added_at": now, "updated_at": now}, doc


def build_both(conn: Any, home: Path, count: int, batch: int) -> dict[str, Any]:
    from pipeline.index.writer import add_documents
    from pipeline.storage.postgres.catalog import write_documents

    spent = {"embedded": 0.0, "postgres": 0.0}
    rows, items = [], []

    def flush() -> None:
        started = time.perf_counter()
        add_documents(home, items)
        spent["embedded"] += time.perf_counter() - started
        started = time.perf_counter()
        with conn.transaction():
            write_documents(conn, rows)
        spent["postgres"] += time.perf_counter() - started
        print(f"  written {rows[-1]['id']}", file=sys.stderr, flush=True)
        rows.clear()
        items.clear()

    for row, doc in synthetic_rows(count):
        rows.append(row)
        items.append((row["id"], doc, {"path": doc.path}))
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    started = time.perf_counter()
    conn.execute("VACUUM ANALYZE documents")
    spent["postgres"] += time.perf_counter() - started
    return {name: round(seconds, 1) for name, seconds in spent.items()}


def storage(conn: Any, home: Path, count: int) -> dict[str, Any]:
    database = int(conn.execute("SELECT pg_database_size(current_database()) AS n").fetchone()["n"])
    fts = conn.execute(
        "SELECT sum(pg_total_relation_size(i.indexrelid)) AS n FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'documents%ts_%'").fetchone()["n"]
    fts = int(fts or 0)
    index = sum(f.stat().st_size for f in (home / "index").iterdir())
    return {"postgres_kb_per_doc": round(database / count / 1024, 1),
            "postgres_gin_kb_per_doc": round(fts / count / 1024, 1),
            "embedded_index_kb_per_doc": round(index / count / 1024, 1)}


def estimates(exact: list[tuple[int, bool]], estimated: list[tuple[int, bool]]) -> dict[str, Any]:
    """How many of the database's totals are estimates (``broad``) and how far off they are
    from the embedded index's exact count (median and largest relative error)."""
    errors = sorted(abs(mine - true) / true for (true, _), (mine, guessed) in zip(exact, estimated)
                    if guessed and true)
    if not errors:
        return {"queries": 0}
    return {"queries": len(errors), "median_error": round(errors[len(errors) // 2], 4),
            "max_error": round(errors[-1], 4)}


def latency(url: str, workdir: Path, count: int, batch: int, queries: int) -> dict[str, Any]:
    from pipeline.index.search import reset_cache, search
    from pipeline.storage.postgres.catalog import connect
    from pipeline.storage.postgres.fts import search as pg_search

    conn = connect(url)
    home = workdir / "latency_home"
    home.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"documents": count, "database": url,  # for postgres_ab.py
                              "build_seconds": build_both(conn, home, count, batch)}
    report["storage"] = storage(conn, home, count)
    texts = make_queries(queries)
    reset_cache()
    rankings: dict[str, list[list[str]]] = {}
    counted: dict[str, list[tuple[int, bool]]] = {}
    for label, run in (("embedded", lambda q: search(home, q, limit=10)),
                       ("postgres", lambda q: pg_search(conn, home, q, limit=10))):
        run(texts[0])
        samples, totals, rankings[label], counted[label] = [], [], [], []
        for text in texts:
            started = time.perf_counter()
            found = run(text)
            samples.append(time.perf_counter() - started)
            totals.append(found["total"])
            rankings[label].append([hit["id"] for hit in found["hits"]])
            counted[label].append((found["total"], bool(found.get("total_estimated"))))
        report[label] = {**percentiles(samples), "median_total": sorted(totals)[len(totals) // 2]}
    report["estimates"] = estimates(counted["embedded"], counted["postgres"])
    # past rank.POOL matching rows the database pre-ranks without the long vectors: how often
    # that changes the top ten
    report["top10_overlap"] = overlap(rankings["embedded"], rankings["postgres"])
    report["identical_rankings"] = sum(a == b for a, b in zip(*rankings.values()))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--limit-questions", type=int, default=None)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--url", help="a database to use (default: a throwaway cluster)")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    from pipeline.storage.postgres.cluster import start_cluster

    cluster = None if args.url else start_cluster()
    url = args.url or cluster.url
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="gongwen-pg-bench-"))
    report: dict[str, Any] = {"workdir": str(workdir)}
    try:
        if not args.skip_quality:
            report["quality"] = quality(url, workdir, args.limit_questions)
            print(json.dumps(report["quality"], ensure_ascii=False), file=sys.stderr, flush=True)
        if not args.skip_latency:
            from pipeline.storage.postgres.cluster import create_database

            report["latency"] = latency(create_database(url), workdir, args.docs, args.batch, args.queries)
    finally:
        if cluster is not None:
            cluster.stop()
    print(json.dumps(report, ensure_ascii=False, indent=1, default=float))


if __name__ == "__main__":
    main()
