"""A spaCy text classifier for genre where the rules cannot decide (no title: drafts, OCR, web text).

Blank ``zh`` pipeline with the jieba segmenter and a bag-of-words ``textcat`` (exclusive labels),
trained from the archive's own documents that the rules labelled by their titles (their bodies only,
since the model is for texts that have no title) plus user corrections. Saved in
``<home>/models/genre/``; loaded once per process.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

MIN_DOCUMENTS = 20  # fewer labelled documents than this: rules only
MIN_PER_LABEL = 2
TEXT_CHARS = 1500  # head and tail of the body carry the genre's fixed phrases


def model_dir(home: Path) -> Path:
    return Path(home) / "models" / "genre"


def blank_pipeline():
    """``spacy.blank("zh")`` with the jieba segmenter (works offline: jieba ships its dictionary)."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def clip(text: str) -> str:
    if len(text) <= TEXT_CHARS:
        return text
    half = TEXT_CHARS // 2
    return text[:half] + "\n" + text[-half:]


def usable(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """Drop labels with too few examples to learn from."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    kept = [(t, l) for t, l in zip(texts, labels) if counts[l] >= MIN_PER_LABEL and t.strip()]
    return [t for t, _ in kept], [l for _, l in kept]


def train(texts: Sequence[str], labels: Sequence[str], out: Path | None = None,
          epochs: int = 10, seed: int = 0):
    """Train a genre textcat; returns the ``nlp`` (saved to ``out`` when given) or None if too few."""
    from spacy.training import Example
    from spacy.util import minibatch

    texts, labels = usable(texts, labels)
    names = sorted(set(labels))
    if len(texts) < MIN_DOCUMENTS or len(names) < 2:
        return None
    nlp = blank_pipeline()
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False,
    }})
    for name in names:
        textcat.add_label(name)
    docs = [nlp.make_doc(clip(text)) for text in texts]
    examples = [Example.from_dict(doc, {"cats": {n: float(n == label) for n in names}})
                for doc, label in zip(docs, labels)]
    random.seed(seed)
    optimizer = nlp.initialize(lambda: examples, sgd=None)
    for _ in range(epochs):
        random.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(out)
        _load_cached.cache_clear()
    return nlp


@lru_cache(maxsize=4)
def _load_cached(path: str, stamp: float):
    import spacy

    return spacy.load(path)


def load(home: Path | None):
    """The archive's genre model, or None when it has none (loaded once per process and version)."""
    if home is None:
        return None
    directory = model_dir(home)
    config = directory / "config.cfg"
    if not config.is_file():
        return None
    return _load_cached(str(directory), config.stat().st_mtime)


def predict(nlp, text: str) -> dict[str, float]:
    """Label scores (summing to 1) for a body text."""
    doc = nlp(clip(text))
    return {label: round(float(score), 4) for label, score in sorted(doc.cats.items(), key=lambda i: -i[1])}
