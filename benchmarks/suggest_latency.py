"""The cost of "did you mean" on the embedded index: Whoosh's lexicon scan against the cached
per-segment lexicons (``pipeline.index.neighbours``), in the same run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/suggest_latency.py --home DIR [--docs 100000]
        [--probes 40]

``--home``: an index built by ``benchmarks/query_latency.py --home DIR`` (built here with its
synthetic documents when missing: ``--docs``, about 15 minutes at 100,000). Unknown words (half of
them a body word with one character replaced, dropped or added, half random two-to-four-character
CJK words; none held by a title or a body) are each given their closest word
(``pipeline.index.suggest._closest``, no filter) twice: by Whoosh's ``searcher.suggest`` (the
scan the search did before, ``scan_closest``) and by the cached lexicons; both must offer the same
word. Also timed: building the lexicons from Whoosh's terms (what the first suggestion after a
new segment pays, once per segment; kept beside the segment as ``<segment id>.lex``) and reading
the saved ones back (a new process). Prints one JSON report.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

CJK = [chr(0x4E00 + i) for i in range(3000)]


def scan_closest(searcher, word: str) -> str | None:
    """The baseline: Whoosh's corrector over the whole lexicon of each field."""
    from pipeline.index.suggest import CLOSE_WORDS, SUGGESTION_FIELDS, best_word

    reader = searcher.reader()
    candidates = []
    for field, bonus in SUGGESTION_FIELDS:
        for candidate in searcher.suggest(field, word, limit=CLOSE_WORDS, maxdist=1):
            if len(candidate) >= 2:
                candidates.append((bonus, reader.doc_frequency(field, candidate), candidate))
    return best_word(candidates)


def unknown_words(reader, count: int, rnd: random.Random) -> list[str]:
    stored = [w.decode("utf-8") for w in reader.lexicon("body")]
    stored = [w for w in stored if 2 <= len(w) <= 4]
    words = []
    while len(words) < count:
        if len(words) % 2:
            word = "".join(rnd.choice(CJK) for _ in range(rnd.choice((2, 3, 4))))
        else:
            base, filler = rnd.choice(stored), rnd.choice(CJK)
            place = rnd.randrange(len(base))
            word = rnd.choice((base[:place] + filler + base[place + 1:], base[:place] + base[place + 1:],
                               base[:place] + filler + base[place:]))
        if len(word) >= 2 and not (reader.doc_frequency("body", word) or reader.doc_frequency("title", word)):
            words.append(word)
    return words


def timings(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples) * 1000, 2), "max_ms": round(max(samples) * 1000, 2)}


def lexicon_costs(reader) -> dict[str, float]:
    """Seconds to build every segment's title and body lexicons from Whoosh's terms, and to read
    the saved ones back."""
    from pipeline.index import neighbours
    from pipeline.index.suggest import SUGGESTION_FIELDS

    leaves = [leaf for leaf, _offset in reader.leaf_readers()]
    started = time.perf_counter()
    words = sum(neighbours.Lexicon.of(neighbours._words(leaf, field)).size
                for leaf in leaves for field, _bonus in SUGGESTION_FIELDS)
    built = time.perf_counter() - started
    for leaf in leaves:  # saved (if not yet) through the cache, then read back cold
        for field, _bonus in SUGGESTION_FIELDS:
            neighbours.lexicon(leaf, field)
    neighbours.forget_all()
    started = time.perf_counter()
    for leaf in leaves:
        for field, _bonus in SUGGESTION_FIELDS:
            neighbours.lexicon(leaf, field)
    return {"segments": len(leaves), "lexicon_words": words, "build_seconds": round(built, 2),
            "load_seconds": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=40)
    args = parser.parse_args()
    from pipeline.index.search import searchers
    from pipeline.index.suggest import _closest

    report: dict = {}
    if not (args.home / "index").exists():
        from query_latency import build  # beside this script

        report["build"] = build(args.home, args.docs, 10_000)
    with searchers(args.home).reading() as searcher:
        reader = searcher.reader()
        report["documents"] = reader.doc_count()
        report["lexicons"] = lexicon_costs(reader)
        words = unknown_words(reader, args.probes, random.Random(7))
        before, after, expected, offered = [], [], [], []
        for word in words:
            started = time.perf_counter()
            expected.append(scan_closest(searcher, word))
            before.append(time.perf_counter() - started)
            started = time.perf_counter()
            offered.append(_closest(searcher, word))
            after.append(time.perf_counter() - started)
    assert offered == expected, [(w, a, b) for w, a, b in zip(words, expected, offered) if a != b]
    report.update({"probes": len(words), "offered": sum(1 for w in offered if w),
                   "whoosh_scan": timings(before), "cached_lexicons": timings(after),
                   "median_ratio": round(statistics.median(before) / statistics.median(after), 1)})
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
