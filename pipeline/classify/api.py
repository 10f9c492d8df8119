"""What the rest of the pipeline calls: ``annotate`` (ingest, per document), ``classify_files``
(the ``gongwen classify`` command) and ``train_models`` (learn from the archive and corrections).

``annotate`` never trains: it loads the archive's models once per process (re-read when a model
file changes) and falls back to rules and seeds when there are none.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.classify import keywords as kw
from pipeline.classify import retention, textcat, topic
from pipeline.classify.entities import entity_summary
from pipeline.classify.genre import CONFIDENT, rule_scores, title_genre
from pipeline.classify.secrecy import is_classified, restricted_mark
from pipeline.home import Home
from pipeline.model import Document, ParseError

log = logging.getLogger(__name__)

WEAK = 0.25  # below this the rules have hardly any evidence
RULE_WEIGHT = 0.6  # blend of body rules and the learned model when the title does not decide
MIN_TRAIN_DOCUMENTS = textcat.MIN_DOCUMENTS
TEXT_FOR_ENTITIES = 4000
TEXT_FOR_TOPICS = 30000


def _stamp(path: Path) -> float:
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
    from pipeline.archive.codes import load_config

    return load_config(Home(Path(home)))


def _models(home: Path | None):
    if home is None:
        return None, None, None, {}
    paths = Home(Path(home))
    key = str(paths.root)  # the models are cached per home and file time
    topic_model = _topic_model(key, _stamp(paths.topic_model / topic.MODEL_FILE))
    idf = _idf(key, _stamp(paths.keywords / kw.IDF_FILE))
    try:
        config = _config(key, _stamp(paths.config))
    except ValueError as error:  # a broken config.json must not fail every document of an ingest
        log.warning("%s；使用默认设置", error)
        config = {}
    try:
        genre_model = textcat.load(paths.root)
    except Exception as error:  # noqa: BLE001 — a damaged model must not stop ingest: rules still work
        log.warning("文种模型无法加载，仅使用规则：%s", error)
        genre_model = None
    return genre_model, topic_model, idf, config


def _body(doc: Document) -> str:
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
    if genre_model is not None and top < CONFIDENT and _body(doc).strip():
        learned = textcat.predict(genre_model, _body(doc))
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
    body, title = _body(doc), doc.title or ""
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


# --- reading files for ``gongwen classify`` ---

def load_document(path: Path) -> Document:
    """Parse a file with the full parser; plain text files still work without it."""
    try:
        from pipeline.parse import parse_file

        return parse_file(path)
    except (NotImplementedError, ImportError) as error:
        if path.suffix.lower() in (".txt", ".md", ".text", ""):
            from pipeline.classify.textdoc import read_text_file

            return read_text_file(path)
        raise ParseError(str(path), "解析器尚不支持该格式") from error


def classify_files(home: Home, paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The ``gongwen classify`` objects; a file that cannot be read gets ``"error"`` instead."""
    ensure_models(home)
    results: list[dict[str, Any]] = []
    for path in paths:
        path = Path(path)
        try:
            if not path.is_file():
                raise ParseError(str(path), "文件不存在")
            doc = load_document(path)
        except ParseError as error:
            results.append({"path": str(path), "error": error.reason})
            continue
        except Exception as error:  # a reader bug must not end the batch (logged with its trace)
            log.exception("classify: %s", path)
            results.append({"path": str(path), "error": f"解析时发生内部错误（{type(error).__name__}: {error}）"})
            continue
        info = annotate(doc, home.root)
        results.append({
            "path": str(path),
            "genre": info["genre"],
            "genre_scores": info["genre_scores"],
            "topics": info["topics"],
            "secrecy": info["secrecy"],
            "retention": info["retention"],
        })
    return results


# --- training from the archive ---

def _split_topics(value: str | list[str]) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        try:
            parsed = json.loads(value)
            items = parsed if isinstance(parsed, list) else [str(parsed)]
        except (json.JSONDecodeError, TypeError):
            items = re.split(r"[,，、;；\s]+", str(value))
    return [item for item in (i.strip() for i in items) if item in topic.TOPICS]


def training_sets(home: Home) -> tuple[list[tuple[str, str]], list[tuple[str, str, list[str]]], list[str]]:
    """(genre examples (body, label), topic examples (title, body, topics), all bodies).

    Genre labels: the user's correction, else the genre the title names (confident rule labels).
    Topic labels: the user's correction, else the seeds' confident topics.
    """
    from pipeline.archive.catalog import corrections, iter_documents

    fixes = corrections(home)
    genre_examples, topic_examples, bodies = [], [], []
    for doc_id, doc in iter_documents(home):
        body = _body(doc)
        if not body.strip():
            continue
        bodies.append(f"{doc.title or ''}\n{body}")
        fixed = fixes.get(doc_id, {})
        label = fixed.get("genre") or title_genre(doc.title)
        if label:
            genre_examples.append((body, label))
        if "topics" in fixed:
            topic_examples.append((doc.title or "", body, _split_topics(fixed["topics"])))
        else:
            scores = topic.seed_scores(body, doc.title or "")
            topic_examples.append((doc.title or "", body, topic.pick_topics(scores, threshold=0.6)))
    return genre_examples, topic_examples, bodies


def train_models(home: Home) -> dict[str, Any]:
    """Train the genre textcat, the topic model and the keyword IDF from the archive."""
    genre_examples, topic_examples, bodies = training_sets(home)
    report: dict[str, Any] = {"documents": len(bodies)}
    if bodies:
        kw.save_idf(home.root, kw.build_idf(bodies))
        report["idf"] = True
    nlp = textcat.train([b for b, _ in genre_examples], [g for _, g in genre_examples],
                        textcat.model_dir(home.root))
    report["genre_model"] = nlp is not None
    model = topic.train_from(topic_examples)
    if model is not None:
        model.save(topic.model_dir(home.root))
    report["topic_model"] = model is not None
    marker = home.trained_marker  # when, and on what, the models learnt
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return report


def _catalog_state(home: Home) -> tuple[int, float]:
    """(current documents, time of the latest user correction) — cheap queries on the catalog."""
    from pipeline.archive.catalog import connect

    if not home.catalog.is_file():
        return 0, 0.0  # nothing ingested yet; do not create a catalog just to look
    conn = connect(home)
    try:
        count = conn.execute(
            "SELECT COUNT(*) FROM documents WHERE is_current = 1 AND state = 'active'").fetchone()[0]
        latest = conn.execute("SELECT MAX(at) FROM corrections").fetchone()[0]
        return int(count), float(latest or 0.0)
    finally:
        conn.close()


def ensure_models(home: Home) -> dict[str, Any] | None:
    """Train at ``classify`` time: when the archive has grown enough for a genre model it lacks,
    or when users corrected something after the models were last trained."""
    trained = _stamp(home.trained_marker)
    has_genre_model = (textcat.model_dir(home.root) / "config.cfg").is_file()
    try:
        count, latest = _catalog_state(home)
    except ImportError:  # no catalog yet: rules and seeds only
        return None
    except Exception as error:  # noqa: BLE001 — an unreadable catalog: nothing to learn from
        log.info("档案库无法读取，跳过模型训练：%s", error)
        return None
    corrected_since = latest > trained
    grown_enough = count >= MIN_TRAIN_DOCUMENTS and not has_genre_model
    if not (corrected_since or grown_enough):
        return None
    return train_models(home)
