"""Broad queries on PostgreSQL: impact-ordered postings (``term_top``) kept as documents come
and go, and the estimating path (``broad``) that takes its candidates from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.storage.postgres import broad, fts, publish, term_top
from pipeline.storage.postgres.schema import SAMPLE_SLOTS
from tests.postgres_cluster import new_database, pg_server, pg_url  # noqa: F401

DOCX = ["001_shenyi_minsheng.docx", "004_shenyi_huanbao.docx", "007_zhuren_huiyi_jiyao.docx",
        "010_jianghua_bimuhui.docx", "013_jueyi_jihua.docx", "016_tongzhi_lianhe.docx",
        "020_han_diaoyan.docx", "024_jianbao.docx", "027_tongbao_2010.docx", "028_gonggao.docx",
        "036_yunxi_zhuren_huiyi_jiyao_31.docx"]


def _ingest(tmp_path: Path, sample_corpus: Path, url: str) -> tuple[Archive, Archive]:
    source = tmp_path / "source"
    source.mkdir()
    for name in DOCX:
        shutil.copy(sample_corpus / "generated" / "docx" / name, source / name)
    home = tmp_path / "home"
    Archive(home, database=url).ingest([source], workers=1, progress=False)
    return Archive(home, database=""), Archive(home, database=url)


@pytest.fixture()
def archives(tmp_path: Path, sample_corpus: Path, pg_url: str,  # noqa: F811
             monkeypatch: pytest.MonkeyPatch) -> tuple[Archive, Archive]:
    """The sample ingested once into a home and a fresh database (one batch), with lists of two
    documents (so that lists are cut and floors raised)."""
    for field in term_top.DEPTH:
        monkeypatch.setitem(term_top.DEPTH, field, 2)
    return _ingest(tmp_path, sample_corpus, pg_url)


def _sample_everything(database: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the estimate's sample hold every document (its key below ``SAMPLE_SLOTS - 1``), so
    that what a test asserts does not hang on which documents a hash of their ids samples."""
    documents = database.db.conn.execute(
        "SELECT count(*) AS n FROM documents WHERE is_current AND state = 'active'").fetchone()["n"]
    monkeypatch.setattr(broad, "SAMPLE_ROWS", documents * (SAMPLE_SLOTS - 1) / SAMPLE_SLOTS)


def _every_query_broad(database: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query counted as broad, from lists long enough to hold every match."""
    for field in term_top.DEPTH:
        monkeypatch.setitem(term_top.DEPTH, field, 300)
    with database.db.conn.transaction():
        term_top.rebuild(database.db.conn)
    monkeypatch.setattr(fts, "BROAD_ROWS", 0)
    monkeypatch.setattr(broad, "BROAD_ROWS", 0)
    _sample_everything(database, monkeypatch)


def _lists(conn) -> dict[tuple[str, str], list[tuple[str, float]]]:
    lists: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for row in conn.execute("SELECT field, term, id, impact FROM term_top ORDER BY field, term,"
                            " impact DESC, id"):
        lists.setdefault((row["field"], row["term"]), []).append((row["id"], round(row["impact"], 4)))
    return lists


def test_the_lists_written_with_the_documents_are_those_a_rebuild_makes(
        archives: tuple[Archive, Archive]) -> None:
    conn = archives[1].db.conn
    written = _lists(conn)
    assert written and max(len(ids) for ids in written.values()) == 2
    with conn.transaction():
        term_top.rebuild(conn)
    assert _lists(conn) == written


def test_lists_written_batch_by_batch_stay_whole_and_cut(tmp_path: Path, sample_corpus: Path,
                                                         pg_url: str,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Three documents a batch: each list holds every document of a word held by two or fewer,
    two of a commoner one, and a full list's floor is its last weight. (Which two can differ
    from a rebuild's: the weights were taken with the average lengths of their batch.)"""
    for field in term_top.DEPTH:
        monkeypatch.setitem(term_top.DEPTH, field, 2)
    monkeypatch.setattr(publish, "BATCH", 3)
    conn = _ingest(tmp_path, sample_corpus, pg_url)[1].db.conn
    lists = _list_sizes(conn)
    assert lists and all(n == min(df, 2) for n, _, df, _ in lists.values())
    full = [(low, floor) for n, low, df, floor in lists.values() if df > 2]
    assert full and all(floor == pytest.approx(low) for low, floor in full)
    held = conn.execute("SELECT count(*) AS n FROM term_stats WHERE field IN ('title', 'title_bg',"
                        " 'body') AND df > 0").fetchone()["n"]
    assert len(lists) == held  # every word has its list


def test_a_list_grows_by_its_slack_before_it_is_cut(tmp_path: Path, sample_corpus: Path,
                                                     pg_server: str,  # noqa: F811
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Lists of two cut past four (SLACK 1): a common word's list holds three or four documents
    between cuts, every posting at or above its floor, and a search reads the same first two as
    from lists cut in every batch (SLACK 0)."""
    for field in term_top.DEPTH:
        monkeypatch.setitem(term_top.DEPTH, field, 2)
    monkeypatch.setattr(publish, "BATCH", 3)
    first, sizes = {}, {}
    for slack in (1.0, 0.0):
        monkeypatch.setattr(term_top, "SLACK", slack)
        folder = tmp_path / str(slack)
        folder.mkdir()
        conn = _ingest(folder, sample_corpus, new_database(pg_server))[1].db.conn
        sizes[slack] = _list_sizes(conn)
        assert all(n <= 2 * (1 + slack) for n, *_ in sizes[slack].values())
        first[slack] = _first(conn, 2)
    grown = [(low, floor) for n, low, df, floor in sizes[1.0].values() if n > 2]
    assert grown and all(low >= floor - 1e-6 for low, floor in grown)
    assert any(floor > 0 for _, floor in grown)  # cut once already
    assert first[1.0] == first[0.0]


def _list_sizes(conn) -> dict[tuple[str, str], tuple[int, float, int, float]]:
    """(postings, lowest weight, df, floor) of each list; each list's count as term_stats keeps it."""
    rows = conn.execute(
        "SELECT t.field, t.term, count(*) AS n, min(t.impact) AS low, s.df, s.top_floor, s.top_count"
        " FROM term_top t JOIN term_stats s USING (field, term) GROUP BY 1, 2, 5, 6, 7").fetchall()
    assert all(row["n"] == row["top_count"] for row in rows)
    return {(row["field"], row["term"]): (row["n"], row["low"], row["df"], row["top_floor"])
            for row in rows}


def _first(conn, depth: int) -> dict[tuple[str, str], list[str]]:
    """Each list's first ``depth`` documents by weight, as a search reads them."""
    first: dict[tuple[str, str], list[str]] = {}
    for (field, term), ids in _lists(conn).items():
        first[(field, term)] = [doc for doc, _ in ids[:depth]]
    return first


def test_a_document_written_again_or_removed_leaves_no_stale_posting(
        archives: tuple[Archive, Archive]) -> None:
    _home, database = archives
    conn = database.db.conn
    hit = database.search("执法检查")["hits"][0]
    database.edit(hit["id"], {"title": "执法检查情况简报（鹦鹉螺更正）"})
    titled = conn.execute("SELECT id FROM term_top WHERE field = 'title' AND term = '鹦鹉螺'").fetchall()
    assert [row["id"] for row in titled] == [hit["id"]]
    stale = conn.execute("SELECT count(*) AS n FROM term_top t WHERE NOT EXISTS (SELECT 1 FROM"
                         " documents d WHERE d.id = t.id AND d.is_current AND d.state = 'active')"
                         ).fetchone()["n"]
    assert stale == 0


@pytest.mark.parametrize("query", ["工作", "审议", "人大常委会 审议", "代表 建议"])
def test_a_broad_query_ranks_its_candidates_as_the_exact_path(
        archives: tuple[Archive, Archive], query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query counted as broad (and lists long enough to hold every match): the same hits
    in the same order as the embedded backend, the total and facets marked as estimates."""
    embedded, database = archives
    _every_query_broad(database, monkeypatch)
    monkeypatch.setattr(broad, "COVERED", 0)  # ranking is tested here, not coverage
    expected, found = embedded.search(query, limit=5), database.search(query, limit=5)
    assert found.get("total_estimated") is True and "total_estimated" not in expected
    assert [h["id"] for h in found["hits"]] == [h["id"] for h in expected["hits"]]
    assert found["total"] >= len(found["hits"])
    # ordered by date or filtered by genre: the exact path, as embedded
    for options in ({"sort": "date"}, {"genre": expected["hits"][0]["genre"]}):
        exact = database.search(query, limit=5, **options)
        assert "total_estimated" not in exact
        assert exact["total"] == embedded.search(query, limit=5, **options)["total"]


def test_a_query_the_sample_finds_narrow_takes_the_exact_path(
        archives: tuple[Archive, Archive], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fts, "BROAD_ROWS", 0)  # the terms' frequencies allow a broad match...
    monkeypatch.setattr(broad, "SAMPLE_ROWS", 5)  # ...the sample finds fewer than BROAD_ROWS
    embedded, database = archives
    found = database.search("工作", limit=5)
    assert "total_estimated" not in found and found["total"] == embedded.search("工作")["total"]


def test_a_word_the_lists_hold_for_too_few_documents_takes_the_exact_path(
        archives: tuple[Archive, Archive], monkeypatch: pytest.MonkeyPatch) -> None:
    """常委会 stands alone in few documents (most write 人大常委会, one word to jieba, matched by
    its bigrams): its list cannot fill the page, and the exact path answers."""
    monkeypatch.setattr(fts, "BROAD_ROWS", 0)
    monkeypatch.setattr(broad, "BROAD_ROWS", 0)
    embedded, database = archives
    _sample_everything(database, monkeypatch)
    found, expected = database.search("常委会", limit=5), embedded.search("常委会", limit=5)
    assert "total_estimated" not in found and found["total"] == expected["total"] > 5


def test_a_word_the_lists_do_not_cover_takes_the_broad_path_past_a_ceiling(
        archives: tuple[Archive, Archive], monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``UNCOVERED_ROWS`` matches reading every one costs more than the lists can miss:
    常委会 is answered from them, marked as an estimate."""
    embedded, database = archives
    _every_query_broad(database, monkeypatch)
    monkeypatch.setattr(broad, "UNCOVERED_ROWS", 1)
    found, expected = database.search("常委会", limit=5), embedded.search("常委会", limit=5)
    assert found.get("total_estimated") is True
    assert [h["id"] for h in found["hits"]] == [h["id"] for h in expected["hits"]]
