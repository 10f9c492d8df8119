"""A titleless document in a real archive: its composed title is catalogued, indexed and matched
like a title, carried to hits and ``show``, and shown as 自拟题名 (［……］) by the CLI, the web
pages and the 归档文件目录; （无标题） is never shown."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline import Archive
from tests.test_archive_support import gongwen
from tests.test_derived_titles import NEWS

DERIVED = "青岚区十八届人大常委会召开第二十二次主任会议"
NOTICE = "关于做好防汛抗旱工作的通知\n各街道：\n请做好汛期防汛抗旱准备工作。\n特此通知。\n青岚区人民政府\n2024年5月1日\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("derived")
    src = root / "src"
    src.mkdir()
    (src / "news.txt").write_text(NEWS, encoding="utf-8")
    (src / "notice.txt").write_text(NOTICE, encoding="utf-8")
    archive = Archive(root / "home")
    summary = archive.ingest([src], workers=1, progress=False)
    assert summary["added"] == 2, summary
    return archive


def _hit(result: dict, title: str) -> dict:
    return next(hit for hit in result["hits"] if hit["title"] == title)


def test_the_composed_title_is_found_by_title_words(archive: Archive) -> None:
    result = archive.search("标题:主任会议")  # the title field holds it
    assert [hit["title"] for hit in result["hits"]] == [DERIVED]
    assert result["hits"][0]["title_derived"] is True
    first = archive.search("二十二次主任会议 召开")["hits"][0]
    assert first["title"] == DERIVED


def test_a_printed_title_carries_no_mark(archive: Archive) -> None:
    hit = _hit(archive.search("防汛抗旱"), "关于做好防汛抗旱工作的通知")
    assert "title_derived" not in hit


def test_show_and_the_catalog_keep_the_mark(archive: Archive) -> None:
    doc_id = _hit(archive.search("主任会议"), DERIVED)["id"]
    shown = archive.get(doc_id)
    assert (shown["title"], shown["title_derived"]) == (DERIVED, True)
    out = archive.catalog("csv", archive.home.root / "目录.csv")
    with open(out, encoding="utf-8-sig") as handle:
        titles = [row["题名"] for row in csv.DictReader(handle)]
    assert f"［{DERIVED}］" in titles and "关于做好防汛抗旱工作的通知" in titles


def test_the_cli_shows_a_composed_title_in_brackets(archive: Archive) -> None:
    result = gongwen("search", "主任会议", home=archive.home.root)
    assert result.returncode == 0, result.stderr
    assert f"［{DERIVED}］" in result.stdout and "（无标题）" not in result.stdout
    data = json.loads(gongwen("search", "主任会议", "--json", home=archive.home.root).stdout)
    assert data["hits"][0]["title"] == DERIVED and data["hits"][0]["title_derived"] is True


def test_the_web_pages_show_a_composed_title_in_brackets(archive: Archive) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    client = TestClient(create_app(archive.home.root))
    page = client.get("/", params={"q": "主任会议"})
    assert f"［{DERIVED}］" in page.text and "（无标题）" not in page.text
    doc_id = _hit(archive.search("主任会议"), DERIVED)["id"]
    assert f"<h1>［{DERIVED}］</h1>" in client.get(f"/doc/{doc_id}").text


def test_a_title_a_user_gives_is_no_longer_composed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "news.txt").write_text(NEWS, encoding="utf-8")
    archive = Archive(tmp_path / "home")
    archive.ingest([src], workers=1, progress=False)
    doc_id = archive.search("主任会议")["hits"][0]["id"]
    edited = archive.edit(doc_id, {"title": "青岚区人大常委会第二十二次主任会议简报"})
    assert edited["title_derived"] is False
    hit = archive.search("主任会议")["hits"][0]
    assert hit["title"] == "青岚区人大常委会第二十二次主任会议简报" and "title_derived" not in hit
