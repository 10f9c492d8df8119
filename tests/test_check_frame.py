"""版头 and 版记 rules: 文号 form and year, 签发人 of upward documents, a speech without 版头,
the red mark and line, 份号, the 版记's order and dates."""

from __future__ import annotations

from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import RGBColor

from tests.check_docs import (
    edit,
    errors,
    findings,
    notice,
    paragraph,
    position,
    replace_text,
    request,
    rules,
    speech,
    write,
)


def test_doc_number_forms(tmp_path: Path) -> None:
    cases = {"青人常办[2024]11号": "docnum_brackets", "青人常办（2024）11号": "docnum_brackets",
             "青人常办〔2024〕第11号": "docnum_di", "青人常办〔2024〕011号": "docnum_leading_zero",
             "青人常办〔2023〕11号": "docnum_year"}
    for number, (typed, rule) in enumerate(cases.items()):
        path = write(tmp_path, notice(), f"{number}.docx", doc_number_as_typed=typed)
        found = [f for f in errors(path) if f["rule"] == rule]
        assert len(found) == 1, typed
        assert found[0]["location"]["paragraph"] == position(path, typed) and "青人常办〔2024〕11号" in found[0]["fix"] \
            or rule == "docnum_year"
    year = [f for f in errors(write(tmp_path, notice(), "y.docx", doc_number_as_typed="青人常办〔2023〕11号"))
            if f["rule"] == "docnum_year"]
    assert "2023" in year[0]["message"] and "2024" in year[0]["message"]


def test_a_request_without_signer_and_upward_layout(tmp_path: Path) -> None:
    path = write(tmp_path, request(signer=[]))
    found = [f for f in errors(path) if f["rule"] == "signer_missing"]
    assert found and "签发人" in found[0]["message"]
    assert "signer_missing" not in rules(write(tmp_path, request(), "ok.docx"))


def test_a_speech_with_a_red_header(tmp_path: Path) -> None:
    path = write(tmp_path, speech(issuer=["青岚区人大常委会"], doc_number="青人常〔2024〕3号"))
    found = [f for f in errors(path) if f["rule"] == "speech_header"]
    assert {f["location"]["paragraph"] for f in found} == {1, position(path, "青人常〔2024〕3号")}


def test_mark_not_red_and_no_separator(tmp_path: Path) -> None:
    def black(document) -> None:
        for run in document.paragraphs[0].runs:
            run.font.color.rgb = RGBColor(0, 0, 0)
        separator = next(p for p in document.paragraphs[1:] if p._p.pPr is not None  # the red line
                         and p._p.pPr.find(qn("w:pBdr")) is not None)
        borders = separator._p.pPr.find(qn("w:pBdr"))
        borders.getparent().remove(borders)

    found = {f["rule"] for f in errors(edit(write(tmp_path, notice()), black))}
    assert {"mark_red", "separator_line"} <= found


def test_copy_number_of_five_digits(tmp_path: Path) -> None:
    path = write(tmp_path, notice(copy_number="00012"))
    assert "copy_number_form" in rules(path, "错误")
    assert "copy_number_form" not in rules(write(tmp_path, notice(copy_number="000012"), "ok.docx"))


def test_banji_order_and_dates(tmp_path: Path) -> None:
    def swap(document) -> None:
        cc = paragraph(document, "抄送")
        issued = paragraph(document, "青岚区人大常委会办公室\t")
        cc._p.addprevious(issued._p)

    found = [f for f in errors(edit(write(tmp_path, notice()), swap)) if f["rule"] == "banji_order"]
    assert found and "印发" in found[0]["message"]
    early = write(tmp_path, notice(issued_date="2024-02-20"), "early.docx")
    assert "issued_before_written" in rules(early, "错误")
    stop = edit(write(tmp_path, notice(), "stop.docx"), lambda d: replace_text(d, "区政协办公室。", "区政协办公室"))
    assert "cc_form" in rules(stop, "错误")


def test_keywords_line_is_a_hint(tmp_path: Path) -> None:
    found = findings(write(tmp_path, notice(keywords=["代表", "建议", "通知"])))
    assert [f["severity"] for f in found if f["rule"] == "keywords_line"] == ["提示"]
    assert not [f for f in found if f["severity"] == "错误"]
