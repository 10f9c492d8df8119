"""The cost of "did you mean" on PostgreSQL as the vocabulary grows.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/postgres_suggest.py [--words 300000] [--probes 20]

A throwaway cluster (``pipeline.storage.postgres.cluster``) gets a ``term_stats`` of ``--words``
random two-to-four-character CJK words in each of the title, body and body-bigram fields (what a
large archive's vocabulary looks like to the query); then ``--probes`` unknown words (half of them
random, half a stored word with one character replaced, dropped or added) are each looked up
(``_known``) and given their closest word, every candidate visible: first by the baseline, LIKE
patterns over every title and body row (``like_scan_rows``, what the search did before the
prefix and suffix indexes), then by ``close_rows`` (the word's first or last half through
``schema.TERM_INDEXES``); both must offer the same word. Prints one JSON report with the median
and the largest time per unknown word of each. Agreement with the embedded index is a test
(``tests/test_postgres_search.py``), not measured here.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from pipeline.storage.postgres.catalog import connect
from pipeline.storage.postgres.cluster import create_database, start_cluster
from pipeline.storage.postgres.suggest import (
    _known,
    _Visible,
    close_rows,
    closest_of,
    one_edit_patterns,
)

CJK = [chr(0x4E00 + i) for i in range(3000)]


def fill(conn: object, words: int, rnd: random.Random) -> int:
    seen: set[tuple[str, str]] = set()
    with conn.cursor().copy("COPY term_stats (field, term, df) FROM STDIN") as copy:
        for field in ("title", "body", "body_bg"):
            for _ in range(words):
                word = "".join(rnd.choice(CJK) for _ in range(rnd.choice((2, 2, 3, 4))))
                if (field, word) not in seen:
                    seen.add((field, word))
                    copy.write_row((field, word, rnd.randint(1, 50)))
    conn.execute("ANALYZE term_stats")
    return len(seen)


def like_scan_rows(conn: object, word: str) -> list[dict]:
    """The baseline: the close rows read by LIKE patterns alone (no index serves them)."""
    patterns, deletions = one_edit_patterns(word)
    return conn.execute(
        "SELECT field, term, df FROM term_stats WHERE field IN ('title', 'body') AND df > 0"
        " AND term != %s AND (term LIKE ANY(%s) OR term = ANY(%s))",
        (word, patterns, deletions)).fetchall()


def probes(conn: object, count: int, rnd: random.Random) -> list[str]:
    """Unknown words: random ones and stored ones misspelt."""
    stored = [row["term"] for row in conn.execute(
        "SELECT term FROM term_stats WHERE field = 'body' ORDER BY md5(term) LIMIT %s", (count,))]
    words = []
    for number in range(count):
        if number % 2 == 0:
            words.append("".join(rnd.choice(CJK) for _ in range(rnd.choice((2, 3, 4)))))
            continue
        word, place, filler = stored[number], rnd.randrange(len(stored[number])), rnd.choice(CJK)
        words.append(rnd.choice((word[:place] + filler + word[place + 1:],
                                 word[:place] + word[place + 1:], word[:place] + filler + word[place:])))
    return [w for w in words if len(w) >= 2 and not _known(conn, w)]


def timed(conn: object, words: list[str], rows_of, visible: _Visible) -> tuple[dict, list]:
    times, offered = [], []
    for word in words:
        started = time.perf_counter()
        _known(conn, word)
        offered.append(closest_of(conn, rows_of(conn, word), visible))
        times.append(time.perf_counter() - started)
    return {"median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1)}, offered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--probes", type=int, default=20)
    args = parser.parse_args()
    rnd = random.Random(7)
    cluster = start_cluster()
    try:
        conn = connect(create_database(cluster.url))
        rows = fill(conn, args.words, rnd)
        visible = _Visible(conn, None, None)
        words = probes(conn, args.probes, rnd)
        before, expected = timed(conn, words, like_scan_rows, visible)
        after, offered = timed(conn, words, close_rows, visible)
        assert offered == expected, [(w, a, b) for w, a, b in zip(words, expected, offered) if a != b]
        print(json.dumps({"term_stats_rows": rows, "probes": len(words),
                          "offered": sum(1 for w in offered if w), "like_scan": before,
                          "prefix_suffix_indexes": after,
                          "median_ratio": round(before["median_ms"] / max(after["median_ms"], 0.1), 1)},
                         ensure_ascii=False))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
