"""Robustness: SIGKILL an ingest midway, then rerun; searches while an ingest writes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.index.writer import indexed_ids
from tests.test_archive_support import (
    PROJECT,
    catalog,
    current_ids,
    notice_lines,
    sigkill_when,
    write_txt,
)

FILES = 300


def _make_folder(root: Path, count: int) -> Path:
    for n in range(count):
        write_txt(root / f"batch{n // 100}" / f"notice{n:04d}.txt",
                  notice_lines(n, topic=f"专项{n}号"))
    return root


def _ingest_process(home: Path, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, GONGWEN_HOME=str(home))
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli.main", "ingest", str(folder), "--workers", "2",
         "--json", "--no-progress"],
        cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _files_in_catalog(home: Path) -> int:
    try:
        with sqlite3.connect(home / "catalog.sqlite", timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.slow
def test_sigkill_midway_then_rerun_is_consistent(home: Path, tmp_path: Path) -> None:
    folder = _make_folder(tmp_path / "src", FILES)
    proc = _ingest_process(home, folder)
    sigkill_when(proc, lambda: _files_in_catalog(home) >= 60)
    killed_at = _files_in_catalog(home)
    assert 0 < killed_at <= FILES  # == FILES: killed while writing the index, also a test

    rerun = _ingest_process(home, folder)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["failed"] == []
    assert summary["unchanged"] + summary["added"] == FILES
    assert summary["unchanged"] >= killed_at

    with catalog(home) as conn:
        paths = [row[0] for row in conn.execute("SELECT path FROM files")]
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        unsynced = conn.execute("SELECT COUNT(*) FROM documents WHERE synced = 0").fetchone()[0]
    assert len(paths) == len(set(paths)) == FILES  # every file once
    assert docs == FILES and unsynced == 0
    assert indexed_ids(home) == current_ids(home)
    assert len(current_ids(home)) == FILES
    hits = Archive(home).search("专项123号", limit=3)["hits"]
    assert hits and hits[0]["title"] and "专项123号" in hits[0]["title"]
    assert not list((home / "originals" / "tmp").iterdir())


@pytest.mark.slow
def test_searches_run_while_an_ingest_writes(home: Path, tmp_path: Path) -> None:
    Archive(home).ingest([_make_folder(tmp_path / "first", 5)], workers=1, progress=False)
    folder = _make_folder(tmp_path / "second", 200)
    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def search_loop() -> None:
        archive = Archive(home)
        while not stop.is_set():
            try:
                totals.append(archive.search("工作要求", limit=5)["total"])
            except BaseException as err:  # noqa: BLE001 - any error at all fails the test
                errors.append(err)
                return

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    try:
        proc = _ingest_process(home, folder)
        _out, err = proc.communicate(timeout=300)
    finally:
        stop.set()
        searcher.join()
    assert proc.returncode == 0, err
    assert errors == []
    assert len(totals) > 5 and totals[0] >= 5
    assert Archive(home).search("工作要求", limit=5)["total"] >= 200
