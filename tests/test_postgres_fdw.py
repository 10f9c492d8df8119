"""Several servers: one year's partition of ``documents`` is a foreign table (postgres_fdw) on a
second PostgreSQL instance. Writing, searching, correcting and verifying through the first one
reach the rows on the second (docs/deploy-postgresql.md describes the set-up)."""

from __future__ import annotations

from pathlib import Path

import psycopg

from pipeline import Archive
from pipeline.storage.postgres.catalog import connect
from pipeline.storage.postgres.cluster import Cluster
from pipeline.storage.postgres.schema import ensure_year
from tests.postgres_cluster import two_clusters  # noqa: F401

YEAR = 2019


def attach_remote_year(coordinator: psycopg.Connection, shard: Cluster, year: int) -> None:
    """The coordinator's partition of ``year`` becomes the shard's table (the SQL of the guide)."""
    coordinator.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
    coordinator.execute(
        "CREATE SERVER shard FOREIGN DATA WRAPPER postgres_fdw OPTIONS"
        f" (host '{shard.sockets}', port '{shard.port}', dbname 'gongwen')")
    coordinator.execute("CREATE USER MAPPING FOR CURRENT_USER SERVER shard OPTIONS (user 'gongwen')")
    coordinator.execute(
        f"CREATE FOREIGN TABLE documents_{year} PARTITION OF documents"
        f" FOR VALUES FROM ({year}) TO ({year + 1}) SERVER shard"
        f" OPTIONS (table_name 'documents_{year}')")


def test_a_year_on_another_server(two_clusters: tuple[Cluster, Cluster],  # noqa: F811
                                  tmp_path: Path, sample_corpus: Path) -> None:
    first, second = two_clusters
    with connect(second.url) as shard:  # the shard: the same schema, its year's partition
        ensure_year(shard, YEAR, set())
    coordinator = connect(first.url)
    attach_remote_year(coordinator, second, YEAR)

    docx = sample_corpus / "generated" / "docx"
    archive = Archive(tmp_path / "home", database=first.url)
    archive.ingest([docx / "024_jianbao.docx", docx / "001_shenyi_minsheng.docx"], workers=1,
                   progress=False)
    doc_id = archive.search("执法检查")["hits"][0]["id"]
    archive.edit(doc_id, {"date": f"{YEAR}-06-01"})  # the row moves to the other server

    with psycopg.connect(second.url) as shard:
        rows = shard.execute("SELECT id, ts_body_bg IS NOT NULL FROM documents_2019").fetchall()
    assert rows == [(doc_id, True)]
    found = archive.search("执法检查", year=YEAR)
    assert [hit["id"] for hit in found["hits"]] == [doc_id] and found["facets"]["year"] == {"2019": 1}
    assert archive.search("执法检查")["total"] == 1  # across both servers
    assert archive.get(doc_id)["date"] == f"{YEAR}-06-01"
    assert archive.verify()["ok"]
    plan = "\n".join(row["QUERY PLAN"] for row in coordinator.execute(
        "EXPLAIN VERBOSE SELECT id FROM documents WHERE year = 2019 AND ts_body_bg @@ '执法'::tsquery"))
    assert "Foreign Scan" in plan and "documents_2019" in plan
    remote = next(line for line in plan.splitlines() if "Remote SQL" in line)
    assert "@@" in remote, plan  # the full-text condition runs on the other server

