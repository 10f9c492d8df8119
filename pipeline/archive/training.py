"""Learning from the archive: the genre textcat, the topic model and the keyword IDF are trained
from the catalog's documents and the users' corrections (``pipeline.classify`` only applies them).

``ensure_models`` trains on demand: when the archive has grown enough for a genre model it lacks,
or when users corrected something after the models last learnt.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from pipeline.archive.catalog import connect, corrections, iter_documents
from pipeline.classify import keywords as kw
from pipeline.classify import textcat, topic
from pipeline.classify.api import document_body, modified_time
from pipeline.classify.genre import title_genre
from pipeline.home import Home

log = logging.getLogger(__name__)

MIN_TRAIN_DOCUMENTS = textcat.MIN_DOCUMENTS


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
    fixes = corrections(home)
    genre_examples, topic_examples, bodies = [], [], []
    for doc_id, doc in iter_documents(home):
        body = document_body(doc)
        if not body.strip():
            continue
        bodies.append(f"{doc.title or ''}\n{body}")
        fixed = fixes.get(doc_id, {})
        # a composed title (title_derived) was made from the body: it cannot label it
        label = fixed.get("genre") or (None if doc.title_derived else title_genre(doc.title))
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
    trained = modified_time(home.trained_marker)
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
