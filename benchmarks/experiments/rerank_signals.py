"""Candidate re-ranking signals tried on policy_qa beside the committed ones (none kept):
each is added to the dumped pools of ``fit_rerank.py`` and only its own weight is fitted on the
ODD questions (the committed weights stay), then odd / even / all are printed.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/fit_rerank.py --workdir /tmp/rerank   # dump first
    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/rerank_signals.py --workdir /tmp/rerank \\
        [--signals neardup,lsa,cheap,national,lightgbm,mismatch,prior]

- lsa: latent semantic analysis learned from the archive's own 599 texts (scikit-learn tf-idf of
  characters and character bigrams, or of jieba words and word bigrams, TruncatedSVD), the cosine
  of the question to the candidate's document and to its best passage;
- cheap: log of the candidate's length, position of its best passage, "the question asks a
  number (多少, 几, 何时, 标准 …) and the best passage holds one";
- national: a question naming no province but 国家/国务院/全国/中央, candidate opening naming one;
- lightgbm: LambdaRank on the committed features (needs ``pip install lightgbm``);
- neardup: the misses whose winner is a near-copy of the answer, and which twin is the answer;
- mismatch: the question names an organ (税务局, 交通运输部: a word ending in 局 部 委 …)
  and the candidate's opening holds it (bigram share) or not, or names other organs only; the question names no province and
  the opening names one; it names one and the opening names the same one, or the text names it
  anywhere; a year the question names and the opening names only others; the question's topic
  (pipeline.classify.topic seed words) against the opening's; the question's two rarest words, or
  its subject (the words before 的/如何/哪些 …), in the title;
- prior: the candidate's first-stage rank, 1 / (1 + rank) / 10;
- joint: the ten mismatch and prior signals plus ``other_strict`` fitted together on the odd
  questions over the text features and ``other_region`` (how the five region and organ features
  of commit 3dd02cd, 2026-11-26, in rerank.py were chosen);
- cost: CPU time of the committed region and organ features over each question's pool, against
  ``other_region`` alone (the features as ``pipeline.index.rerank`` computes them).
The texts are the corpus's (folded), not the stored passages: close to, not exactly, what search sees.
"""

from __future__ import annotations

import argparse
import math
import pickle
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from fit_rerank import Pools, fit, halves, report  # noqa: E402
from search_quality import load_policy_qa  # noqa: E402

from pipeline.classify.topic import seed_hits  # noqa: E402
from pipeline.index.regions import OPENING_CHARS, provinces  # noqa: E402
from pipeline.index.rerank import QUESTION_WEIGHTS  # noqa: E402
from pipeline.text.normalize import fold  # noqa: E402

NUMBER_QUESTION = re.compile("多少|几|何时|什么时候|哪天|比例|标准|期限|截至|多长|多久|金额|额度")
NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万]+[个项条元%]")
NATIONAL = re.compile("国家|国务院|全国|中央")
ORGAN = re.compile(r".{2,}(?:委员会|机制|局|厅|委|部|署|院|办)$")  # 税务局, 交通运输部, 卫健委
YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")
TITLE = re.compile(r"\S{1,60}")  # a policy_qa title runs to the first space (median 20 characters)
SUBJECT = re.compile(r"^(.{2,}?)(?:的|如何|怎么|怎样|是否|哪些|有何|什么|为何|多少)")


class Signals:
    def __init__(self, dump: Path) -> None:
        self.questions = pickle.loads(dump.read_bytes())["questions"]
        docs, _ = load_policy_qa()
        self.ids = list(docs)
        self.row = {doc_id: n for n, doc_id in enumerate(self.ids)}
        self.texts = [fold(docs[doc_id]) for doc_id in self.ids]
        self.base = [n for n in QUESTION_WEIGHTS if any(n in r for q in self.questions for r in q["features"])]

    def text(self, qi: int, ci: int) -> str:
        return self.texts[self.row[self.questions[qi]["docs"][ci]]]

    def best(self, qi: int, ci: int) -> str:
        found = self.questions[qi]["best"][ci]
        return found[0] if found else ""

    def opening(self, qi: int, ci: int) -> str:
        return self.text(qi, ci)[:OPENING_CHARS]

    def title(self, qi: int, ci: int) -> str:
        found = TITLE.match(self.text(qi, ci))
        return found.group() if found else ""

    def add(self, name: str, value: Callable[[int, int], float]) -> None:
        for qi, q in enumerate(self.questions):
            for ci, row in enumerate(q["features"]):
                row[name] = value(qi, ci)

    def run(self, extra: list[str], label: str, forced: tuple[float, ...] | None = None) -> None:
        names = self.base + extra
        pools = Pools(self.questions, names)
        start = np.array([QUESTION_WEIGHTS.get(n, 0.0) for n in self.base] + [0.0] * len(extra))
        if forced is None:
            weights = fit(pools, start, 3, tuple(self.base))
        else:
            weights = start.copy()
            weights[len(self.base):] = forced
        report(pools, weights, label)
        print("    weights:", {n: float(w) for n, w in zip(extra, weights[len(self.base):])})


def lsa(signals: Signals) -> None:
    import jieba
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    jieba.setLogLevel(60)
    words = lambda t: [w for w in jieba.lcut(t) if not re.fullmatch(r"\W+", w)]
    variants = [("chars 1-2, k=100", dict(analyzer="char", ngram_range=(1, 2)), 100),
                ("char bigrams, k=200", dict(analyzer="char", ngram_range=(2, 2)), 200),
                ("words 1-2, k=100", dict(tokenizer=words, token_pattern=None, lowercase=False, ngram_range=(1, 2)), 100),
                ("words 1-2, k=300", dict(tokenizer=words, token_pattern=None, lowercase=False, ngram_range=(1, 2)), 300)]
    for label, options, k in variants:
        started = time.process_time()
        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, **options)
        svd = TruncatedSVD(k, random_state=0)
        documents = normalize(svd.fit_transform(vectorizer.fit_transform(signals.texts)))
        print(f"LSA {label}: trained in {time.process_time() - started:.1f} s CPU on {len(signals.texts)} texts")
        project = lambda texts: normalize(svd.transform(vectorizer.transform([fold(t) for t in texts])))
        questions = project([q["text"] for q in signals.questions])
        pairs = [(qi, ci) for qi, q in enumerate(signals.questions) for ci in range(len(q["docs"]))]
        passages = dict(zip(pairs, project([signals.best(qi, ci) for qi, ci in pairs])))
        signals.add("lsa_doc", lambda qi, ci: float(documents[signals.row[signals.questions[qi]["docs"][ci]]] @ questions[qi]))
        signals.add("lsa_passage", lambda qi, ci: float(passages[(qi, ci)] @ questions[qi]))
        signals.run(["lsa_doc", "lsa_passage"], f"LSA {label}, fitted")
        signals.run(["lsa_doc", "lsa_passage"], f"LSA {label}, 0.3 / 0.3", (0.3, 0.3))


def cheap(signals: Signals) -> None:
    signals.add("log_length", lambda qi, ci: math.log(len(signals.text(qi, ci)) + 1) / 10)
    signals.run(["log_length"], "log length")

    def position(qi: int, ci: int) -> float:
        text, best = signals.text(qi, ci), signals.best(qi, ci)
        return max(text.find(fold(best)[:30]), 0) / max(len(text), 1) if best else 1.0

    signals.add("best_position", position)
    signals.run(["best_position"], "best passage position")
    signals.add("number_asked", lambda qi, ci: float(
        bool(NUMBER_QUESTION.search(signals.questions[qi]["text"])) and bool(NUMBER.search(signals.best(qi, ci)))))
    signals.run(["number_asked"], "number asked and given")


def national(signals: Signals) -> None:
    def local(qi: int, ci: int) -> float:
        question = signals.questions[qi]["text"]
        if provinces(question) or not NATIONAL.search(question):
            return 0.0
        return float(bool(provinces(signals.text(qi, ci)[:OPENING_CHARS])))

    signals.add("local_for_national", local)
    signals.run(["local_for_national"], "national question, local text")


def bigram_share(word: str, text: str) -> float:
    grams = [word[i:i + 2] for i in range(len(word) - 1)] or [word]
    return sum(g in text for g in grams) / len(grams)


def mismatch(signals: Signals) -> None:
    import jieba

    jieba.setLogLevel(60)
    asked_text = [fold(q["text"]) for q in signals.questions]
    words = [[w for w in jieba.lcut(t) if len(w) > 1 and not re.fullmatch(r"\W+", w)] for t in asked_text]
    organs = [[w for w in ws if ORGAN.match(w)] for ws in words]
    asked = [provinces(t) for t in asked_text]
    idf = {w: math.log(len(signals.texts) / (1 + sum(w in t for t in signals.texts)))
           for w in {w for ws in words for w in ws}}
    print(f"questions naming an organ: {sum(map(bool, organs))}, a province: {sum(map(bool, asked))}, "
          f"a year: {sum(bool(YEAR.search(t)) for t in asked_text)} of {len(asked_text)}")

    def organ(qi: int, ci: int) -> float:
        return max((bigram_share(o, signals.opening(qi, ci)) for o in organs[qi]), default=0.0)

    def rare_title(qi: int, ci: int) -> float:
        rare = sorted(set(words[qi]), key=lambda w: -idf[w])[:2]
        total = sum(idf[w] for w in rare)
        return sum(idf[w] for w in rare if w in signals.title(qi, ci)) / total if total > 0 else 0.0

    def year(qi: int, ci: int) -> float:
        wanted, named = set(YEAR.findall(asked_text[qi])), set(YEAR.findall(signals.opening(qi, ci)))
        return float(bool(wanted) and bool(named) and not wanted & named)

    def topic(qi: int, ci: int) -> float:
        a, b = seed_hits(asked_text[qi]), seed_hits(signals.opening(qi, ci))
        dot = sum(v * b.get(k, 0.0) for k, v in a.items())
        return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values())) if dot else 0.0

    def subject(qi: int, ci: int) -> float:
        found = SUBJECT.match(asked_text[qi])
        return bigram_share(found.group(1), signals.title(qi, ci)) if found else 0.0

    opening_organs: dict[str, list[str]] = {}

    def organ_other(qi: int, ci: int) -> float:
        """The question names organs and the opening names others only (国家邮政局 / 卫健委)."""
        opening = signals.opening(qi, ci)
        if opening not in opening_organs:
            opening_organs[opening] = [w for w in jieba.lcut(opening) if len(w) > 2 and ORGAN.match(w)]
        named = opening_organs[opening]
        return float(bool(organs[qi]) and bool(named)
                     and all(max(bigram_share(o, n) for n in named) < 0.5 for o in organs[qi]))

    tried = {
        "organ_opening": organ,
        "organ_missing": lambda qi, ci: float(bool(organs[qi])) - organ(qi, ci) if organs[qi] else 0.0,
        "local_unasked": lambda qi, ci: float(not asked[qi] and bool(provinces(signals.opening(qi, ci)))),
        "same_region": lambda qi, ci: float(bool(asked[qi] & provinces(signals.opening(qi, ci)))),
        "asked_anywhere": lambda qi, ci: float(bool(asked[qi] & provinces(signals.text(qi, ci)))),
        "organ_other": organ_other, "year_mismatch": year, "topic_cosine": topic, "rare_title": rare_title, "subject_title": subject,
    }
    for name, value in tried.items():
        signals.add(name, value)
        signals.run([name], name)


def prior(signals: Signals) -> None:
    signals.add("first_stage_rr", lambda qi, ci: 1.0 / (1 + ci) / 10)
    signals.run(["first_stage_rr"], "first-stage rank prior")


TEXT_AND_REGION = ("doc", "passage", "window_40", "window_160", "anywhere", "longest_run", "other_region")


def joint(signals: Signals) -> None:
    import contextlib
    import io

    asked = [provinces(fold(q["text"])) for q in signals.questions]
    strict = lambda qi, ci: float(bool(signals.questions[qi]["features"][ci].get("other_region"))
                                  and not asked[qi] & provinces(signals.text(qi, ci)))
    with contextlib.redirect_stdout(io.StringIO()):  # adds the signals; their single fits are not shown
        mismatch(signals)
        prior(signals)
    signals.add("other_strict_offline", strict)
    signals.base = list(TEXT_AND_REGION)
    signals.run(["organ_opening", "local_unasked", "same_region", "asked_anywhere", "year_mismatch",
                 "topic_cosine", "rare_title", "subject_title", "first_stage_rr", "other_strict_offline"],
                "ten mismatch and prior signals, jointly")


def cost(signals: Signals) -> None:
    from pipeline.index.regions import other_region
    from pipeline.index.rerank import ORGAN, bigram_share, region_features

    pools = [(provinces(fold(q["text"])), [w for w in re.findall(r"\w{3,}?(?:局|部|委)", q["text"]) if ORGAN.match(w)],
              [signals.text(qi, ci) for ci in range(len(q["docs"]))]) for qi, q in enumerate(signals.questions)]

    def other_region_only() -> None:
        for asked, _, texts in pools:
            for text in texts:
                other_region(asked, text)

    def region_and_organ() -> None:
        for asked, organs, texts in pools:
            for text in texts:
                region_features(asked, text)
                max((bigram_share(o, text[:OPENING_CHARS]) for o in organs), default=0.0)

    timings: dict[str, list[float]] = {"other_region": [], "region and organ": []}
    for _ in range(3):  # alternate, and keep the median of three
        for name, run in (("other_region", other_region_only), ("region and organ", region_and_organ)):
            started = time.process_time()
            run()
            timings[name].append((time.process_time() - started) / len(pools) * 1000)
    print("CPU ms a question (pool of <= 20), median of 3: "
          + ", ".join(f"{name} {sorted(t)[1]:.2f}" for name, t in timings.items()))


def lightgbm(signals: Signals) -> None:
    import lightgbm as lgb

    pools = Pools(signals.questions, signals.base)
    split = halves(len(signals.questions))

    def pooled(picked):
        sizes = [int(pools.valid[qi].sum()) for qi in picked]
        keep = [(qi, n) for qi, n in zip(picked, sizes) if n]
        return (np.vstack([pools.X[qi, :n] for qi, n in keep]),
                np.concatenate([pools.relevant[qi, :n] for qi, n in keep]).astype(int), [n for _, n in keep])

    def mrr(model, picked) -> float:
        total = 0.0
        for qi in picked:
            n = int(pools.valid[qi].sum())
            if n:
                order = np.argsort(-model.predict(pools.X[qi, :n]), kind="stable")[:10]
                total += next((1 / (k + 1) for k, c in enumerate(order) if pools.relevant[qi, c]), 0.0)
        return total / len(picked)

    X, y, groups = pooled(split["odd"])
    for leaves, trees, rate in ((4, 100, 0.05), (4, 300, 0.03), (8, 200, 0.05), (16, 100, 0.05)):
        model = lgb.LGBMRanker(objective="lambdarank", n_estimators=trees, num_leaves=leaves,
                               learning_rate=rate, min_child_samples=20, verbose=-1)
        model.fit(X, y, group=groups)
        print(f"LambdaRank leaves={leaves} trees={trees} rate={rate}: "
              + "  ".join(f"{h} {mrr(model, split[h]):.4f}" for h in ("odd", "even", "all")) + "   (MRR@10)")


def near_duplicates(signals: Signals) -> None:
    """The misses whose winner shares > 60 % of its character bigrams with the answer (a news
    report of a notice and the notice): which of the two do the questions point at?"""
    pools = Pools(signals.questions, signals.base)
    weights = np.array([QUESTION_WEIGHTS[n] for n in signals.base])
    scores = np.where(pools.valid, pools.X @ weights, -np.inf)
    ranks = pools.ranks(weights)
    bigrams = lambda text: {text[i:i + 2] for i in range(len(text) - 1)}
    twins = longer_answer = 0
    for qi, q in enumerate(signals.questions):
        if ranks[qi] <= 1:
            continue
        winner = int(np.argmax(scores[qi]))
        answers = [ci for ci, doc in enumerate(q["docs"]) if doc in set(q["targets"])]
        a, w = bigrams(signals.text(qi, answers[0])), bigrams(signals.text(qi, winner))
        if len(a & w) / max(1, min(len(a), len(w))) > 0.6:
            twins += 1
            longer_answer += len(signals.text(qi, answers[0])) > len(signals.text(qi, winner))
    print(f"near-duplicate misses: {twins} of {len(signals.questions)} questions; the answer is the "
          f"longer twin in {longer_answer}, the shorter in {twins - longer_answer}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--signals", default="neardup,lsa,cheap,national,lightgbm")
    args = parser.parse_args()
    signals = Signals(args.dump or args.workdir / "features.pkl")
    signals.run([], "committed weights")
    for name in args.signals.split(","):
        {"lsa": lsa, "cheap": cheap, "national": national, "lightgbm": lightgbm,
         "neardup": near_duplicates, "mismatch": mismatch, "prior": prior,
         "cost": cost, "joint": joint}[name](signals)


if __name__ == "__main__":
    main()
