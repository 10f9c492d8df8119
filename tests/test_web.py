"""The web app over a real archive (ingested sample files), through Starlette's test client."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from pipeline import Archive
from pipeline.web import create_app
from tests.web_helpers import web_client

QUERY = "民生实事 审议意见"


@pytest.fixture(scope="module")
def client(web_home: Path) -> TestClient:
    return web_client(create_app(web_home))


def _quarantined_id(home: Path) -> str:
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        return conn.execute("SELECT id FROM documents WHERE state = 'quarantined'").fetchone()[0]


def test_search_page_lists_hits_with_marks_and_facets(client: TestClient) -> None:
    page = client.get("/", params={"q": QUERY})
    assert page.status_code == 200
    assert "审议意见" in page.text and "<mark>" in page.text
    assert 'class="facet' in page.text and "共找到" in page.text


def test_api_search_is_the_archive_search(client: TestClient, web_home: Path) -> None:
    expected = Archive(web_home).search(QUERY, limit=10)
    got = client.get("/api/search", params={"q": QUERY}).json()
    assert got["total"] == expected["total"] > 0
    assert [h["id"] for h in got["hits"]] == [h["id"] for h in expected["hits"]]
    assert got["facets"] == expected["facets"]


def test_facet_link_filters_the_results(client: TestClient, web_home: Path) -> None:
    everything = client.get("/api/search", params={"q": QUERY}).json()
    assert len(everything["facets"]["genre"]) >= 2, everything["facets"]
    genre = "审议意见"
    page = client.get("/", params={"q": QUERY})
    assert "genre=%E5%AE%A1%E8%AE%AE%E6%84%8F%E8%A7%81" in page.text  # the facet's link
    narrowed = client.get("/api/search", params={"q": QUERY, "genre": genre}).json()
    assert 0 < narrowed["total"] < everything["total"]
    assert {h["genre"] for h in narrowed["hits"]} == {genre}
    filtered_page = client.get("/", params={"q": QUERY, "genre": genre})
    assert "文种：审议意见 ×" in filtered_page.text


def test_no_match_offers_a_suggestion(client: TestClient) -> None:
    page = client.get("/", params={"q": "审以"})
    assert "没有找到符合条件的公文" in page.text
    assert "您是不是要找" in page.text and ">审议</a>" in page.text


def test_hits_lacking_a_word_name_it_struck_through(client: TestClient) -> None:
    result = client.get("/api/search", params={"q": f"{QUERY} 彩虹独角兽"}).json()
    assert result["all_words"] == 0 and result["hits"]
    assert result["hits"][0]["missing"] == ["彩虹独角兽"]  # named as typed, not by its words
    page = client.get("/", params={"q": f"{QUERY} 彩虹独角兽"})
    assert "缺少：<s>彩虹独角兽</s>" in page.text and 'id="best-match"' in page.text
    assert "没有找到符合条件的公文" not in page.text


def test_bad_parameters_get_a_chinese_message(client: TestClient) -> None:
    page = client.get("/", params={"q": QUERY, "year": "二〇二三"})
    assert page.status_code == 400 and "年份应为整数" in page.text
    api = client.get("/api/search", params={"q": QUERY, "from": "2023/01/01"})
    assert api.status_code == 400 and "YYYY-MM-DD" in api.json()["detail"]
    impossible = client.get("/api/search", params={"q": QUERY, "to": "2023-13-45"})
    assert impossible.status_code == 400 and "2023-13-45" in impossible.json()["detail"]
    assert client.get("/api/search").status_code == 400


def test_framework_errors_are_in_chinese_too(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "页面不存在" in page.text and "Not Found" not in page.text
    assert client.post("/api/search").json() == {"detail": "不支持这种请求方式"}  # POST on a GET route
    bad_number = client.get("/doc/abc/files/first")
    assert bad_number.status_code == 422 and "参数有误：number" in bad_number.text


def test_user_text_is_escaped(client: TestClient) -> None:
    page = client.get("/", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_document_page_and_its_original(client: TestClient, web_home: Path,
                                        sample_corpus: Path) -> None:
    hit = client.get("/api/search", params={"q": "文号:青人常[2023]15号"}).json()["hits"][0]
    page = client.get(f"/doc/{hit['id']}")
    assert page.status_code == 200
    for text in ("青人常〔2023〕15号", "区人民政府", "档案信息", "SHA-256"):
        assert text in page.text
    original = client.get(f"/doc/{hit['id']}/files/0")
    source = sample_corpus / "generated" / "docx" / "001_shenyi_minsheng.docx"
    assert original.content == source.read_bytes()
    assert client.get(f"/doc/{hit['id']}/files/9").status_code == 404


def test_document_page_lists_similar_documents(client: TestClient, web_home: Path) -> None:
    import re

    hit = client.get("/api/search", params={"q": "文号:青人常[2023]15号"}).json()["hits"][0]
    page = client.get(f"/doc/{hit['id']}").text
    section = page[page.index("<h3>相似公文</h3>"):]
    section = section[:section.index("</ul>")]
    linked = re.findall(r'href="/doc/([0-9a-f]+)"', section)
    assert 1 <= len(linked) <= 5 and hit["id"] not in linked
    keywords = Archive(web_home).get(hit["id"])["archive"]["meta"]["keywords"]
    first = Archive(web_home).get(linked[0])
    assert any(word in first["title"] + first["body"] for word in keywords)  # shares its subject


def test_classified_document_is_never_shown(client: TestClient, web_home: Path) -> None:
    secret = _quarantined_id(web_home)
    for url in (f"/doc/{secret}", f"/api/doc/{secret}", f"/doc/{secret}/files/0"):
        response = client.get(url)
        assert response.status_code == 404
        assert "信访" not in response.text
    assert client.get("/api/search", params={"q": "息诉罢访"}).json()["total"] == 0
    missing = client.get("/doc/0000000000000000")
    assert missing.status_code == 404 and "档案库中没有编号为" in missing.text


def test_upload_ingest_reports_progress_and_failures(tmp_path: Path, sample_corpus: Path) -> None:
    home = tmp_path / "home"
    client = web_client(create_app(home))
    good = sample_corpus / "generated" / "txt-utf8" / "012_jianghua_zhuanti_xunwen.txt"
    bad = sample_corpus / "generated" / "bad" / "empty.docx"
    files = [("files", (good.name, good.read_bytes(), "text/plain")),
             ("files", ("坏/" + bad.name, bad.read_bytes(), "application/octet-stream"))]
    started = client.post("/api/ingest", files=files)
    assert started.status_code == 202
    job = _wait(client, started.json())
    assert job["state"] == "done", job
    assert job["done"] == job["total"] == 2
    summary = job["summary"]
    assert summary["added"] == 1
    assert [(Path(f["path"]).name, f["error"]) for f in summary["failed"]] == [("empty.docx", "文件为空")]
    uploaded = Path(summary["failed"][0]["path"])
    assert uploaded.is_relative_to(home / "uploads") and uploaded.parent.name == "坏"
    hits = client.get("/api/search", params={"q": "专题询问"}).json()["hits"]
    assert hits and hits[0]["path"].endswith(good.name)
    assert "012_jianghua_zhuanti_xunwen.txt" in client.get("/ingest").text


def _wait(client: TestClient, job: dict) -> dict:
    deadline = time.monotonic() + 300  # a bound against hanging, not a speed check
    while job["state"] not in ("done", "error") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/api/ingest/{job['id']}").json()
    return job


def test_typed_server_paths_only_inside_the_allowed_folders(tmp_path: Path,
                                                            sample_corpus: Path) -> None:
    root = tmp_path / "收文"
    root.mkdir()
    shutil.copy(sample_corpus / "generated" / "txt-utf8" / "012_jianghua_zhuanti_xunwen.txt", root)
    outside = tmp_path / "private.txt"
    outside.write_text("关于内部人事安排的说明\n不应被网页入库。", encoding="utf-8")
    client = web_client(create_app(tmp_path / "home", ingest_roots=[root]))
    assert "限以下目录" in client.get("/ingest").text and str(root.resolve()) in client.get("/ingest").text
    for path in (outside, root / ".." / "private.txt", "/etc"):
        refused = client.post("/api/ingest", data={"paths": f"{root}\n{path}"})
        assert refused.status_code == 403 and "不允许从该路径入库" in refused.json()["detail"]
    (root / "link.txt").symlink_to(outside)
    assert client.post("/api/ingest", data={"paths": str(root / "link.txt")}).status_code == 403
    (root / "link.txt").unlink()
    job = _wait(client, client.post("/api/ingest", data={"paths": str(root)}).json())
    assert job["state"] == "done" and job["summary"]["added"] == 1


def test_links_inside_an_allowed_folder_cannot_reach_outside(tmp_path: Path, sample_corpus: Path) -> None:
    root = tmp_path / "收文"
    (root / "子目录").mkdir(parents=True)
    shutil.copy(sample_corpus / "generated" / "txt-utf8" / "012_jianghua_zhuanti_xunwen.txt", root)
    outside = tmp_path / "private.txt"
    outside.write_text("关于内部人事安排的说明\n不应被网页入库。", encoding="utf-8")
    (root / "子目录" / "link.txt").symlink_to(outside)
    (root / "inner.txt").symlink_to(root / "012_jianghua_zhuanti_xunwen.txt")  # stays inside: fine
    home = tmp_path / "home"
    client = web_client(create_app(home, ingest_roots=[root]))
    job = _wait(client, client.post("/api/ingest", data={"paths": str(root)}).json())
    assert job["state"] == "done", job
    summary = job["summary"]
    assert [f["path"] for f in summary["failed"]] == [str(root / "子目录" / "link.txt")]
    assert "允许入库的目录之外" in summary["failed"][0]["error"]
    assert summary["added"] == 1 and summary["duplicates"]  # the inside link is the same file
    assert Archive(home).search("内部人事安排")["total"] == 0


def test_typed_server_paths_are_off_unless_allowed(tmp_path: Path) -> None:
    closed = web_client(create_app(tmp_path / "home"))  # the library's default: uploads only
    refused = closed.post("/api/ingest", data={"paths": str(tmp_path)})
    assert refused.status_code == 403 and "--ingest-root" in refused.json()["detail"]
    assert 'id="paths"' not in closed.get("/ingest").text
    local = web_client(create_app(tmp_path / "home2", ingest_roots=None))  # a loopback server
    assert local.post("/api/ingest", data={"paths": str(tmp_path / "none")}).status_code == 202


def test_serve_opens_typed_paths_only_to_its_own_machine() -> None:
    from pipeline.cli.web_cmd import _loopback

    assert all(_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "127.0.0.2"))
    assert not any(_loopback(h) for h in ("0.0.0.0", "192.168.1.20", "::", "gongwen.local"))


def test_ingest_needs_something_to_ingest(tmp_path: Path) -> None:
    client = web_client(create_app(tmp_path / "home"))
    response = client.post("/api/ingest", data={"paths": "  \n"})
    assert response.status_code == 400 and "路径" in response.json()["detail"]
    assert client.get("/api/ingest/nope").status_code == 404


@pytest.mark.parametrize("tool", ["chronicle", "stats"])
def test_yearbook_api_is_the_archive_tool(client: TestClient, web_home: Path, tool: str) -> None:
    expected = getattr(Archive(web_home), tool)(year=2023)
    assert client.get(f"/api/{tool}", params={"year": "2023"}).json() == expected
    assert next(iter(expected.values())), f"no {tool} in the sample archive"


def test_yearbook_pages_cite_their_sources(client: TestClient, web_home: Path) -> None:
    events = Archive(web_home).chronicle(year=2023)["events"]
    page = client.get("/yearbook", params={"tool": "chronicle", "year": "2023"})
    assert page.status_code == 200
    assert events[0]["text"] in page.text and f'href="/doc/{events[0]["doc_id"]}"' in page.text

    facts = Archive(web_home).stats(year=2023)["facts"]
    page = client.get("/yearbook", params={"tool": "stats", "year": "2023"})
    assert facts[0]["sentence"] in page.text and f'href="/doc/{facts[0]["doc_id"]}"' in page.text

    passages = Archive(web_home).excerpts("民生实事", limit=20)["passages"]
    page = client.get("/yearbook", params={"tool": "excerpts", "q": "民生实事"})
    assert passages and passages[0]["section"] in page.text and "——" in page.text
    assert "没有找到相关段落" in client.get("/yearbook", params={"tool": "excerpts",
                                                                  "q": "量子纠缠"}).text


def test_chronicle_page_lists_each_year_under_its_heading(client: TestClient, web_home: Path) -> None:
    import re

    events = Archive(web_home).chronicle()["events"]
    page = client.get("/yearbook", params={"tool": "chronicle"}).text
    headings = re.findall(r'<h3 class="year">(.+?)</h3>', page)
    years = list(dict.fromkeys(f"{e['date'][:4]}年" for e in events if not e["date"].startswith("--")))
    assert len(years) >= 2 and headings[:len(years)] == years  # one heading per year, in order
    first_of_second_year = next(e for e in events if e["date"].startswith(years[1][:4]))
    assert page.index(years[1]) < page.index(first_of_second_year["text"])


def test_yearbook_rejects_bad_parameters(client: TestClient) -> None:
    assert client.get("/yearbook", params={"year": "去年"}).status_code == 400
    assert client.get("/yearbook", params={"tool": "yearbook"}).status_code == 400
    assert client.get("/api/nothing").status_code == 404
