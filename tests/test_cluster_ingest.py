"""``gongwen ingest --cluster``: files read on real Dask workers (a scheduler and two workers on
127.0.0.1), the catalog and the index written by the coordinator exactly as a local ingest does.

The cluster is ``$GONGWEN_TEST_DASK`` when set (``.ci/run`` starts one), else started here
(``tools/dask_local.py``); the tests skip when ``distributed`` is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import Archive
from tests.test_archive_support import (
    PROJECT,
    catalog,
    gongwen,
    notice_lines,
    sigkill_when,
    write_txt,
)
from tests.test_ingest_crash import _files_in_catalog, _make_folder

distributed = pytest.importorskip("distributed", reason="Dask（gongwen[cluster]）未安装")

from pipeline.archive.cluster import BATCH_BYTES, BATCH_FILES, next_batch  # needs distributed
from pipeline.archive.dispatch import Work
from tests import dask_plugins  # after the skip: needs distributed
from tools.dask_local import LocalDaskCluster

SAMPLE = [  # real files of the sample corpus: docx, txt, a legacy .doc, a classified copy, bad
    *(f"docx/{name}" for name in (
        "001_shenyi_minsheng.docx", "007_zhuren_huiyi_jiyao.docx", "010_jianghua_bimuhui.docx",
        "013_jueyi_jihua.docx", "016_tongzhi_lianhe.docx", "017_qingshi_jingfei.docx",
        "018_baogao_xinfang.docx", "019_pifu_lianluozhan.docx", "020_han_diaoyan.docx",
        "024_jianbao.docx", "027_tongbao_2010.docx", "028_gonggao.docx")),
    "txt-utf8/046_helin_minsheng_jiandu_shenyi_yijian.txt",
    "doc/057_bichuan_zhujian_ju_jianyi_dafu.doc",
    "bad/empty.docx", "bad/truncated.pdf",
]
QUERIES = ("民生实事 审议意见", "代表 建议 答复", "会议纪要", "信访", "经费 请示")


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[str]:
    """The address of a running cluster: ``$GONGWEN_TEST_DASK`` or two workers started here."""
    address = os.environ.get("GONGWEN_TEST_DASK")
    if address:
        yield address
        return
    with LocalDaskCluster(workers=2) as cluster:
        yield cluster.address


@pytest.fixture
def client(dask_cluster: str) -> Iterator[distributed.Client]:
    import cloudpickle

    cloudpickle.register_pickle_by_value(dask_plugins)  # workers need not import the tests
    with distributed.Client(dask_cluster, set_as_default=False) as connected:
        yield connected


@pytest.fixture
def disposable_worker(dask_cluster: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """A third worker (no nanny: a SIGKILL ends it for good) for this test alone."""
    cluster = LocalDaskCluster.joining(dask_cluster)
    try:
        yield "disposable", cluster.add_worker("disposable", nanny=False)
    finally:
        cluster.stop()


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The arguments of every task this process submits: (files, their bytes, settings)."""
    calls: list[tuple] = []
    real_submit = distributed.Client.submit

    def recording_submit(self, func, *args, **kwargs):
        calls.append(args)
        return real_submit(self, func, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "submit", recording_submit)
    return calls


def _names(submitted: list[tuple]) -> list[list[str]]:
    return [[file.name for file in files] for files, _payloads, _settings in submitted]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> Path:
    """SAMPLE, two members of a zip and a byte-identical copy."""
    folder = tmp_path_factory.mktemp("cluster-sample")
    for name in SAMPLE:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_corpus / "generated" / name, folder / name)
    with zipfile.ZipFile(folder / "members.zip", "w") as bundle:
        bundle.write(sample_corpus / "generated/docx/021_gongzuo_zongjie.docx", "zip/总结.docx")
        bundle.writestr("zip/通知.txt", "\n".join(notice_lines(7)))
    shutil.copy(folder / "docx/013_jueyi_jihua.docx", folder / "copy_of_013.docx")
    return folder


@pytest.fixture(scope="module")
def trained_home(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> Path:
    """A home with a lexicon and models learnt from other documents (what the bundle ships)."""
    home = tmp_path_factory.mktemp("trained-home")
    source = tmp_path_factory.mktemp("training-source")
    for path in sorted((sample_corpus / "generated" / "docx").glob("0[3-9]*.docx")):
        if path.stem not in {Path(name).stem for name in SAMPLE}:
            shutil.copy(path, source / path.name)
    archive = Archive(home)
    archive.ingest([source], workers=2, progress=False)
    assert archive.train()["genre_model"]
    (home / "lexicon.txt").write_text("民生实事\n联络站\n", encoding="utf-8")
    return home


def _copy_home(trained: Path, target: Path) -> Path:
    shutil.copytree(trained, target)
    return target


def _documents(home: Path) -> dict[str, tuple]:
    with catalog(home) as conn:
        rows = conn.execute("SELECT id, sha256, title, genre, doc_number, date, issuer, state,"
                            " is_current, chain, text_key, doc_json, meta_json, nearsig"
                            " FROM documents WHERE run_id = (SELECT MAX(id) FROM runs)")
        return {row["id"]: tuple(row) for row in rows}


def _files(home: Path) -> list[tuple]:
    with catalog(home) as conn:
        return sorted(tuple(row) for row in conn.execute(
            "SELECT path, sha256, sm3, size, format, pages, doc_id, role, is_current FROM files"))


def _hits(home: Path) -> list[list[tuple]]:
    archive = Archive(home)
    return [[(hit["id"], hit["title"], hit["genre"]) for hit in archive.search(q, limit=10)["hits"]]
            for q in QUERIES]


@pytest.mark.slow
def test_cluster_ingest_gives_the_same_catalog_and_search(
        trained_home: Path, sample: Path, dask_cluster: str, tmp_path: Path) -> None:
    local_home = _copy_home(trained_home, tmp_path / "local")
    cluster_home = _copy_home(trained_home, tmp_path / "cluster")
    local = Archive(local_home).ingest([sample], workers=2, progress=False)
    clustered = Archive(cluster_home).ingest([sample], progress=False, cluster=dask_cluster)
    # the coordinator leaves no thread behind (its later index passes may fork only then)
    assert [thread.name for thread in threading.enumerate()] == ["MainThread"]

    for summary in (local, clustered):
        summary.pop("seconds")
        summary["failed"].sort(key=lambda item: item["path"])
    assert clustered == local
    assert clustered["added"] >= 12 and clustered["duplicates"] >= 1
    assert {Path(f["path"]).name for f in clustered["failed"]} == {"empty.docx", "truncated.pdf"}
    assert len(clustered["quarantined"]) == 1  # 018 is marked 秘密
    documents = _documents(local_home)
    assert _documents(cluster_home) == documents  # ids, titles, genres, hashes, the whole model
    assert any("zip/总结.docx" in (row[11] or "") for row in documents.values())  # doc_json
    assert _files(cluster_home) == _files(local_home)
    hits = _hits(local_home)
    assert any(hits) and _hits(cluster_home) == hits
    assert Archive(cluster_home).verify()["ok"]


@pytest.mark.slow
def test_workers_get_bytes_never_the_coordinators_paths(
        sample: Path, dask_cluster: str, client: distributed.Client, home: Path,
        tmp_path: Path, submitted: list[tuple]) -> None:
    source = tmp_path / "source"
    shutil.copytree(sample / "docx", source)
    client.register_plugin(dask_plugins.OpenAudit([str(tmp_path), str(sample)]))
    try:
        summary = Archive(home).ingest([source], progress=False, cluster=dask_cluster)
        opened = client.run(dask_plugins.audit_log)
    finally:
        client.unregister_worker_plugin(dask_plugins.OpenAudit.name)
    assert summary["added"] + len(summary["quarantined"]) == len(list(source.iterdir()))
    sent = [(task, data) for files, payloads, _settings in submitted
            for task, data in zip(files, payloads, strict=True)]
    assert sorted(task.name for task, _data in sent) == sorted(p.name for p in source.iterdir())
    for task, data in sent:
        assert isinstance(data, bytes) and data == (source / task.name).read_bytes()
        assert task.shown_path == str(source / task.name)  # a label: the audit shows it unread
    assert opened and all(log == "" for log in opened.values()), opened


def _cluster_ingest_process(home: Path, folder: Path, address: str) -> subprocess.Popen:
    env = dict(os.environ, GONGWEN_HOME=str(home))
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli.main", "ingest", str(folder), "--cluster", address,
         "--json", "--no-progress"],
        cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _assert_consistent(home: Path, count: int) -> None:
    with catalog(home) as conn:
        paths = [row[0] for row in conn.execute("SELECT path FROM files")]
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        unsynced = conn.execute("SELECT COUNT(*) FROM documents WHERE synced = 0").fetchone()[0]
    assert len(paths) == len(set(paths)) == count  # every file, once
    assert docs == count and unsynced == 0
    verify = gongwen("verify", "--json", "--no-progress", home=home)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout)["ok"]


@pytest.mark.slow
def test_sigkill_of_the_client_midway_then_rerun(home: Path, tmp_path: Path, dask_cluster: str,
                                                  client: distributed.Client) -> None:
    count = 300
    folder = _make_folder(tmp_path / "src", count)
    # batched small files are read faster than the catalog commits (each second): each read is
    # slowed a little so that the kill falls between two commits, not after the last
    for path in folder.rglob("*.txt"):
        path.rename(path.with_name(f"{dask_plugins.SLOW}-{path.name}"))
    client.register_plugin(dask_plugins.Misbehave())
    try:
        proc = _cluster_ingest_process(home, folder, dask_cluster)
        sigkill_when(proc, lambda: _files_in_catalog(home) >= 40)
    finally:
        client.unregister_worker_plugin(dask_plugins.Misbehave.name)
    killed_at = _files_in_catalog(home)
    assert 0 < killed_at < count

    rerun = _cluster_ingest_process(home, folder, dask_cluster)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["failed"] == []
    assert summary["unchanged"] + summary["added"] == count
    assert summary["unchanged"] >= killed_at
    _assert_consistent(home, count)
    hits = Archive(home).search("专项123号", limit=3)["hits"]
    assert hits and "专项123号" in hits[0]["title"]


@pytest.mark.slow
def test_sigkill_of_a_worker_midway(home: Path, tmp_path: Path, dask_cluster: str,
                                    client: distributed.Client,
                                    disposable_worker: tuple[str, subprocess.Popen]) -> None:
    name, worker = disposable_worker
    count = 300
    folder = _make_folder(tmp_path / "src", count)
    proc = _cluster_ingest_process(home, folder, dask_cluster)
    address = next(addr for addr, info in client.scheduler_info()["workers"].items()
                   if info.get("name") == name)
    deadline = time.monotonic() + 240
    while (not client.processing(workers=[address]).get(address)
           and time.monotonic() < deadline and proc.poll() is None):
        time.sleep(0.02)
    assert proc.poll() is None and client.processing(workers=[address]).get(address), \
        "the third worker never got a file before the ingest ended: make more files"
    os.kill(worker.pid, signal.SIGKILL)  # mid-file: the scheduler gives its tasks to the others
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    summary = json.loads(out)
    assert summary["failed"] == [] and summary["added"] == count
    _assert_consistent(home, count)


def _ingest_misbehaving(client: distributed.Client, home: Path, folder: Path,
                        address: str) -> dict:
    """An ingest of ``folder`` on workers whose readers misbehave on the files named so."""
    client.register_plugin(dask_plugins.Misbehave())
    try:
        return Archive(home).ingest([folder], progress=False, cluster=address)
    finally:
        client.unregister_worker_plugin(dask_plugins.Misbehave.name)


@pytest.mark.slow
def test_a_file_that_kills_workers_again_and_again_fails(
        home: Path, tmp_path: Path, dask_cluster: str, client: distributed.Client,
        submitted: list[tuple]) -> None:
    """The file shares its task with others (a batch): they are read again one by one, and only
    the file that kills its worker when alone fails."""
    folder = tmp_path / "src"
    for n in range(24):
        write_txt(folder / f"n{n:02d}.txt", notice_lines(n))
    write_txt(folder / f"n05-{dask_plugins.KILL_WORKER}.txt", notice_lines(30))
    summary = _ingest_misbehaving(client, home, folder, dask_cluster)
    client.wait_for_workers(2, timeout=120)  # the nannies bring the workers back
    assert summary["added"] == 24, summary
    assert [Path(item["path"]).stem for item in summary["failed"]] == [
        f"n05-{dask_plugins.KILL_WORKER}"]
    killer = f"n05-{dask_plugins.KILL_WORKER}.txt"
    tasks = [names for names in _names(submitted) if killer in names]
    assert len(tasks[0]) > 1 and tasks[-1] == [killer], tasks  # in a batch, then alone
    assert "计算节点多次异常退出" in summary["failed"][0]["error"]


@pytest.mark.slow
def test_workers_analyses_are_used_by_the_index(trained_home: Path, sample: Path,
                                                 dask_cluster: str, tmp_path: Path) -> None:
    """A worker analyses each text for the index under the coordinator's lexicon (the bundle's
    lexicon.txt from another path): a fresh coordinator takes every analysis a local ingest
    takes, instead of analysing the text again."""
    script = (
        "import sys, json\n"
        "from pipeline import Archive\n"
        "from pipeline.index import writer\n"
        "counts = {'hit': 0, 'miss': 0}\n"
        "take = writer.Preanalysed.take\n"
        "def counting(self, field, value):\n"
        "    found = take(self, field, value)\n"
        "    counts['hit' if found is not None else 'miss'] += 1\n"
        "    return found\n"
        "writer.Preanalysed.take = counting\n"
        "home, source, cluster = sys.argv[1:4]\n"
        "Archive(home).ingest([source], progress=False, workers=2, cluster=cluster or None)\n"
        "print(json.dumps(counts))\n")
    counts = []
    for name, cluster in (("local", ""), ("cluster", dask_cluster)):
        home = _copy_home(trained_home, tmp_path / name)
        ran = subprocess.run([sys.executable, "-c", script, str(home), str(sample / "docx"),
                              cluster], cwd=PROJECT, capture_output=True, text=True, timeout=300,
                             env=dict(os.environ, PYTHONPATH=str(PROJECT)), check=False)
        assert ran.returncode == 0, ran.stderr
        counts.append(json.loads(ran.stdout.strip().splitlines()[-1]))
    assert counts[0]["hit"] > 0 and counts[1] == counts[0]


@pytest.mark.slow
def test_cli_refuses_an_unreachable_cluster_and_workers_with_cluster(
        home: Path, tmp_path: Path) -> None:
    import socket

    write_txt(tmp_path / "a.txt", notice_lines(1))
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        nowhere = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    both = gongwen("ingest", str(tmp_path / "a.txt"), "--cluster", nowhere, "--workers", "2",
                   "--json", home=home)
    assert both.returncode == 2 and "--cluster" in json.loads(both.stdout)["error"]
    bad = gongwen("ingest", str(tmp_path / "a.txt"), "--cluster", "http://x", "--json", home=home)
    assert bad.returncode == 2 and "集群地址" in json.loads(bad.stdout)["error"]
    unreachable = gongwen("ingest", str(tmp_path / "a.txt"), "--cluster", nowhere, "--json",
                          home=home, timeout=120)
    assert unreachable.returncode == 1, unreachable.stderr
    assert "无法连接计算集群" in json.loads(unreachable.stdout)["error"]
    with catalog(home) as conn:  # the CLI opens the catalog (use record); no run started
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0


def _work(name: str, size: int, key: int = 0) -> Work:
    return Work(key, name, f"/in/{name}", None, Path(f"/stored/{key}"), size)


def test_small_files_of_quick_formats_share_a_task_and_the_last_are_spread() -> None:
    works = deque(_work(f"n{k}.txt", 1000, k) for k in range(100))
    first = next_batch(works, threads=2)
    assert len(first) == BATCH_FILES and [w.key for w in first] == list(range(BATCH_FILES))
    sizes = []
    while works:
        sizes.append(len(next_batch(works, threads=2)))
    assert sum(sizes) == 100 - BATCH_FILES  # every file once, in order
    assert sizes[-4:] == [1, 1, 1, 1]  # the last ones one a task: every thread gets some
    assert sizes == sorted(sizes, reverse=True)


def test_scans_office_files_and_large_files_go_alone() -> None:
    names = ["a.txt", "scan.pdf", "b.md", "c.doc", "d.docx", "e.jpg", "f.html", "g.wps",
             "h.txt", "big.txt", "i.txt", "j.ofd", "k.unknown", "l.txt"]
    works = deque(_work(name, BATCH_BYTES + 1 if name == "big.txt" else 2000, key)
                  for key, name in enumerate(names * 10))
    batches = []
    while works:
        batches.append([work.name for work in next_batch(works, threads=1)])
    assert sorted(n for batch in batches for n in batch) == sorted(names * 10)
    assert any(len(batch) > 1 for batch in batches)
    for batch in batches:
        if len(batch) > 1:
            assert all(Path(n).suffix in {".txt", ".md", ".docx", ".html"} for n in batch)
            assert "big.txt" not in batch


def test_a_batch_is_bounded_in_bytes() -> None:
    works = deque(_work(f"n{k}.txt", BATCH_BYTES // 3, k) for k in range(200))
    batch = next_batch(works, threads=1)
    assert len(batch) == 3 and sum(w.size for w in batch) <= BATCH_BYTES


@pytest.mark.slow
def test_a_batch_of_small_files_with_bad_crashing_and_large_ones(
        home: Path, tmp_path: Path, dask_cluster: str, client: distributed.Client,
        sample_corpus: Path, monkeypatch: pytest.MonkeyPatch, submitted: list[tuple]) -> None:
    """Many small files read several to a task: a bad file, a file that crashes its reader
    process and a file that hangs fail alone with their reasons, in the middle of their
    batches; a file over the batch's bytes goes alone; every other file gets its own result."""
    folder = tmp_path / "src"
    for n in range(60):
        write_txt(folder / f"n{n:02d}.txt", notice_lines(n))
    write_txt(folder / f"n05-{dask_plugins.CRASH}.txt", notice_lines(70))
    write_txt(folder / f"n25-{dask_plugins.HANG}.txt", notice_lines(71))
    (folder / "n15-bad.docx").write_bytes(b"PK\x03\x04 not really a docx")
    shutil.copy(sample_corpus / "generated/docx/016_tongzhi_lianhe.docx", folder / "n33.docx")
    large = notice_lines(72)
    write_txt(folder / "n40-large.txt",
              large[:5] + [f"{k}、{large[4]}" for k in range(BATCH_BYTES // 110)] + large[5:])
    assert (folder / "n40-large.txt").stat().st_size > BATCH_BYTES
    monkeypatch.setenv("GONGWEN_FILE_TIMEOUT", "8")  # the workers take the coordinator's limit
    summary = _ingest_misbehaving(client, home, folder, dask_cluster)
    failed = {Path(item["path"]).name: item["error"] for item in summary["failed"]}
    assert set(failed) == {f"n05-{dask_plugins.CRASH}.txt", f"n25-{dask_plugins.HANG}.txt",
                           "n15-bad.docx"}, failed
    assert "异常退出" in failed[f"n05-{dask_plugins.CRASH}.txt"]
    assert "超时" in failed[f"n25-{dask_plugins.HANG}.txt"]
    assert summary["added"] == 62 and summary["quarantined"] == []
    batches = _names(submitted)
    for name in failed:  # each bad file was read inside a batch, with files after it
        batch = next(names for names in batches if name in names)
        assert len(batch) > 1 and batch[-1] != name, batches
    assert ["n40-large.txt"] in batches
    assert sorted(n for names in batches for n in names) == sorted(p.name for p in
                                                                   folder.iterdir())
    with catalog(home) as conn:  # each file's own document, not a neighbour's
        rows = conn.execute("SELECT f.path, d.title FROM files f JOIN documents d"
                            " ON d.id = f.doc_id").fetchall()
    titles = {Path(path).name: title for path, title in rows}
    assert len(titles) == 62
    for n in range(60):
        assert f"第{n}批" in titles[f"n{n:02d}.txt"], (n, titles[f"n{n:02d}.txt"])
    assert "第72批" in titles["n40-large.txt"]
    assert Archive(home).verify()["ok"]
