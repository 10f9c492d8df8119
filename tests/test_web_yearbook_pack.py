"""The 年鉴资料 page's 下载 form: ``GET /yearbook/pack`` answers the pack as a file, leaving out
the ids ticked 不收录 (the browser side is in tests/test_web_browser.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from docx import Document as WordDocument
from fastapi.testclient import TestClient

from pipeline import Archive
from pipeline.web import create_app


@pytest.fixture(scope="module")
def client(web_home: Path) -> TestClient:
    return TestClient(create_app(web_home))


def test_the_page_offers_the_download_and_a_box_per_line(client: TestClient, web_home: Path) -> None:
    events = Archive(web_home).chronicle(year=2023)["events"]
    page = client.get("/yearbook", params={"tool": "chronicle", "year": "2023"}).text
    assert 'action="/yearbook/pack"' in page and "下载年鉴资料" in page
    assert f'name="exclude" value="{events[0]["id"]}" form="pack"' in page
    assert '<script src="/static/yearbook.js"></script>' in page and "<script>" not in page
    facts = Archive(web_home).stats(year=2023)["facts"]
    page = client.get("/yearbook", params={"tool": "stats", "year": "2023"}).text
    assert f'value="{facts[0]["id"]}" form="pack"' in page


def test_download_is_the_pack_without_the_ticked_lines(client: TestClient, web_home: Path) -> None:
    events = Archive(web_home).chronicle(year=2023)["events"]
    answer = client.get("/yearbook/pack", params={"year": "2023", "format": "docx"})
    assert answer.status_code == 200
    assert "filename*=utf-8''2023" in answer.headers["content-disposition"]
    texts = [p.text for p in WordDocument(io.BytesIO(answer.content)).paragraphs]
    what = events[0]["text"].split(" ", 1)[1]  # the line after its date
    assert texts[0] == "2023年年鉴资料" and any(what in t for t in texts)
    whole = client.get("/yearbook/pack", params={"year": "2023", "format": "md"})
    left_out = client.get("/yearbook/pack", params={"year": "2023", "format": "md",
                                                    "exclude": [events[0]["id"]]})
    assert left_out.status_code == 200 and left_out.text.startswith("# 2023年年鉴资料")
    assert what in whole.text and what not in left_out.text


def test_download_rejects_bad_parameters(client: TestClient) -> None:
    assert client.get("/yearbook/pack").status_code == 400
    answer = client.get("/yearbook/pack", params={"year": "去年"})
    assert answer.status_code == 400 and "年度应为四位数字" in answer.text
    assert client.get("/yearbook/pack", params={"year": "2023", "format": "pdf"}).status_code == 400
