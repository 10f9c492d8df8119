"""``annotate`` (what ingest calls), ``classify_files`` and the ``gongwen classify`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.classify.api import annotate
from pipeline.cli.main import main
from pipeline.home import Home
from pipeline.model import Document
from pipeline.parse import classify_files

REQUEST = """关于申请召开代表培训会议经费的请示
区人大常委会：
为提高代表履职能力，拟于3月举办人大代表培训班，需经费5万元。
妥否，请批示。
区人大常委会代表工作委员会
2023年2月1日
"""

CLASSIFIED = """机密★10年
关于某事项的通知
各单位：
现将有关事项通知如下。
"""


def test_annotate_contract_keys_and_json(home: Path) -> None:
    lines = REQUEST.splitlines()
    doc = Document(path="a.txt", format="txt", title=lines[0], body="\n".join(lines[1:]),
                   paragraphs=lines[1:], issuer=["区人大常委会代表工作委员会"])
    info = annotate(doc, home)
    assert {"genre", "genre_scores", "topics", "keywords", "secrecy", "restricted", "retention"} <= set(info)
    assert info["genre"] == "请示" and info["genre_scores"]["请示"] >= 0.9
    assert "代表工作" in info["topics"]
    assert info["secrecy"] is None and info["restricted"] is None
    assert info["retention"]["code"] in ("Y", "D30", "D10") and info["retention"]["reason"]
    assert info["keywords"]
    json.dumps(info, ensure_ascii=False)  # ingest stores it as JSON
    assert annotate(doc) == annotate(doc, None)  # no home: rules and seeds only


def test_annotate_reports_secrecy() -> None:
    lines = CLASSIFIED.splitlines()
    doc = Document(path="s.txt", format="txt", body="\n".join(lines), paragraphs=lines)
    assert annotate(doc)["secrecy"] == {"level": "机密", "term": "10年"}


def test_classify_files_reads_text_and_reports_bad_files(tmp_path: Path, home: Path) -> None:
    good = tmp_path / "请示.txt"
    good.write_text(REQUEST, encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(REQUEST.encode("gb18030"))
    missing = tmp_path / "missing.txt"
    results = classify_files(Home(home), [good, gbk, missing])
    assert [r["path"] for r in results] == [str(good), str(gbk), str(missing)]
    for item in results[:2]:
        assert item["genre"] == "请示"
        assert set(item) >= {"path", "genre", "genre_scores", "topics", "secrecy", "retention"}
    assert "error" in results[2] and "文件不存在" in results[2]["error"]


def test_cli_classify_json(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "请示.txt"
    good.write_text(REQUEST, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text(CLASSIFIED, encoding="utf-8")
    code = main(["classify", "--home", str(home), str(good), "--json"])
    single = json.loads(capsys.readouterr().out)
    assert code == 0 and single["genre"] == "请示" and single["path"] == str(good)
    code = main(["classify", "--home", str(home), str(good), str(secret), str(tmp_path / "no.txt"), "--json"])
    many = json.loads(capsys.readouterr().out)
    assert code == 1 and len(many) == 3
    assert many[1]["secrecy"]["level"] == "机密"
    assert "error" in many[2]


def test_corrections_feed_the_training_sets(tmp_path: Path, home: Path) -> None:
    from pipeline.archive.training import train_models, training_sets
    from pipeline.classify.topic import TopicModel, model_dir

    folder = tmp_path / "in"
    folder.mkdir()
    bodies = {
        "a.txt": "关于2023年区级预算调整方案的报告\n区人大常委会：\n现将预算调整方案报告如下：财政收入增加。\n特此报告。",
        "b.txt": "关于法院审判工作情况的报告\n区人大常委会：\n现将法院审判工作情况报告如下：审判执行有力。\n特此报告。",
        "c.txt": "区人大常委会：\n请于3月1日前报送学校建设情况。\n请认真贯彻执行。",
    }
    for name, text in bodies.items():
        (folder / name).write_text(text, encoding="utf-8")
    arch = Archive(home)
    arch.ingest([folder], workers=1, progress=False)
    from pipeline.archive.catalog import iter_documents

    ids = {doc.path.split("/")[-1]: doc_id for doc_id, doc in iter_documents(arch.home)}
    arch.edit(ids["c.txt"], {"genre": "通知", "topics": "教科文卫"})
    genre_examples, topic_examples, all_bodies = training_sets(arch.home)
    assert len(all_bodies) == 3
    assert ("通知" in [label for _, label in genre_examples])  # the user's label for the untitled one
    assert any(topics == ["教科文卫"] for _, _, topics in topic_examples)
    report = train_models(arch.home)
    assert report["documents"] == 3 and report["idf"] is True
    assert report["genre_model"] is False  # too few documents for a textcat
    model = TopicModel.load(model_dir(home))
    assert model is not None and "教科文卫" in model.labels


def test_classify_retrains_after_a_correction(tmp_path: Path, home: Path) -> None:
    from pipeline.archive.catalog import iter_documents
    from pipeline.archive.training import ensure_models, train_models
    from pipeline.classify.topic import TopicModel, model_dir

    folder = tmp_path / "in"
    folder.mkdir()
    finance = "财政预算调整，税收收入增长，审计整改到位，国有资产管理规范，预算执行良好，财政资金绩效提升。"
    (folder / "a.txt").write_text(f"关于预算调整的报告\n区人大常委会：\n{finance}\n特此报告。", encoding="utf-8")
    (folder / "b.txt").write_text("关于法院工作的报告\n区人大常委会：\n法院审判工作。\n特此报告。", encoding="utf-8")
    arch = Archive(home)
    arch.ingest([folder], workers=1, progress=False)
    train_models(arch.home)
    assert ensure_models(arch.home) is None  # nothing new since training
    doc_id = next(doc_id for doc_id, doc in iter_documents(arch.home) if "法院" in doc.body)
    arch.edit(doc_id, {"topics": "代表工作"})
    assert ensure_models(arch.home) is not None  # the correction triggers a retrain
    assert "代表工作" in TopicModel.load(model_dir(home)).labels


def test_broken_config_does_not_stop_annotate(home: Path) -> None:
    (home / "config.json").write_text("{not json", encoding="utf-8")
    lines = REQUEST.splitlines()
    doc = Document(path="a.txt", format="txt", title=lines[0], body="\n".join(lines[1:]))
    assert annotate(doc, home)["genre"] == "请示"


def test_classify_does_not_create_a_catalog(tmp_path: Path, home: Path) -> None:
    good = tmp_path / "请示.txt"
    good.write_text(REQUEST, encoding="utf-8")
    classify_files(Home(home), [good])
    assert not (home / "catalog.sqlite").exists()
