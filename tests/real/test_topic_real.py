"""Topic model on messages_by_department (proxy) and seed topics on State Council documents."""

from __future__ import annotations

import csv
from pathlib import Path

from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from pipeline.classify import topic
from pipeline.classify.textdoc import document_from_text


def test_topic_model_cross_validated_macro_f1(shared_corpus: Path) -> None:
    path = shared_corpus / "messages_by_department" / "messages_labelled_sample.tsv"
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    texts = [f"{r['topic']}\n{r['detail']}" for r in rows]
    labels = [r["label_level1"] for r in rows]
    predicted = [""] * len(texts)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
        model = topic.TopicModel().fit([texts[i] for i in train], [labels[i] for i in train])
        for i, guess in zip(test, model.predict([texts[i] for i in test])):
            predicted[i] = guess
    assert f1_score(labels, predicted, average="macro") >= 0.75


def test_seed_topics_of_state_council_documents(shared_corpus: Path) -> None:
    root = shared_corpus / "state_council"
    expected = {
        "006_": "教科文卫",  # 城镇小区配套幼儿园
        "015_": "农业农村",  # 农业机械化
        "032_": "财经",  # 个人所得税
        "039_": "社会建设",  # 促进就业
    }
    for prefix, wanted in expected.items():
        path = next(root.glob(prefix + "*.txt"))
        doc = document_from_text(path.read_text("utf-8"))
        chosen = topic.pick_topics(topic.seed_scores(doc.body, doc.title or ""))
        assert wanted in chosen, (path.name, chosen)
