"""The 年鉴资料 pack over a real home: written as .docx, .xlsx and .md, opened again with python-docx
and openpyxl, and every statistic and event checked for its source document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from pipeline import Archive
from pipeline.archive.catalog import iter_documents
from pipeline.cli.main import main

SAMPLE = (
    "docx/001_shenyi_minsheng.docx",  # 审议意见 of 2023: a 重要文件
    "docx/021_gongzuo_zongjie.docx",  # the 2023 summary: counts
    "docx/007_zhuren_huiyi_jiyao.docx",  # 2023 纪要: 6月19日 主任会议
    "docx/018_baogao_xinfang.docx",  # 秘密: quarantined, never in a pack
)
SUMMARY = """云溪区人大常委会2023年工作情况

全年组织常委会会议7次、主任会议15次，以及5次执法检查、3次专题询问和11次专题调研。
本届共有2名省人大代表，9名市人大代表在我区履职，修订完善20项制度，培训 6 人次。
全年收到代表建议120件，其中重点建议15件。

云溪区人大常委会办公室
2023年12月28日
"""
# Two pages reporting one meeting: one chronicle entry with both sources.
NEWS = """区人大常委会召开第五次主任会议

来源：云溪人大网 发布时间：2023-06-22

6月21日，云溪区人大常委会召开第五次主任会议，研究代表建议督办工作。
"""
REPRINT = """主任会议研究代表建议督办工作

发布时间：2023-06-25

6月21日，云溪区人大常委会召开第五次主任会议，研究代表建议督办工作，听取有关情况汇报。
"""
INTERNAL = """内部资料

云溪区人大常委会办公室工作简报

8月3日，云溪区人大常委会组织代表视察信访接待中心。
全年接待来访群众310人次。

云溪区人大常委会办公室
2023年8月10日
"""


@pytest.fixture(scope="module")
def pack_home(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> dict:
    source = tmp_path_factory.mktemp("pack-source")
    for name in SAMPLE:
        shutil.copy(sample_corpus / "generated" / name, source / Path(name).name)
    for name, text in (("summary.txt", SUMMARY), ("news.txt", NEWS), ("reprint.txt", REPRINT),
                       ("internal.txt", INTERNAL)):
        (source / name).write_text(text, encoding="utf-8")
    home = tmp_path_factory.mktemp("pack-home")
    archive = Archive(home)
    summary = archive.ingest([source], workers=1, progress=False)
    assert summary["added"] == 7 and len(summary["quarantined"]) == 1, summary
    titles = {doc_id: doc.title for doc_id, doc in iter_documents(archive.home)}
    return {"home": home, "archive": archive, "titles": titles,
            "out": tmp_path_factory.mktemp("pack-out")}


def _paragraphs(path: Path) -> list:
    return WordDocument(str(path)).paragraphs


def test_docx_pack_cites_every_event_and_statistic(pack_home: dict) -> None:
    out = pack_home["out"] / "2023.docx"
    data = pack_home["archive"].yearbook(2023, out, topics=["代表建议"])
    assert data["format"] == "docx" and data["events"] >= 2 and data["facts"] >= 10
    word = WordDocument(str(out))
    texts = [p.text for p in word.paragraphs]
    titles = {t for t in pack_home["titles"].values() if t}
    headings = ["一、大事记", "二、统计数据", "三、重要文件", "四、摘编"]
    assert [t for t in texts if t in headings] == headings
    for heading in (p for p in word.paragraphs if p.text in headings):  # 黑体, a line of its own
        assert heading.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    events = texts[texts.index("一、大事记") + 1:texts.index("二、统计数据")]
    lines = [t for t in events if t and not t.startswith(("出处：", "供稿单位", "撰稿人"))]
    assert len(lines) == data["events"]
    for line in lines:  # each event is followed by its sources
        cited = events[events.index(line) + 1]
        assert cited.startswith("出处：《") and any(f"《{title}》" in cited for title in titles), cited
    meeting = next(t for t in events if "第五次主任会议" in t)
    cited = events[events.index(meeting) + 1]
    assert cited.count("《") == 2 and "2023年6月22日" in cited and "2023年6月25日" in cited  # both pages
    # one table per source document, each with the header (repeated on each page it spans)
    assert all([c.text for c in t.rows[0].cells] == ["指标", "数值", "单位", "增减", "出处"] for t in word.tables)
    rows = [[c.text for c in row.cells] for table in word.tables for row in table.rows[1:]]
    assert all(len({row.cells[4].text for row in t.rows[1:]}) == 1 for t in word.tables)
    assert len(rows) >= 10 and all(any(f"《{t}》" in row[4] for t in titles) for row in rows)
    assert ["执法检查", "5", "次"] in [row[:3] for row in rows]
    assert ["其中：重点建议", "15", "件"] in [row[:3] for row in rows]
    assert texts.count(f"供稿单位：{'＿' * 12}") == 4 and texts.count(f"撰稿人：{'＿' * 12}") == 4
    assert any("审议意见" in t and "青人常〔2023〕15号" in t for t in texts)  # 重要文件 with 文号
    assert not any("信访" in t and "积案" in t for t in texts)  # the classified report: never


def test_xlsx_pack_rows_all_carry_their_source(pack_home: dict) -> None:
    out = pack_home["out"] / "2023.xlsx"
    pack_home["archive"].yearbook(2023, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["大事记", "统计数据", "重要文件", "摘编"]
    titles = {t for t in pack_home["titles"].values() if t}
    for name, source_column in (("大事记", "出处"), ("统计数据", "出处"), ("重要文件", "标题")):
        sheet = book[name]
        header = [c.value for c in sheet[2]]
        rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] and r[1]]
        assert rows, name
        column = header.index(source_column)
        for row in rows:
            assert any(t in str(row[column]) for t in titles), (name, row)
        tail = [r[0] for r in sheet.iter_rows(values_only=True)][-2:]
        assert tail == ["供稿单位：", "撰稿人："]
    ids = [r[-1] for r in book["统计数据"].iter_rows(min_row=3, values_only=True) if r[1]]
    assert all(str(i).startswith("f") for i in ids)


def test_the_compiler_leaves_out_facts_and_events(pack_home: dict) -> None:
    archive = pack_home["archive"]
    event = next(e for e in archive.chronicle(year=2023)["events"] if "第五次主任会议" in e["text"])
    fact = next(f for f in archive.stats(year=2023)["facts"] if f["metric"] == "执法检查")
    assert len(event["sources"]) == 2
    out = pack_home["out"] / "left-out.md"
    data = archive.yearbook(2023, out, exclude=[event["id"], fact["id"]])
    text = out.read_text(encoding="utf-8")
    assert "第五次主任会议" not in text and "| 执法检查 |" not in text
    assert "| 专题询问 | 3 | 次 |" in text
    assert data["left_out"]["excluded"] == 2


def test_restricted_documents_only_when_asked(pack_home: dict) -> None:
    archive = pack_home["archive"]
    facts = archive.stats(year=2023)["facts"]
    assert any(f["restricted"] for f in facts) and not all(f["restricted"] for f in facts)
    plain, asked = pack_home["out"] / "plain.md", pack_home["out"] / "asked.md"
    data = archive.yearbook(2023, plain)
    assert data["left_out"]["restricted"] >= 2
    assert "信访接待中心" not in plain.read_text(encoding="utf-8")
    assert "310" not in plain.read_text(encoding="utf-8")
    archive.yearbook(2023, asked, include_restricted=True)
    assert "信访接待中心" in asked.read_text(encoding="utf-8") and "| 310 |" in asked.read_text(encoding="utf-8")


def test_issuer_keeps_one_organ(pack_home: dict) -> None:
    out = pack_home["out"] / "issuer.md"
    data = pack_home["archive"].yearbook(2023, out, issuer="青岚区")
    text = out.read_text(encoding="utf-8")
    assert data["left_out"]["issuer"] > 0 and "执法检查" not in text
    assert "青岚区人大常委会关于区人民政府2023年民生实事项目实施情况报告的审议意见" in text


def test_cli_yearbook(pack_home: dict, capsys: pytest.CaptureFixture) -> None:
    home, out = str(pack_home["home"]), pack_home["out"] / "cli.xlsx"
    assert main(["--home", home, "yearbook", "--year", "2023", "-o", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "xlsx" and Path(data["path"]) == out and out.exists()
    assert main(["--home", home, "yearbook", "--year", "2023", "-o", str(pack_home["out"] / "x.pdf")]) == 2
    assert "不支持的年鉴资料格式" in capsys.readouterr().err
    assert main(["--home", home, "chronicle", "--year", "2023"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.split("\t")[-1].startswith("e") for line in lines)
