"""The 公文校核 page in a real browser: Debian's chromium (Playwright) uploads a .docx to the live
server on loopback that the other browser tests use, and reads the findings beside the page."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

from tests.check_docs import edit, replace_text, write
from tests.check_docs import request as qingshi
from tests.test_web_browser import server  # noqa: F401  (fixture: the live server; chromium is in conftest)

pytestmark = pytest.mark.slow


def test_upload_a_docx_and_read_the_findings_beside_the_page(request: pytest.FixtureRequest,
                                                            tmp_path: Path) -> None:
    path = write(tmp_path, qingshi(signer=[]), "请示.docx")
    edit(path, lambda d: replace_text(d, "区人民政府：", "区人民政府:"))
    page = request.getfixturevalue("browser").new_page()
    page.goto(request.getfixturevalue("server") + "/check")
    page.set_input_files("#check-file", str(path))
    assert "请示.docx" in page.inner_text("#chosen")
    page.get_by_role("button", name="开始校核").click()
    page.wait_for_selector("aside.findings li.finding")
    assert page.inner_text("#error-count") == "错误 2 处"
    findings = page.locator("aside.findings li.finding")
    texts = " ".join(findings.all_inner_texts())
    assert "签发人" in texts and "半角冒号" in texts
    # the finding links to its paragraph on the page, which is marked
    colon = findings.filter(has_text="半角冒号").locator("a.where")
    target = colon.get_attribute("href")
    colon.click()
    marked = page.locator(f"article.sheet p{target}")
    assert "区人民政府:" in marked.inner_text() and "has-错误" in marked.get_attribute("class")
    with page.expect_download() as download:
        page.click("#annotated")
    assert download.value.suggested_filename == "请示.校核.docx"
    page.close()
