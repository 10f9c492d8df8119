"""policy_qa: first-stage variants measured with the present and with refitted re-rank weights.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/first_stage_variants.py --workdir /tmp/q \
        [--variants base,place_0.5,...] [--misses misses.json]

Each variant changes one thing before the re-ranking (query term weights, BM25F parameters, how
a passage is scored, pseudo-relevance feedback, a query-likelihood score) by patching the
pipeline for the run, runs every question through ``pipeline.index.search.search`` and records
each question's re-rank pool with its features. It reports MRR@10 / Recall@10 / top-1 over all,
odd- and even-numbered questions twice: with the re-rank weights of ``pipeline.index.rerank``
("fixed") and with weights refitted by coordinate ascent on MRR@10 of the odd questions only
("refit"; the even ones stay held out), because a first-stage change also changes the features
the weights were fitted on. ``--misses`` writes the questions whose answer is not in the top 10
(question, answer, final and first-stage rank, the target's and the winner's opening, the
question words the target lacks). The policy_qa home is the one ``search_quality.py --workdir``
builds (ingested here when missing).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from search_quality import POLICY_QA, ingest_texts, load_policy_qa

import pipeline.index.passages as P
import pipeline.index.query as QM
import pipeline.index.search as S
from pipeline.index import rerank as R
from pipeline.index.analysis import bigram_terms, word_terms
from pipeline.text.normalize import fold

FEATURES = list(R.QUESTION_WEIGHTS)
Undo = Callable[[], None]

# --- variants (each returns the function that undoes it) ----------------------------------------
PROVINCES = ["北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门"]
PLACE_RE = re.compile("(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + ")(?:自治区|省|市)?")
# words that frame a question rather than name its content (written for this experiment)
FRAME_WORDS = frozenset(["措施", "举措", "政策", "方面", "情况", "内容", "要求", "规定", "主要", "具体", "相关", "有关", "采取", "提出", "做出", "作出", "出台", "进行", "开展", "实施", "工作", "问题", "目前", "方式", "办法", "作用", "意义", "新举措", "这些", "需要", "应该", "应当", "可以"])


def _set(obj: object, name: str, value: object) -> Undo:
    old = getattr(obj, name)
    setattr(obj, name, value)
    return lambda: setattr(obj, name, old)


def _scale_soft_terms(select: Callable[[str], set[str]], share: float) -> Undo:
    """Multiply the boost of a question's words and bigrams that ``select(question)`` names."""
    original = QM.QueryBuilder.soft

    def soft(self, pieces, forms, concepts, fields):
        query = original(self, pieces, forms, concepts, fields)
        chosen = set().union(*(select(piece) for piece in pieces)) if pieces else set()
        for sub in getattr(query, "subqueries", []):
            if getattr(sub, "text", None) in chosen:
                sub.boost *= share
        return query

    return _set(QM.QueryBuilder, "soft", soft)


def _places(text: str) -> set[str]:
    names = [m.group(0) for m in PLACE_RE.finditer(text)]
    return {t for name in names for t in word_terms(name) + bigram_terms(name)}


def _frames(text: str) -> set[str]:
    return {t for w in word_terms(text) if w in FRAME_WORDS for t in [w] + bigram_terms(w)}


def _weighting(**overrides: float) -> Undo:
    from whoosh import scoring

    def weighting():
        args = {"B": S.RANKING["B"], "K1": S.RANKING["K1"], "title_B": S.RANKING["title_B"],
                "title_bg_B": S.RANKING["title_B"], **overrides}
        return scoring.BM25F(**args)

    return _set(S, "weighting", weighting)


def _soft_weight(key: str, value: float) -> Undo:
    old = QM.WEIGHTS[key]
    QM.WEIGHTS[key] = value
    return lambda: QM.WEIGHTS.__setitem__(key, old)


_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


def _sentence_windows(chars: int, average: float) -> Undo:
    """A passage scores as its best run of whole sentences up to ``chars`` long."""
    original = P._bm25

    def windows(text: str, terms: list[tuple[str, float]]) -> float:
        sentences = [s for s in _SENTENCE_END.split(text) if s]
        best = 0.0
        for start in range(len(sentences)):
            window, end = sentences[start], start + 1
            while end < len(sentences) and len(window) + len(sentences[end]) <= chars:
                window += sentences[end]
                end += 1
            saved, P.AVERAGE_CHARS = P.AVERAGE_CHARS, average
            try:
                best = max(best, original(window, terms))
            finally:
                P.AVERAGE_CHARS = saved
        return best

    return _set(P, "_bm25", windows)


def _rm3(top_docs: int, n_terms: int, share: float) -> Undo:
    """Pseudo-relevance feedback: the question plus the rarest words of the best passages of its
    first ``top_docs`` documents (weighted by the document's score), ``share`` of a term's boost."""
    from whoosh import query as Q

    original = S._run

    def run(searcher, query, doc_filter, limit, offset, sort, question=False):
        if not question:
            return original(searcher, query, doc_filter, limit, offset, sort, question)
        ranked, _, _ = S._match(searcher, query, doc_filter, top_docs, False)
        terms = P.query_terms(query)
        have = {t for _, t, _ in terms}
        top = max((float(s) for s, _ in ranked), default=1.0) or 1.0
        fields = [(float(s), S._stored_fields(searcher, d)) for s, d in ranked]
        best = P.score_passages(P.term_weights(searcher, terms),
                                [(f["id"], f.get("passages") or []) for _, f in fields], per_doc=1)
        mass: dict[str, float] = {}
        for score, record in fields:
            for _, passage in best.get(record["id"], []):
                words = [w for w in word_terms(passage["text"]) if len(w) > 1 and w not in have]
                for w in words:
                    mass[w] = mass.get(w, 0.0) + (score / top) / len(words)
        chosen = sorted(((m * searcher.idf("body", w), w) for w, m in mass.items()), reverse=True)[:n_terms]
        if not chosen:
            return original(searcher, query, doc_filter, limit, offset, sort, question)
        extra = [Q.Term("body", w, boost=share * v / chosen[0][0]) for v, w in chosen]
        return original(searcher, Q.Or([query, *extra]), doc_filter, limit, offset, sort, question)

    return _set(S, "_run", run)


VARIANTS: dict[str, Callable[[], Undo]] = {
    "base": lambda: (lambda: None),
    **{f"place_{s}": (lambda s=s: _scale_soft_terms(_places, s)) for s in (1.5, 0.5, 0.25, 0.0)},
    **{f"frame_{s}": (lambda s=s: _scale_soft_terms(_frames, s)) for s in (0.5, 0.0)},
    **{f"word_{w}": (lambda w=w: _soft_weight("soft_body", w)) for w in (0.75, 1.0)},
    **{f"body_bg_B_{b}": (lambda b=b: _weighting(body_bg_B=b)) for b in (0.5, 0.9)},
    **{f"body_B_{b}": (lambda b=b: _weighting(body_B=b)) for b in (0.5, 0.9)},
    **{f"K1_{k}": (lambda k=k: _weighting(K1=k)) for k in (0.8, 1.5)},
    **{f"windows_{c}": (lambda c=c, a=a: _sentence_windows(c, a)) for c, a in ((120, 120.0), (200, 150.0), (300, 200.0))},
    "rm3_0.3": lambda: _rm3(3, 10, 0.3),
    "rm3_0.1": lambda: _rm3(3, 10, 0.1),
    "ql": lambda: (lambda: None),  # base ranking plus a Dirichlet query-likelihood feature
    "national": lambda: (lambda: None),  # base ranking plus the `_national` feature
}
QL_MU = 1000.0


# --- recording a run ----------------------------------------------------------------------------
def _query_likelihood(searcher, grams: list[str], text: str) -> float:
    """Dirichlet-smoothed log likelihood of the question's bigrams, per bigram."""
    reader = searcher.reader()
    total = reader.field_length("body_bg") or 1
    score = 0.0
    for gram in grams:
        background = max(reader.frequency("body_bg", gram), 0.5) / total
        score += math.log((text.count(gram) + QL_MU * background) / (len(text) + QL_MU))
    return score / max(len(grams), 1)


def _national(searcher, grams: list[str], text: str) -> float:
    """1 when the question names a province and the document names none (a national notice
    applies everywhere), else 0."""
    question = " ".join(R.runs_from_bigrams(grams))
    return float(bool(PLACE_RE.search(question)) and not PLACE_RE.search(text))


# extra re-rank features: (function, scaled as the difference to the pool's best)
EXTRA: dict[str, tuple[Callable, bool]] = {"ql": (_query_likelihood, True), "national": (_national, False)}


def record(home: Path, questions: list[str], extra: str | None) -> tuple[list, list, list, list]:
    """Each question's final top 10, pool ids and pool features (re-rank order of computation),
    and its latency."""
    pools_x: list[np.ndarray] = []
    pools_ids: list[list[str]] = []
    original = S._rerank
    state: dict = {}

    def spy(terms, weights, best, scored):
        rows = _pool_features(terms, weights, best, scored, state["searcher"], extra)
        pools_x.append(np.array(rows, dtype=float))
        pools_ids.append([Path(f["path"]).stem for _, _, f in scored])
        return original(terms, weights, best, scored)

    original_searcher = S.searcher_for

    def searcher_for(*args, **kwargs):
        state["searcher"] = original_searcher(*args, **kwargs)
        return state["searcher"]

    S._rerank, S.searcher_for = spy, searcher_for
    rankings, latencies = [], []
    try:
        for text in questions:
            before = len(pools_ids)
            started = time.perf_counter()
            result = S.search(home, text, limit=10)
            latencies.append(time.perf_counter() - started)
            rankings.append([Path(hit["path"]).stem for hit in result["hits"]])
            if len(pools_ids) == before:  # not re-ranked (no pool)
                pools_x.append(np.zeros((0, len(FEATURES) + bool(extra))))
                pools_ids.append([])
    finally:
        S._rerank, S.searcher_for = original, original_searcher
    return rankings, pools_ids, pools_x, latencies


def _pool_features(terms, weights, best, scored, searcher, extra: str | None) -> list[list[float]]:
    """The features ``search._rerank`` computes (same scaling), plus the ``extra`` one."""
    top_doc = max(s for s, _, _ in scored) or 1.0
    top_passage = max((p[0][0] for p in best.values() if p), default=0.0) or 1.0
    grams = [text for field, text, _ in terms if field == "body_bg"]
    runs = R.runs_from_bigrams(grams)
    rows, values = [], []
    for score, _, fields in scored:
        text = P.stored_text(fields.get("passages") or [])
        passage = best.get(fields["id"])
        features = {"doc": score / top_doc, "passage": (passage[0][0] if passage else 0.0) / top_passage}
        features.update(R.text_features(text, weights, runs))
        rows.append([features[name] for name in FEATURES])
        if extra:
            values.append(EXTRA[extra][0](searcher, grams, text))
    if extra:
        top = max(values) if EXTRA[extra][1] else 0.0
        rows = [row + [value - top] for row, value in zip(rows, values)]
    return rows


# --- fitting ------------------------------------------------------------------------------------
def evaluate(weights: np.ndarray, pools_x, pools_ids, targets, picked) -> tuple[float, float, float]:
    """MRR@10, Recall@10, top-1 of the pools ordered by ``weights`` (ties keep the pool order)."""
    rr = found = top1 = 0.0
    for i in picked:
        if not pools_ids[i]:
            continue
        order = np.argsort(-(pools_x[i] @ weights), kind="stable")[:10]
        for rank, k in enumerate(order, 1):
            if pools_ids[i][k] in targets[i]:
                rr, found, top1 = rr + 1 / rank, found + 1, top1 + (rank == 1)
                break
    n = max(len(picked), 1)
    return rr / n, found / n, top1 / n


def fit(start: np.ndarray, pools_x, pools_ids, targets, picked) -> np.ndarray:
    """Coordinate ascent on MRR@10 (the document weight stays 1: it sets the scale)."""
    weights, best = start.copy(), evaluate(start, pools_x, pools_ids, targets, picked)[0]
    for step in (0.4, 0.2, 0.1, 0.05):
        improved = True
        while improved:
            improved = False
            for j in range(1, len(weights)):
                for delta in (step, -step):
                    trial = weights.copy()
                    trial[j] = max(0.0, trial[j] + delta)
                    score = evaluate(trial, pools_x, pools_ids, targets, picked)[0]
                    if score > best + 1e-9:
                        best, weights, improved = score, trial, True
    return weights


# --- misses -------------------------------------------------------------------------------------
def misses(home: Path, docs: dict[str, str], questions, targets, rankings) -> list[dict]:
    answers = {}
    for line in (POLICY_QA / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        answers[row["text"]] = row.get("answer")
    saved = S.RANKING["rerank"]
    out = []
    for i, (text, target, ranked) in enumerate(zip(questions, targets, rankings)):
        if any(d in target for d in ranked):
            continue
        S.RANKING["rerank"] = False
        try:
            first = [Path(h["path"]).stem for h in S.search(home, text, limit=200)["hits"]]
        finally:
            S.RANKING["rerank"] = saved
        answer_doc = fold(docs[min(target)])
        answer = (answers.get(text) or "").strip()[:25]
        out.append({"kind": _miss_kind(fold(text), answer_doc, answer, [docs[d] for d in ranked]),
            "number": i + 1, "half": "odd" if i % 2 == 0 else "even", "question": text,
            "answer": answers.get(text), "first_stage_rank": next(
                (r for r, d in enumerate(first, 1) if d in target), None),
            "target": docs[min(target)][:80], "winner": docs[ranked[0]][:80] if ranked else None,
            "words_target_lacks": [w for w in word_terms(fold(text)) if w not in answer_doc],
        })
    return out


def _miss_kind(question: str, answer_doc: str, answer: str, top10: list[str]) -> str:
    """place: the question names a province the answering document never names; copy: the
    answer's opening stands verbatim in a document of the top 10 (an undeclared copy or a report
    of the same notice); other: neither."""
    places = set(PLACE_RE.findall(question))
    if places and not any(re.sub("(?:自治区|省|市)$", "", p) in answer_doc for p in places):
        return "place"
    if len(answer) >= 6 and any(answer in fold(text) for text in top10):
        return "copy"
    return "other"


# --- main ---------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True, help="the policy_qa home is WORKDIR/home")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--misses", type=Path, default=None, help="write the base run's misses here")
    args = parser.parse_args()
    docs, qrels = load_policy_qa()
    questions, targets = [q for q, _ in qrels], [t for _, t in qrels]
    home = args.workdir / "home"
    if not (home / "index").exists():
        ingest_texts(home, docs, args.workdir / "policy_qa_files")
    S.search(home, questions[0])  # warm the searcher and the segmenter
    halves = {"all": range(len(questions)), "odd": range(0, len(questions), 2),
              "even": range(1, len(questions), 2)}
    for name in args.variants.split(","):
        undo = VARIANTS[name]()
        S.reset_cache()
        try:
            rankings, pools_ids, pools_x, latencies = record(home, questions, name if name in EXTRA else None)
        finally:
            undo()
            S.reset_cache()
        start = np.array([R.QUESTION_WEIGHTS[f] for f in FEATURES] + ([0.0] if name in EXTRA else []))
        fitted = fit(start, pools_x, pools_ids, targets, halves["odd"])
        for label, weights in (("fixed", start), ("refit", fitted)):
            cells = [f"{half} " + "/".join(f"{v:.4f}" for v in evaluate(weights, pools_x, pools_ids, targets, picked))
                     for half, picked in halves.items()]
            print(f"{name:14s} {label}  " + "  ".join(cells)
                  + f"  p50 {1000 * sorted(latencies)[len(latencies) // 2]:.1f} ms", flush=True)
        print(f"{'':14s} refit weights {dict(zip(FEATURES + [name], fitted.round(2).tolist()))}", flush=True)
        if name == "base" and args.misses:
            args.misses.write_text(json.dumps(misses(home, docs, questions, targets, rankings),
                                              ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
