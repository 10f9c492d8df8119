"""One ingest of the ingest_speed corpus: wall seconds and the CPU of the parent and of its
children (workers and the forked index child) — for A/B runs of two source trees, alternated:

    for c in /tmp/base $PWD; do PYTHONPATH=$c .venv/bin/python benchmarks/ingest_cpu_split.py 2; done
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_speed import CORPUS, FOLDERS

from pipeline import Archive


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    home = Path(tempfile.mkdtemp(prefix="cpu-split-"))
    started = time.perf_counter()
    Archive(home).ingest([CORPUS / f for f in FOLDERS], workers=workers, progress=False)
    wall = time.perf_counter() - started
    own, children = (resource.getrusage(resource.RUSAGE_SELF),
                     resource.getrusage(resource.RUSAGE_CHILDREN))
    print(f"workers {workers} wall {wall:.1f} parent {own.ru_utime + own.ru_stime:.1f}"
          f" children {children.ru_utime + children.ru_stime:.1f}")


if __name__ == "__main__":
    main()
