"""The office server in a real browser (Debian's chromium, Playwright) against a live server on
loopback: every page and API endpoint × every role, a cross-origin POST, XSS payloads in
documents, file names, queries and user names, path traversal in downloads, repeated wrong
passwords, and an edited row of the use record found by ``gongwen audit --verify``."""

from __future__ import annotations

import functools
import http.server
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

from pipeline import Archive
from pipeline.office.permissions import ROUTES
from pipeline.web import create_app
from tests.web_helpers import browser_sign_in, copy_home, live_server

pytestmark = pytest.mark.slow
PROJECT = Path(__file__).resolve().parents[1]
PASSWORD = "Passw0rd-甲"
LOOPBACK = ["127.0.0.1", "localhost", "::1"]
ROLES = {"起草": "起草人员", "档案": "档案员", "年鉴": "年鉴编辑", "系统": "系统管理员",
         "安全": "安全管理员", "审计": "审计员"}
XSS = "<img src=x onerror=window.__xss=1>"  # (no quotes: a browser escapes them in file names)
XSS_TITLE = "关于<script>window.__xss=2</script>做好<b>跨站测试</b>工作的通知"

# The specification, written out (not read from pipeline.office.permissions): who may use each
# page or endpoint. D 起草人员, A 档案员, Y 年鉴编辑, S 系统管理员, C 安全管理员, U 审计员,
# - nobody signed in.
EVERYONE = "DAYSCU-"
SIGNED = "DAYSCU"
READERS = "DAY"
MATRIX = [  # (method, URL ({id}: an open document), form, template in the table, allowed)
    ("GET", "/?q=民生实事", None, "/", READERS),
    ("GET", "/api/search?q=民生实事", None, "/api/search", READERS),
    ("GET", "/doc/{id}", None, "/doc/{doc_id}", READERS),
    ("GET", "/api/doc/{id}", None, "/api/doc/{doc_id}", READERS),
    ("GET", "/doc/{id}/files/0?purpose=工作查考", None, "/doc/{doc_id}/files/{number}", READERS),
    ("GET", "/doc/{id}/edit", None, "/doc/{doc_id}/edit", "A"),
    ("POST", "/doc/{id}/edit", {}, "/doc/{doc_id}/edit", "A"),
    ("GET", "/yearbook", None, "/yearbook", "Y"),
    ("GET", "/api/excerpts?q=民生实事", None, "/api/excerpts", "Y"),
    ("GET", "/api/stats", None, "/api/stats", "Y"),
    ("GET", "/api/chronicle", None, "/api/chronicle", "Y"),
    ("GET", "/ingest", None, "/ingest", "A"),
    ("POST", "/api/ingest", {"paths": ""}, "/api/ingest", "A"),
    ("GET", "/api/ingest/nosuchjob", None, "/api/ingest/{job_id}", "A"),
    ("GET", "/catalog", None, "/catalog", "A"),
    ("POST", "/catalog", {"format": "csv", "purpose": "编研"}, "/catalog", "A"),
    ("GET", "/verify", None, "/verify", "A"),
    ("POST", "/verify", {}, "/verify", "A"),
    ("GET", "/draft", None, "/draft", READERS),
    ("GET", "/draft/审议意见", None, "/draft/{genre}", READERS),
    ("POST", "/draft/审议意见/docx", {"标题": "关于测试的审议意见"}, "/draft/{genre}/docx", READERS),
    ("POST", "/draft/审议意见/check", {"标题": "关于测试的审议意见"}, "/draft/{genre}/check", READERS),
    ("GET", "/check", None, "/check", READERS),
    ("POST", "/check", {}, "/check", READERS),
    ("GET", "/check/nosuchtoken/annotated", None, "/check/{token}/annotated", READERS),
    ("POST", "/api/check", {}, "/api/check", READERS),
    ("GET", "/yearbook/pack?year=2023&format=md&purpose=编研", None, "/yearbook/pack", "Y"),
    ("GET", "/admin/users", None, "/admin/users", "S"),
    ("POST", "/admin/users", {"name": ""}, "/admin/users", "S"),
    ("POST", "/admin/users/nobody", {"op": "enable"}, "/admin/users/{name}", "S"),
    ("GET", "/admin/grants", None, "/admin/grants", "C"),
    ("POST", "/admin/grants/nobody", {"op": "grant"}, "/admin/grants/{name}", "C"),
    ("GET", "/audit", None, "/audit", "U"),
    ("GET", "/api/audit", None, "/api/audit", "U"),
    ("GET", "/account", None, "/account", SIGNED),
    ("POST", "/account/password", {"current": "x"}, "/account/password", SIGNED),
    ("GET", "/api/csrf", None, "/api/csrf", EVERYONE),
    ("GET", "/login", None, "/login", EVERYONE),
]
FETCH = """async ([method, url, form, token]) => {
  const init = {method, headers: {"X-CSRF-Token": token}};
  if (form) init.body = new URLSearchParams(form);
  const response = await fetch(url, init);
  return [response.status, new URL(response.url).pathname];
}"""


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, web_home: Path, sample_corpus: Path) -> Path:
    """The web tests' archive plus a 内部 document and one full of markup; an account per role."""
    home = copy_home(web_home, tmp_path_factory.mktemp("office") / "home")
    extra = tmp_path_factory.mktemp("office-source")
    (extra / "024_jianbao.docx").write_bytes((sample_corpus / "generated/docx/024_jianbao.docx").read_bytes())
    (extra / f"{XSS}.txt").write_text(f"{XSS_TITLE}\n各单位：\n跨站测试正文{XSS}，请知悉。\n区人民政府\n2024年1月5日\n",
                                      encoding="utf-8")
    archive = Archive(home)
    assert archive.ingest([extra], workers=1, progress=False)["added"] == 2
    marked = archive.search("跨站测试")["hits"][0]["id"]
    archive.edit(marked, {"title": XSS_TITLE})  # a title as the archive keeps it (corrected)
    for name, role in ROLES.items():
        archive.accounts.add(name, [role], PASSWORD)
    archive.accounts.add("被锁", ["年鉴编辑"], PASSWORD)
    return home


@pytest.fixture(scope="module")
def server(office: Path) -> Iterator[str]:
    with live_server(create_app(office, allowed_hosts=LOOPBACK)) as url:
        yield url


def _signed_in(browser: object, server: str, name: str | None) -> object:
    """A page in a fresh browser context, signed in as ``name`` (None: nobody)."""
    return browser_sign_in(browser, server, name, PASSWORD)


def _open_id(server: str, browser: object) -> str:
    page = _signed_in(browser, server, "起草")
    hits = page.evaluate("async () => (await (await fetch('/api/search?q=' + encodeURIComponent('文号:青人常[2023]15号'))).json()).hits")
    page.context.close()
    return hits[0]["id"]


def test_the_matrix_covers_every_route_in_the_table() -> None:
    covered = {(method, template) for method, _url, _form, template, _allowed in MATRIX}
    untested = set(ROUTES) - covered - {("POST", "/login"), ("POST", "/logout")}  # tested below
    assert untested == set()


@pytest.mark.parametrize("letter, name", [("D", "起草"), ("A", "档案"), ("Y", "年鉴"), ("S", "系统"),
                                          ("C", "安全"), ("U", "审计"), ("-", None)])
def test_every_page_and_endpoint_for_every_role(server: str, browser: object, letter: str,
                                                name: str | None) -> None:
    doc_id = _open_id(server, browser)
    page = _signed_in(browser, server, name)
    token = page.get_attribute("meta[name=csrf-token]", "content")
    wrong = []
    for method, url, form, _template, allowed in MATRIX:
        status, landed = page.evaluate(FETCH, [method, url.format(id=doc_id), form, token])
        # refused: 401/403, or a page that sends the visitor to sign in or to their own start page
        refused = status in (401, 403) or landed == "/login" and not url.startswith("/login") \
            or url.startswith("/?") and landed != "/"
        if refused == (letter in allowed):
            wrong.append(f"{method} {url}: HTTP {status} → {landed}")
    page.context.close()
    assert wrong == [], f"{name or '未登录'}：{wrong}"


def test_signing_out_ends_the_session(server: str, browser: object) -> None:
    page = _signed_in(browser, server, "起草")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login")
    page.goto(server + "/?q=民生")
    assert "/login" in page.url
    page.context.close()


def test_restricted_document_only_for_the_granted(server: str, browser: object, office: Path) -> None:
    def total(name: str) -> int:
        page = _signed_in(browser, server, name)
        page.goto(server + "/?q=" + "安全生产法 执法检查")
        found = int(page.inner_text("#total")) if page.locator("#total").count() else 0
        page.context.close()
        return found

    before = total("起草")
    Archive(office).accounts.set_restricted("起草", True)
    try:
        assert total("起草") == before + 1  # the 内部 简报 on 安全生产法执法检查
    finally:
        Archive(office).accounts.set_restricted("起草", False)


def test_a_cross_origin_post_is_refused(server: str, browser: object, tmp_path: Path) -> None:
    attack = tmp_path / "attack"
    attack.mkdir()
    (attack / "index.html").write_text(
        f'<form method="post" action="{server}/api/ingest" enctype="multipart/form-data">'
        '<input name="paths" value="/etc"></form><script>document.forms[0].submit()</script>',
        encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(attack))
    foreign = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    try:
        page = _signed_in(browser, server, "档案")  # a signed-in archivist opens a foreign page
        with page.expect_navigation(url=f"{server}/api/ingest"):
            page.goto(f"http://127.0.0.1:{foreign.server_address[1]}/index.html")
        assert "请求来源校验失败" in page.content()
        page.goto(server + "/ingest")
        assert "/etc" not in page.inner_text("main")  # no job was started
        page.context.close()
    finally:
        foreign.shutdown()


def _inert(page: object) -> None:
    """No payload ran and none became markup (checked apart from the CSP, which would also stop it)."""
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("main script").count() == 0


def test_markup_in_documents_file_names_and_queries_stays_text(server: str, browser: object) -> None:
    page = _signed_in(browser, server, "起草")
    page.goto(server + "/?q=跨站测试")
    page.wait_for_selector("li.hit")
    _inert(page)
    assert "<script>" in page.inner_text("li.hit a.title")
    page.locator("li.hit a.title").first.click()
    page.wait_for_selector("article.document")
    _inert(page)
    assert XSS in page.inner_text("table.files") and XSS in page.inner_text("article .body")
    page.goto(server + "/?q=" + XSS)
    _inert(page)
    assert page.input_value("input[name=q]") == XSS
    page.context.close()


def test_markup_in_uploaded_file_names_stays_text(server: str, browser: object) -> None:
    page = _signed_in(browser, server, "档案")
    page.goto(server + "/ingest")
    page.set_input_files("#files", [{"name": f"{XSS}上传.txt", "mimeType": "text/plain",
                                     "buffer": "关于上传测试的通知\n正文。\n".encode()}])
    _inert(page)
    page.get_by_role("button", name="开始入库").click()
    page.wait_for_function("() => document.getElementById('job-state').textContent.startsWith('入库完成')",
                           timeout=300_000)
    page.reload()
    assert XSS in page.inner_text("ul.jobs")
    _inert(page)
    page.context.close()


def test_markup_in_user_names_stays_text_on_the_auditors_page(server: str, browser: object) -> None:
    page = _signed_in(browser, server, None)
    page.fill("input[name=name]", XSS)
    page.fill("input[name=password]", "whatever-1")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码错误" in page.inner_text("main")
    page.context.close()
    auditor = _signed_in(browser, server, "审计")
    assert XSS in auditor.inner_text("#records")
    _inert(auditor)
    auditor.context.close()


def test_path_traversal_in_downloads_is_refused(server: str, browser: object) -> None:
    doc_id = _open_id(server, browser)
    page = _signed_in(browser, server, "起草")
    for url in (f"/doc/{doc_id}/files/..%2F..%2Fcatalog.sqlite", f"/doc/{doc_id}/files/-1?purpose=x",
                "/doc/..%2F..%2Fcatalog.sqlite/files/0?purpose=x", "/static/..%2F..%2F..%2Fetc%2Fpasswd",
                "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", f"/doc/{doc_id}%2F..%2F..%2F/files/0"):
        response = page.request.get(server + url)
        body = response.body()
        assert response.status in (400, 404, 422), (url, response.status)
        assert b"SQLite format" not in body and b"root:" not in body, url
    page.context.close()


def test_repeated_wrong_passwords_are_throttled(server: str, browser: object) -> None:
    page = _signed_in(browser, server, None)
    for _ in range(5):
        page.fill("input[name=name]", "被锁")
        page.fill("input[name=password]", "wrong-pass-1")
        page.get_by_role("button", name="登录").click()
        assert "用户名或密码错误" in page.inner_text("main")
    page.fill("input[name=name]", "被锁")
    page.fill("input[name=password]", PASSWORD)  # even the right one, now
    page.get_by_role("button", name="登录").click()
    assert "登录失败次数过多" in page.inner_text("main") and "/login" in page.url
    page.context.close()


def test_an_edited_row_of_the_use_record_is_found(server: str, browser: object, office: Path) -> None:
    auditor = _signed_in(browser, server, "审计")
    auditor.get_by_role("button", name="校验记录链").click()
    assert "记录链完整" in auditor.inner_text("#verify-result")
    with sqlite3.connect(office / "catalog.sqlite") as conn:  # someone with the file's access …
        conn.execute("DROP TRIGGER use_record_no_update")
        seq = conn.execute("SELECT seq FROM use_record WHERE action = '检索' LIMIT 1").fetchone()[0]
        conn.execute("UPDATE use_record SET target = '/?q=无关' WHERE seq = ?", (seq,))
    checked = subprocess.run([sys.executable, "-m", "pipeline.cli.main", "--home", str(office), "audit", "--verify"],
                             check=False, capture_output=True, text=True, cwd=PROJECT, timeout=120,
                             env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"})
    assert checked.returncode == 1 and f"第 {seq} 条" in checked.stdout and "被改写" in checked.stdout
    auditor.get_by_role("button", name="校验记录链").click()
    assert "发现问题" in auditor.inner_text("#verify-result")
    auditor.context.close()
