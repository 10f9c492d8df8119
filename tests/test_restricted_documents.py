"""内部 (restricted) documents: shown only to readers granted them, and nothing about them
reaches anyone else — not a total, a facet count, a suggestion, a near-copy, a fact or an event.
A real archive: text files ingested, the Whoosh index, the catalog."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline import Archive

OPEN = """关于开展垃圾分类示范小区创建工作的通知
各街道办事处：
为推进生活垃圾分类工作，区人民政府决定在全区开展垃圾分类示范小区创建工作。各街道要组织居民学习分类知识，设置分类投放点，做好宣传动员。创建工作自2023年6月起至2023年12月止，区城管局负责检查验收。
区人民政府
2023年5月20日
"""
# the same notice passed on by a street office, marked 内部: a near-copy, not a duplicate
INTERNAL_COPY = "内部资料\n" + OPEN.replace("各街道办事处：", "各社区居委会：\n现将区人民政府通知转发给你们，请遵照执行。").replace(
    "区人民政府\n2023年5月20日", "青岚街道办事处\n2023年5月25日")
INTERNAL_ONLY = """内部资料
关于鹦鹉螺计划试点工作的情况通报
各有关单位：
2023年5月10日，区人民政府召开鹦鹉螺计划推进会议，部署试点工作。全年开展鹦鹉螺专项检查12次，发现问题35个。鹦鹉螺计划试点范围包括三个街道。
区人民政府办公室
2023年6月1日
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    source = tmp_path_factory.mktemp("restricted-source")
    (source / "open.txt").write_text(OPEN, encoding="utf-8")
    (source / "internal_copy.txt").write_text(INTERNAL_COPY, encoding="utf-8")
    (source / "internal_only.txt").write_text(INTERNAL_ONLY, encoding="utf-8")
    home = tmp_path_factory.mktemp("restricted-home")
    summary = Archive(home).ingest([source], workers=1, progress=False)
    assert summary["added"] == 3, summary
    return Archive(home)


def _ids(archive: Archive) -> dict[str, str]:
    hits = archive.search("垃圾分类 OR 鹦鹉螺", limit=10)["hits"]
    return {Path(h["path"]).stem: h["id"] for h in hits}


def test_the_operator_sees_everything_a_reader_not_granted_sees_only_open(archive: Archive) -> None:
    reader = archive.viewing(False)
    assert set(_ids(archive)) == {"open", "internal_copy", "internal_only"}
    assert set(_ids(reader)) == {"open"}


def test_totals_facets_and_suggestions_know_nothing_of_them(archive: Archive) -> None:
    reader = archive.viewing(False)
    assert archive.search("鹦鹉螺")["total"] == 1
    hidden = reader.search("鹦鹉螺")
    assert hidden["total"] == 0 and hidden["hits"] == []
    assert all(not counts for counts in hidden["facets"].values())
    assert "suggestion" not in reader.search("鹦鹉罗")  # a typo of a word only 内部 documents hold
    both = archive.search("垃圾分类")
    one = reader.search("垃圾分类")
    assert (both["total"], one["total"]) == (2, 1)
    assert sum(one["facets"]["year"].values()) == 1
    assert all(hit.get("near_copy_of") is None for hit in one["hits"])


def test_a_document_page_hides_them_and_their_near_copies(archive: Archive) -> None:
    ids, reader = _ids(archive), archive.viewing(False)
    for name in ("internal_copy", "internal_only"):
        with pytest.raises(KeyError):
            reader.get(ids[name])
        with pytest.raises(KeyError):
            reader.edit(ids[name], {"title": "改"})
    assert [c["id"] for c in archive.get(ids["open"])["archive"]["near_copies"]] == [ids["internal_copy"]]
    assert reader.get(ids["open"])["archive"]["near_copies"] == []


def test_yearbook_tools_leave_them_out(archive: Archive) -> None:
    reader = archive.viewing(False)
    assert any("鹦鹉螺" in f["sentence"] for f in archive.stats()["facts"])
    assert not any("鹦鹉螺" in f["sentence"] for f in reader.stats()["facts"])
    assert any("鹦鹉螺" in e["text"] for e in archive.chronicle()["events"])
    assert not any("鹦鹉螺" in e["text"] for e in reader.chronicle()["events"])
    assert archive.excerpts("鹦鹉螺计划")["passages"]
    assert reader.excerpts("鹦鹉螺计划")["passages"] == []


def test_the_catalogue_export_leaves_them_out(archive: Archive, tmp_path: Path) -> None:
    def titles(who: Archive) -> list[str]:
        out = who.catalog("csv", tmp_path / "目录.csv")
        with open(out, encoding="utf-8-sig") as f:
            return [row["题名"] for row in csv.DictReader(f)]

    assert len(titles(archive)) == 3
    assert titles(archive.viewing(False)) == ["关于开展垃圾分类示范小区创建工作的通知"]


def test_a_correction_lifts_the_mark(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "internal_only.txt").write_text(INTERNAL_ONLY, encoding="utf-8")
    archive = Archive(tmp_path / "home")
    archive.ingest([source], workers=1, progress=False)
    doc_id = archive.search("鹦鹉螺")["hits"][0]["id"]
    assert archive.viewing(False).search("鹦鹉螺")["total"] == 0
    archive.edit(doc_id, {"restricted": ""})
    assert archive.viewing(False).search("鹦鹉螺")["total"] == 1
    archive.edit(doc_id, {"restricted": "内部资料"})
    assert archive.viewing(False).search("鹦鹉螺")["total"] == 0


def test_drafting_from_a_precedent_never_starts_from_one_not_granted(archive: Archive, tmp_path: Path) -> None:
    reader = archive.viewing(False)
    secret_id = _ids(archive)["internal_only"]
    assert archive.template("通报", like="鹦鹉螺计划")["precedent"] == secret_id  # the operator may
    with pytest.raises(KeyError):
        reader.template("通报", like="鹦鹉螺计划")  # nothing a reader may see is like it
    with pytest.raises(KeyError):
        reader.draft("通报", {}, tmp_path / "draft.docx", like=secret_id)  # nor named by its id
    shown = reader.template("通知", like="垃圾分类")
    assert shown["precedent"] == _ids(archive)["open"]
    assert all(p["id"] != secret_id for p in shown["precedents"])


def test_the_checker_cites_no_restricted_document(archive: Archive, tmp_path: Path) -> None:
    from pipeline.layout import write_docx
    from pipeline.model import Document

    draft = Document(path="", format="docx", genre="通报", title="关于鹦鹉螺计划试点工作的情况通报",
                     doc_number="区府办〔2023〕9号", issuer=["区人民政府办公室"], date="2023-06-01",
                     recipients=["各有关单位"], signature=["区人民政府办公室"],
                     paragraphs=["全年开展鹦鹉螺专项检查12次。"])
    path = write_docx(draft, tmp_path / "通报.docx")
    findings = archive.check(path)["findings"]
    assert all("鹦鹉螺计划试点工作的情况通报" not in f["message"] for f in findings)
