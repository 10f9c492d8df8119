"""Catalog, hashing, linking rules and the walker, on real files and a real SQLite catalog."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.archive.catalog import (
    connect,
    corrections,
    edit_document,
    get_document,
    iter_documents,
    split_list,
)
from pipeline.archive.hashing import _GmsslSm3, fixity
from pipeline.archive.linking import number_key, similarity, text_key
from pipeline.archive.walk import is_skipped, walk
from pipeline.home import Home
from pipeline.model import Document
from tests.test_archive_support import notice_lines, write_docx, write_txt


def test_catalog_is_wal_with_schema(home: Path) -> None:
    conn = connect(Home(home))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "files", "runs", "outcomes", "corrections"} <= tables
    conn.close()


def test_sm3_matches_gmssl_reference() -> None:
    data = "机密文件的完整性校验：国密 SM3".encode() * 50
    sha256, sm3 = fixity(data)
    reference = _GmsslSm3()
    reference.update(data)
    assert sm3 == reference.hexdigest()
    assert fixity(b"abc")[1] == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert len(sha256) == 64


def test_number_key_ignores_bracket_style() -> None:
    assert number_key("国发〔2019〕5号") == number_key("国发[2019]5号") == number_key("国发（2019）5号")
    assert number_key("国发〔2019〕5号") != number_key("国发〔2019〕6号")
    assert number_key(None) is None


def test_text_key_and_similarity() -> None:
    a = Document(path="a", format="txt", body="一、总体要求。\n坚持稳中求进。" * 5)
    b = Document(path="b", format="docx", body="一、总体要求 坚持“稳中求进”" * 5)
    assert text_key(a) == text_key(b)  # spaces and punctuation do not matter
    assert similarity(a.body, b.body) > 0.9
    assert similarity(a.body, "完全不同的另一份文件内容，讲的是防汛抗旱。") < 0.1
    assert text_key(Document(path="c", format="txt", body="短")) is None


def test_walker_skips_litter_and_decodes_gbk_zip_names(tmp_path: Path) -> None:
    assert is_skipped("~$草稿.docx") and is_skipped(".DS_Store") and is_skipped("x.tmp")
    assert not is_skipped("关于……的通知.docx")
    bundle = tmp_path / "gbk.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("abcd.txt", "内容")
    gbk_name = "通知.txt".encode("gbk")  # raw GBK, no UTF-8 flag: as Windows tools write it
    assert len(gbk_name) == len(b"abcd.txt")
    bundle.write_bytes(bundle.read_bytes().replace(b"abcd.txt", gbk_name))
    (candidate,) = list(walk([bundle]))
    assert candidate.path == f"{bundle}!通知.txt" and candidate.error is None
    (broken,) = list(walk([write_txt(tmp_path / "fake.zip", ["not a zip"])]))
    assert "zip" in broken.error and "损坏" in broken.error


def test_walker_follows_linked_folders_once_and_keeps_links_inside_when_asked(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "收文", tmp_path / "elsewhere"
    write_txt(root / "a.txt", ["甲"])
    write_txt(elsewhere / "b.txt", ["乙"])
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    (root / "up").symlink_to(root, target_is_directory=True)  # a loop
    found = {c.path: c.error for c in walk([root])}
    assert found == {str(root / "a.txt"): None, str(root / "linked" / "b.txt"): None}
    confined = {c.path: c.error for c in walk([root], within=[root.resolve()])}
    assert confined[str(root / "a.txt")] is None
    assert "允许入库的目录之外" in confined[str(root / "linked")]
    assert str(root / "linked" / "b.txt") not in confined


def test_iter_get_edit_and_corrections(home: Path, tmp_path: Path) -> None:
    write_txt(tmp_path / "src" / "a.txt", notice_lines(1))
    write_docx(tmp_path / "src" / "b.docx", notice_lines(2, topic="防汛抗旱"))
    archive = Archive(home)
    archive.ingest([tmp_path / "src"], workers=1, progress=False)
    docs = dict(iter_documents(archive.home))
    assert len(docs) == 2
    doc_id = next(i for i, d in docs.items() if "防汛抗旱" in (d.title or ""))
    with pytest.raises(KeyError):
        get_document(archive.home, "ffffffffffffffff")
    with pytest.raises(ValueError, match="不能修改"):
        edit_document(archive.home, doc_id, {"path": "/etc/passwd"})
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        edit_document(archive.home, doc_id, {"date": "2023年5月1日"})
    edited = archive.edit(doc_id[:8], {"genre": "通报", "topics": "防汛、应急", "cc": "甲，乙"})
    assert edited["id"] == doc_id and edited["genre"] == "通报"  # a prefix names the document
    assert corrections(archive.home) == {doc_id: {"genre": "通报", "topics": "防汛、应急", "cc": "甲，乙"}}
    assert [i for i, _d in iter_documents(archive.home, genre="通报")] == [doc_id]
    shown = get_document(archive.home, doc_id)
    assert shown["cc"] == ["甲", "乙"] and shown["archive"]["meta"]["topics"] == ["防汛", "应急"]
    assert split_list("甲、乙,丙；丁") == ["甲", "乙", "丙", "丁"]
