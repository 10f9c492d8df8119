"""The web app in a real browser: Debian's chromium driven by Playwright, against a live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from pipeline.web import create_app
from tests.web_helpers import live_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(web_home: Path) -> Iterator[str]:
    with live_server(create_app(web_home)) as url:
        yield url


def test_search_filter_and_open_a_document(server: str, browser: object) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.get_by_label("检索词").fill("民生实事 审议意见")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.hit")
    total = int(page.inner_text("#total"))
    assert total >= 2
    assert page.locator("li.hit mark").count() > 0
    assert "民生实事" in page.locator("li.hit a.title").first.inner_text()

    page.locator("aside.facets a.facet", has_text="审议意见").first.click()
    page.wait_for_selector("a.chip")
    assert "文种：审议意见" in page.inner_text("a.chip")
    assert int(page.inner_text("#total")) < total

    title = page.locator("li.hit a.title").first.inner_text()
    page.locator("li.hit a.title").first.click()
    page.wait_for_selector("article.document h1")
    assert page.inner_text("article.document h1") == title
    assert "档案信息" in page.inner_text("aside.archive")
    page.close()


def test_upload_shows_a_live_counter_and_the_failures(server: str, browser: object,
                                                      sample_corpus: Path) -> None:
    page = browser.new_page()
    page.goto(server + "/ingest")
    # adds a document to the session's home: the other web tests compare, they don't count
    good = sample_corpus / "generated" / "txt-gb18030" / "008_dangzu_huiyi_jiyao.txt"
    bad = sample_corpus / "generated" / "bad" / "encrypted.pdf"
    page.set_input_files("#files", [str(good), str(bad)])
    assert page.inner_text("#chosen") == "已选择 2 个文件：008_dangzu_huiyi_jiyao.txt、encrypted.pdf"
    page.get_by_role("button", name="开始入库").click()
    page.wait_for_function(
        "() => document.getElementById('job-state').textContent.startsWith('入库完成')", timeout=300_000)
    assert page.inner_text("#job-counter") == "已处理 2 / 2 件"
    summary = page.inner_text("#job-summary")
    assert "失败 1 件" in summary and "encrypted.pdf" in summary and "PDF 已加密" in summary
    page.close()


def test_a_whole_folder_can_be_uploaded(server: str, browser: object, sample_corpus: Path,
                                       tmp_path: Path) -> None:
    folder = tmp_path / "收文2023"
    (folder / "会议").mkdir(parents=True)
    shutil.copy(sample_corpus / "generated" / "bad" / "encrypted.pdf", folder / "会议" / "加密.pdf")
    page = browser.new_page()
    page.goto(server + "/ingest")
    assert page.inner_text("#chosen") == "未选择文件"
    page.set_input_files("#folder", folder)
    assert page.inner_text("#chosen") == "已选择 1 个文件：收文2023/会议/加密.pdf"
    page.get_by_role("button", name="开始入库").click()
    page.wait_for_function(
        "() => document.getElementById('job-state').textContent.startsWith('入库完成')", timeout=300_000)
    assert "收文2023/会议/加密.pdf" in page.inner_text("#job-summary")  # the folders kept
    assert page.inner_text("#chosen") == "未选择文件"  # the form is ready for the next batch
    page.close()


def test_chronicle_tab_lists_dated_events(server: str, browser: object) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.get_by_role("link", name="年鉴资料").click()
    page.wait_for_selector("ul.chronicle li")
    assert int(page.inner_text("#count")) == page.locator("ul.chronicle li").count() > 0
    page.get_by_role("link", name="统计数据").click()
    page.wait_for_selector("table.facts tr td")
    assert int(page.inner_text("#count")) > 0
    page.close()
