"""excerpts / stats / chronicle over a real home: sample-corpus files ingested into a Whoosh index,
through ``Archive`` and through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.cli.main import main

SAMPLE = (
    "docx/021_gongzuo_zongjie.docx",  # 2023 工作总结: counts, 4000多份, 同比增长8%
    "docx/007_zhuren_huiyi_jiyao.docx",  # 2023 纪要: 6月19日 主任会议; plans 6月28日 会议
    "docx/024_jianbao.docx",  # 2024 简报, 内部资料: 5月14日至17日 执法检查
    "docx/013_jueyi_jihua.docx",  # 决议 with its adoption note
    "docx/069_liuting_2019_gongzuo_zongjie.docx",  # 2019 工作总结
    "docx/018_baogao_xinfang.docx",  # 秘密★1年: quarantined, never read
)
NOTES = """区人大常委会2022年工作纪事

2022年，区人大常委会举行区镇两级人大换届选举工作会议。
3月，区人大常委会组织代表开展集中视察活动。
全年召开常委会会议十七次，听取审议专项工作报告一百二十项，收到群众来信近三百件。

区人大常委会办公室
2022年12月30日
"""
# The paragraph of 021 that counts documents, filed again inside another document.
REPRINT = """关于转发办公室工作情况的通知

各工作委员会：
一、服务常委会依法履职。全年共保障召开常委会会议7次、主任会议17次、党组会议28次，起草各类文稿326篇，全年共处理公文4000多份，同比增长8%。

区人大常委会办公室
2024年1月8日
"""


@pytest.fixture(scope="module")
def yearbook_home(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> dict:
    source = tmp_path_factory.mktemp("yearbook-source")
    for name in SAMPLE:
        shutil.copy(sample_corpus / "generated" / name, source / Path(name).name)
    (source / "notes.txt").write_text(NOTES, encoding="utf-8")
    (source / "reprint.txt").write_text(REPRINT, encoding="utf-8")
    home = tmp_path_factory.mktemp("yearbook-home")
    archive = Archive(home)
    summary = archive.ingest([source], workers=1, progress=False)
    assert summary["added"] == 7 and len(summary["quarantined"]) == 1, summary
    ids = {Path(hit["path"]).stem: hit["id"] for hit in _all_documents(archive)}
    return {"home": home, "archive": archive, "ids": ids, "secret": summary["quarantined"][0]["path"]}


def _all_documents(archive: Archive) -> list[dict]:
    from pipeline.archive.catalog import iter_documents

    return [{"id": doc_id, "path": doc.path} for doc_id, doc in iter_documents(archive.home)]


def _cli(home: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict]:
    code = main(["--home", str(home), *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


# --- stats ---------------------------------------------------------------------------------------
def test_stats_of_a_year_with_qualifier_change_and_source(yearbook_home: dict) -> None:
    facts = yearbook_home["archive"].stats(year=2023)["facts"]
    summary = yearbook_home["ids"]["021_gongzuo_zongjie"]
    documents = [f for f in facts if f["metric"] == "处理公文" and f["doc_id"] == summary]
    assert documents == [{
        "metric": "处理公文", "value": 4000, "qualifier": "多", "unit": "份",
        "change": {"direction": "up", "percent": 8}, "year": 2023,
        "sentence": "全年共保障召开常委会会议7次、主任会议17次、党组会议28次，"
                    "起草各类文稿326篇，全年共处理公文4000多份，同比增长8%。",
        "doc_id": summary, "parent": None, "delta": None, "upper": None, "id": documents[0]["id"],
        "restricted": False}]
    assert documents[0]["id"].startswith("f") and len(documents[0]["id"]) == 11
    assert {(f["metric"], f["value"]) for f in facts} >= {("主任会议", 17), ("党组会议", 28)}
    assert {f["year"] for f in facts} == {2023}


def test_stats_year_filter_and_chinese_numerals(yearbook_home: dict) -> None:
    facts = yearbook_home["archive"].stats(year=2022)["facts"]
    assert [(f["metric"], f["value"], f["qualifier"], f["unit"]) for f in facts] == [
        ("召开常委会会议", 17, None, "次"), ("听取审议专项工作报告", 120, None, "项"),
        ("收到群众来信", 300, "近", "件")]
    assert all(f["year"] == 2019 for f in yearbook_home["archive"].stats(year=2019)["facts"])


def test_the_same_sentence_from_two_documents_is_counted_twice_only_by_document(yearbook_home: dict) -> None:
    facts = yearbook_home["archive"].stats()["facts"]
    sources = {f["doc_id"] for f in facts if f["metric"] == "处理公文"}
    assert sources == {yearbook_home["ids"]["021_gongzuo_zongjie"]}  # the reprint repeats it: once


def test_a_classified_document_gives_no_numbers_and_no_events(yearbook_home: dict) -> None:
    archive = yearbook_home["archive"]
    texts = [f["sentence"] for f in archive.stats()["facts"]] + [e["text"] for e in archive.chronicle()["events"]]
    assert texts and not any("上访" in t or "信访" in t or "协调会" in t for t in texts)
    known = set(yearbook_home["ids"].values())
    assert {f["doc_id"] for f in archive.stats()["facts"]} <= known
    assert {e["doc_id"] for e in archive.chronicle()["events"]} <= known
    assert not any("018_baogao_xinfang" in path for path in yearbook_home["ids"])


# --- chronicle -----------------------------------------------------------------------------------
def test_chronicle_lines_start_with_their_date_and_are_sorted(yearbook_home: dict) -> None:
    events = yearbook_home["archive"].chronicle()["events"]
    ids = yearbook_home["ids"]
    assert {"date": "2023-06-19", "text": "6月19日 区人大常委会主任陈立新主持召开第二十一次主任会议。",
            "doc_id": ids["007_zhuren_huiyi_jiyao"]} in [_line(e) for e in events]
    inspection = next(e for e in events if e["doc_id"] == ids["024_jianbao"])
    assert inspection["date"] == "2024-05-14" and inspection["text"].startswith("5月14日至17日 ")
    keys = [_sort_key(e["date"]) for e in events]
    assert keys == sorted(keys)
    assert not any(e["date"] == "2023-06-28" and e["doc_id"] == ids["007_zhuren_huiyi_jiyao"]
                   for e in events)  # the minutes plan that session: not an event yet


def _line(event: dict) -> dict:
    return {key: event[key] for key in ("date", "text", "doc_id")}


def _sort_key(date: str) -> tuple[int, int, int]:
    parts = [int(p) for p in date.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else 13, parts[2] if len(parts) > 2 else 32


def test_chronicle_adoption_notes_and_partial_dates(yearbook_home: dict) -> None:
    archive = yearbook_home["archive"]
    notes = yearbook_home["ids"]["notes"]
    assert [_line(e) for e in archive.chronicle(year=2022)["events"] if e["doc_id"] == notes] == [
        {"date": "2022-03", "text": "是月 区人大常委会组织代表开展集中视察活动。", "doc_id": notes},
        {"date": "2022", "text": "是年 区人大常委会举行区镇两级人大换届选举工作会议。", "doc_id": notes}]
    resolution = yearbook_home["ids"]["013_jueyi_jihua"]
    adopted = [e for e in archive.chronicle()["events"] if e["doc_id"] == resolution]
    assert adopted and "通过《" in adopted[0]["text"]
    assert all(e["date"].startswith("2024") for e in archive.chronicle(year=2024)["events"])


# --- excerpts ------------------------------------------------------------------------------------
def test_excerpts_cite_their_source_and_keep_whole_sentences(yearbook_home: dict) -> None:
    passages = yearbook_home["archive"].excerpts("处理公文")["passages"]
    summary = yearbook_home["ids"]["021_gongzuo_zongjie"]
    first = passages[0]
    assert set(first) == {"text", "doc_id", "title", "doc_number", "date", "section", "restricted"}
    assert first["restricted"] is False
    assert first["doc_id"] == summary and first["title"] == "云溪区人大常委会办公室2023年工作总结"
    assert first["date"] == "2023-12-20" and first["section"] == "正文第2段（一、服务常委会依法履职）"
    assert "处理公文4000多份" in first["text"] and first["text"].endswith("。")
    # The later reprint holds the same paragraph: given once, from the original.
    assert sum("处理公文4000多份" in p["text"] for p in passages) == 1


def test_excerpts_year_filter_and_nothing_found(yearbook_home: dict) -> None:
    archive = yearbook_home["archive"]
    assert all(p["date"].startswith("2019") for p in archive.excerpts("代表", year=2019)["passages"])
    assert archive.excerpts("处理公文", year=2019)["passages"] == []
    assert archive.excerpts("信访积案")["passages"] == []  # only the classified report says it


# --- CLI -----------------------------------------------------------------------------------------
def test_cli_json_shapes(yearbook_home: dict, capsys: pytest.CaptureFixture) -> None:
    home = yearbook_home["home"]
    code, data = _cli(home, capsys, "excerpts", "主任会议", "--year", "2023", "--limit", "2")
    assert code == 0 and list(data) == ["passages"] and 1 <= len(data["passages"]) <= 2
    assert all(list(p) == ["text", "doc_id", "title", "doc_number", "date", "section", "restricted"]
               for p in data["passages"])
    code, data = _cli(home, capsys, "stats", "--year", "2023")
    assert code == 0 and list(data) == ["facts"] and data["facts"]
    assert all(list(f)[:8] == ["metric", "value", "qualifier", "unit", "change", "year", "sentence", "doc_id"]
               for f in data["facts"])
    code, data = _cli(home, capsys, "chronicle", "--year", "2023")
    assert code == 0 and list(data) == ["events"] and data["events"]
    assert all(list(e) == ["date", "text", "doc_id", "sources", "id", "restricted"]
               and e["date"].startswith("2023") and e["sources"][0] == e["doc_id"] for e in data["events"])


def test_cli_readable_text_and_usage_errors(yearbook_home: dict, capsys: pytest.CaptureFixture) -> None:
    home = str(yearbook_home["home"])
    assert main(["--home", home, "chronicle", "--year", "2023"]) == 0
    out = capsys.readouterr().out
    assert "2023-06-19\t6月19日 区人大常委会主任陈立新主持召开第二十一次主任会议。" in out
    assert main(["--home", home, "stats", "--year", "2022"]) == 0
    assert "近300件" in capsys.readouterr().out
    assert main(["--home", home, "excerpts", "处理公文", "--limit", "1"]) == 0
    assert "——《云溪区人大常委会办公室2023年工作总结》（2023-12-20，正文第2段" in capsys.readouterr().out
    assert main(["--home", home, "stats", "--year", "二〇二三"]) == 2
    assert main(["--home", home, "excerpts", "x", "--limit", "0"]) == 2
