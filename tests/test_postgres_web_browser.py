"""The office server over a PostgreSQL database pooling two 全宗, in a real browser (Debian's
chromium, Playwright) against a live server: two accounts granted different 全宗 each see only
their own documents in the results, the facets and the document pages; the 安全管理员 grants a
全宗 on the grants page and the reader then sees it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

from pipeline.web import create_app
from tests.postgres_cluster import pg_module_url, pg_server  # noqa: F401
from tests.test_postgres_web import PASSWORD, two_offices
from tests.web_helpers import browser_sign_in, live_server

pytestmark = pytest.mark.slow
LOOPBACK = ["127.0.0.1", "localhost", "::1"]


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path,
           pg_module_url: str) -> Iterator[dict]:  # noqa: F811
    root = tmp_path_factory.mktemp("pooled-browser")
    archive, east, west = two_offices(root, sample_corpus / "generated" / "docx", pg_module_url,
                                      {"东": ["Z101"], "西": ["Z202"]}, ["起草人员"])
    titles = {doc_id: archive.get(doc_id)["title"] for doc_id in east | west}
    app = create_app(root / "east", allowed_hosts=LOOPBACK, database=pg_module_url)
    with live_server(app) as url:
        yield {"url": url, "east": east, "west": west, "titles": titles}
    assert app.state.guard.record.flush()


def signed_in(browser: object, url: str, name: str) -> object:
    return browser_sign_in(browser, url, name, PASSWORD)


def shown_results(page: object, url: str, query: str) -> tuple[set[str], int, int]:
    """The document ids the results page links, its total, and the documents its 文种 facet
    counts (each document has one 文种)."""
    page.goto(url + "/?q=" + query)
    links = page.locator("li.hit a.title").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    total = int(page.locator("#total").inner_text())
    genres = page.locator("aside.facets section", has_text="文种").locator("span.count").all_inner_texts()
    return {link.rsplit("/", 1)[-1] for link in links}, total, sum(int(n) for n in genres)


def test_each_reader_sees_only_the_fonds_granted(browser: object, pooled: dict) -> None:
    url = pooled["url"]
    for name, own, other in (("东", pooled["east"], pooled["west"]), ("西", pooled["west"], pooled["east"])):
        page = signed_in(browser, url, name)
        ids, total, counted = shown_results(page, url, "常委会")
        assert ids and ids <= own and not ids & other, (name, ids)
        assert total == len(ids) == counted  # nothing of the other 全宗 counted (one page: < 10)
        text = page.locator("section.results").inner_text()
        assert not any(pooled["titles"][doc_id] in text for doc_id in other)
        foreign = min(other)
        response = page.goto(f"{url}/doc/{foreign}")
        assert response.status == 404 and "档案库中没有编号为" in page.content()
        assert pooled["titles"][foreign] not in page.content()
        mine = min(own)
        assert page.goto(f"{url}/doc/{mine}").status == 200
        assert pooled["titles"][mine] in page.locator("main").inner_text()
        page.context.close()


def test_a_fonds_granted_on_the_web_is_seen_at_once(browser: object, pooled: dict) -> None:
    url = pooled["url"]
    admin = signed_in(browser, url, "安全")
    admin.goto(url + "/admin/grants")
    assert "Z101（3 件）" in admin.locator("#fonds-note").inner_text()
    reader = signed_in(browser, url, "东")
    before, _, _ = shown_results(reader, url, "常委会")
    assert not before & pooled["west"]
    admin.get_by_label("授予 东 的全宗号").fill("Z202")
    admin.locator("tr", has_text="东").get_by_role("button", name="授权").last.click()
    admin.wait_for_load_state()
    assert "授权查阅全宗：东（Z202）" in admin.content()
    after, _, _ = shown_results(reader, url, "常委会")
    assert after & pooled["west"] and after & pooled["east"]
    admin.get_by_role("button", name="收回 东 的全宗 Z202").click()
    admin.wait_for_load_state()
    again, _, _ = shown_results(reader, url, "常委会")
    assert again == before
    admin.context.close()
    reader.context.close()
