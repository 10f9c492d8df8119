"""The 公文校核 page in a real browser: Debian's chromium (Playwright) uploads a .docx to a live
server on loopback and reads the findings beside the page."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from pipeline.web import create_app
from tests.check_docs import edit, replace_text, request, write

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path_factory.mktemp("check-home")
    live = uvicorn.Server(uvicorn.Config(create_app(home), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30  # a bound against hanging, not a speed check
    while not live.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.started, "the web server did not start"
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(timeout=10)


def test_upload_a_docx_and_read_the_findings_beside_the_page(server: str, tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make system-packages installs it)")
    path = write(tmp_path, request(signer=[]), "请示.docx")
    edit(path, lambda d: replace_text(d, "区人民政府：", "区人民政府:"))
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(server + "/check")
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
        browser.close()
