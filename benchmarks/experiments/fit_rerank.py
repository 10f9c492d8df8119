"""Fit the re-ranking weights of questions (pipeline.index.rerank.QUESTION_WEIGHTS) on policy_qa.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/fit_rerank.py --workdir /tmp/rerank \\
        [--dump /tmp/rerank/features.pkl] [--redump] [--features doc,passage,...] [--rounds 4]
        [--free other_region] [--start-zero] [--pool 50] [--against OTHER_DUMP]

1. Dump: the policy_qa documents are ingested as files (``search_quality.ingest_texts``; the home in
   ``--workdir`` is reused), every question runs once through the real ``search()``, and the
   features of every candidate of its re-ranked pool (``rerank.candidate_features``) are recorded
   with whether the candidate answers it (the answer or a copy). The dump is kept (``--redump``
   writes it again: do so after changing what the features or the first stage compute).
2. Fit: coordinate ascent on MRR@10 of the ODD-numbered questions only (1st, 3rd, ...), starting
   from today's weights; prints MRR@10 / Recall@10 / top-1 on odd, even (held out) and all, for
   today's weights and for the fitted ones. Ties keep the first-stage order, as ``search`` does.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from search_quality import ingest_texts, load_policy_qa  # noqa: E402

GRID = (-1.0, -0.8, -0.6, -0.4, -0.3, -0.2, -0.1, 0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0, 1.3, 1.6, 2.0, 2.5, 3.0, 4.0)


# --- dump ---------------------------------------------------------------------------------------
def dump_features(home: Path, workdir: Path, pool: int | None = None) -> dict[str, Any]:
    """Run every question through ``search`` and record its pool's features (``pool``: re-rank
    that many candidates instead of ``search.RANKING["pool"]``)."""
    from pipeline.index import search as search_module

    if pool:
        search_module.RANKING["pool"] = pool

    docs, qrels = load_policy_qa()
    if not (home / "index").exists():
        ingest_texts(home, docs, workdir / "policy_qa_files")
    recorded: list[dict[str, Any]] = []
    original = search_module.candidate_features

    def recording(terms, weights, best, scored, with_text):
        rows = original(terms, weights, best, scored, with_text)
        recorded.append({
            "docs": [Path(fields["path"]).stem for _, _, fields in scored],
            "best": [[p["text"] for _, p in best.get(fields["id"], [])] for _, _, fields in scored],
            "features": rows,
        })
        return rows

    search_module.candidate_features = recording
    questions = []
    try:
        for text, targets in qrels:
            recorded.clear()
            search_module.search(home, text, limit=10)
            pool = recorded[-1] if recorded else {"docs": [], "best": [], "features": []}
            questions.append({"text": text, "targets": sorted(targets), **pool})
    finally:
        search_module.candidate_features = original
    return {"questions": questions}


# --- evaluation ---------------------------------------------------------------------------------
class Pools:
    """The questions' pools as arrays: X (questions, pool, features), relevant and valid masks."""

    def __init__(self, questions: list[dict[str, Any]], names: list[str]) -> None:
        size = max((len(q["docs"]) for q in questions), default=1) or 1
        self.names = names
        self.X = np.zeros((len(questions), size, len(names)))
        self.relevant = np.zeros((len(questions), size), dtype=bool)
        self.valid = np.zeros((len(questions), size), dtype=bool)
        for qi, q in enumerate(questions):
            targets = set(q["targets"])
            for ci, (doc, row) in enumerate(zip(q["docs"], q["features"])):
                self.X[qi, ci] = [row.get(name, 0.0) for name in names]
                self.relevant[qi, ci] = doc in targets
                self.valid[qi, ci] = True

    def ranks(self, weights: np.ndarray, picked: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The rank of each question's first answer (0: not in the pool)."""
        scores = np.where(self.valid[picked], self.X[picked] @ weights, -np.inf)
        # a candidate's rank: 1 + the candidates scored higher + the earlier ones scored the same
        higher = scores[:, None, :] > scores[:, :, None]
        size = scores.shape[1]
        earlier = np.tri(size, size, -1, dtype=bool)[None] & (scores[:, None, :] == scores[:, :, None])
        rank = 1 + (higher | earlier).sum(axis=2)
        rank = np.where(self.relevant[picked], rank, 10 ** 6)
        best = rank.min(axis=1)
        return np.where(best < 10 ** 6, best, 0)

    def metrics(self, weights: np.ndarray, picked: np.ndarray | slice = slice(None)) -> dict[str, float]:
        ranks = self.ranks(weights, picked)
        inside = (ranks > 0) & (ranks <= 10)
        return {"mrr@10": round(float(np.where(inside, 1.0 / np.maximum(ranks, 1), 0.0).mean()), 4),
                "recall@10": round(float(inside.mean()), 4), "top1": round(float((ranks == 1).mean()), 4)}


def halves(count: int) -> dict[str, np.ndarray]:
    return {"odd": np.arange(0, count, 2), "even": np.arange(1, count, 2), "all": np.arange(count)}


def report(pools: Pools, weights: np.ndarray, label: str) -> dict[str, dict[str, float]]:
    parts = {name: pools.metrics(weights, picked) for name, picked in halves(len(pools.X)).items()}
    line = "  ".join(f"{name} {m['mrr@10']:.4f}/{m['recall@10']:.4f}/{m['top1']:.4f}" for name, m in parts.items())
    print(f"{label:<28} {line}   (MRR@10/R@10/top-1)")
    return parts


def fit(pools: Pools, start: np.ndarray, rounds: int, fixed: tuple[str, ...] = ("doc",)) -> np.ndarray:
    """Coordinate ascent on the odd questions' MRR@10: each free weight in turn takes the grid value
    (scaled by the anchor weight) that scores best; a change must gain to be kept."""
    odd = halves(len(pools.X))["odd"]
    weights = start.copy()
    best = pools.metrics(weights, odd)["mrr@10"]
    for _ in range(rounds):
        improved = False
        for index, name in enumerate(pools.names):
            if name in fixed:
                continue
            for value in GRID:
                trial = weights.copy()
                trial[index] = value
                score = pools.metrics(trial, odd)["mrr@10"]
                if score > best + 1e-9:
                    best, weights, improved = score, trial, True
        if not improved:
            break
    return weights


def reciprocal_ranks(pools: Pools, weights: np.ndarray) -> np.ndarray:
    ranks = pools.ranks(weights)
    return np.where((ranks > 0) & (ranks <= 10), 1.0 / np.maximum(ranks, 1), 0.0)


def compare(pools: Pools, other: Pools, weights: np.ndarray, samples: int = 2000) -> None:
    """Per question, today's weights on this dump against the same weights on ``other`` (a dump
    made by another version: features it lacks count 0): questions up and down, and a bootstrap
    95 % interval of the mean MRR@10 gain on each half."""
    gain = reciprocal_ranks(pools, weights) - reciprocal_ranks(other, weights)
    rng = np.random.default_rng(0)
    for name, picked in halves(len(gain)).items():
        part = gain[picked]
        means = [part[rng.integers(0, len(part), len(part))].mean() for _ in range(samples)]
        low, high = np.percentile(means, [2.5, 97.5])
        print(f"{name}: {int((part > 0).sum())} up, {int((part < 0).sum())} down, gain {part.mean():+.4f} "
              f"(95 % bootstrap interval {low:+.4f} .. {high:+.4f})")


def main() -> None:
    from pipeline.index.rerank import QUESTION_WEIGHTS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--dump", type=Path, default=None, help="features file (default: WORKDIR/features.pkl)")
    parser.add_argument("--redump", action="store_true")
    parser.add_argument("--features", default=None, help="comma-separated feature names to fit")
    parser.add_argument("--pool", type=int, default=None, help="candidates re-ranked when dumping")
    parser.add_argument("--against", type=Path, default=None, help="another dump to compare with, question by question")
    parser.add_argument("--start-zero", action="store_true", help="the free weights start at 0, not at today's")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--free", default=None,
                        help="comma-separated features whose weights may move (default: all but doc)")
    args = parser.parse_args()
    dump_path = args.dump or args.workdir / "features.pkl"
    if args.redump or not dump_path.exists():
        args.workdir.mkdir(parents=True, exist_ok=True)
        dump = dump_features(args.workdir / "home", args.workdir, args.pool)
        dump_path.write_bytes(pickle.dumps(dump))
    dump = pickle.loads(dump_path.read_bytes())
    questions = dump["questions"]
    available = list(dict.fromkeys(k for q in questions for row in q["features"] for k in row))
    names = args.features.split(",") if args.features else available
    pools = Pools(questions, names)
    current = np.array([QUESTION_WEIGHTS.get(name, 0.0) for name in names])
    print(f"{len(questions)} questions; features {names}")
    report(pools, current, "today's weights")
    if args.against:
        compare(pools, Pools(pickle.loads(args.against.read_bytes())["questions"], names), current)
    fixed = tuple(n for n in names if n not in args.free.split(",")) if args.free else ("doc",)
    start = current.copy()
    if args.start_zero:
        start[[i for i, name in enumerate(names) if name not in fixed]] = 0.0
        report(pools, start, "free weights at 0")
    fitted = fit(pools, start, args.rounds, fixed)
    report(pools, fitted, "fitted on odd")
    print("weights:", {name: float(w) for name, w in zip(names, fitted)})


if __name__ == "__main__":
    main()
