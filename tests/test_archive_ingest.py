"""Batch ingest on real files in tmp_path, with the real readers, catalog and Whoosh index."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.archive import worker as worker_module
from pipeline.archive.catalog import QuarantinedError, get_document, iter_documents
from pipeline.home import Home
from pipeline.index.writer import indexed_ids
from tests.test_archive_support import (
    catalog,
    current_ids,
    notice_lines,
    write_docx,
    write_txt,
)

CJK_NAME = "关于做好安全生产检查工作的通知.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for n in range(1, 4):
        write_txt(src / f"notice{n}.txt", notice_lines(n))
    write_docx(src / "sub" / "notice4.docx", notice_lines(4))
    write_txt(src / ".hidden.txt", notice_lines(90))
    write_txt(src / "~$notice4.docx", ["lock file"])
    (src / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return src


def ingest(home: Path, *paths: Path, workers: int = 2) -> dict:
    return Archive(home).ingest(paths, workers=workers, progress=False)


def test_folder_ingest_then_rerun_adds_nothing(home: Path, folder: Path) -> None:
    summary = ingest(home, folder)
    assert summary["added"] == 4, summary
    assert summary["failed"] == [] and summary["quarantined"] == []
    assert summary["seconds"] >= 0
    assert indexed_ids(home) == current_ids(home)
    with catalog(home) as conn:
        paths = {row["path"] for row in conn.execute("SELECT path FROM files")}
    assert not any(".hidden" in p or "~$" in p or ".DS_Store" in p for p in paths)

    again = ingest(home, folder)
    assert (again["added"], again["updated"], again["duplicates"], again["unchanged"]) == (0, 0, 0, 4)

    os.utime(folder / "notice1.txt", (time.time() + 50, time.time() + 50))  # touched, same bytes
    touched = ingest(home, folder)
    assert touched["unchanged"] == 4 and touched["added"] == 0


def test_zip_members_are_ingested_safely(home: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("年度/" + CJK_NAME, "\n".join(notice_lines(5)))
        zf.writestr("年度/notice6.txt", "\n".join(notice_lines(6)))
        zf.writestr("../escape.txt", "\n".join(notice_lines(7)))
        zf.writestr("inner.zip", b"PK\x05\x06" + b"\0" * 18)
        zf.writestr("__MACOSX/._x.txt", "junk")
        zf.writestr("bomb.txt", "\u3000" * 3_000_000)  # 9 MB that compresses ~1000:1
    summary = ingest(home, bundle)
    assert summary["added"] == 2, summary
    reasons = {Path(f["path"]).name: f["error"] for f in summary["failed"]}
    assert "不安全" in reasons["escape.txt"]
    assert "嵌套" in reasons["bundle.zip!inner.zip"]
    assert "压缩炸弹" in reasons["bundle.zip!bomb.txt"]
    assert not (tmp_path / "escape.txt").exists()
    docs = dict(iter_documents(Home(home)))
    assert any(d.path == f"{bundle}!年度/{CJK_NAME}" for d in docs.values())
    assert ingest(home, bundle)["unchanged"] == 2


def test_changed_file_becomes_new_version(home: Path, folder: Path) -> None:
    ingest(home, folder)
    old_id = _id_of(home, folder / "notice2.txt")
    lines = notice_lines(2)
    lines[5] = "二、时间安排。检查时间调整为六月，为期三周，另行通知具体安排。"
    write_txt(folder / "notice2.txt", lines)
    summary = ingest(home, folder)
    assert (summary["updated"], summary["added"], summary["unchanged"]) == (1, 0, 3), summary
    new_id = _id_of(home, folder / "notice2.txt")
    assert new_id != old_id
    assert old_id not in current_ids(home) and new_id in current_ids(home)
    assert indexed_ids(home) == current_ids(home)
    shown = get_document(Home(home), new_id)
    versions = shown["archive"]["versions"]
    assert [v["id"] for v in versions] == [old_id, new_id]
    assert [v["current"] for v in versions] == [False, True]
    assert get_document(Home(home), old_id)["archive"]["current_id"] == new_id


@pytest.mark.parametrize("newer", ["a.txt", "b.txt"])
def test_two_versions_in_one_batch_the_newer_file_is_current(home: Path, tmp_path: Path,
                                                              newer: str) -> None:
    """Same 文号 and date, different text, ingested together: the current version must not
    depend on which worker finished last."""
    lines = notice_lines(2)
    changed = list(lines)
    changed[5] = "二、时间安排。检查时间调整为六月，为期三周，另行通知具体安排。"
    src = tmp_path / "src"
    write_txt(src / "a.txt", lines)
    write_txt(src / "b.txt", changed)
    older = "b.txt" if newer == "a.txt" else "a.txt"
    os.utime(src / older, (time.time() - 3600, time.time() - 3600))
    summary = ingest(home, src)
    assert summary["added"] + summary["updated"] == 2, summary
    assert current_ids(home) == {_id_of(home, src / newer)}
    assert indexed_ids(home) == current_ids(home)


def test_exact_duplicate_is_linked_not_added(home: Path, folder: Path, tmp_path: Path) -> None:
    ingest(home, folder)
    copy = tmp_path / "elsewhere" / "copy-of-notice1.txt"
    copy.parent.mkdir()
    shutil.copy(folder / "notice1.txt", copy)
    summary = ingest(home, copy)
    assert (summary["duplicates"], summary["added"]) == (1, 0)
    doc = get_document(Home(home), _id_of(home, folder / "notice1.txt"))
    assert doc["archive"]["duplicates"] == [str(copy)]
    assert len(current_ids(home)) == 4


def test_same_document_as_docx_and_txt_is_one_document(home: Path, tmp_path: Path) -> None:
    lines = notice_lines(8, topic="消防安全", number="某人常办〔2023〕8号")
    write_txt(tmp_path / "src" / "a.txt", lines)
    write_docx(tmp_path / "src" / "b.docx", lines)
    summary = ingest(home, tmp_path / "src")
    assert (summary["added"], summary["duplicates"]) == (1, 1), summary
    (doc_id,) = current_ids(home)
    assert indexed_ids(home) == {doc_id}
    renditions = get_document(Home(home), doc_id)["archive"]["renditions"]
    assert len(renditions) == 1 and renditions[0]["format"] in ("txt", "docx")
    hits = Archive(home).search("消防安全检查")["hits"]
    assert [h["id"] for h in hits] == [doc_id]


def test_classified_file_is_quarantined(home: Path, folder: Path) -> None:
    secret = write_txt(folder / "secret.txt",
                       ["000123", "机密★1年"] + notice_lines(9, topic="绝对机要事项"))
    summary = ingest(home, folder)
    assert [q["path"] for q in summary["quarantined"]] == [str(secret)]
    assert "机密" in summary["quarantined"][0]["reason"]
    with catalog(home) as conn:
        row = conn.execute("SELECT d.id, d.doc_json, f.stored FROM documents d JOIN files f"
                           " ON f.doc_id = d.id WHERE d.state = 'quarantined'").fetchone()
    assert row["doc_json"] is None  # nothing of its content is kept in the catalog
    assert (home / row["stored"]).read_bytes() == secret.read_bytes()  # but the original is kept
    assert row["id"] not in indexed_ids(home)
    assert all("机要" not in (d.title or "") for _i, d in iter_documents(Home(home)))
    with pytest.raises(QuarantinedError):
        get_document(Home(home), row["id"])
    found = Archive(home).search("绝对机要事项")
    # other notices may share a word (best match lists them, each naming what it lacks); the
    # classified one is never among them and nothing holds its words the way it does
    assert row["id"] not in {hit["id"] for hit in found["hits"]}
    assert found["all_words"] == 0 and all(hit["missing"] for hit in found["hits"])


def test_bad_files_fail_with_chinese_reasons_and_batch_goes_on(home: Path, folder: Path) -> None:
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 this is not a real docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.bin").write_bytes(os.urandom(2048))
    summary = ingest(home, folder, folder / "missing.txt")
    assert summary["added"] == 4
    failed = {Path(f["path"]).name: f["error"] for f in summary["failed"]}
    assert set(failed) == {"broken.docx", "empty.txt", "picture.bin", "missing.txt"}
    for reason in failed.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason
    assert "不存在" in failed["missing.txt"]
    with catalog(home) as conn:
        outcomes = conn.execute("SELECT COUNT(*) FROM outcomes WHERE outcome = 'failed'").fetchone()
    assert outcomes[0] == 4


def test_originals_survive_deleting_the_source(home: Path, folder: Path) -> None:
    digests = {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in folder.rglob("notice*") if p.is_file()}
    ingest(home, folder)
    shutil.rmtree(folder)
    with catalog(home) as conn:
        rows = conn.execute("SELECT path, stored, sha256, sm3 FROM files").fetchall()
    assert {row["path"] for row in rows} == set(digests)
    for row in rows:
        data = (home / row["stored"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] == digests[row["path"]]
        assert hashlib.new("sm3", data).hexdigest() == row["sm3"]
        assert row["stored"] == f"originals/{row['sha256'][:2]}/{row['sha256']}{Path(row['path']).suffix}"
    assert len(list(iter_documents(Home(home)))) == 4


def test_correction_survives_reingest(home: Path, folder: Path) -> None:
    ingest(home, folder)
    doc_id = _id_of(home, folder / "notice3.txt")
    edited = Archive(home).edit(doc_id, {"title": "关于开展第三批特种设备隐患排查的通知",
                                         "issuer": "区人大常委会办公室、区应急管理局"})
    assert edited["title"] == "关于开展第三批特种设备隐患排查的通知"
    assert edited["issuer"] == ["区人大常委会办公室", "区应急管理局"]
    assert Archive(home).search("特种设备隐患排查")["hits"][0]["id"] == doc_id
    shutil.rmtree(home / "index")  # even a lost index is rebuilt with the correction
    os.utime(folder / "notice3.txt", (time.time() + 90, time.time() + 90))
    ingest(home, folder)
    assert get_document(Home(home), doc_id)["title"] == "关于开展第三批特种设备隐患排查的通知"
    assert Archive(home).search("特种设备隐患排查")["hits"][0]["id"] == doc_id
    assert indexed_ids(home) == current_ids(home)


def test_a_corrected_body_is_what_snippets_show(home: Path, folder: Path) -> None:
    ingest(home, folder)
    doc_id = _id_of(home, folder / "notice3.txt")
    body = get_document(Home(home), doc_id)["body"]
    Archive(home).edit(doc_id, {"body": body + "\n请于月底前报送鸭绿江口湿地巡查台账。"})
    hit = Archive(home).search("湿地巡查台账")["hits"][0]
    assert hit["id"] == doc_id
    assert "【" in hit["snippets"][0] and "台账" in hit["snippets"][0]  # the passage, not the old text


def test_hung_and_crashing_files_do_not_stall_the_batch(home: Path, folder: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write_txt(folder / "hang.txt", notice_lines(20))
    write_txt(folder / "crash.txt", notice_lines(21))
    real_parse = worker_module.parse

    def misbehaving_parse(path: str):
        if path.endswith("hang.txt"):
            time.sleep(600)
        if path.endswith("crash.txt"):
            os._exit(3)  # a reader that takes its process down (e.g. a segfault in C code)
        return real_parse(path)

    monkeypatch.setattr(worker_module, "parse", misbehaving_parse)  # workers are forked
    monkeypatch.setenv("GONGWEN_FILE_TIMEOUT", "3")
    started = time.monotonic()
    summary = ingest(home, folder)
    assert time.monotonic() - started < 60
    assert summary["added"] == 4, summary
    failed = {Path(f["path"]).name: f["error"] for f in summary["failed"]}
    assert "超时" in failed["hang.txt"]
    assert "异常退出" in failed["crash.txt"]


def _id_of(home: Path, path: Path) -> str:
    with catalog(home) as conn:
        row = conn.execute("SELECT doc_id FROM files WHERE path = ? AND is_current = 1",
                           (str(path),)).fetchone()
    return row["doc_id"]


def test_file_reverted_to_earlier_content_keeps_its_rows(home: Path, folder: Path) -> None:
    original = (folder / "notice1.txt").read_bytes()
    ingest(home, folder)
    write_txt(folder / "notice1.txt", notice_lines(1, topic="食品安全"))
    assert ingest(home, folder)["updated"] == 1
    (folder / "notice1.txt").write_bytes(original)
    os.utime(folder / "notice1.txt", (time.time() + 120, time.time() + 120))
    summary = ingest(home, folder)
    assert (summary["duplicates"], summary["added"], summary["updated"]) == (1, 0, 0)
    with catalog(home) as conn:
        rows = conn.execute("SELECT role, is_current FROM files WHERE path = ? ORDER BY id",
                            (str(folder / "notice1.txt"),)).fetchall()
    assert [(r["role"], r["is_current"]) for r in rows] == [("original", 1), ("original", 0)]
    assert ingest(home, folder)["unchanged"] == 4
    assert indexed_ids(home) == current_ids(home)


def test_index_of_an_older_schema_is_rebuilt_from_the_catalog(home: Path, folder: Path) -> None:
    ingest(home, folder)
    before = Archive(home).search("安全生产", limit=10)
    assert before["total"] >= 1
    version = home / "index" / "VERSION"
    version.write_text("1", encoding="ascii")  # as if written by the previous index format
    (home / "index" / "PASSAGES_old.toc").write_bytes(b"")  # a leftover of that format
    after = Archive(home).search("安全生产", limit=10)
    assert version.read_text(encoding="ascii") != "1"
    assert not (home / "index" / "PASSAGES_old.toc").exists()
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]
    assert indexed_ids(home) == current_ids(home)
