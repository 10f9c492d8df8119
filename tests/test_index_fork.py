"""A large batch written as two segments at once (a forked child writes the first part).

Real on-disk indexes: the same documents through ``add_documents`` with the fork forced (every
batch qualifies) and with it off must read the same — every term's postings per document id,
stored fields, field lengths, document order — with one segment more for the forked batch, each
with its postings sidecar; a replaced document is deleted once; a child that fails leaves the
whole batch to the parent; the learnt abbreviations are the same.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline import Archive
from pipeline.index import forked, writer
from pipeline.index.sidecar import for_leaf
from pipeline.index.writer import add_documents, indexed_ids, open_index
from tests.test_archive_support import catalog, current_ids
from tests.test_segment_writer import _documents


def _force_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(os.environ, "GONGWEN_INDEX_FORK_MIN_CHARS", "0")
    monkeypatch.setitem(os.environ, "GONGWEN_INDEX_FORK", "1")  # whatever else runs


def _contents(home: Path) -> dict[str, Any]:
    """Everything a search can read, keyed by document id instead of document number."""
    ix = open_index(home, create=False)
    assert ix is not None
    with ix.searcher() as searcher:
        reader = searcher.reader()
        live = [n for n in range(reader.doc_count_all()) if not reader.is_deleted(n)]
        ids = {n: reader.stored_fields(n)["id"] for n in live}
        postings = {}
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            found = []
            while matcher.is_active():
                n = matcher.id()
                if n in ids:
                    found.append((ids[n], matcher.weight(), matcher.value()))
                matcher.next()
            if found:
                postings[(field, term)] = sorted(found)
        lengths = {(ids[n], f): reader.doc_field_length(n, f)
                   for n in live for f in ("title", "body", "body_bg")}
        return {"order": [ids[n] for n in live], "postings": postings, "lengths": lengths,
                "stored": {ids[n]: reader.stored_fields(n) for n in live}}


def _segments(home: Path) -> list[Any]:
    ix = open_index(home, create=False)
    assert ix is not None
    return ix._segments()


def _synonyms(home: Path) -> Any:
    path = home / "synonyms.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="needs fork, 2 cores, 1 thread")


@needs_fork
def test_forked_batch_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _documents(90)
    items[5][1].body += "\n国家发展和改革委员会（以下简称“国家发改委”）负责统筹。"
    items[70][1].body += "\n应急管理部（以下简称“应急部”）牵头。"
    add_documents(tmp_path / "one", items[:30])
    add_documents(tmp_path / "one", items[30:] + [items[3]])  # items[3] replaced
    _force_fork(monkeypatch)
    add_documents(tmp_path / "two", items[:30])
    add_documents(tmp_path / "two", items[30:] + [items[3]])
    assert _contents(tmp_path / "two") == _contents(tmp_path / "one")
    assert _synonyms(tmp_path / "two") == _synonyms(tmp_path / "one") is not None
    assert len(_segments(tmp_path / "one")) == 2
    forked_segments = _segments(tmp_path / "two")
    assert len(forked_segments) == 4  # each batch in two
    ix = open_index(tmp_path / "two", create=False)
    with ix.reader() as reader:
        assert all(for_leaf(leaf) is not None for leaf, _ in reader.leaf_readers())
    assert not writer.PREANALYSED  # the parent dropped what the child used


@needs_fork
def test_a_failing_child_leaves_the_batch_to_the_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _documents(40)
    add_documents(tmp_path / "one", items)
    _force_fork(monkeypatch)

    def fail(*_args: Any) -> Any:
        raise RuntimeError("child fails on purpose (test)")

    monkeypatch.setattr(writer, "_write_segment", fail)  # the child runs the patched module
    add_documents(tmp_path / "two", items)
    assert _contents(tmp_path / "two") == _contents(tmp_path / "one")
    assert len(_segments(tmp_path / "two")) == 1
    leftovers = [p.name for p in (tmp_path / "two" / "index").iterdir()
                 if p.suffix not in (".toc", "") or p.name.endswith(".tmp")]
    assert all(seg.segment_id() in name for name in leftovers
               for seg in _segments(tmp_path / "two")), leftovers


def test_split_point_halves_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(os.environ, "GONGWEN_INDEX_FORK", "1")

    class Folder:
        storage = writer.FileStorage("/nonexistent")

    bodies = ["a" * 100, "b" * 100, "c" * 10, "d" * 500_000, "e" * 400_000]
    split = writer._split_point(Folder(), bodies)  # type: ignore[arg-type]
    if forked.can_fork():
        assert split == 4  # the first four hold just over CHILD_SHARE of the text
    else:
        assert split == 0
    assert writer._split_point(Folder(), ["short"] * 10) == 0  # below FORK_MIN_CHARS


def test_no_fork_when_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    class Folder:
        storage = writer.FileStorage("/nonexistent")

    _force_fork(monkeypatch)
    monkeypatch.setitem(os.environ, "GONGWEN_INDEX_FORK", "0")
    assert writer._split_point(Folder(), ["x" * 10] * 4) == 0  # type: ignore[arg-type]


def test_unset_forks_only_with_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    class Folder:
        storage = writer.FileStorage("/nonexistent")

    _force_fork(monkeypatch)
    monkeypatch.delitem(os.environ, "GONGWEN_INDEX_FORK")
    for idle, expected in ((False, 0), (True, 2)):
        monkeypatch.setattr(writer, "spare_core", lambda idle=idle: idle)
        assert writer._split_point(Folder(), ["x" * 10] * 4) == (  # type: ignore[arg-type]
            expected if forked.can_fork() else 0)


def test_spare_core_reads_the_runnable_count(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_open = builtins.open
    loads = {"busy": "3.00 2.00 1.00 9/120 4242\n", "idle": "3.00 2.00 1.00 1/120 4242\n"}

    for name, line in loads.items():
        path = tmp_path / name
        path.write_text(line, encoding="ascii")

        def fake_open(file: Any, *args: Any, path: Path = path, **kwargs: Any) -> Any:
            return real_open(path if file == "/proc/loadavg" else file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
        assert forked.spare_core(samples=2, pause=0) is (name == "idle")


def _children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
                    reason="needs /proc and 2 cores")
def test_sigkill_while_the_child_writes_then_rerun(home: Path, tmp_path: Path) -> None:
    """The ingest is killed during its last index pass, while the forked child writes: the
    child is gone soon after (it dies with its parent, or finishes a segment no TOC lists),
    and the rerun ends consistent, every document indexed once."""
    from tests.test_ingest_crash import FILES, _files_in_catalog, _ingest_process, _make_folder

    folder = _make_folder(tmp_path / "src", FILES)
    os.environ.update(GONGWEN_INDEX_FORK_MIN_CHARS="0", GONGWEN_INDEX_FORK="1")
    try:
        proc = _ingest_process(home, folder)
        deadline = time.monotonic() + 300
        child: list[int] = []
        pool_gone = False  # every file settled and no worker left: a child now is the writer
        while proc.poll() is None and time.monotonic() < deadline:
            if pool_gone or _files_in_catalog(home) >= FILES:
                child = _children(proc.pid)
                if child and pool_gone:
                    break
                pool_gone = not child
            time.sleep(0.005)
        assert child, "no forked index writer seen (the ingest ended first?)"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in child), "the forked writer outlived its parent"
        rerun = _ingest_process(home, folder)
        out, err = rerun.communicate(timeout=300)
    finally:
        del os.environ["GONGWEN_INDEX_FORK_MIN_CHARS"], os.environ["GONGWEN_INDEX_FORK"]
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["failed"] == [] and summary["unchanged"] == FILES
    with catalog(home) as conn:
        unsynced = conn.execute("SELECT COUNT(*) FROM documents WHERE synced = 0").fetchone()[0]
    assert unsynced == 0
    assert indexed_ids(home) == current_ids(home) and len(current_ids(home)) == FILES
    hits = Archive(home).search("专项123号", limit=3)["hits"]
    assert hits and "专项123号" in hits[0]["title"]


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
