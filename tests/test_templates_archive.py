"""Templates built from a real archive: ingest generated .docx files, then the CLI contract."""

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


def test_build_only_genres_with_three_documents(archive, capsys):
    assert main(["templates", "build", "--home", str(archive.home.root), "--json"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert built["templates"] == [{"genre": "审议意见", "documents": 4, "variants": 1}]
    assert (archive.home.templates / "审议意见.json").exists()
    assert (archive.home.templates / "审议意见.docx").exists()
    assert main(["templates", "build", "--genre", "纪要", "--home", str(archive.home.root), "--json"]) == 1
    assert "至少需要 3 篇" in capsys.readouterr().err


def test_show_and_draft_from_the_archive(archive, tmp_path, capsys):
    main(["templates", "build", "--genre", "审议意见", "--home", str(archive.home.root), "--json"])
    capsys.readouterr()
    assert main(["templates", "show", "审议意见", "--home", str(archive.home.root), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["documents"] == 4
    assert any("充分肯定" in f["text"] for f in shown["fixed"])
    slots = {s["name"]: s for s in shown["slots"]}
    assert slots["文号"]["kind"] == "doc_number" and "青人常〔2023〕15号" in slots["文号"]["examples"]
    out = tmp_path / "draft.docx"
    args = ["draft", "审议意见", "--home", str(archive.home.root), "-o", str(out), "--json",
            "--set", "标题=青岚区人大常委会关于区人民政府养老服务工作情况报告的审议意见",
            "--set", "文号=青人常〔2025〕3号", "--set", "主送机关=区人民政府", "--set", "成文日期=2025-04-02",
            "--set", "署名=青岚区人民代表大会常务委员会"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["path"] == str(out) and "正文1" in result["unfilled"]
    parsed = parse_file(out)
    assert parsed.title.endswith("养老服务工作情况报告的审议意见")
    assert parsed.doc_number == "青人常〔2025〕3号"
    assert parsed.recipients == ["区人民政府"]
    assert parsed.date == "2025-04-02"
