"""Re-ranking the top candidates of a search with features of their stored text.

A question is usually written from one place of its answer: the answer holds most of the
question's rarer terms close together, often a run of the question's characters word for word.
Besides the document score (BM25F) and its best passage (``pipeline.index.passages``), each
candidate gets:

- ``window_40`` / ``window_160``: the share of the query's idf-weighted body terms found inside
  the best window of 40 / 160 characters (each term counted once);
- ``anywhere``: the share found anywhere in the document (rare terms a long text lacks);
- ``longest_run``: the longest run of the query's characters found verbatim in the document;
- ``other_region``: the question names a province or city and the candidate's title and opening
  name only other provinces (``pipeline.index.regions``): a notice of 吉林 for a question on 河南;
  ``other_strict``: besides, the asked province is named nowhere in the text;
- ``same_region`` / ``asked_anywhere``: the opening names the asked province; the text names it
  anywhere (a national notice with a paragraph on 湖北 answers a question on 湖北);
- ``organ_opening``: the question names an organ (税务局, 交通运输部, 市场监管总局: a word ending in
  局 部 委 厅 …) and the candidate's opening holds it (the share of its character bigrams);
- ``first_stage``: 0.1 / (1 + the candidate's first-stage rank), a prior that breaks near-ties.

For a question the final score is a weighted sum of the features (a keyword query keeps the
document and passage scores only), the document and passage scores scaled to the
best candidate's. The weights were fitted on the odd-numbered questions of the policy_qa
benchmark (coordinate ascent on MRR@10, ``benchmarks/experiments/fit_rerank.py``) and checked on the
even-numbered ones (benchmarks/README.md, "Search quality").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pipeline.index.passages import stored_text
from pipeline.index.regions import OPENING_CHARS, conflict, names_any, provinces

QUESTION_WEIGHTS = {
    "doc": 1.0, "passage": 0.5, "window_40": 0.8, "window_160": 0.6, "anywhere": 0.65,
    "longest_run": 1.3,
    # fitted alone on the odd questions, the others kept (refitting them too helped the odd half
    # and not the even one): benchmarks/experiments/fit_rerank.py --free other_region
    "other_region": -0.4,
    # fitted jointly on the odd questions with the others fixed, among ten signals
    # (benchmarks/experiments/rerank_signals.py --signals mismatch,prior; the five not listed fitted to 0)
    "other_strict": -0.8, "same_region": -0.3, "asked_anywhere": 0.2, "organ_opening": 0.1,
    "first_stage": 0.2,
}
# Without text features (RANKING["text_features"] off) a question keeps the document and passage
# scores. Keyword queries (two or three words, 文号, sessions) are not re-ranked at all
# (pipeline.index.search): text features cost the drafters' set 0.026 MRR, and passage scores
# ranked `1954年 政府工作报告` third behind later reports citing 1954 throughout.
KEYWORD_WEIGHTS = {"doc": 0.7, "passage": 0.3}
LONGEST_RUN_CAP = 20  # characters; a longer verbatim run says nothing more
ORGAN = re.compile(r".{2,}(?:委员会|机制|局|厅|委|部|署|院|办)$")  # 税务局, 交通运输部, 卫健委


def occurrences(text: str, terms: Mapping[str, float]) -> list[tuple[int, str]]:
    """(position, term) of every occurrence of every term, ordered by position."""
    found: list[tuple[int, str]] = []
    for term in terms:
        start = text.find(term)
        while start >= 0:
            found.append((start, term))
            start = text.find(term, start + 1)
    found.sort()
    return found


def window_coverages(text: str, terms: Mapping[str, float], widths: Sequence[int]) -> list[float]:
    """For each width: the largest share of the terms' total weight inside one window of that
    many characters (each term counted once, however often it occurs there)."""
    total = sum(terms.values())
    if total <= 0:
        return [0.0 for _ in widths]
    found = occurrences(text, terms)
    return [_best_window(found, terms, width) / total for width in widths]


def _best_window(found: list[tuple[int, str]], terms: Mapping[str, float], width: int) -> float:
    counts: dict[str, int] = {}
    covered = best = 0.0
    left = 0
    for position, term in found:
        if counts.get(term, 0) == 0:
            covered += terms[term]
        counts[term] = counts.get(term, 0) + 1
        while found[left][0] + width <= position + len(term):
            old = found[left][1]
            counts[old] -= 1
            if counts[old] == 0:
                covered -= terms[old]
            left += 1
        best = max(best, covered)
    return best


def coverage_anywhere(text: str, terms: Mapping[str, float]) -> float:
    """The share of the terms' total weight found anywhere in ``text``."""
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in text) / total if total > 0 else 0.0


def runs_from_bigrams(grams: Sequence[str]) -> list[str]:
    """The character runs spelled by consecutive overlapping bigrams (一二, 二三 → 一二三), in
    query order; other terms (numbers, words) stand alone."""
    runs: list[str] = []
    for gram in grams:
        if runs and len(gram) == 2 and len(runs[-1]) >= 2 and runs[-1][-1] == gram[0]:
            runs[-1] += gram[1]
        else:
            runs.append(gram)
    return runs


def longest_common_run(runs: Sequence[str], text: str) -> int:
    """Length of the longest piece of any run found verbatim in ``text``."""
    best = 0
    for run in runs:
        for start in range(len(run) - best):
            end = start + best + 1
            while end <= len(run) and run[start:end] in text:
                best = end - start
                end += 1
    return best


def text_features(text: str, terms: Mapping[str, float], runs: Sequence[str]) -> dict[str, float]:
    """The features of one candidate computed from its folded text."""
    window_40, window_160 = window_coverages(text, terms, (40, 160))
    return {
        "window_40": window_40, "window_160": window_160,
        "anywhere": coverage_anywhere(text, terms),
        "longest_run": min(longest_common_run(runs, text), LONGEST_RUN_CAP) / LONGEST_RUN_CAP,
    }


def question_organs(terms: Sequence[tuple[str, str, float]]) -> list[str]:
    """The organs among the question's own words (not the soft forms of its abbreviations)."""
    return [text for field, text, weight in terms if field == "body" and weight >= 0.5 and ORGAN.match(text)]


def bigram_share(word: str, text: str) -> float:
    """The share of ``word``'s character bigrams found in ``text`` (税务局 in 税务总局: 0.5)."""
    grams = [word[i:i + 2] for i in range(len(word) - 1)] or [word]
    return sum(gram in text for gram in grams) / len(grams)


def region_features(asked: set[str], text: str) -> dict[str, float]:
    """Where the candidate stands to the provinces the question names (``asked``)."""
    if not asked:
        return {"other_region": 0.0, "other_strict": 0.0, "same_region": 0.0, "asked_anywhere": 0.0}
    named = provinces(text[:OPENING_CHARS])
    anywhere = names_any(asked, text)
    other = conflict(asked, named)
    return {"other_region": other, "other_strict": other * (not anywhere),
            "same_region": float(bool(named & asked)), "asked_anywhere": float(anywhere)}


def candidate_features(terms: Sequence[tuple[str, str, float]], weights: Mapping[str, float],
                       best: Mapping[str, list], scored: Sequence[tuple[float, int, dict]],
                       with_text: bool) -> list[dict[str, float]]:
    """The features of each ``(score, docnum, stored fields)`` candidate, in order: the document
    and best-passage scores scaled to the best candidate's, and (``with_text``) the text features."""
    top_doc = max(s for s, _, _ in scored) or 1.0
    top_passage = max((p[0][0] for p in best.values() if p), default=0.0) or 1.0
    runs = runs_from_bigrams([text for field, text, _ in terms if field == "body_bg"])
    asked = provinces(runs) if with_text else set()  # the places the question names
    organs = question_organs(terms) if with_text else []
    rows = []
    for rank, (score, _docnum, fields) in enumerate(scored):
        passage = best.get(fields["id"])
        features = {"doc": score / top_doc, "passage": (passage[0][0] if passage else 0.0) / top_passage}
        if with_text:
            text = stored_text(fields.get("passages") or [])
            features.update(text_features(text, weights, runs))
            features.update(region_features(asked, text))
            features["organ_opening"] = max((bigram_share(o, text[:OPENING_CHARS]) for o in organs), default=0.0)
            features["first_stage"] = 0.1 / (1 + rank)
        rows.append(features)
    return rows


def combined_score(features: Mapping[str, float], with_text: bool) -> float:
    """The weighted sum of a candidate's features (``with_text``: a question's weights)."""
    weights = QUESTION_WEIGHTS if with_text else KEYWORD_WEIGHTS
    return sum(weights.get(name, 0.0) * value for name, value in features.items())
