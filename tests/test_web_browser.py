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


def test_yearbook_download_leaves_out_a_ticked_event(server: str, browser: object, tmp_path: Path) -> None:
    from docx import Document as WordDocument

    page = browser.new_page(accept_downloads=True)
    page.goto(server + "/yearbook?tool=chronicle&year=2023")
    page.wait_for_selector("ul.chronicle li")
    first = page.locator("ul.chronicle li").first
    left_out = first.locator("a").first.inner_text().split(" ", 1)[1]  # the line after its date
    first.get_by_label("不收录", exact=False).check()
    assert "已勾选不收录 1 条" in page.inner_text("#left-out")
    page.get_by_role("link", name="统计数据").click()  # the tick is kept on the other tab
    page.wait_for_selector("table.facts tr td")
    assert "已勾选不收录 1 条" in page.inner_text("#left-out")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载年鉴资料").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "2023年年鉴资料.docx"
    texts = [p.text for p in WordDocument(str(saved)).paragraphs]
    assert texts[0] == "2023年年鉴资料" and "一、大事记" in texts and "二、统计数据" in texts
    assert not any(left_out in text for text in texts)
    page.goto(server + "/yearbook?tool=chronicle&year=2023")  # the tick is kept: untick it
    page.locator("ul.chronicle li").first.get_by_label("不收录", exact=False).uncheck()
    assert page.inner_text("#left-out") == ""
def test_draft_a_deliberation_opinion_and_download_it(server: str, browser: object, tmp_path: Path) -> None:
    """Choose 审议意见, fill the form (a second 意见 through 添加一条), download, parse back."""
    from pipeline.parse import parse_file

    page = browser.new_page()
    page.goto(server + "/draft")
    page.get_by_role("link", name="审议意见", exact=True).click()
    page.wait_for_selector("form#draft-form")
    fields = {"发文机关": "青岚区人民代表大会常务委员会", "文号": "青人常〔2025〕3号",
              "标题": "青岚区人大常委会关于区人民政府养老服务工作情况报告的审议意见", "主送机关": "区人民政府",
              "会议名称": "区第十八届人大常委会第二十次会议", "成文日期": "2025年4月2日"}
    for name, value in fields.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.locator('[name="意见"]').first.fill("加强统筹协调。区人民政府要健全工作机制。")
    page.get_by_role("button", name="添加一条").first.click()
    page.locator('[name="意见"]').nth(1).fill("强化监督考核。要定期通报进展。")
    with page.expect_download() as caught:
        page.get_by_role("button", name="下载 .docx").click()
    download = caught.value
    assert download.suggested_filename.endswith(".docx")
    out = tmp_path / "审议意见.docx"
    download.save_as(str(out))
    parsed = parse_file(out)
    assert parsed.issuer == [fields["发文机关"]] and parsed.doc_number == fields["文号"]
    assert parsed.title == fields["标题"] and parsed.recipients == [fields["主送机关"]]
    assert parsed.date == "2025-04-02"
    assert [h.text for h in parsed.headings][:2] == ["一、加强统筹协调", "二、强化监督考核"]
    assert "区第十八届人大常委会第二十次会议听取和审议了" in parsed.body
    page.close()
