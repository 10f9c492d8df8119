"""A test client that behaves like one of the app's own pages: it sends the site's Origin and
the CSRF token on every request, and can sign in."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

ORIGIN = "http://testserver"


def web_client(app: object) -> TestClient:
    client = TestClient(app)
    client.headers["Origin"] = ORIGIN
    refresh_token(client)
    return client


def refresh_token(client: TestClient) -> str:
    token = client.get("/api/csrf").json()["token"]
    client.headers["X-CSRF-Token"] = token
    return token


def sign_in(client: TestClient, name: str, password: str) -> None:
    response = client.post("/login", data={"name": name, "password": password},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    refresh_token(client)


def browser_sign_in(browser: object, server: str, name: str | None, password: str) -> object:
    """A page in a fresh browser context, signed in as ``name`` (None: nobody)."""
    page = browser.new_context().new_page()
    page.goto(server + "/login")
    if name is not None:
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, page.content()
    return page


def page_token(html: str) -> str:
    return re.search(r'name="csrf-token" content="(\w+)"', html).group(1)


def copy_home(source: Path, target: Path) -> Path:
    """A copy of an archive home that other tests' servers may be writing to (their use
    record): the catalog through SQLite's backup, the rest as files."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("catalog.sqlite*", "accounts.sqlite*"))
    with sqlite3.connect(source / "catalog.sqlite") as old, sqlite3.connect(target / "catalog.sqlite") as new:
        old.backup(new)
    return target


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, in a thread: its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    live = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30  # a bound against hanging, not a speed check
    while not live.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.started, "the web server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        live.should_exit = True
        thread.join(timeout=10)
