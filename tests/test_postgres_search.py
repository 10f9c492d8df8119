"""The PostgreSQL backend answers as the embedded one: same hits, scores, totals, facets and
snippets for the query language's every form, on a real server (``tests.postgres_cluster``)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.storage.postgres.compile import semi_join
from tests.postgres_cluster import new_database, pg_module_url, pg_server, pg_url  # noqa: F401

SAMPLE = [f"docx/{name}" for name in (
    "001_shenyi_minsheng.docx", "004_shenyi_huanbao.docx", "007_zhuren_huiyi_jiyao.docx",
    "010_jianghua_bimuhui.docx", "013_jueyi_jihua.docx", "016_tongzhi_lianhe.docx",
    "018_baogao_xinfang.docx", "020_han_diaoyan.docx",  # 018 is classified: quarantined "024_jianbao.docx",
    "027_tongbao_2010.docx", "028_gonggao.docx", "036_yunxi_zhuren_huiyi_jiyao_31.docx",
)] + ["pdf/024_jianbao.pdf", "bad/empty.docx"]
INTERNAL = """内部资料
关于鹦鹉螺计划试点工作的通知
各有关单位：
2023年5月10日，区人民政府召开鹦鹉螺计划推进会议，部署安全生产试点工作。
区人民政府办公室
2023年6月1日
"""
QUERIES = [
    "安全生产", "人大常委会 2023", "如何加强基层治理？", "代表 建议", "\"执法检查\"",
    "标题:审议意见", "财政 OR 预算", "监督 -食品", "信访工作怎么改进", "文种:纪要", "鹦鹉螺",
    "生态环境保护", "垃圾分类处理的情况怎么样",
    # best match: the documents holding most of the words follow, naming what they lack
    "执法检查 彩虹独角兽", "民生 预算 鹦鹉螺", "代表建议办理 食品安全 独角兽",
]


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path,
             pg_module_url: str) -> tuple[Archive, Archive]:  # noqa: F811
    """The same sample ingested once: embedded, and published to a database."""
    source = tmp_path_factory.mktemp("pg-source")
    for name in SAMPLE:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_corpus / "generated" / name, source / name)
    (source / "internal.txt").write_text(INTERNAL, encoding="utf-8")
    home = tmp_path_factory.mktemp("pg-home")
    summary = Archive(home, database=pg_module_url).ingest([source], workers=2, progress=False)
    assert summary["added"] >= 12 and summary["database"]["documents"] >= 12, summary
    return Archive(home, database=""), Archive(home, database=pg_module_url)


def _shown(result: dict) -> dict:
    hits = [{**hit, "score": round(hit["score"], 2)} for hit in result["hits"]]
    return {**result, "hits": hits}


@pytest.mark.parametrize("query", QUERIES)
def test_same_answers_as_the_embedded_backend(archives: tuple[Archive, Archive], query: str) -> None:
    embedded, database = archives
    expected = embedded.search(query, limit=20)
    found = database.search(query, limit=20)
    assert _shown(found) == _shown(expected)


@pytest.mark.parametrize("options", [
    {"genre": "纪要"}, {"year": 2024}, {"date_from": "2020-01-01", "date_to": "2023-12-31"},
    {"sort": "date"}, {"offset": 3, "limit": 4}, {"issuer": "常委会"},
])
def test_filters_pages_and_order_as_embedded(archives: tuple[Archive, Archive], options: dict) -> None:
    embedded, database = archives
    expected, found = embedded.search("工作", **options), database.search("工作", **options)
    assert found["total"] == expected["total"] and found["facets"] == expected["facets"]
    if options.get("sort") == "date":  # equal dates may come in another order
        assert [h["date"] for h in found["hits"]] == [h["date"] for h in expected["hits"]]
    else:
        assert [h["id"] for h in found["hits"]] == [h["id"] for h in expected["hits"]]


# words no document holds, one character off: "did you mean" (the 内部 document's word only for
# a reader who may see it), and misspellings the search finds by other words (no suggestion)
TYPOS = ["督到", "鹦鹉罗", "生态环竟", "人民带表", "食品安全示范", "安全生厂", "执法捡查 2023"]


@pytest.mark.parametrize("query", TYPOS)
@pytest.mark.parametrize("restricted", [True, False])
def test_did_you_mean_as_embedded(archives: tuple[Archive, Archive], query: str,
                                  restricted: bool) -> None:
    embedded, database = archives
    expected = embedded.viewing(restricted).search(query)
    found = database.viewing(restricted).search(query)
    assert found.get("suggestion") == expected.get("suggestion")
    assert found["total"] == expected["total"]


def test_did_you_mean_as_embedded_for_misspelt_words_of_the_archive(archives: tuple[Archive, Archive]) -> None:
    """Every 8th word of the titles and bodies, one character replaced, dropped or added (fixed
    by the word's hash): the same suggestion, or none, from both backends."""
    embedded, database = archives
    words = [row["term"] for row in database.db.conn.execute(
        "SELECT DISTINCT term FROM term_stats WHERE field IN ('title', 'body') AND df > 0"
        " AND length(term) BETWEEN 2 AND 6 ORDER BY term")][::8]
    offered = 0
    for word in words:
        seed = int(hashlib.md5(word.encode()).hexdigest(), 16)
        place, filler = seed % len(word), "甲乙丙丁戊己庚辛"[seed % 8]
        typo = (word[:place] + filler + word[place + 1:], word[:place] + word[place + 1:],
                word[:place] + filler + word[place:])[(seed >> 8) % 3]
        for restricted in (True, False):
            expected = embedded.viewing(restricted).search(typo)
            found = database.viewing(restricted).search(typo)
            assert (found.get("suggestion"), found["total"]) == \
                (expected.get("suggestion"), expected["total"]), typo
            offered += "suggestion" in found
    assert len(words) > 20 and offered > 10


def test_did_you_mean_is_offered_and_keeps_to_the_filters(archives: tuple[Archive, Archive]) -> None:
    _embedded, database = archives
    assert database.search("督到")["suggestion"] == "达到"
    assert database.search("鹦鹉罗")["suggestion"] == "鹦鹉螺"
    assert "suggestion" not in database.viewing(False).search("鹦鹉罗")  # only 内部 holds it
    assert "suggestion" not in database.search("鹦鹉罗", year=1999)


def test_an_older_database_gets_the_term_indexes_and_did_you_mean_reads_through_them(
        archives: tuple[Archive, Archive], pg_module_url: str) -> None:  # noqa: F811
    from pipeline.storage.postgres.catalog import connect
    from pipeline.storage.postgres.schema import SCHEMA_VERSION
    from pipeline.storage.postgres.suggest import CLOSE_ROWS, close_rows_params

    _embedded, database = archives
    with connect(pg_module_url) as conn:  # a database of schema 2: no such indexes
        conn.execute("DROP INDEX term_stats_prefix, term_stats_suffix")
        conn.execute("UPDATE gongwen_schema SET version = 2")
    with connect(pg_module_url) as conn:
        assert conn.execute("SELECT version FROM gongwen_schema").fetchone()["version"] == SCHEMA_VERSION
        conn.execute("SET enable_seqscan = off")  # a tiny table: show that the indexes can serve it
        plan = "\n".join(row["QUERY PLAN"] for row in conn.execute(
            "EXPLAIN " + CLOSE_ROWS, close_rows_params("鹦鹉罗")))
    assert "term_stats_prefix" in plan and "term_stats_suffix" in plan, plan
    assert database.search("鹦鹉罗")["suggestion"] == "鹦鹉螺"


def test_yearbook_tools_read_the_database_as_the_home(archives: tuple[Archive, Archive]) -> None:
    embedded, database = archives
    for restricted in (True, False):
        home, pooled = embedded.viewing(restricted), database.viewing(restricted)
        assert pooled.stats() == home.stats() and pooled.stats()["facts"]
        assert pooled.chronicle() == home.chronicle() and pooled.chronicle()["events"]
        assert pooled.stats(year=2023) == home.stats(year=2023)
        for query in ("民生实事", "执法检查 食品"):
            assert pooled.excerpts(query) == home.excerpts(query)
    assert database.excerpts("民生实事")["passages"]


def test_templates_and_precedents_from_the_database(archives: tuple[Archive, Archive],
                                                    tmp_path: Path) -> None:
    embedded, database = archives
    assert database.build_templates() == embedded.build_templates()
    for like in ("执法检查", database.search("民生")["hits"][0]["id"]):
        shown, expected = database.template("审议意见", like=like), embedded.template("审议意见", like=like)
        assert shown["precedent"] == expected["precedent"]
        assert [h["id"] for h in shown["precedents"]] == [h["id"] for h in expected["precedents"]]
    drafted = database.draft("审议意见", {"标题": "关于测试的审议意见"}, tmp_path / "d.docx", like="执法检查")
    assert Path(drafted["path"]).is_file() and drafted["precedent"]


def test_the_catalogue_export_says_it_is_not_on_the_database(archives: tuple[Archive, Archive],
                                                             tmp_path: Path) -> None:
    _embedded, database = archives
    with pytest.raises(ValueError, match="数据库上的档案库暂不支持导出归档文件目录"):
        database.catalog("csv", tmp_path / "c.csv")


def test_internal_documents_are_filtered_inside_the_query(archives: tuple[Archive, Archive]) -> None:
    _embedded, database = archives
    assert database.search("鹦鹉螺")["total"] == 1
    hidden = database.viewing(False).search("鹦鹉螺")
    assert hidden["total"] == 0 and all(not counts for counts in hidden["facets"].values())
    doc_id = database.search("鹦鹉螺")["hits"][0]["id"]
    with pytest.raises(KeyError):
        database.viewing(False).get(doc_id)


def test_documents_are_partitioned_by_year(archives: tuple[Archive, Archive]) -> None:
    _embedded, database = archives
    rows = database.db.conn.execute(
        "SELECT tableoid::regclass::text AS part, year, count(*) AS n FROM documents"
        " GROUP BY 1, 2 ORDER BY 2").fetchall()
    assert rows and all(r["part"] == (f"documents_{r['year']:04d}" if r["year"] else "documents_undated")
                        for r in rows)
    assert len({r["year"] for r in rows}) >= 3


def test_show_edit_and_a_date_that_moves_the_row(tmp_path: Path, sample_corpus: Path,
                                                 pg_url: str) -> None:  # noqa: F811
    database = Archive(tmp_path / "home", database=pg_url)
    database.ingest([sample_corpus / "generated" / "docx" / "024_jianbao.docx"], workers=1,
                    progress=False)
    hit = database.search("执法检查")["hits"][0]
    shown = database.get(hit["id"][:8])
    assert shown["id"] == hit["id"] and shown["archive"]["hashes"]["sm3"]
    assert shown["archive"]["files"][0]["role"] == "original"
    edited = database.edit(hit["id"], {"date": "2019-03-04", "title": "执法检查情况简报（更正）"})
    assert edited["date"] == "2019-03-04" and edited["archive"]["corrections"]["date"] == "2019-03-04"
    assert database.search("执法检查", year=2019)["hits"][0]["title"] == "执法检查情况简报（更正）"
    assert database.search("执法检查", year=2024)["total"] == 0
    part = database.db.conn.execute("SELECT tableoid::regclass::text AS part FROM documents"
                                    " WHERE id = %s", (hit["id"],)).fetchone()["part"]
    assert part == "documents_2019"
    assert database.search("更正")["total"] == 1  # the corrected title is searchable
    with pytest.raises(ValueError):
        database.edit(hit["id"], {"date": "2019-13-45"})


def test_a_pooled_archive_shows_each_reader_the_fonds_granted(tmp_path: Path, sample_corpus: Path,
                                                              pg_url: str) -> None:  # noqa: F811
    docx = sample_corpus / "generated" / "docx"
    for name, fonds, files in (("east", "Z101", ["001_shenyi_minsheng.docx"]),
                               ("west", "Z202", ["004_shenyi_huanbao.docx", "024_jianbao.docx"])):
        home = tmp_path / name
        home.mkdir()
        (home / "config.json").write_text(json.dumps({"fonds": fonds}), encoding="utf-8")
        Archive(home, database=pg_url).ingest([docx / f for f in files], workers=1, progress=False)
    pooled = Archive(tmp_path / "east", database=pg_url)
    storage = pooled.db
    storage.grant("wang", "Z202")
    assert storage.granted("wang") == ["Z202"] and storage.granted("li") == []
    everything = pooled.search("常委会 审议")["total"]
    west = pooled.viewing(True, storage.granted("wang")).search("常委会 审议")
    nothing = pooled.viewing(True, storage.granted("li")).search("常委会 审议")
    assert 0 < west["total"] < everything and nothing["total"] == 0
    east_id = pooled.search("民生")["hits"][0]["id"]
    with pytest.raises(KeyError):
        pooled.viewing(True, ["Z202"]).get(east_id)
    # what a reader is not granted is neither suggested nor counted by the yearbook tools
    east_only = pooled.viewing(True, ["Z101"])
    assert pooled.search("环境保户")["total"] and not east_only.search("环境保户")["total"]
    west_word = "生态环竟"
    assert "suggestion" not in east_only.search(west_word) or \
        east_only.search(east_only.search(west_word)["suggestion"])["total"]
    sources = {e["sources"][0] for e in pooled.viewing(True, ["Z202"]).chronicle()["events"]}
    assert east_id not in sources
    assert all(f["doc_id"] != east_id for f in pooled.viewing(True, ["Z202"]).stats()["facts"])
    assert all(p["doc_id"] != east_id for p in pooled.viewing(True, ["Z202"]).excerpts("民生")["passages"])
    storage.revoke("wang", "Z202")
    assert storage.granted("wang") == []


def test_the_command_line_with_db(tmp_path: Path, sample_corpus: Path,
                                  pg_url: str) -> None:  # noqa: F811
    def gongwen(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline.cli.main", "--home", str(tmp_path / "h"),
                               *args], check=False, capture_output=True, text=True, timeout=600)

    source = sample_corpus / "generated" / "docx" / "024_jianbao.docx"
    done = gongwen("--db", pg_url, "ingest", str(source), "--json", "--no-progress")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["database"]["documents"] == 1
    found = gongwen("search", "执法检查", "--db", pg_url, "--json")
    assert json.loads(found.stdout)["total"] == 1
    embedded = gongwen("search", "执法检查", "--json")  # the home's own index still answers too
    assert json.loads(embedded.stdout)["hits"][0]["id"] == json.loads(found.stdout)["hits"][0]["id"]
    assert gongwen("--db", "mysql://x", "search", "执法检查").returncode == 2
    listed = gongwen("--db", pg_url, "fonds", "list", "--json")
    assert json.loads(listed.stdout) == {"fonds": {"Z001": 1}}


def test_a_second_database_starts_empty(pg_server: str) -> None:  # noqa: F811
    url = new_database(pg_server)
    assert Archive(database=url).search("信访")["total"] == 0


@pytest.mark.parametrize("query", ["工作", "常委会", "审议", "人大常委会 2023"])
def test_a_match_larger_than_the_pool_keeps_the_top_hits(archives: tuple[Archive, Archive], query: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``POOL`` matching rows only the best on the rows' own short fields and most frequent
    body words get their long vectors read: the count and facets still cover every match, and
    the top hits stay the embedded backend's."""
    from pipeline.storage.postgres import fts

    monkeypatch.setattr(fts, "POOL", 6)
    embedded, database = archives
    expected, found = embedded.search(query, limit=5), database.search(query, limit=5)
    assert expected["total"] > 6
    assert found["total"] == expected["total"] and found["facets"] == expected["facets"]
    assert [h["id"] for h in found["hits"]] == [h["id"] for h in expected["hits"]]


@pytest.mark.parametrize("query", ["代表 建议", "人大常委会 2023", "常委会 审议 意见", "民生 预算 鹦鹉螺",
                                   "安全生产 工作 监督"])
def test_an_and_of_common_parts_found_by_semi_joins_answers_the_same(
        archives: tuple[Archive, Archive], query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every part of an AND counted as common: all but the rarest are semi-joins on their own GIN
    scans, and the answers do not change."""
    from pipeline.storage.postgres import fts

    joined = []
    monkeypatch.setattr(fts, "SEMI_FROM", 0)
    monkeypatch.setattr(fts, "SEMI_RATIO", float("inf"))
    monkeypatch.setattr(fts, "semi_join", lambda found: joined.append(found) or semi_join(found))
    embedded, database = archives
    expected, found = embedded.search(query, limit=20), database.search(query, limit=20)
    expected.pop("suggestion", None)
    assert joined and _shown(found) == _shown(expected)
