"""The yearbook cache (``<home>/cache/yearbook.sqlite``): a second call answers from it with the
same result, and a correction, new text or a broken cache file never gives a stale answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.archive.catalog import iter_documents
from pipeline.excerpts import cache

MINUTES = """区人大常委会2021年工作纪事

2021年，区人大常委会组织开展优化营商环境执法检查。
6月18日，区人大常委会召开第二十九次会议，审议通过关于2020年区级决算的决议。
全年召开常委会会议九次，听取审议专项工作报告二十八项，收到群众来信二百余件。

区人大常委会办公室
2021年12月28日
"""


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "jishi.txt").write_text(MINUTES, encoding="utf-8")
    home = tmp_path / "home"
    summary = Archive(home).ingest([source], workers=1, progress=False)
    assert summary["added"] == 1, summary
    return home


def _answers(archive: Archive) -> list[dict]:
    return [archive.stats(), archive.chronicle(), archive.stats(year=2021, limit=2)]


def test_second_call_is_answered_from_the_cache_with_the_same_result(home: Path) -> None:
    archive = Archive(home)
    first = _answers(archive)
    assert archive.home.yearbook_cache.is_file()
    calls: list[str] = []

    def counting(doc_id, doc):  # noqa: ANN001, ANN202 - a compute that records being asked
        calls.append(doc_id)
        return []

    assert len(list(cache.per_document(archive.home, "facts", counting))) == 1
    assert calls == []  # every document came from the cache
    assert _answers(archive) == first
    assert any(e["date"] == "2021-06-18" for e in first[1]["events"])
    assert any(f["value"] == 9 and f["unit"] == "次" for f in first[0]["facts"])


def test_a_correction_is_seen_by_the_next_call(home: Path) -> None:
    archive = Archive(home)
    before = archive.chronicle()
    assert {e["date"][:4] for e in before["events"]} == {"2021"}
    doc_id = before["events"][0]["doc_id"]
    archive.edit(doc_id, {"date": "2022-12-28", "title": "区人大常委会2022年工作纪事"})
    after = archive.chronicle()
    assert "2022-06-18" in {e["date"] for e in after["events"]}  # the year now comes from 2022
    assert _counts(archive) == {9}
    body = next(doc.body for _, doc in iter_documents(archive.home))
    archive.edit(doc_id, {"body": body.replace("九次", "十次")})
    assert _counts(archive) == {10}


def _counts(archive: Archive) -> set:
    return {f["value"] for f in archive.stats()["facts"] if f["metric"] == "召开常委会会议"}


def test_changed_code_or_a_broken_cache_file_recomputes(home: Path, monkeypatch) -> None:  # noqa: ANN001
    archive = Archive(home)
    first = _answers(archive)
    path = archive.home.yearbook_cache
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"not a database")
    assert _answers(archive) == first
    shutil.rmtree(path.parent)
    path.parent.write_text("a file where the cache folder should be", encoding="utf-8")
    assert _answers(archive) == first  # cannot write the cache: only slower
    path.parent.unlink()
    monkeypatch.setattr(cache, "code_version", lambda: "other code")
    calls: list[str] = []
    list(cache.per_document(archive.home, "facts", lambda doc_id, doc: calls.append(doc_id) or []))
    assert len(calls) == 1  # (and it stored [] as the facts under the other code's fingerprint)
    monkeypatch.undo()
    assert json.dumps(_answers(archive), ensure_ascii=False) == json.dumps(first, ensure_ascii=False)
