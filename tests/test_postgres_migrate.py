"""``gongwen migrate --to postgresql://…``: an embedded archive moved whole (catalog, versions,
originals' records, corrections, the use record with its SM3 chain), ``gongwen verify`` clean on
both sides, and what verification catches afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from pipeline import Archive
from tests.postgres_cluster import pg_server, pg_url  # noqa: F401

FILES = ("docx/001_shenyi_minsheng.docx", "docx/024_jianbao.docx", "pdf/024_jianbao.pdf",
         "docx/018_baogao_xinfang.docx", "docx/028_gonggao.docx")


def _gongwen(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli.main", "--home", str(home), *args],
                          check=False, capture_output=True, text=True, timeout=600)


@pytest.fixture
def moved(tmp_path: Path, sample_corpus: Path, pg_url: str) -> tuple[Path, str]:  # noqa: F811
    """An embedded archive with a new version, a correction and a use record, migrated."""
    source = tmp_path / "source"
    for name in FILES:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_corpus / "generated" / name, source / name)
    home = tmp_path / "home"
    assert _gongwen(home, "ingest", str(source), "--no-progress").returncode == 0
    doc_id = Archive(home).search("执法检查")["hits"][0]["id"]
    assert _gongwen(home, "edit", doc_id, "--set", "title=执法检查简报（更正）").returncode == 0
    assert _gongwen(home, "search", "民生").returncode == 0  # on the use record too
    done = _gongwen(home, "migrate", "--to", pg_url, "--json", "--no-progress")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert counts["documents"] == 3 + 1 and counts["use_record"] >= 3  # one quarantined
    assert counts["corrections"] == 1
    return home, pg_url


def test_verify_is_clean_on_both_sides(moved: tuple[Path, str]) -> None:
    home, url = moved
    embedded = json.loads(_gongwen(home, "verify", "--json", "--no-progress").stdout)
    database = json.loads(_gongwen(home, "--db", url, "verify", "--json", "--no-progress").stdout)
    assert embedded["ok"] and database["ok"], (embedded, database)
    assert database["files"] == embedded["files"] == 5
    assert database["index"]["documents"] == embedded["index"]["documents"] == 3
    assert database["use_record"]["records"] >= 3 and database["use_record"]["ok"]
    audit = json.loads(_gongwen(home, "--db", url, "audit", "--verify", "--json").stdout)
    assert audit["ok"], audit  # and commands run against the database extend its chain
    assert audit["records"] > database["use_record"]["records"]


def _shown(hit: dict) -> dict:
    return {key: value for key, value in hit.items() if key != "score"}


def test_the_catalog_moves_with_its_corrections_and_versions(moved: tuple[Path, str]) -> None:
    home, url = moved
    embedded, database = Archive(home), Archive(home, database=url)
    doc_id = embedded.search("执法检查")["hits"][0]["id"]
    here, there = embedded.get(doc_id), database.get(doc_id)
    assert there["title"] == here["title"] == "执法检查简报（更正）"
    assert there["archive"]["corrections"] == here["archive"]["corrections"]
    assert there["archive"]["files"] == here["archive"]["files"]
    assert there["archive"]["hashes"] == here["archive"]["hashes"]
    for query in ("执法检查", "民生", "公告", "更正"):
        # scores differ a little: Whoosh still counts the record the edit replaced in N and df
        found, expected = database.search(query)["hits"], embedded.search(query)["hits"]
        assert [_shown(h) for h in found] == [_shown(h) for h in expected], query
    again = json.loads(_gongwen(home, "migrate", "--to", url, "--json", "--no-progress").stdout)
    assert again["documents"] == 0 and again["files"] == 0  # nothing changed since


def test_verification_catches_a_damaged_original_and_a_rewritten_use_record(
        moved: tuple[Path, str]) -> None:
    home, url = moved
    with psycopg.connect(url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException):
            conn.execute("UPDATE use_record SET \"user\" = 'someone' WHERE seq = 1")
        stored = conn.execute("SELECT stored FROM files WHERE path LIKE '%001_shenyi%'").fetchone()[0]
        conn.execute("ALTER TABLE use_record DISABLE TRIGGER use_record_no_change")
        conn.execute("UPDATE use_record SET target = 'nothing' WHERE seq = 2")
    (home / stored).write_bytes(b"changed")
    report = json.loads(_gongwen(home, "--db", url, "verify", "--json", "--no-progress").stdout)
    assert not report["ok"]
    assert [p["stored"] for p in report["problems"]] == [stored]
    assert any(p["seq"] == 2 for p in report["use_record"]["problems"])


def test_a_database_of_the_first_schema_is_brought_up_to_date(moved: tuple[Path, str]) -> None:
    """Schema 1 had no ``ts_body_top``: connecting computes it from ``ts_body`` in SQL, equal to
    what a fresh write holds, and the searches answer as before."""
    from pipeline.storage.postgres.catalog import connect
    from pipeline.storage.postgres.schema import SCHEMA_VERSION

    home, url = moved
    database = Archive(home, database=url)
    before = {q: database.search(q) for q in ("执法检查", "民生", "工作")}
    with psycopg.connect(url, autocommit=True) as conn:
        written = dict(conn.execute("SELECT id, ts_body_top::text FROM documents"
                                    " WHERE ts_body IS NOT NULL").fetchall())
        assert written and any(written.values())
        conn.execute("ALTER TABLE documents DROP COLUMN ts_body_top")
        conn.execute("UPDATE gongwen_schema SET version = 1")
    with connect(url) as conn:
        assert conn.execute("SELECT version FROM gongwen_schema").fetchone()["version"] == SCHEMA_VERSION
        rebuilt = {row["id"]: row["t"] for row in conn.execute(
            "SELECT id, ts_body_top::text AS t FROM documents WHERE ts_body IS NOT NULL")}
        storage = conn.execute("SELECT attstorage FROM pg_attribute WHERE attrelid ="
                               " 'documents'::regclass AND attname = 'ts_body_top'").fetchone()
    assert rebuilt == written and storage["attstorage"] == "m"
    assert {q: Archive(home, database=url).search(q) for q in before} == before
