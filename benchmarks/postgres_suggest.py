"""The cost of "did you mean" on PostgreSQL as the vocabulary grows.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/postgres_suggest.py [--words 300000] [--probes 20]

A throwaway cluster (``pipeline.storage.postgres.cluster``) gets a ``term_stats`` of ``--words``
random two-to-four-character CJK words in each of the title, body and body-bigram fields (what a
large archive's vocabulary looks like to the query: the title and body rows are read with LIKE
patterns); then ``--probes`` unknown words are each looked up (``_known``) and given their
closest word (``_closest``, every candidate visible). Prints one JSON report with the median and
the largest time per unknown word. Agreement with the embedded index is a test
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
from pipeline.storage.postgres.suggest import _closest, _known, _Visible

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
        times = []
        for _ in range(args.probes):
            word = "".join(rnd.choice(CJK) for _ in range(rnd.choice((2, 3, 4))))
            started = time.perf_counter()
            _known(conn, word)
            _closest(conn, word, visible)
            times.append(time.perf_counter() - started)
        print(json.dumps({"term_stats_rows": rows, "probes": args.probes,
                          "median_ms": round(statistics.median(times) * 1000, 1),
                          "max_ms": round(max(times) * 1000, 1)}, ensure_ascii=False))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
