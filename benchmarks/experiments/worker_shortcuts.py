"""CPU seconds of each worker shortcut merged on 2026-11-26 (7595ae2: topic seeds, entities, the
cut memo, keywords, the NFKC skip) against the code it replaced, in the same run,
over the ingest_speed corpus (the replaced code is the reference kept in
tests/test_worker_shortcuts.py; each pair is checked equal as it is timed):

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/worker_shortcuts.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

import rjieba

BENCHMARKS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCHMARKS))  # ingest_speed: the corpus it measures
sys.path.append(str(BENCHMARKS.parent))  # the checkout, unless PYTHONPATH names another
from ingest_speed import corpus_files  # noqa: E402

from pipeline.archive import linking, worker  # noqa: E402
from pipeline.classify import entities, keywords, topic  # noqa: E402
from pipeline.classify.api import TEXT_FOR_ENTITIES, TEXT_FOR_TOPICS  # noqa: E402
from pipeline.classify.api import document_body as _body  # noqa: E402
from pipeline.index.writer import document_text, indexed_text  # noqa: E402
from pipeline.text import segment  # noqa: E402
from pipeline.text.normalize import fold  # noqa: E402
from tests.test_worker_shortcuts import (  # noqa: E402
    _find_entities_before, _keywords_with_idf_before, _normalise_before, _seed_hits_before)


def _timed(action: Callable[[Any], Any], items: list[Any]) -> tuple[float, list[Any]]:
    started = time.process_time()
    results = [action(item) for item in items]
    return time.process_time() - started, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = [doc for doc in map(worker.parse, map(str, corpus_files())) if not worker._classified(doc)]
    samples = [(_body(d)[:TEXT_FOR_TOPICS], d.title or "") for d in docs]
    entity_texts = [f"{d.title or ''}\n{_body(d)[:TEXT_FOR_ENTITIES]}" for d in docs]
    bodies = [d.body or "" for d in docs]
    cut_texts = [t for d, (sample, _) in zip(docs, samples)
                 for t in (sample, fold(indexed_text(d, document_text(d))[1]))]
    given = {text: segment.words(text) for pair in samples for text in pair}
    pairs: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any], list[Any]]] = {
        "seed_hits": (lambda s: _seed_hits_before(*s), lambda s: topic.seed_hits(*s), samples),
        "find_entities": (_find_entities_before,
                          lambda t: [(e.label, e.text, e.start, e.end) for e in entities.find_entities(t)],
                          entity_texts),
        "normalise_text": (_normalise_before, linking.normalise_text, bodies),
        "words (sample, folded body)": (lambda t: segment._tokens(t, rjieba.cut), segment.words, cut_texts),
        "keywords (words given)": (lambda s: _keywords_with_idf_before(*s, 8, None),
                                   lambda s: keywords.keywords(*s), samples),
    }
    gc.disable()
    real_words = keywords.words
    for name, (before, after, items) in pairs.items():
        keywords.words = given.__getitem__ if name.startswith("keywords") else real_words
        times: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(args.repeat):
            segment._cut_remembered.forget()
            spent_before, expected = _timed(before, items)
            segment._cut_remembered.forget()
            spent_after, found = _timed(after, items)
            assert found == expected, name
            times["before"].append(round(spent_before, 3))
            times["after"].append(round(spent_after, 3))
        print(json.dumps({"shortcut": name, **times}, ensure_ascii=False), flush=True)
    keywords.words = real_words


if __name__ == "__main__":
    main()
