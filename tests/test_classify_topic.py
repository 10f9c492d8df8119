"""Topics (seeds + a model trained on confirmed labels), keywords, entities and retention."""

from __future__ import annotations

from pathlib import Path

from pipeline.classify import topic
from pipeline.classify.entities import entity_summary, find_entities
from pipeline.classify.keywords import build_idf, keywords, load_idf, save_idf
from pipeline.classify.retention import suggest
from pipeline.model import Document


def test_seed_topics_are_multi_label_and_ranked() -> None:
    text = "关于2023年区级预算执行情况和财政决算的报告。审计发现部分专项资金使用不规范。同时加强学校和医院建设。"
    topics = topic.pick_topics(topic.seed_scores(text))
    assert topics[0] == "财经"
    assert "教科文卫" in topic.seed_scores(text)
    assert topic.seed_scores("今天天气很好") == {}


def test_title_seeds_weigh_more() -> None:
    scores = topic.seed_scores("会议还讨论了学校的事。", title="关于农村饮水安全工作的报告")
    assert max(scores, key=scores.get) == "农业农村"


def _training() -> tuple[list[str], list[list[str]]]:
    finance = [f"预算执行{i}，财政收入增长，税收稳定" for i in range(8)]
    court = [f"法院审判{i}，检察院监督，司法公开" for i in range(8)]
    both = [f"财政保障法院经费{i}，预算安排审判庭建设" for i in range(4)]
    return finance + court + both, [["财经"]] * 8 + [["监察司法"]] * 8 + [["财经", "监察司法"]] * 4


def test_topic_model_multi_label_save_load(tmp_path: Path) -> None:
    texts, labels = _training()
    model = topic.TopicModel().fit(texts, labels)
    assert model.labels == ["监察司法", "财经"]
    assert model.predict(["今年财政预算收入"]) == ["财经"]
    model.save(topic.model_dir(tmp_path))
    loaded = topic.TopicModel.load(topic.model_dir(tmp_path))
    scores = loaded.scores("法院审判工作和检察监督")
    assert scores["监察司法"] > 0.5 > scores["财经"]
    chosen, _scores = topic.topics_for("法院审判工作和检察监督", model=loaded)
    assert chosen[0] == "监察司法"


def test_single_label_training_is_multiclass() -> None:
    texts = [f"预算财政{i}" for i in range(5)] + [f"学校教育{i}" for i in range(5)] + \
            [f"农村农业{i}" for i in range(5)]
    labels = ["财经"] * 5 + ["教科文卫"] * 5 + ["农业农村"] * 5
    model = topic.TopicModel().fit(texts, labels)
    assert model.predict(["农业和农村"]) == ["农业农村"]


def test_train_from_needs_two_labels() -> None:
    assert topic.train_from([("t", "预算", ["财经"]), ("t", "税收", ["财经"])]) is None
    assert topic.train_from([("t", "预算", ["财经"]), ("t", "法院", ["监察司法"])]) is not None


def test_keywords_use_archive_idf_and_skip_stop_words(tmp_path: Path) -> None:
    texts = ["加强垃圾分类工作，推进垃圾分类设施建设。", "加强养老服务工作。", "加强学校建设工作。"]
    idf = build_idf(texts)
    save_idf(tmp_path, idf)
    assert load_idf(tmp_path) == idf
    found = keywords(texts[0], idf=load_idf(tmp_path))
    assert found[0] in ("垃圾分类", "垃圾", "分类")  # the segmenter may or may not split it
    assert "加强" not in found and "工作" not in found
    assert keywords("") == []


def test_entities() -> None:
    text = ("2023年2月1日，区十七届人大常委会第八次会议在海淀区召开，区人大常委会主任张某某主持会议。"
            "会议审议了南人常办〔2023〕5号文件，依据《中华人民共和国预算法》，听取了区人民政府的报告。")
    summary = entity_summary(text)
    assert summary["MEETING"] == ["区十七届人大常委会第八次会议"]
    assert "区人大常委会主任张某某" in summary["PERSON_POST"]
    assert summary["DOCNO"] == ["南人常办〔2023〕5号"]
    assert summary["LAW"] == ["《中华人民共和国预算法》"]
    assert "2023年2月1日" in summary["DATE"]
    assert "区人民政府" in summary["ORG"]
    spans = find_entities(text)
    assert all(text[e.start:e.end] == e.text for e in spans)


def test_places_are_names_not_common_words_or_the_verbs_before_them() -> None:
    text = ("会议在海淀区召开。要加快改造提升农贸市场，方便市民生活，优化区域布局，高举伟大旗帜；"
            "今年上海市将支持贫困地区和试点城市，恳请解决巴东县的困难，坚持社会主义市场经济。")
    assert entity_summary(text)["PLACE"] == ["海淀区", "上海市", "巴东县"]


def _doc(title: str, issuer: list[str]) -> Document:
    return Document(path="x", format="txt", title=title, issuer=issuer)


def test_retention_rules_with_reasons() -> None:
    own = ["某区人大常委会"]
    assert suggest(_doc("关于批准2023年预算的决议", own), "决议")["code"] == "Y"
    assert suggest(_doc("主任会议纪要", own), "纪要")["period"] == "永久"
    assert suggest(_doc("区人大常委会2023年工作要点", own), "工作计划")["code"] == "Y"
    ordinary = suggest(_doc("关于代表视察情况的报告", own), "报告")
    assert ordinary["code"] == "D30" and "一般" in ordinary["reason"]
    meeting = suggest(_doc("关于召开第八次主任会议的通知", own), "通知")
    assert meeting["code"] == "D10" and meeting["reason"]
    copy = suggest(_doc("关于做好防汛工作的通知", ["某区人民政府"]), "通知")
    assert copy["code"] == "D10" and "外单位" in copy["reason"]
    binding = suggest(_doc("关于加强绩效考核的意见", ["国务院办公厅"]), "意见")
    assert binding["code"] == "D30"
    assert suggest(_doc("人大工作简报", own), "简报")["code"] == "D10"


def test_genre_implies_a_committee() -> None:
    text = "决定任命张某某为区人民法院审判员，免去李某某的区人民检察院检察员职务。法院检察院审判。"
    chosen, _ = topic.topics_for(text, genre="任免")
    assert chosen[0] == "选举任免联络"
    reply, _ = topic.topics_for("关于老旧小区改造、道路建设、停车位和绿化、污水管网的建议收悉，现答复如下。", genre="建议答复")
    assert "代表工作" in reply and "城建环资" in reply
