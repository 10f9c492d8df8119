"""Templates refined by a real archive (generated .docx files ingested), and drafting from a precedent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.cli.main import main
from pipeline.parse import parse_file

DOCX = Path(__file__).resolve().parents[1] / "corpus" / "generated" / "docx"
SAMPLES = ["001_shenyi_minsheng", "002_shenyi_yingshang", "003_shenyi_jiaoyu", "004_shenyi_huanbao",
           "007_zhuren_huiyi_jiyao"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    paths = [DOCX / f"{name}.docx" for name in SAMPLES]
    if not all(p.exists() for p in paths):
        pytest.skip("corpus/generated is not built (python corpus/build.py)")
    arch = Archive(tmp_path_factory.mktemp("home"))
    result = arch.ingest(paths, workers=1, progress=False)
    assert result["added"] == len(paths)
    return arch


def test_build_refines_the_built_in_templates(archive, capsys):
    assert main(["templates", "build", "--home", str(archive.home.root), "--json"]) == 0
    built = {t["genre"]: t for t in json.loads(capsys.readouterr().out)["templates"]}
    assert built["审议意见"]["documents"] == 4 and built["审议意见"]["source"] == "built-in+mined"
    assert built["纪要"]["documents"] == 1  # a built-in genre is built from any number of documents
    assert (archive.home.templates / "审议意见.json").exists()
    assert (archive.home.templates / "审议意见.docx").exists()
    assert main(["templates", "build", "--genre", "通告", "--home", str(archive.home.root), "--json"]) == 1
    assert "至少需要 3 篇" in capsys.readouterr().err


def test_show_says_where_each_part_comes_from_and_drafts(archive, tmp_path, capsys):
    main(["templates", "build", "--genre", "审议意见", "--home", str(archive.home.root), "--json"])
    capsys.readouterr()
    assert main(["templates", "show", "审议意见", "--home", str(archive.home.root), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["documents"] == 4
    sources = {f["text"]: (f["source"], f["support"]) for f in shown["fixed"]}
    assert sources["听取和审议了"][0] == "built-in" and sources["听取和审议了"][1] >= 3
    forms = {f["text"]: f.get("forms") for f in shown["fixed"]}
    assert "听取和审议了" in forms["听取和审议了"]  # the archive's wordings of a phrase it chose
    slots = {s["name"]: s for s in shown["slots"]}
    assert slots["文号"]["kind"] == "doc_number" and "青人常〔2023〕15号" in slots["文号"]["examples"]
    assert slots["会议名称"]["examples"][0].endswith("会议")  # the archive's meetings first
    out = tmp_path / "draft.docx"
    args = ["draft", "审议意见", "--home", str(archive.home.root), "-o", str(out), "--json",
            "--set", "标题=青岚区人大常委会关于区人民政府养老服务工作情况报告的审议意见",
            "--set", "文号=青人常〔2025〕3号", "--set", "主送机关=区人民政府", "--set", "成文日期=2025-04-02",
            "--set", "署名=青岚区人民代表大会常务委员会"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["path"] == str(out) and "意见" in result["unfilled"]
    parsed = parse_file(out)
    assert parsed.title.endswith("养老服务工作情况报告的审议意见")
    assert parsed.doc_number == "青人常〔2025〕3号"
    assert parsed.recipients == ["区人民政府"]
    assert parsed.issuer == ["青岚区人民代表大会常务委员会"]
    assert parsed.date == "2025-04-02"


def test_an_edited_template_docx_is_used(archive, tmp_path, capsys):
    from docx import Document as open_docx

    from pipeline.templates import store

    main(["templates", "build", "--genre", "审议意见", "--home", str(archive.home.root), "--json"])
    path = store.docx_path(archive.home.root, "审议意见")
    document = open_docx(str(path))
    assert "{{ 标题 }}" in "\n".join(p.text for p in document.paragraphs)
    document.add_paragraph("附言：{{ 标题 }}已定稿")
    document.save(str(path))
    out = tmp_path / "e.docx"
    assert main(["draft", "审议意见", "--set", "标题=关于测试的审议意见", "-o", str(out),
                 "--home", str(archive.home.root), "--json"]) == 0
    text = "\n".join(p.text for p in open_docx(str(out)).paragraphs)
    assert "附言：关于测试的审议意见已定稿" in text and "【待填：意见】" in text
    main(["templates", "build", "--genre", "审议意见", "--home", str(archive.home.root), "--json"])  # restore
    capsys.readouterr()


def test_draft_like_a_precedent_names_three_and_turns_facts_into_slots(archive, tmp_path, capsys):
    out = tmp_path / "like.docx"
    assert main(["draft", "审议意见", "--like", "审议意见 区人民政府", "--home", str(archive.home.root),
                 "--set", "会议名称=区第十八届人大常委会第五次会议", "-o", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["precedents"]) == 3 and result["precedent"] == result["precedents"][0]["id"]
    assert all(p["genre"] == "审议意见" for p in result["precedents"])
    precedent = archive.get(result["precedent"])
    shown = archive.template("审议意见", like=result["precedent"])
    assert shown["precedents"][0]["id"] == result["precedent"]
    slots = {s["name"]: s for s in shown["slots"]}
    assert slots["会议名称"]["source"] == "precedent" and slots["会议名称"]["examples"]
    old_meeting = slots["会议名称"]["examples"][0]
    assert old_meeting in precedent["body"]
    skeleton = "\n".join(shown["skeleton"])
    assert old_meeting not in skeleton and "{{ 会议名称 }}" in skeleton  # the case's meeting is a slot
    body = parse_file(out).body
    assert "区第十八届人大常委会第五次会议" in body and old_meeting not in body
    assert main(["draft", "审议意见", "--like", "毫无关系的词语组合", "--home", str(archive.home.root),
                 "-o", str(out)]) == 1
