"""Keywords (主题词) per document: TF-IDF over the archive's own documents, with domain stop words.

The IDF comes from ``<home>/models/keywords/idf.json`` (built from the archive by ``build_idf``);
until the archive has one, jieba's general IDF table stands in.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from heapq import nlargest
from operator import itemgetter
from pathlib import Path

from pipeline.text.memo import Remembered
from pipeline.text.segment import words

DATA = Path(__file__).with_name("data")
IDF_FILE = "idf.json"
_NOISE = re.compile(r"^[\d０-９.．%％年月日号第条款项个]+$|^[a-zA-Z]$")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _jieba_idf_path() -> Path:
    """jieba's ``idf.txt`` (``jieba.analyse.tfidf.DEFAULT_IDF``), found without importing
    ``jieba.analyse``: that imports ``jieba.posseg`` and its tables, ~1 s of every ingest's start
    for a file name. (Looking up ``jieba.analyse`` itself would import ``jieba``, and with it
    ``pkg_resources``: the top-level package is looked up instead.)"""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "analyse" / "idf.txt"


@lru_cache(maxsize=1)
def _general_idf() -> tuple[dict[str, float], float]:
    path = _jieba_idf_path()
    table: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition(" ")
        if value:
            table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def candidate_words(text: str) -> list[str]:
    """Segmented words that can be keywords: two characters or more, not stop words or numbers."""
    return [w for w in words(text) if _is_candidate(w)]


def candidate_counts(text: str) -> Counter[str]:
    """``Counter(candidate_words(text))``, testing each distinct word once instead of each token."""
    counts = Counter(words(text))
    known = _remembered_candidate.known
    for word in [w for w in counts if not known(w)]:
        if not _remembered_candidate(word):
            del counts[word]
    return counts


def _is_candidate(word: str) -> bool:
    return len(word) >= 2 and word not in stop_words() and not _NOISE.match(word)


_remembered_candidate: Remembered[str, bool] = Remembered(_is_candidate, limit=1 << 16)


def build_idf(texts: Iterable[str]) -> dict[str, float]:
    """Smoothed IDF of every candidate word over ``texts`` (plus ``"__default__"`` for unseen ones)."""
    document_frequency: Counter[str] = Counter()
    count = 0
    for text in texts:
        count += 1
        document_frequency.update(candidate_counts(text).keys())
    idf = {w: round(math.log((1 + count) / (1 + df)) + 1, 4) for w, df in document_frequency.items()}
    idf["__default__"] = round(math.log(1 + count) + 1, 4)
    return idf


def save_idf(home: Path, idf: dict[str, float]) -> Path:
    directory = Path(home) / "models" / "keywords"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / IDF_FILE
    path.write_text(json.dumps(idf, ensure_ascii=False), encoding="utf-8")
    return path


def load_idf(home: Path | None) -> dict[str, float] | None:
    if home is None:
        return None
    path = Path(home) / "models" / "keywords" / IDF_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def keywords(text: str, title: str = "", limit: int = 8, idf: dict[str, float] | None = None) -> list[str]:
    """The ``limit`` best keywords of a document; title words count three times."""
    counts = candidate_counts(text)
    for word, n in candidate_counts(title).items():
        counts[word] += 3 * n
    if not counts:
        return []
    if idf is None:
        table, default = _general_idf()
    else:
        table, default = idf, idf.get("__default__", 10.0)
    scored = _contenders(counts, table, default, limit)
    return [w for w, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]]


_LENGTH_CEILING = 1 + 0.1 * 6  # the largest length factor of a score


def _contenders(counts: Counter[str], table: dict[str, float], default: float,
                limit: int) -> dict[str, float]:
    """The scores of the words that can be among the ``limit`` best, by falling count: a word
    scores at most its count's share times the largest IDF times the largest length factor
    (products of floats keep their order), so once that bound of the next count falls below
    the ``limit``-th score found, no word of that count or a smaller one can be among them."""
    total = sum(counts.values())
    ceiling = _idf_ceiling(table, default)
    get = table.get
    if ceiling is None:  # every word, in the counts' order (a NaN score makes the sort depend on it)
        return {w: (c / total) * get(w, default) * (1 + 0.1 * min(len(w), 6)) for w, c in counts.items()}
    scored: dict[str, float] = {}
    previous = None
    for word, count in sorted(counts.items(), key=itemgetter(1), reverse=True):
        if count != previous:
            if len(scored) >= limit and (count / total) * ceiling * _LENGTH_CEILING < nlargest(limit, scored.values())[-1]:
                break
            previous = count
        scored[word] = (count / total) * get(word, default) * (1 + 0.1 * min(len(word), 6))
    return scored


_ceiling_of: list[tuple[dict[str, float], int, float, float | None]] = []  # the last table's


def _idf_ceiling(table: dict[str, float], default: float) -> float | None:
    """The largest IDF ``table`` or ``default`` gives, when every one is finite and the largest
    is not negative (the bound needs both); else None. Remembered for the last table (the
    same one serves a whole ingest; one that changes size is looked at again)."""
    last = _ceiling_of[0] if _ceiling_of else None  # read once: another thread may replace it
    if last is not None and last[0] is table and last[1:3] == (len(table), default):
        return last[3]
    values = [*table.values(), default]
    ceiling = max(values) if all(map(math.isfinite, values)) and max(values) >= 0 else None
    _ceiling_of[:] = [(table, len(table), default, ceiling)]
    return ceiling
