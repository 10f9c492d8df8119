"""The yearbook tools on real documents of ../shared/corpus ingested into a real home (skipped
with a reason when the shared corpus is absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import Archive

FILES = (
    "statistical_bulletins/txt/万载县2022年国民经济和社会发展统计公报_万载县人民政府.txt",
    "renda_pages/news_reports/001.txt",  # 9月26日 …第二十二次会议, no year printed
    "renda_pages/resolutions/001.txt",  # adoption note 2021年1月14日
    "laws/宪法相关法/人民检察院组织法(2018-10-26).md",  # adopted 1979, amended, revised 2018
)


@pytest.fixture(scope="module")
def real_home(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    source = tmp_path_factory.mktemp("yearbook-real-source")
    names = {}
    for number, relative in enumerate(FILES):
        target = source / f"{number}_{Path(relative).name}"
        shutil.copy(shared_corpus / relative, target)
        names[relative] = target.name
    archive = Archive(tmp_path_factory.mktemp("yearbook-real-home"))
    summary = archive.ingest([source], workers=1, progress=False)
    assert summary["added"] == len(FILES) and not summary["failed"], summary
    from pipeline.archive.catalog import iter_documents

    ids = {Path(doc.path).name: doc_id for doc_id, doc in iter_documents(archive.home)}
    return {"archive": archive, "id": {rel: ids[name] for rel, name in names.items()}}


def test_bulletin_statistics_with_their_changes(real_home: dict) -> None:
    bulletin = real_home["id"][FILES[0]]
    facts = [f for f in real_home["archive"].stats(year=2022)["facts"] if f["doc_id"] == bulletin]
    gdp = next(f for f in facts if f["value"] == 262.6)
    assert "生产总值" in gdp["metric"] and gdp["unit"] == "亿元"
    assert gdp["change"] == {"direction": "up", "percent": 5.3} and gdp["year"] == 2022
    share = next(f for f in facts if f["value"] == 5.91)
    assert share["unit"] == "%" and share["change"] == {"direction": "up", "percent": None, "points": 0.02}
    assert not any(f["unit"] == "号" or "索引" in f["metric"] for f in facts)


def test_chronicle_of_news_resolutions_and_a_law(real_home: dict) -> None:
    events = real_home["archive"].chronicle()["events"]
    by_doc: dict[str, list[dict]] = {}
    for event in events:
        by_doc.setdefault(event["doc_id"], []).append(event)
    news = by_doc[real_home["id"][FILES[1]]]
    assert news[0]["text"].startswith("9月26日 区第十六届人大常委会召开第二十二次会议")
    assert news[0]["date"].endswith("09-26")
    resolution = by_doc[real_home["id"][FILES[2]]]
    assert resolution[0]["date"] == "2021-01-14" and "第七次会议通过" in resolution[0]["text"]
    law = [e["date"] for e in by_doc[real_home["id"][FILES[3]]]]
    assert law[0] == "1979-07-01" and "2018-10-26" in law
    assert [e["date"] for e in real_home["archive"].chronicle(year=1979)["events"]] == ["1979-07-01"]


def test_excerpts_from_the_bulletin_keep_their_citation(real_home: dict) -> None:
    passages = real_home["archive"].excerpts("农民工总量")["passages"]
    assert passages and passages[0]["doc_id"] == real_home["id"][FILES[0]]
    assert "农民工总量19.41万人" in passages[0]["text"]
    assert passages[0]["section"].endswith("（一、综合）")  # under its heading (the page's
    # navigation text makes the parser take the body for an attachment: 附件1第19段)
