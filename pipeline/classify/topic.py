"""Topic (the committee or area a document concerns), multi-label.

Two sources: keyword seeds per topic (``data/topic_seeds.json``), always available, and a linear
model trained on what users confirmed (catalog corrections) plus seed-confident documents, saved in
``<home>/models/topic/``. The model is character 1–2-gram TF-IDF plus seed-keyword counts into a
class-weighted linear SVM: Chinese needs no segmenter for that, and it learns the archive's own words.
"""

from __future__ import annotations

import json
import math
import pickle
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import ahocorasick
import numpy as np

TOPICS = ("财经", "城建环资", "选举任免联络", "监察司法", "教科文卫", "农业农村", "社会建设", "代表工作", "机关综合")
DATA = Path(__file__).with_name("data")
TITLE_WEIGHT = 3  # a seed in the title counts as much as three in the body
MIN_SEED_SCORE = 0.35  # a topic needs at least a few seed hits to be reported
MAX_TOPICS = 3
MODEL_FILE = "topic.pkl"
MODEL_VERSION = 2  # bump when TopicModel changes shape: older files are ignored
SEED_FEATURE_WEIGHT = 0.05  # seed counts are dense: they must not drown the n-grams



@lru_cache(maxsize=1)
def seeds() -> dict[str, tuple[str, ...]]:
    with open(DATA / "topic_seeds.json", encoding="utf-8") as handle:
        data = json.load(handle)
    return {topic: tuple(sorted(set(words), key=len, reverse=True)) for topic, words in data.items()}


def _has_border(word: str) -> bool:
    """Whether a proper prefix of ``word`` is also its suffix (``谢谢``, ``一一``): only such a
    word can occur twice overlapping, where ``str.count`` counts one of the two."""
    return any(word[:k] == word[-k:] for k in range(1, len(word)))


@lru_cache(maxsize=1)
def _seed_matcher() -> tuple[ahocorasick.Automaton | None, tuple[str, ...]]:
    """An Aho–Corasick automaton of the seeds without a border, and the seeds with one.

    The automaton reports every occurrence of every seed, overlapping ones included; for a
    word without a border two occurrences never overlap, so their number is ``str.count``'s."""
    automaton = ahocorasick.Automaton()
    bordered = []
    for word in {word for words in seeds().values() for word in words}:
        if _has_border(word):
            bordered.append(word)
        else:
            automaton.add_word(word, word)
    if len(automaton):
        automaton.make_automaton()
        return automaton, tuple(bordered)
    return None, tuple(bordered)


def seed_counts(text: str) -> Counter[str]:
    """``text.count(word)`` of every seed word that occurs, in one pass over ``text``."""
    automaton, bordered = _seed_matcher()
    counts: Counter[str] = Counter()
    if automaton is not None and text:
        counts.update(map(itemgetter(1), automaton.iter(text)))
    for word in bordered:
        if word in text:
            counts[word] = text.count(word)
    return counts


def seed_hits(text: str, title: str = "") -> dict[str, float]:
    """Weighted seed occurrences per topic (title hits count ``TITLE_WEIGHT`` times)."""
    in_text, in_title = seed_counts(text), seed_counts(title)
    hits: dict[str, float] = {}
    for topic, words in seeds().items():
        count = sum(in_text[word] for word in words if word in in_text)
        count += TITLE_WEIGHT * sum(in_title[word] for word in words if word in in_title)
        if count:
            hits[topic] = float(count)
    return hits


def seed_scores(text: str, title: str = "") -> dict[str, float]:
    """Seed evidence as scores in [0, 1): relative share of hits, damped for short texts."""
    hits = seed_hits(text, title)
    total = sum(hits.values())
    if not total:
        return {}
    strength = 1 - math.exp(-total / 6)  # a handful of hits is weak evidence
    return {
        topic: round(strength * count / max(hits.values()), 4)
        for topic, count in sorted(hits.items(), key=lambda item: -item[1])
    }


def pick_topics(scores: dict[str, float], threshold: float = MIN_SEED_SCORE) -> list[str]:
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return [topic for topic, score in ranked if score >= threshold][:MAX_TOPICS]


class SeedFeatures:
    """Seed-keyword counts per topic as extra features (log-scaled), a scikit-learn transformer."""

    def fit(self, texts: Sequence[str], labels: object = None) -> SeedFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            hits = seed_hits(text)
            rows.append([math.log1p(hits.get(topic, 0.0)) for topic in TOPICS])
        return np.asarray(rows)

    def get_params(self, deep: bool = True) -> dict:
        return {}

    def set_params(self, **params: object) -> SeedFeatures:
        return self


def build_features():
    """Char 1–2-gram TF-IDF plus (down-weighted) seed-keyword counts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)),
            ("seeds", SeedFeatures()),
        ],
        transformer_weights={"chars": 1.0, "seeds": SEED_FEATURE_WEIGHT},
    )


def build_classifier(c: float = 0.3):
    from sklearn.svm import LinearSVC

    return LinearSVC(class_weight="balanced", C=c)


class TopicModel:
    """Multi-label topic model: features computed once, a linear SVM per topic (one-vs-rest)."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.features = None
        self.classifier = None
        self.single: str | None = None  # when training saw one label only

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str] | str]) -> TopicModel:
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer

        label_lists = [[item] if isinstance(item, str) else list(item) for item in labels]
        binarizer = MultiLabelBinarizer()
        matrix = binarizer.fit_transform(label_lists)
        self.labels = list(binarizer.classes_)
        if len(self.labels) == 1:
            self.single = self.labels[0]
            return self
        self.features = build_features()
        features = self.features.fit_transform(list(texts))
        if all(len(items) == 1 for items in label_lists):
            # Single-label data: a multi-class SVM (one-vs-rest inside) on the label column.
            self.classifier = build_classifier().fit(features, [items[0] for items in label_lists])
        else:
            self.classifier = OneVsRestClassifier(build_classifier()).fit(features, matrix)
        return self

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        if self.single is not None:
            return np.ones((len(texts), 1))
        values = self.classifier.decision_function(self.features.transform(list(texts)))
        if values.ndim == 1:  # two labels: sklearn returns the positive class's margin only
            values = np.column_stack([-values, values])
        return values

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The single best label per text."""
        return [self.labels[int(i)] for i in self.decision(texts).argmax(axis=1)]

    def scores(self, text: str) -> dict[str, float]:
        """Per-label scores in (0, 1): the logistic of the SVM margin."""
        row = self.decision([text])[0]
        return {label: round(1 / (1 + math.exp(-2 * float(v))), 4) for label, v in zip(self.labels, row)}

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        with open(path, "wb") as handle:
            pickle.dump({"version": MODEL_VERSION, "model": self}, handle)
        return path

    @staticmethod
    def load(directory: Path) -> TopicModel | None:
        """The saved model, or None when absent or saved by an incompatible version (retrain)."""
        path = directory / MODEL_FILE
        if not path.is_file():
            return None
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
            return None
        return data["model"]


def model_dir(home: Path) -> Path:
    return Path(home) / "models" / "topic"


# Some genres belong to a committee whatever their subject: an appointment list to 选举任免联络, a
# reply to a deputy's suggestion to 代表工作 (besides the subject's own committee).
GENRE_TOPICS = {"任免": "选举任免联络", "建议答复": "代表工作", "议案": "代表工作"}
GENRE_TOPIC_SCORE = 0.9


def topics_for(text: str, title: str = "", model: TopicModel | None = None,
               genre: str | None = None) -> tuple[list[str], dict[str, float]]:
    """(topics, scores): seeds always; a trained model's scores are averaged in where present."""
    scores = seed_scores(text, title)
    if model is not None and model.labels:
        learned = model.scores(f"{title}\n{text}")
        for topic, value in learned.items():
            scores[topic] = round((scores.get(topic, 0.0) + value) / 2, 4)
    if genre in GENRE_TOPICS:
        committee = GENRE_TOPICS[genre]
        scores[committee] = max(scores.get(committee, 0.0), GENRE_TOPIC_SCORE)
    return pick_topics(scores), scores


def train_from(items: Iterable[tuple[str, str, list[str]]]) -> TopicModel | None:
    """Train from (title, text, confirmed topics); None when fewer than two labels are present."""
    texts, labels = [], []
    for title, text, topics in items:
        if topics:
            texts.append(f"{title}\n{text}")
            labels.append(topics)
    if len({label for items in labels for label in items}) < 2:
        return None
    return TopicModel().fit(texts, labels)
