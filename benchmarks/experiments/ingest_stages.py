"""CPU seconds of each stage an ingest worker runs per file, over the ingest_speed corpus.

One process, no profiler, with the ingest's garbage-collector settings when the code has them
(``pipeline.archive.ingest._fewer_collections``). ``PYTHONPATH`` selects the code measured, so an
older checkout can be measured by the same script:

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/ingest_stages.py
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/experiments/ingest_stages.py   # e.g. `git archive` of main
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

BENCHMARKS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCHMARKS))  # ingest_speed: the corpus it measures
sys.path.append(str(BENCHMARKS.parent))  # the checkout, unless PYTHONPATH names another
from ingest_speed import corpus_files  # noqa: E402

import pipeline  # noqa: E402
from pipeline.archive import ingest, worker  # noqa: E402
from pipeline.archive.linking import text_key  # noqa: E402


def main() -> None:
    argparse.ArgumentParser(description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    home = Path(tempfile.mkdtemp(prefix="ingest-stages-"))
    tuned = getattr(ingest, "_fewer_collections", contextlib.nullcontext)
    seconds: dict[str, float] = defaultdict(float)

    def timed(stage: str, action: Callable[..., Any], *args: Any) -> Any:
        started = time.process_time()
        result = action(*args)
        seconds[stage] += time.process_time() - started
        return result

    with tuned():
        timed("warm_up (parent, once)", worker.warm_up, home)
        if hasattr(ingest, "_fewer_collections"):
            gc.freeze()  # as the ingest does before forking its workers
        for path in corpus_files():
            doc = timed("parse", worker.parse, str(path))
            if timed("secrecy", worker._classified, doc):
                continue
            meta = timed("annotate", worker._annotate, doc, home)
            doc.genre = meta.get("genre") or doc.genre
            timed("text_key", text_key, doc)
            timed("analyse", worker._analyse, doc, home)
    seconds["per-file total"] = sum(v for k, v in seconds.items() if "warm_up" not in k)
    print(json.dumps({"code": pipeline.__file__, **{k: round(v, 2) for k, v in seconds.items()}},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
