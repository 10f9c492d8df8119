"""What ``Archive`` orders between two stages: an index written by an older version is written
again from the catalog before a search or an excerpt reads it (the index layer alone, with no
catalog, can only drop it), and an edit is recorded in the catalog, then written to the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.archive.catalog import edit_document, iter_documents
from pipeline.index.schema import SCHEMA_VERSION
from pipeline.index.search import search
from pipeline.index.writer import VERSION_FILE, indexed_ids

NOTICE = """关于做好汛期安全生产工作的通知

各乡镇人民政府，区政府各部门：
入汛以来，我区降雨明显偏多。各单位要落实防汛责任，加强堤防巡查，确保安全度汛。

区人民政府办公室
2023年6月1日
"""


@pytest.fixture()
def archive(tmp_path: Path) -> Archive:
    source = tmp_path / "source"
    source.mkdir()
    (source / "notice.txt").write_text(NOTICE, encoding="utf-8")
    archive = Archive(tmp_path / "home")
    assert archive.ingest([source], workers=1, progress=False)["added"] == 1
    return archive


def _as_an_older_version_left_it(archive: Archive) -> Path:
    version = archive.home.index / VERSION_FILE
    version.write_text(str(SCHEMA_VERSION - 1), encoding="ascii")
    return version


def test_excerpts_rebuild_an_index_of_an_older_version_first(
        archive: Archive, capsys: pytest.CaptureFixture) -> None:
    version = _as_an_older_version_left_it(archive)
    capsys.readouterr()
    passages = archive.excerpts("堤防巡查")["passages"]
    assert "正在根据目录重建索引" in capsys.readouterr().err
    assert version.read_text(encoding="ascii") == str(SCHEMA_VERSION)
    assert passages and "堤防巡查" in passages[0]["text"]


def test_a_bare_home_drops_an_index_of_an_older_version(archive: Archive) -> None:
    _as_an_older_version_left_it(archive)
    assert search(archive.home.root, "堤防巡查")["total"] == 0  # nothing to rebuild it from
    assert not archive.home.index.exists()
    ids = [doc_id for doc_id, _doc in iter_documents(archive.home)]
    assert archive.verify()["index"]["missing"] == ids  # written again by the next ingest


def test_an_edit_is_recorded_then_indexed(archive: Archive) -> None:
    doc_id = next(doc_id for doc_id, _doc in iter_documents(archive.home))
    assert edit_document(archive.home, doc_id, {"title": "关于汛期防汛抗旱的通知"}) == doc_id
    assert archive.search('"防汛抗旱"')["total"] == 0  # recorded, not yet in the index
    shown = archive.edit(doc_id, {"title": "关于汛期防汛抗旱的通知"})
    assert shown["title"] == "关于汛期防汛抗旱的通知"
    assert [hit["id"] for hit in archive.search('"防汛抗旱"')["hits"]] == [doc_id]
    assert indexed_ids(archive.home.root) == {doc_id}
