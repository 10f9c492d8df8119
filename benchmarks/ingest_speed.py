"""Ingest speed: our pipeline against a naive one, both measured in the same run.

Goal: ours at least 2x faster (wall time) than the naive pipeline on the same files.
Corpus: ../shared/corpus/{state_council,laws,work_reports,speeches} (656 files, 16 MB of text;
``--folders`` takes a subset, e.g. ``--folders speeches`` for a smoke run).
- naive: one process, read each file's text (.txt/.md as UTF-8, .docx with python-docx), one
  Whoosh index with jieba's ChineseAnalyzer over title + content, one commit.
- ours: ``Archive(home).ingest(paths)`` — parallel readers + structure recogniser + classify
  annotations, catalog with SHA-256/SM3 and stored originals, word+bigram index (passages stored).
Each variant runs in its own subprocess (fresh import, fresh home) so peak memory is its own;
with ``--repeat`` the two alternate, so that load from other jobs hits both alike. The ratio of
the two wall times is the number to read (the naive run itself varies by +-15 % on a shared box).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/ingest_speed.py [--workers N] [--repeat R]
        [--folders state_council,laws,work_reports,speeches]

Writes benchmarks/results/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
from shared_corpus import CORPUS  # found beside this script
FOLDERS = ("state_council", "laws", "work_reports", "speeches")
TEXT_SUFFIXES = (".txt", ".md", ".docx")


def corpus_files(folders: tuple[str, ...] = FOLDERS) -> list[Path]:
    files = []
    for folder in folders:
        files += sorted(p for p in (CORPUS / folder).rglob("*")
                        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    return files


def _read_text(path: Path) -> str:
    if path.suffix.lower() == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8", errors="replace")


def run_naive(home: Path, folders: tuple[str, ...]) -> dict:
    """The baseline: read text, jieba ChineseAnalyzer, one Whoosh writer, one commit."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    started = time.perf_counter()
    schema = Schema(path=ID(stored=True, unique=True), title=TEXT(stored=True,
                    analyzer=ChineseAnalyzer()), content=TEXT(analyzer=ChineseAnalyzer()))
    (home / "index").mkdir(parents=True)
    ix = index.create_in(home / "index", schema)
    writer = ix.writer()
    text_bytes = 0
    for path in corpus_files(folders):
        text = _read_text(path)
        text_bytes += len(text.encode("utf-8"))
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
        writer.add_document(path=str(path), title=title, content=text)
    writer.commit()
    return {"seconds": time.perf_counter() - started, "text_bytes": text_bytes}


def run_ours(home: Path, workers: int | None, folders: tuple[str, ...]) -> dict:
    sys.path.insert(0, str(PROJECT))
    from pipeline import Archive

    paths = [CORPUS / f for f in folders]
    started = time.perf_counter()
    summary = Archive(home).ingest(paths, workers=workers, progress=False)
    seconds = time.perf_counter() - started
    rerun_started = time.perf_counter()
    rerun = Archive(home).ingest(paths, workers=workers, progress=False)
    return {"seconds": seconds, "rerun_seconds": time.perf_counter() - rerun_started,
            "summary": {k: (len(v) if isinstance(v, list) else v) for k, v in summary.items()},
            "rerun_unchanged": rerun["unchanged"], "failed": summary["failed"][:5]}


def _child(variant: str, home: Path, workers: int | None, folders: tuple[str, ...]) -> None:
    result = run_naive(home, folders) if variant == "naive" else run_ours(home, workers, folders)
    # (the CPU includes ours' rerun, ~0.2 s)
    own, children = (resource.getrusage(resource.RUSAGE_SELF),
                     resource.getrusage(resource.RUSAGE_CHILDREN))
    result["peak_rss_mb"] = own.ru_maxrss / 1024
    result["peak_worker_rss_mb"] = children.ru_maxrss / 1024
    # CPU of the whole variant (workers included): on a shared 2-core box the wall-clock ratio
    # depends on what else runs, the CPU ratio much less
    result["cpu_seconds"] = sum(r.ru_utime + r.ru_stime for r in (own, children))
    print(json.dumps(result, ensure_ascii=False))


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure(variant: str, workers: int | None, folders: tuple[str, ...]) -> dict:
    home = Path(tempfile.mkdtemp(prefix=f"ingest-{variant}-"))
    try:
        cmd = [sys.executable, __file__, "--child", variant, "--home", str(home),
               "--folders", ",".join(folders)]
        if workers:
            cmd += ["--workers", str(workers)]
        out = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        result["index_mb"] = _dir_mb(home / "index")
        if (home / "catalog.sqlite").exists():
            result["catalog_mb"] = _dir_mb(home) - result["index_mb"] - _dir_mb(home / "originals")
        return result
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=("naive", "ours"))
    parser.add_argument("--home", type=Path)
    parser.add_argument("--folders", default=",".join(FOLDERS),
                        help="corpus folders to ingest (comma-separated)")
    args = parser.parse_args()
    folders = tuple(f for f in args.folders.split(",") if f)
    if args.child:
        return _child(args.child, args.home, args.workers, folders)
    if not CORPUS.is_dir():
        sys.exit(f"缺少共享语料：{CORPUS}")
    files = corpus_files(folders)
    naive_runs, our_runs = [], []
    for _ in range(args.repeat):  # interleaved, so machine load hits both alike
        naive_runs.append(measure("naive", args.workers, folders))
        our_runs.append(measure("ours", args.workers, folders))
    naive_s = statistics.median(r["seconds"] for r in naive_runs)
    ours_s = statistics.median(r["seconds"] for r in our_runs)
    text_mb = naive_runs[0]["text_bytes"] / 1e6
    report = {
        "folders": list(folders), "files": len(files), "text_mb": round(text_mb, 2), "cpus": os.cpu_count(),
        "workers": args.workers or os.cpu_count(), "repeat": args.repeat,
        "naive_seconds": round(naive_s, 2), "ours_seconds": round(ours_s, 2),
        "speedup": round(naive_s / ours_s, 2),
        "naive_cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in naive_runs), 1),
        "ours_cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in our_runs), 1),
        "runs": [[round(n["seconds"], 1), round(o["seconds"], 1)]
                 for n, o in zip(naive_runs, our_runs)],
        "ours_rerun_seconds": round(statistics.median(r["rerun_seconds"] for r in our_runs), 2),
        "naive_index_mb_per_text_mb": round(naive_runs[0]["index_mb"] / text_mb, 2),
        "ours_index_mb_per_text_mb": round(our_runs[0]["index_mb"] / text_mb, 2),
        "ours_catalog_mb": round(our_runs[0].get("catalog_mb", 0.0), 2),
        "naive_peak_rss_mb": round(max(r["peak_rss_mb"] for r in naive_runs)),
        "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in our_runs)),
        "ours_peak_worker_rss_mb": round(max(r["peak_worker_rss_mb"] for r in our_runs)),
        "ours_summary": our_runs[0]["summary"], "ours_failed_sample": our_runs[0]["failed"],
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    results = PROJECT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "ingest_speed.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
