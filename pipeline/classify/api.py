"""What the rest of the pipeline calls: ``annotate`` (ingest and ``gongwen classify``, per
document). Learning from the archive is ``pipeline.archive.training``; reading files for
``gongwen classify`` is ``pipeline.parse.classify_files``.

``annotate`` never trains: it loads the archive's models once per process (re-read when a model
file changes) and falls back to rules and seeds when there are none.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.classify import keywords as kw
from pipeline.classify import retention, textcat, topic
from pipeline.classify.entities import entity_summary
from pipeline.classify.genre import CONFIDENT, rule_scores
from pipeline.classify.secrecy import is_classified, restricted_mark
from pipeline.home import Home
from pipeline.model import Document
from pipeline.settings import load_config

log = logging.getLogger(__name__)

WEAK = 0.25  # below this the rules have hardly any evidence
RULE_WEIGHT = 0.6  # blend of body rules and the learned model when the title does not decide
TEXT_FOR_ENTITIES = 4000
TEXT_FOR_TOPICS = 30000


def modified_time(path: Path) -> float:
    """A file's modification time, 0 when it is missing (models are cached by it)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _topic_model(home: str, stamp: float) -> topic.TopicModel | None:
    return topic.TopicModel.load(topic.model_dir(Path(home)))


@lru_cache(maxsize=8)
def _idf(home: str, stamp: float) -> dict[str, float] | None:
    return kw.load_idf(Path(home))


@lru_cache(maxsize=8)
def _config(home: str, stamp: float) -> dict[str, Any]:
    return load_config(Home(Path(home)))


def _models(home: Path | None):
    if home is None:
        return None, None, None, {}
    paths = Home(Path(home))
    key = str(paths.root)  # the models are cached per home and file time
    topic_model = _topic_model(key, modified_time(paths.topic_model / topic.MODEL_FILE))
    idf = _idf(key, modified_time(paths.keywords / kw.IDF_FILE))
    try:
        config = _config(key, modified_time(paths.config))
    except ValueError as error:  # a broken config.json must not fail every document of an ingest
        log.warning("%s；使用默认设置", error)
        config = {}
    try:
        genre_model = textcat.load(paths.root)
    except Exception as error:  # noqa: BLE001 — a damaged model must not stop ingest: rules still work
        log.warning("文种模型无法加载，仅使用规则：%s", error)
        genre_model = None
    return genre_model, topic_model, idf, config


def document_body(doc: Document) -> str:
    return doc.body or "\n".join(doc.paragraphs)


def classify_genre(doc: Document, genre_model=None) -> tuple[str, dict[str, float]]:
    """(genre, scores): the title decides; else body rules blended with the archive's model."""
    rules = rule_scores(doc)
    if rules.by_title:
        return rules.genre, rules.scores
    scores = dict(rules.scores)
    top = rules.scores.get(rules.genre, 0.0) if rules.genre else 0.0
    # The model speaks only where the body's fixed phrases are weak: a small archive's model is
    # noisier than a 特此通知 or a 现批复如下.
    if genre_model is not None and top < CONFIDENT and document_body(doc).strip():
        learned = textcat.predict(genre_model, document_body(doc))
        weight = RULE_WEIGHT if top >= WEAK else RULE_WEIGHT / 2
        labels = set(scores) | set(learned)
        scores = {g: round(weight * scores.get(g, 0.0) + (1 - weight) * learned.get(g, 0.0), 4) for g in labels}
        scores = dict(sorted(scores.items(), key=lambda item: -item[1]))
    if not scores:
        return "其他", {"其他": 0.1}
    return next(iter(scores)), {g: s for g, s in list(scores.items())[:6] if s > 0}


def annotate(doc: Document, home: Path | None = None) -> dict[str, Any]:
    """Genre, topics, keywords, entities, secrecy, restriction and retention of one document."""
    genre_model, topic_model, idf, config = _models(home)
    genre, genre_scores = classify_genre(doc, genre_model)
    body, title = document_body(doc), doc.title or ""
    sample = body[:TEXT_FOR_TOPICS]  # a 500-page report says what it is about in its first pages
    topics, topic_scores = topic.topics_for(sample, title, topic_model, genre)
    keywords = list(dict.fromkeys([*doc.keywords, *kw.keywords(sample, title, idf=idf)]))[:10]
    secrecy = is_classified(doc)
    own = config.get("own_organs") or retention.DEFAULT_OWN_ORGANS
    return {
        "genre": genre,
        "genre_scores": genre_scores,
        "topics": topics,
        "topic_scores": {t: s for t, s in topic_scores.items() if s > 0},
        "keywords": keywords,
        "entities": entity_summary(f"{title}\n{body[:TEXT_FOR_ENTITIES]}"),
        "secrecy": {"level": secrecy.level, "term": secrecy.term} if secrecy else None,
        "restricted": restricted_mark(doc),
        "retention": retention.suggest(doc, genre, topics, own),
    }
