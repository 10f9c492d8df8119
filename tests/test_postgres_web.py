"""The office web app over a PostgreSQL database pooling two 全宗 (two offices' homes published to
one database): each signed-in account reads the 全宗 it is granted (``gongwen fonds grant``) in
search results, facets, suggestions, documents, the yearbook tools and packs; an account granted
``*`` and the one person of a home without accounts read all; the 安全管理员 grants 全宗 on the
web; the catalogue export says it is not offered on a database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from pipeline import Archive
from pipeline.web import create_app
from tests.postgres_cluster import pg_module_url, pg_server  # noqa: F401
from tests.web_helpers import refresh_token, sign_in, web_client

PASSWORD = "Passw0rd-甲"
EAST = ("Z101", ["001_shenyi_minsheng.docx", "013_jueyi_jihua.docx", "027_tongbao_2010.docx"])
WEST = ("Z202", ["004_shenyi_huanbao.docx", "024_jianbao.docx", "028_gonggao.docx"])
READERS = {"东": ["Z101"], "西": ["Z202"], "全": ["*"], "无": []}


def publish(home: Path, fonds: str, files: list[str], docx: Path, url: str) -> set[str]:
    """Ingest ``files`` into ``home`` (全宗 ``fonds``) and the database; their document ids."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text(json.dumps({"fonds": fonds}), encoding="utf-8")
    archive = Archive(home, database=url)
    archive.ingest([docx / name for name in files], workers=1, progress=False)
    rows = archive.db.conn.execute("SELECT id FROM documents WHERE fonds = %s AND is_current",
                                   (fonds,)).fetchall()
    return {row["id"] for row in rows}


def two_offices(root: Path, docx: Path, url: str, readers: dict[str, list[str]],
                roles: list[str]) -> tuple[Archive, set[str], set[str]]:
    """The east and west offices published to one database; the east home (which serves the
    web) with an account per reader (``roles``, 内部 granted: the 全宗 is what differs; 024 is
    内部) granted its 全宗, and a 安全管理员. The east home's archive and each office's ids."""
    east = publish(root / "east", *EAST, docx, url)
    west = publish(root / "west", *WEST, docx, url)
    archive = Archive(root / "east", database=url)
    for name, fonds in readers.items():
        archive.accounts.add(name, roles, PASSWORD)
        archive.accounts.set_restricted(name, True)
        for one in fonds:
            archive.db.grant(name, one)
    archive.accounts.add("安全", ["安全管理员"], PASSWORD)
    return archive, east, west


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path,
           pg_module_url: str) -> Iterator[dict]:  # noqa: F811
    """Two offices in one database; the east office's home serves the web, with accounts."""
    root = tmp_path_factory.mktemp("pooled")
    archive, east, west = two_offices(root, sample_corpus / "generated" / "docx", pg_module_url,
                                      READERS, ["起草人员", "年鉴编辑"])
    archive.accounts.add("系统", ["系统管理员"], PASSWORD)
    apps: list = []
    yield {"home": root / "east", "url": pg_module_url, "east": east, "west": west, "apps": apps}
    for app in apps:  # the use record is written before the database goes
        assert app.state.guard.record.flush()


def client_of(pooled: dict, name: str):
    app = create_app(pooled["home"], database=pooled["url"])
    pooled["apps"].append(app)
    client = web_client(app)
    sign_in(client, name, PASSWORD)
    return client


@pytest.mark.parametrize("name", ["东", "西"])
def test_search_results_and_facets_hold_only_the_granted_fonds(pooled: dict, name: str) -> None:
    own, other = (pooled["east"], pooled["west"]) if name == "东" else (pooled["west"], pooled["east"])
    client = client_of(pooled, name)
    everyone = client_of(pooled, "全").get("/api/search", params={"q": "常委会", "limit": 50}).json()
    found = client.get("/api/search", params={"q": "常委会"}).json()
    ids = {hit["id"] for hit in found["hits"]}
    assert ids and ids <= own and not ids & other
    assert 0 < found["total"] < everyone["total"]
    for counts in found["facets"].values():  # nothing of the other 全宗 is counted
        assert sum(counts.values()) <= found["total"] * 3
    assert sum(found["facets"]["year"].values()) == found["total"]
    page = client.get("/", params={"q": "常委会"}).text
    assert f'<strong id="total">{found["total"]}</strong>' in page


def test_a_document_of_another_fonds_is_not_found(pooled: dict) -> None:
    east, west = client_of(pooled, "东"), client_of(pooled, "西")
    west_id = min(pooled["west"])
    assert east.get(f"/api/doc/{west_id}").status_code == 404
    page = east.get(f"/doc/{west_id}")
    assert page.status_code == 404 and "档案库中没有编号为" in page.text
    assert east.get(f"/doc/{west_id}/files/0", params={"purpose": "工作查考"}).status_code == 404
    shown = west.get(f"/api/doc/{west_id}").json()
    assert shown["id"] == west_id and shown["archive"]["fonds"] == "Z202"
    assert west.get(f"/doc/{west_id}").status_code == 200
    # the original stays in the home of the office that ingested it
    elsewhere = west.get(f"/doc/{west_id}/files/0", params={"purpose": "工作查考"})
    assert elsewhere.status_code == 404 and "其他单位" in elsewhere.text
    own = east.get(f"/doc/{min(pooled['east'])}/files/0", params={"purpose": "工作查考"})
    assert own.status_code == 200 and own.content


def test_the_yearbook_tools_and_pack_keep_to_the_granted_fonds(pooled: dict) -> None:
    east = client_of(pooled, "东")
    everyone = client_of(pooled, "全")
    west = pooled["west"]
    events = east.get("/api/chronicle").json()["events"]
    assert events and not any(set(e["sources"]) & west for e in events)
    all_events = everyone.get("/api/chronicle").json()["events"]
    assert any(set(e["sources"]) & west for e in all_events)
    facts = east.get("/api/stats").json()["facts"]
    assert not any(f["doc_id"] in west for f in facts)
    assert any(f["doc_id"] in west for f in everyone.get("/api/stats").json()["facts"])
    passages = east.get("/api/excerpts", params={"q": "执法检查"}).json()["passages"]
    assert not any(p["doc_id"] in west for p in passages)
    assert any(p["doc_id"] in west for p in
               everyone.get("/api/excerpts", params={"q": "执法检查"}).json()["passages"])
    west_titles = [everyone.get(f"/api/doc/{i}").json()["title"] for i in west]
    for year in {e["date"][:4] for e in all_events if e["date"][:4].isdigit()}:
        pack = east.get("/yearbook/pack", params={"year": year, "format": "md", "purpose": "编研",
                                                  "topics": "执法检查"})
        assert pack.status_code == 200
        assert not any(title in pack.text for title in west_titles)


def test_drafting_takes_precedents_from_the_granted_fonds_only(pooled: dict) -> None:
    east, west = client_of(pooled, "东"), client_of(pooled, "西")
    west_id = min(pooled["west"])
    assert east.get(f"/draft/审议意见?like={west_id}").status_code == 404
    page = west.get(f"/draft/审议意见?like={west_id}")
    assert page.status_code == 200 and west_id in page.text
    chosen = east.get("/draft", params={"q": "审议意见"}).text  # the precedents offered
    assert not any(doc_id in chosen for doc_id in pooled["west"])
    assert any(doc_id in chosen for doc_id in pooled["east"])


def test_no_grant_sees_nothing_and_no_suggestion_from_others(pooled: dict) -> None:
    nobody = client_of(pooled, "无")
    found = nobody.get("/api/search", params={"q": "常委会"}).json()
    assert found["total"] == 0 and "suggestion" not in found
    assert nobody.get("/api/chronicle").json()["events"] == []
    east, west = client_of(pooled, "东"), client_of(pooled, "西")
    # 刘晓眉: one character off a name only a west document holds; 公搞: off 公告 (west) and
    # 公开 (east, fewer documents): each office is offered its own word
    assert "suggestion" not in east.get("/api/search", params={"q": "刘晓眉"}).json()
    assert west.get("/api/search", params={"q": "刘晓眉"}).json()["suggestion"] == "刘晓梅"
    assert east.get("/api/search", params={"q": "公搞"}).json()["suggestion"] == "公开"
    assert west.get("/api/search", params={"q": "公搞"}).json()["suggestion"] == "公告"
    page = west.get("/", params={"q": "刘晓眉"}).text
    assert 'class="suggestion" href="/?q=%E5%88%98%E6%99%93%E6%A2%85"' in page


def test_the_security_admin_grants_fonds_on_the_web(pooled: dict) -> None:
    admin = client_of(pooled, "安全")
    page = admin.get("/admin/grants").text
    assert "Z101（3 件）" in page and "Z202（3 件）" in page and "全部全宗" in page
    reader = client_of(pooled, "东")
    before = reader.get("/api/search", params={"q": "常委会"}).json()["total"]
    done = admin.post("/admin/grants/东", data={"op": "grant_fonds", "fonds": "Z202"})
    assert done.status_code == 200 and "授权查阅全宗：东（Z202）" in done.text
    try:
        assert reader.get("/api/search", params={"q": "常委会"}).json()["total"] > before
        users = client_of(pooled, "系统").get("/admin/users").text
        assert "Z101、Z202" in users
    finally:
        admin.post("/admin/grants/东", data={"op": "revoke_fonds", "fonds": "Z202"})
    assert reader.get("/api/search", params={"q": "常委会"}).json()["total"] == before
    assert admin.post("/admin/grants/nobody", data={"op": "grant_fonds", "fonds": "Z1"}).status_code == 404
    refresh_token(admin)
    assert admin.post("/admin/grants/东", data={"op": "grant_fonds", "fonds": " "}).status_code == 400


def test_one_person_without_accounts_reads_every_fonds(pooled: dict, tmp_path: Path) -> None:
    app = create_app(tmp_path / "alone", database=pooled["url"])
    pooled["apps"].append(app)
    client = web_client(app)
    found = client.get("/api/search", params={"q": "常委会", "limit": 50}).json()
    ids = {hit["id"] for hit in found["hits"]}
    assert ids & pooled["east"] and ids & pooled["west"]


def test_what_the_database_does_not_offer_is_said_in_chinese(pooled: dict) -> None:
    archive = Archive(pooled["home"], database=pooled["url"])
    archive.accounts.add("档案", ["档案员"], PASSWORD)
    archive.db.grant("档案", "Z101")
    client = client_of(pooled, "档案")
    response = client.post("/catalog", data={"format": "csv", "purpose": "编研"})
    assert response.status_code == 501 and "数据库上的档案库暂不支持导出归档文件目录" in response.text
    assert client.post("/verify").status_code == 200


def test_serve_names_a_database_it_cannot_reach(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "--home", str(tmp_path / "h"), "serve",
         "--db", f"postgresql://nobody@/none?host={tmp_path}&port=1"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1 and "无法连接数据库" in done.stderr
