"""``gongwen verify``: stored originals re-hashed against the catalog, index against catalog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.index.writer import delete_documents
from tests.test_archive_support import catalog, gongwen

FILES = ("docx/001_shenyi_minsheng.docx", "txt-utf8/012_jianghua_zhuanti_xunwen.txt",
         "txt-gb18030/008_dangzu_huiyi_jiyao.txt", "docx/018_baogao_xinfang.docx")  # 018: 秘密


@pytest.fixture()
def archive(tmp_path: Path, sample_corpus: Path) -> Archive:
    source = tmp_path / "source"
    source.mkdir()
    for name in FILES:
        shutil.copy(sample_corpus / "generated" / name, source)
    shutil.copy(source / "001_shenyi_minsheng.docx", source / "001_副本.docx")  # a duplicate
    archive = Archive(tmp_path / "home")
    summary = archive.ingest([source], workers=1, progress=False)
    assert summary["added"] == 3 and summary["duplicates"] == 1 and len(summary["quarantined"]) == 1
    return archive


def _stored(archive: Archive, name: str) -> str:
    with catalog(archive.home.root) as conn:
        return conn.execute("SELECT stored FROM files WHERE path LIKE ?", (f"%{name}",)).fetchone()[0]


def test_an_intact_archive_passes(archive: Archive) -> None:
    report = archive.verify()
    assert report["ok"] and report["problems"] == []
    assert report["files"] == 4  # the duplicate shares its copy; the classified one is checked too
    assert report["index"] == {"documents": 3, "missing": [], "extra": [], "stale": False}


def test_damaged_and_missing_originals_are_named_with_their_sources(archive: Archive) -> None:
    damaged = archive.home.stored(_stored(archive, "012_jianghua_zhuanti_xunwen.txt"))
    data = bytearray(damaged.read_bytes())
    data[100] ^= 0x01  # one flipped bit, same size
    damaged.write_bytes(bytes(data))
    archive.home.stored(_stored(archive, "001_shenyi_minsheng.docx")).unlink()
    shrunk = archive.home.stored(_stored(archive, "008_dangzu_huiyi_jiyao.txt"))
    shrunk.write_bytes(shrunk.read_bytes()[:-10])
    problems = {Path(p["sources"][0]).name: (p["problem"], p["sources"])
                for p in archive.verify()["problems"]}
    assert problems["012_jianghua_zhuanti_xunwen.txt"][0] == "SHA-256、SM3 校验值不符（文件内容已被改动）"
    assert problems["008_dangzu_huiyi_jiyao.txt"][0].startswith("大小不符")
    missing, sources = next(v for k, v in problems.items() if k.startswith("001_"))
    assert missing == "存档副本缺失" and len(sources) == 2  # both files that share the copy
    assert len(problems) == 3


def test_index_drift_is_reported_and_the_next_ingest_repairs_it(archive: Archive,
                                                                tmp_path: Path) -> None:
    doc_id = archive.search("专题询问")["hits"][0]["id"]
    delete_documents(archive.home.root, [doc_id])
    report = gongwen("verify", "--json", "--no-progress", home=archive.home.root)
    assert report.returncode == 1
    assert json.loads(report.stdout)["index"]["missing"] == [doc_id]
    text = gongwen("verify", "--no-progress", home=archive.home.root)
    assert "索引缺少 1 件" in text.stdout and "gongwen ingest" in text.stdout
    archive.ingest([tmp_path / "source"], workers=1, progress=False)  # nothing new: only re-syncs
    assert archive.verify()["ok"]
    assert "✓" in gongwen("verify", "--no-progress", home=archive.home.root).stdout
