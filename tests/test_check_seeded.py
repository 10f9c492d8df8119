"""The seeded-error benchmark for the document checker: its GB/T 9704 writer, its seeders and
its scorer (benchmarks/check_seeded). These test the benchmark itself, not any checking rule."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "check_seeded"
sys.path.insert(0, str(BENCH))

import gbt_writer as gw
import make_set
import score
from texts import load_project_source

SOURCES = Path(__file__).resolve().parents[1] / "corpus" / "sources"


def source(prefix: str, key: str = "t"):
    return load_project_source(next(SOURCES.glob(prefix + "_*.txt")), key)


def rendered(spec, tmp_path: Path, seed=None) -> tuple[docx.document.Document, list[int]]:
    path = tmp_path / "out.docx"
    targets = make_set.write_doc(seed.spec if seed else spec, path, Path("/nonexistent"), seed)
    return docx.Document(str(path)), targets


def east_asian(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_page_setup_follows_gbt9704(tmp_path):
    doc, _ = rendered(source("017"), tmp_path)
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin,
                                  sec.right_margin)] == [37, 35, 28, 26]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    assert doc.settings.odd_and_even_pages_header_footer


def test_request_layout_runs_and_fonts(tmp_path):
    spec = source("017")
    make_set.complete_banji(spec)
    doc, _ = rendered(spec, tmp_path)
    texts = [p.text for p in doc.paragraphs]
    docnum = doc.paragraphs[texts.index("江人常办〔2023〕8号\t签发人：李红英")]
    assert docnum.runs[-1].text == "李红英" and east_asian(docnum.runs[-1]) == gw.KAITI
    assert docnum._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == gw.RED
    title = next(p for p in doc.paragraphs if p.text.replace("\n", "") == spec.title)
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert all(r.font.size.pt == 22 and east_asian(r) == gw.XIAOBIAOSONG for r in title.runs)
    body = next(p for p in doc.paragraphs if p.text.startswith("按照每个联络站"))
    assert all(r.font.size.pt == 16 and east_asian(r) == gw.FANGSONG for r in body.runs)
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert "区人民政府：" in texts and "2023年3月15日" in texts
    assert texts[-1].startswith("江屿区人大常委会办公室\t2023年3月16日印发")
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml


def test_minutes_have_no_docnum_and_list_attendance(tmp_path):
    doc, _ = rendered(source("007"), tmp_path)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "青岚区人大常委会主任会议纪要" and "第12期" in texts
    assert not any("〔2023〕" in t for t in texts)
    assert any(t.startswith("出席：陈立新") for t in texts)


def test_title_lines_break_between_words():
    lines = gw.split_title("中共澄湖区人大常委会党组关于召开区第十八届人民代表大会第四次会议有关事项的请示")
    assert all(gw.text_width(ln) <= 20 for ln in lines)
    assert not any(ln.endswith("第十八") or ln.startswith("届") for ln in lines)
    lines = gw.split_title("碧川区人大常委会办公室关于征求《碧川区人大常委会规范性文件备案审查办法（修订草案）》意见的函")
    assert not any(ln.endswith("《") or ln.startswith("》") for ln in lines)


def test_banji_lands_on_an_even_page():
    w = gw.Writer(gw.new_document())
    for _ in range(30):
        w.para(("body", 0), "这是一段用来占满版面的正文。" * 4, first=2)
    w.banji(source("001"))
    assert w.page % 2 == 0 and gw.PAGE_TEXT_H - gw.LINE * 3 < w.used <= gw.PAGE_TEXT_H


@pytest.mark.parametrize("kind, planted", [
    ("docnum_brackets", r"\[2023\]|（2023）|\(2023\)|［2023］"),
    ("docnum_di", r"〕第\d+号"),
    ("recipient_colon", r"区人民政府:?$"),
    ("title_end_punct", r"。$"),
])
def test_seed_changes_only_its_paragraph(kind, planted, tmp_path):
    spec = source("017")
    seed = next(k for k in make_set.KINDS if k.kind == kind).make(spec, 1)
    base, _ = rendered(spec, tmp_path / "a")
    doc, targets = rendered(spec, tmp_path / "b", seed)
    changed = [i for i, (a, b) in enumerate(zip(base.paragraphs, doc.paragraphs))
               if a.text != b.text]
    assert changed == targets[:1]
    assert re.search(planted, doc.paragraphs[targets[0]].text.replace("\n", ""))


def test_weekday_seed_plants_a_wrong_day(tmp_path):
    seed = make_set.seed_weekday(source("016"), 0)
    m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日（星期(.)）", seed.snippet)
    day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    assert "一二三四五六日"[day.weekday()] != m[4]


@pytest.mark.parametrize("prefix, seeder", [
    ("016", make_set.seed_halfwidth), ("016", make_set.seed_doubled),
    ("062", make_set.seed_unpaired), ("016", make_set.seed_placeholder),
    ("016", make_set.seed_weekday)])
def test_screen_finds_planted_text_faults(prefix, seeder):
    spec = source(prefix)
    assert make_set.screen(spec) == []
    assert make_set.screen(seeder(spec, 0).spec)


def test_layout_seed_changes_page_setup_not_text(tmp_path):
    spec = source("017")
    base, _ = rendered(spec, tmp_path / "a")
    doc, _ = rendered(spec, tmp_path / "b", make_set.seed_page_size(spec, 0))
    assert [p.text for p in doc.paragraphs] == [p.text for p in base.paragraphs]
    assert round(doc.sections[0].page_width.mm, 1) == 215.9


# ---------------------------------------------------------------------------- score.py

ROWS = [
    {"file": "correct/a.docx", "correct": "yes", "kind": "", "severity": "", "para": "",
     "seeded_text": "", "scope": "", "base": ""},
    {"file": "seeded/docnum_di__a.docx", "correct": "no", "kind": "docnum_di", "severity": "错误",
     "para": "2", "seeded_text": "国发〔2019〕第5号", "scope": "paragraph",
     "base": "correct/a.docx"},
    {"file": "seeded/page_size__a.docx", "correct": "no", "kind": "page_size", "severity": "错误",
     "para": "", "seeded_text": "Letter", "scope": "section", "base": "correct/a.docx"},
]


def scored(findings: dict) -> dict:
    return score.score(ROWS, score.match_paths(ROWS, findings), 0)


def test_score_perfect_checker():
    s = scored({"correct/a.docx": [{"rule": "x", "severity": "提示", "message": "建议", "location": "段落3"}],
                "/tmp/seeded/seeded/docnum_di__a.docx": [
                    {"rule": "docnum", "severity": "错误", "message": "发文字号不加“第”字",
                     "location": "paragraph:2"}],
                "seeded/page_size__a.docx": [
                    {"rule": "page", "severity": "错误", "message": "纸张应为A4", "location": "页面设置"}]})
    assert s["caught"] == 2 and s["correct_with_error"] == 0


def test_score_does_not_credit_findings_the_correct_document_also_gets():
    everywhere = [{"rule": "font", "severity": "错误", "message": "正文字体应为仿宋",
                   "location": f"paragraph:{i}"} for i in range(10)]
    s = scored({"correct/a.docx": everywhere, "seeded/docnum_di__a.docx": everywhere,
                "seeded/page_size__a.docx": everywhere})
    assert s["found"] == 1 and s["caught"] == 0 and s["correct_flagged_share"] == 1.0


def test_score_reads_text_matches_one_based_and_json_arrays(tmp_path):
    found = [{"path": "seeded/docnum_di__a.docx", "findings": [
        {"rule": "文号", "severity": "错误", "message": "“国发〔2019〕第5号”不应有“第”", "location": "第9段"}]}]
    path = tmp_path / "f.json"
    path.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    s = score.score(ROWS, score.match_paths(ROWS, score.read_findings(path)), 1)
    assert s["per_kind"]["docnum_di"]["caught"] == 1
    assert s["files_without_output"] == ["correct/a.docx", "seeded/page_size__a.docx"]


HELDOUT_CORPUS = make_set.DEFAULT_CORPUS


@pytest.mark.skipif(not (HELDOUT_CORPUS / "state_council").is_dir(),
                    reason="the shared corpus (../shared/corpus) is not here")
def test_heldout_bases_are_disjoint_from_the_default_set():
    default = {s.source for s in make_set.load_correct(HELDOUT_CORPUS)}
    held = make_set.load_heldout(HELDOUT_CORPUS)
    assert held and not default & {s.source for s in held}
    written = [s for s in held if "heldout_sources" in s.source]
    assert {s.genre for s in written} >= {"请示", "报告", "通知", "函", "决定", "审议意见"}
    assert all(make_set.screen(s) == [] for s in written), [make_set.screen(s) for s in written]


@pytest.mark.skipif(not (HELDOUT_CORPUS / "state_council").is_dir(),
                    reason="the shared corpus (../shared/corpus) is not here")
def test_state_council_attachments_the_web_copy_leaves_out_get_pages():
    """国函〔2006〕132号 names two 附件 its gov.cn copy does not print: a correct document still
    has a page for each name in its 附件说明."""
    spec = make_set.state_council(HELDOUT_CORPUS / "state_council", "t", "044_", "批复", "standard")
    assert len(spec.attachment_note) == 2
    assert [a.title for a in spec.attachments] == [n[2:] for n in spec.attachment_note]
    assert all(a.blocks[0].text == "（略）" for a in spec.attachments)
