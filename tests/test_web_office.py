"""The web app's guard through Starlette's test client: CSRF and Origin in every mode, the
Host a loopback server answers, sign-in and throttling, default deny, upload limits, the
利用目的 before a download, and what reaches the use record."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from pipeline import Archive
from pipeline.office.permissions import ROUTES
from pipeline.web import create_app
from pipeline.web.security import SECURITY_HEADERS
from tests.web_helpers import ORIGIN, copy_home, refresh_token, sign_in, web_client

PASSWORD = "Passw0rd-甲"


@pytest.fixture
def office(tmp_path: Path, web_home: Path) -> Path:
    """A copy of the web tests' archive with accounts of every role."""
    home = copy_home(web_home, tmp_path / "office")
    accounts = Archive(home).accounts
    for name, role in (("起草", "起草人员"), ("档案", "档案员"), ("系统", "系统管理员"), ("审计", "审计员")):
        accounts.add(name, [role], PASSWORD)
    return home


def test_every_declared_route_has_a_line_in_the_permission_table(web_home: Path) -> None:
    app = create_app(web_home)
    declared = {(method, route.path) for route in app.routes if isinstance(route, APIRoute)
                for method in route.methods if method != "HEAD"}
    assert declared - set(ROUTES) == set(), "add these routes to pipeline/office/permissions.py ROUTES"


def test_state_changing_requests_need_the_token_and_our_origin_even_for_one_person(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "home", ingest_roots=None))
    data = {"paths": str(tmp_path)}
    no_origin = client.post("/api/ingest", data=data)
    assert no_origin.status_code == 403 and "来源" in no_origin.json()["detail"]
    foreign = client.post("/api/ingest", data=data, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    no_token = client.post("/api/ingest", data=data, headers={"Origin": ORIGIN})
    assert no_token.status_code == 403 and "刷新" in no_token.json()["detail"]
    token = refresh_token(client)
    assert client.post("/api/ingest", data={**data, "csrf_token": token},
                       headers={"Origin": ORIGIN}).status_code == 202
    other_browser = TestClient(create_app(tmp_path / "home", ingest_roots=None))  # its own cookie
    assert other_browser.post("/api/ingest", data=data,
                              headers={"Origin": ORIGIN, "X-CSRF-Token": token}).status_code == 403


def test_a_loopback_server_answers_only_its_own_names(tmp_path: Path) -> None:
    app = create_app(tmp_path / "home", allowed_hosts=["127.0.0.1", "localhost", "::1"])
    local = TestClient(app, base_url="http://127.0.0.1:8000")
    assert local.get("/").status_code == 200
    rebound = TestClient(app, base_url="http://attacker.example:8000")
    assert rebound.get("/").status_code == 400


def test_every_response_carries_the_security_headers(web_home: Path) -> None:
    response = web_client(create_app(web_home)).get("/", params={"q": "民生实事"})
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_pages_carry_no_inline_script() -> None:
    import re

    templates = Path(__file__).resolve().parents[1] / "pipeline" / "web" / "templates"
    for page in templates.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), page.name
        assert not re.search(r"\son[a-z]+\s*=", text), page.name


def test_without_a_session_pages_lead_to_the_login_and_the_api_says_401(office: Path) -> None:
    client = web_client(create_app(office))
    page = client.get("/", params={"q": "民生"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert client.get("/api/search", params={"q": "民生"}).status_code == 401
    assert client.get("/login").status_code == 200


def test_sign_in_sets_a_strict_http_only_cookie_and_throttles(office: Path) -> None:
    client = web_client(create_app(office))
    response = client.post("/login", data={"name": "起草", "password": PASSWORD}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    behind_https = web_client(create_app(office, trusted_proxies=["testclient"]))
    secure = behind_https.post("/login", data={"name": "起草", "password": PASSWORD},
                               headers={"X-Forwarded-Proto": "https", "Origin": "https://testserver"},
                               follow_redirects=False)
    assert "; Secure" in secure.headers["set-cookie"]
    guessing = web_client(create_app(office))
    for _ in range(5):
        assert guessing.post("/login", data={"name": "档案", "password": "wrong-pass-1"}).status_code == 401
    refused = guessing.post("/login", data={"name": "档案", "password": PASSWORD})
    assert refused.status_code == 429 and "登录失败次数过多" in refused.text


def test_roles_reach_their_own_pages_only(office: Path) -> None:
    client = web_client(create_app(office))
    sign_in(client, "起草", PASSWORD)
    assert client.get("/api/search", params={"q": "民生"}).status_code == 200
    assert client.get("/ingest").status_code == 403
    assert client.get("/audit").status_code == 403
    auditor = web_client(create_app(office))
    sign_in(auditor, "审计", PASSWORD)
    assert auditor.get("/", follow_redirects=False).headers["location"] == "/audit"
    assert auditor.get("/api/search", params={"q": "民生"}).status_code == 403
    assert auditor.get("/audit").status_code == 200


def test_a_route_missing_from_the_table_is_refused_once_accounts_exist(office: Path, tmp_path: Path) -> None:
    def with_extra_page(home: Path) -> FastAPI:
        app = create_app(home)

        @app.get("/new-page")
        def new_page() -> dict[str, str]:
            return {"page": "new"}

        return app

    alone = web_client(with_extra_page(tmp_path / "alone"))
    assert alone.get("/new-page").status_code == 200  # one person: as before
    client = web_client(with_extra_page(office))
    sign_in(client, "档案", PASSWORD)
    refused = client.get("/new-page")
    assert refused.status_code == 403 and "尚未登记" in refused.text


def test_uploads_are_limited_in_type_and_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = web_client(create_app(tmp_path / "home"))
    files = [("files", ("run.exe", b"MZ\x90\x00", "application/octet-stream")),
             ("files", ("Thumbs.db", b"litter", "application/octet-stream"))]
    refused = client.post("/api/ingest", files=files)
    assert refused.status_code == 415 and "run.exe" in refused.json()["detail"]
    assert "Thumbs.db" not in refused.json()["detail"]  # litter is dropped, as a folder walk does
    monkeypatch.setenv("GONGWEN_MAX_UPLOAD_MB", "0.001")
    big = client.post("/api/ingest", files=[("files", ("大.txt", "字".encode() * 1000, "text/plain"))])
    assert big.status_code == 413 and "上传内容过大" in big.json()["detail"]


def test_a_download_asks_the_purpose_and_records_it(office: Path) -> None:
    client = web_client(create_app(office))
    sign_in(client, "起草", PASSWORD)
    doc_id = client.get("/api/search", params={"q": "文号:青人常[2023]15号"}).json()["hits"][0]["id"]
    form = client.get(f"/doc/{doc_id}/files/0")
    assert form.status_code == 200 and "利用目的" in form.text and 'name="purpose"' in form.text
    original = client.get(f"/doc/{doc_id}/files/0", params={"purpose": "编史修志"})
    assert original.content[:2] == b"PK"
    assert client.app.state.guard.record.flush()
    rows = _records(office)
    assert ("起草", "下载原件", "编史修志") in [(r[0], r[1], r[2]) for r in rows]


def test_a_catalog_row_pointing_outside_the_store_is_not_served(tmp_path: Path, web_home: Path) -> None:
    home = copy_home(web_home, tmp_path / "copy")
    client = web_client(create_app(home))
    doc_id = client.get("/api/search", params={"q": "文号:青人常[2023]15号"}).json()["hits"][0]["id"]
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        conn.execute("UPDATE files SET stored = '../../../../etc/passwd' WHERE doc_id = ?", (doc_id,))
    response = client.get(f"/doc/{doc_id}/files/0")
    assert response.status_code == 404 and b"root:" not in response.content


def test_the_client_address_comes_from_the_socket_unless_the_proxy_is_trusted(office: Path) -> None:
    for proxies, expected in (((), "testclient"), (("testclient",), "10.1.2.3")):
        client = web_client(create_app(office, trusted_proxies=proxies))
        client.headers["X-Forwarded-For"] = "6.6.6.6, 10.1.2.3"
        client.post("/login", data={"name": "审计", "password": "wrong-pass-1"})
        assert client.app.state.guard.record.flush()
        assert _records(office, "address")[-1][0] == expected


def _records(home: Path, *columns: str) -> list[tuple]:
    names = ", ".join(columns or ("user", "action", "purpose"))
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        return conn.execute(f"SELECT {names} FROM use_record ORDER BY seq").fetchall()
