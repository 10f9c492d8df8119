"""Searches while other searches and an ingest run: none waits for another search, each reads
one committed state of the index, a document shows up once its commit is made, a classified one
never, and the ingest runs at a lower CPU priority than the server."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from pipeline import Archive
from pipeline.index.search import READING, search, searchers
from pipeline.index.writer import open_index
from pipeline.web import create_app
from pipeline.web.jobs import ingest_niceness
from tests.web_helpers import web_client

QUERY = "民生实事 审议意见"
BOUND = 120  # seconds: a bound against hanging, not a speed check

NEW = "关于开展河湖清淤试点的通知\n各有关单位：\n现就河湖清淤试点工作通知如下。\n一、试点范围为三条支流。\n某某市水务局\n2024年5月6日\n"
SECRET = "机密★10年\n关于某专项工作的通知\n各委室：\n现将绝密专项勘测事项通知如下。\n某某市水务局\n2024年5月7日\n"


def _in_thread(call: Any) -> tuple[bool, Any]:
    """(whether ``call()`` finished within the bound, its result), run in another thread."""
    found: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: found.update(result=call()), daemon=True)
    worker.start()
    worker.join(BOUND)
    return not worker.is_alive(), found.get("result")


def test_a_search_does_not_wait_for_another_threads_search(web_home: Path) -> None:
    expected = search(web_home, QUERY)
    assert expected["total"] > 0
    with searchers(web_home).reading() as held:  # this thread is reading through the shared one
        assert held is not None
        finished, found = _in_thread(lambda: search(web_home, QUERY))
    assert finished, "a search waited for another thread's search"
    assert found == expected


def test_a_spare_searcher_reads_the_newest_commit(tmp_path: Path) -> None:
    source = tmp_path / "收文"
    source.mkdir()
    (source / "a.txt").write_text(NEW.replace("河湖清淤", "农田水利"), encoding="utf-8")
    home = tmp_path / "home"
    archive = Archive(home)
    archive.ingest([source], progress=False)
    index = searchers(home)

    def lent_searcher() -> tuple[int, int]:
        with index.reading() as spare:
            return id(spare), spare.doc_count()

    with index.reading() as shared:
        _, (first, count) = _in_thread(lent_searcher)
        assert first != id(shared) and count == shared.doc_count() == 1
    (source / "b.txt").write_text(NEW, encoding="utf-8")
    archive.ingest([source], progress=False)  # a commit: the idle spare is out of date now
    with READING:  # the shared searcher busy (and not yet reopened): the spare is lent
        finished, found = _in_thread(lambda: search(home, "河湖清淤"))
    assert finished and found["total"] == 1 and found["hits"][0]["title"].startswith("关于开展河湖清淤")
    with index.reading() as shared:
        assert shared.doc_count() == 2


def test_searches_during_a_web_ingest_read_the_committed_index(tmp_path: Path, sample_corpus: Path) -> None:
    first = sample_corpus / "generated" / "txt-utf8" / "012_jianghua_zhuanti_xunwen.txt"
    home = tmp_path / "home"
    Archive(home).ingest([first], progress=False)
    root = tmp_path / "收文"
    root.mkdir()
    (root / "new.txt").write_text(NEW, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    client = web_client(create_app(home, ingest_roots=[root]))
    lock = open_index(home).lock("WRITELOCK")  # the index writer's lock: the ingest cannot commit
    assert lock.acquire(blocking=False)
    try:
        job = client.post("/api/ingest", data={"paths": str(root)}).json()
        deadline = time.monotonic() + BOUND
        while not (job["total"] and job["done"] == job["total"]) and time.monotonic() < deadline:
            time.sleep(0.2)
            job = client.get(f"/api/ingest/{job['id']}").json()
        assert job["state"] == "running" and job["done"] == job["total"] == 2, job
        ingesting = [p for p in multiprocessing.active_children() if p.name == "gongwen-web-ingest"]
        assert len(ingesting) == 1
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert ingest_niceness() > 0 and own < 19, "a test run already at the lowest priority"
        assert os.getpriority(os.PRIO_PROCESS, ingesting[0].pid) == min(19, own + ingest_niceness())
        # the catalog holds the new document already; the index, still being written, does not
        assert client.get("/api/search", params={"q": "专题询问"}).json()["total"] == 1
        assert client.get("/api/search", params={"q": "河湖清淤"}).json()["total"] == 0
    finally:
        lock.release()
    while job["state"] not in ("done", "error") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/api/ingest/{job['id']}").json()
    assert job["state"] == "done", job
    assert job["summary"]["added"] == 1 and len(job["summary"]["quarantined"]) == 1
    hits = client.get("/api/search", params={"q": "河湖清淤"}).json()["hits"]
    assert [hit["title"] for hit in hits] == ["关于开展河湖清淤试点的通知"]
    assert client.get("/api/search", params={"q": "绝密专项勘测"}).json()["total"] == 0
